/*
 * The SMTP client: a pure reply assembler and EHLO capability parser
 * (no I/O, table-tested and fuzzable), and the few dialogue steps the
 * probes need, one command then the whole reply (RFC 5321 §4.2; we
 * never pipeline).  Server text is untrusted: it is kept as received
 * and sanitised by whoever displays it.
 */
#ifndef SW_SMTP_H
#define SW_SMTP_H

#include <stddef.h>

#include "link.h"
#include "err.h"
#include "tri.h"

/*
 * Limits.  RFC 5321 §4.5.3.1.5 allows reply lines of 512 octets; real
 * servers stay far below.  We accept four times that, and cut a reply
 * off at SMTP_REPLY_LINES lines or SMTP_REPLY_BYTES bytes with an error
 * that says so, so a hostile server cannot make us read forever.
 */
#define SMTP_LINE_MAX		2048
#define SMTP_REPLY_LINES	256
#define SMTP_REPLY_BYTES	(64 * 1024)

struct smtp_reply {
	int	 code;			/* 200..599; 0 until the first line */
	char	 enhanced[16];		/* "5.7.8" (RFC 3463) or "" */
	size_t	 nlines;
	char	*text;			/* line texts after "NNN-", '\n'-joined */
	size_t	 len;			/* of text */
	int	 done;			/* the last line ("NNN " or "NNN") seen */
};

void		smtp_reply_init(struct smtp_reply *);
void		smtp_reply_free(struct smtp_reply *);

/*
 * Adds one received line (without CRLF) to r.  Pure.  Each line must
 * start with three digits, the same on every line, then '-' (more to
 * come), ' ' or the end of the line (last line).
 * Errors: SW_EPROTO (malformed line, code changed, too many lines or
 * bytes), SW_ENOMEM.
 */
enum sw_err	smtp_reply_feed(struct smtp_reply *r, const char *line,
		    size_t len, struct sw_error *);

/*
 * Line i (0-based) of r's text, without the code; *len is its length.
 * NULL when i is out of range.
 */
const char	*smtp_reply_line(const struct smtp_reply *r, size_t i,
		    size_t *len);

/* What an EHLO reply says the server can do (RFC 5321 §4.1.1.1). */
struct smtp_caps {
	enum tri	starttls;		/* RFC 3207 */
	enum tri	auth;			/* RFC 4954: AUTH listed */
	enum tri	pipelining, eightbitmime, smtputf8, chunking,
			enhancedstatuscodes, dsn;
	long		size;			/* SIZE value; -1 unknown */
	char		mechanisms[256];	/* "PLAIN LOGIN": valid SASL names
						   only (RFC 4422), upper case */
	char		domain[256];		/* first line: the server's name,
						   sanitised */
};

/*
 * Fills caps from a 250 reply to EHLO.  Pure.  Keywords are matched
 * case-insensitively; "AUTH=LOGIN" (a pre-RFC 4954 form some servers
 * still send) counts as AUTH.  Everything not listed becomes TRI_NO:
 * call it only for a reply that was actually received.
 */
void		smtp_caps_parse(const struct smtp_reply *, struct smtp_caps *);

/* All TRI_UNKNOWN: nothing observed yet. */
void		smtp_caps_unknown(struct smtp_caps *);

/*
 * Reads one whole reply into r (which is reset first), honouring
 * c->deadline for every line.
 * Errors: as link_read_line, SW_EPROTO.
 */
enum sw_err	smtp_read_reply(struct link *c, struct smtp_reply *r,
		    struct sw_error *);

/*
 * Sends cmd followed by CRLF and reads the reply into r.  A cmd that
 * contains CR or LF is refused (SW_EUSAGE): it would smuggle a second
 * command.
 * Errors: as link_write and smtp_read_reply, SW_EUSAGE.
 */
enum sw_err	smtp_command(struct link *c, const char *cmd,
		    struct smtp_reply *r, struct sw_error *);

#endif
