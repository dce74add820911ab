/*
 * A connection: a socket, the transport on it (plain or TLS), a read
 * buffer for line-oriented protocols and the deadline and cancel fd
 * that every wait on it honours.  smtp.c talks to a struct conn and
 * never knows whether TLS is on; tls.c swaps the ops when a handshake
 * completes.  The transcript hook sees every byte in both directions.
 */
#ifndef SW_CONN_H
#define SW_CONN_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

struct conn;

struct conn_ops {
	const char	*name;			/* "plain", "tls" */
	enum sw_err    (*read)(struct conn *, void *, size_t, size_t *,
			    struct sw_error *);
	enum sw_err    (*write)(struct conn *, const void *, size_t,
			    struct sw_error *);
	void	       (*close)(struct conn *);	/* frees transport state */
};

enum conn_dir { CONN_IN, CONN_OUT, CONN_NOTE };

/* Receives each line sent or received, and notes (TLS summaries). */
typedef void	(*conn_log_fn)(void *arg, enum conn_dir, const char *text,
		    size_t len);

#define CONN_RBUF	4096

struct conn {
	const struct conn_ops	*ops;
	void			*tls;		/* tls.c's state when on */
	int			 fd;
	int			 cancel_fd;	/* -1: none */
	int64_t			 deadline;	/* for the current wait */
	conn_log_fn		 log;		/* may be NULL */
	void			*log_arg;
	unsigned char		 rbuf[CONN_RBUF];
	size_t			 rpos, rlen;
	uint64_t		 bytes_in, bytes_out;
};

/* Sets c up as a plain transport on a connected socket fd. */
void		conn_init_plain(struct conn *c, int fd, int cancel_fd);

/* Reads up to cap bytes, buffered data first.  Errors: as net_read. */
enum sw_err	conn_read(struct conn *c, void *buf, size_t cap, size_t *got,
		    struct sw_error *);

/* Writes all of buf.  Errors: as net_write. */
enum sw_err	conn_write(struct conn *c, const void *buf, size_t len,
		    struct sw_error *);

/*
 * Reads one line ending in LF (a CR before it is dropped) into line,
 * NUL-terminated; *len excludes the terminator.  A line that does not
 * fit in cap - 1 bytes is an error (SW_EPROTO naming the limit), never
 * silently cut.  NUL bytes inside the line are kept (callers sanitise).
 * Errors: as conn_read, SW_EPROTO.
 */
enum sw_err	conn_read_line(struct conn *c, char *line, size_t cap,
		    size_t *len, struct sw_error *);

/*
 * Number of received bytes buffered but not yet consumed.  Bytes the
 * server sent before a TLS handshake must not be taken as protected
 * data (RFC 3207 §6): callers check this before starting TLS.
 */
size_t		conn_pending(const struct conn *c);

/* Drops buffered bytes (see conn_pending). */
void		conn_discard(struct conn *c);

/* Sends a transcript note (e.g. a handshake summary). */
void		conn_note(struct conn *c, const char *text);

/* Closes the transport and the socket.  Safe to call twice. */
void		conn_close(struct conn *c);

#endif
