/*
 * A link, the transport of one connection: a socket, what runs on it
 * (plain or TLS), a read buffer for line-oriented protocols and the
 * deadline and cancel fd that every wait on it honours.  smtp.c talks to a struct link and
 * never knows whether TLS is on; tls.c swaps the ops when a handshake
 * completes.  The transcript hook sees every byte in both directions.
 */
#ifndef SW_LINK_H
#define SW_LINK_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

struct link;

struct link_ops {
	const char	*name;			/* "plain", "tls" */
	enum sw_err    (*read)(struct link *, void *, size_t, size_t *,
			    struct sw_error *);
	enum sw_err    (*write)(struct link *, const void *, size_t,
			    struct sw_error *);
	void	       (*close)(struct link *);	/* frees transport state */
};

enum link_dir { LINK_IN, LINK_OUT, LINK_NOTE };

/* Receives each line sent or received, and notes (TLS summaries). */
typedef void	(*link_log_fn)(void *arg, enum link_dir, const char *text,
		    size_t len);

#define LINK_RBUF	4096

struct link {
	const struct link_ops	*ops;
	void			*tls;		/* tls.c's state when on */
	int			 fd;
	int			 cancel_fd;	/* -1: none */
	int64_t			 deadline;	/* for the current wait */
	link_log_fn		 log;		/* may be NULL */
	void			*log_arg;
	unsigned char		 rbuf[LINK_RBUF];
	size_t			 rpos, rlen;
	uint64_t		 bytes_in, bytes_out;
};

/* Sets c up as a plain transport on a connected socket fd. */
void		link_init_plain(struct link *c, int fd, int cancel_fd);

/* Reads up to cap bytes, buffered data first.  Errors: as net_read. */
enum sw_err	link_read(struct link *c, void *buf, size_t cap, size_t *got,
		    struct sw_error *);

/* Writes all of buf.  Errors: as net_write. */
enum sw_err	link_write(struct link *c, const void *buf, size_t len,
		    struct sw_error *);

/*
 * Reads one line ending in LF (a CR before it is dropped) into line,
 * NUL-terminated; *len excludes the terminator.  A line that does not
 * fit in cap - 1 bytes is an error (SW_EPROTO naming the limit), never
 * silently cut.  NUL bytes inside the line are kept (callers sanitise).
 * Errors: as link_read, SW_EPROTO.
 */
enum sw_err	link_read_line(struct link *c, char *line, size_t cap,
		    size_t *len, struct sw_error *);

/*
 * Number of received bytes buffered but not yet consumed.  Bytes the
 * server sent before a TLS handshake must not be taken as protected
 * data (RFC 3207 §6): callers check this before starting TLS.
 */
size_t		link_pending(const struct link *c);

/* Drops buffered bytes (see link_pending). */
void		link_discard(struct link *c);

/* Sends a transcript note (e.g. a handshake summary). */
void		link_note(struct link *c, const char *text);

/* Closes the transport and the socket.  Safe to call twice. */
void		link_close(struct link *c);

#endif
