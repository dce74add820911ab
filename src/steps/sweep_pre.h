/*
 * The sweep's line handling, apart from its sockets: the SMTP preamble
 * of a STARTTLS probe (greeting, EHLO, STARTTLS; RFC 5321 §4.2, RFC
 * 3207) read line by line from the bytes a server sent, and an SMTP
 * reply where a TLS record was expected.  Pure: sweep_run.c feeds what
 * recv() gave and acts on the answer; the fuzzer feeds anything.
 */
#ifndef SW_SWEEP_PRE_H
#define SW_SWEEP_PRE_H

#include <stddef.h>

#include "smtp.h"

enum sweep_pre_stage { PRE_GREETING, PRE_EHLO, PRE_STARTTLS };

enum sweep_pre_ev {
	SWP_MORE,	/* no whole reply yet: read on */
	SWP_EHLO,	/* the 220 greeting: send EHLO */
	SWP_STARTTLS,	/* 250 with STARTTLS: send STARTTLS */
	SWP_HELLO,	/* the 220 to STARTTLS: send the ClientHello; bytes
			   after it are the server's, not ours (RFC 3207
			   §4.2): the caller drops them */
	SWP_RETRY,	/* a 4xx: not now (421 rate limits, 454) */
	SWP_FATAL	/* 5xx, another code, no STARTTLS, a line longer than
			   SMTP_LINE_MAX, a malformed reply */
};

/*
 * Consumes the whole lines of in[0..*inlen) (the rest moves to the
 * front, *inlen shrinks) into reply until a reply is complete, then
 * judges it for *stage: the stage advances and the reply is emptied
 * for the next command on SWP_EHLO and SWP_STARTTLS.  why (cap bytes)
 * gets the sanitised reason of SWP_RETRY and SWP_FATAL ("greeting
 * answered 421 busy").  reply is the caller's (smtp_reply_init).
 */
enum sweep_pre_ev sweep_pre_feed(enum sweep_pre_stage *stage,
		    struct smtp_reply *reply, unsigned char *in,
		    size_t *inlen, char *why, size_t cap);

/*
 * An SMTP reply line at the start of b[0..n) where a TLS record was
 * expected (a busy server's "421 ..." on an implicit-TLS port): 4 or
 * 5, the class, with the first line sanitised into line; 0 when b does
 * not start like one.
 */
int		 sweep_pre_smtp_line(const unsigned char *b, size_t n,
		    char *line, size_t cap);

#endif
