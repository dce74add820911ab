/*
 * SMTP reply codes as data: the basic code (RFC 5321 §4.2), the
 * enhanced status code class.subject.detail (RFC 3463 §2), patterns
 * over both as the error tables write them ("535 5.7.8", "5xx x.7.*"),
 * and a scanner that finds replies quoted inside pasted text (a Java
 * exception message, a mail.debug transcript, a log line).  Everything
 * here is pure: no allocation, no I/O, no global state.
 */
#ifndef SW_REPLYCODE_H
#define SW_REPLYCODE_H

#include <stddef.h>

#include "err.h"

/* An enhanced status code; cls == 0 means "none". */
struct replycode_enh {
	int	cls;			/* 2, 4 or 5 */
	int	subj;			/* 0..999 */
	int	detail;			/* 0..999 */
};

/*
 * A pattern from the tables: "CODE [ENHANCED]".
 *   CODE      "535" (exact), "5xx" (class), "*" (any)
 *   ENHANCED  "5.7.8" (exact), "x.7.8" (any class), "x.7.*" (subject),
 *             "*" or nothing (no constraint)
 */
struct replycode_pat {
	int	code;			/* exact basic code; 0: none */
	int	cls;			/* first digit of "5xx"; 0: none */
	int	has_enh;		/* an enhanced constraint exists */
	int	ecls;			/* 2/4/5; 0: "x" */
	int	esubj;			/* -1: "*" */
	int	edetail;		/* -1: "*" */
};

/*
 * Parses the enhanced code at the start of s[0..len): "5.7.139".  The
 * class must be 2, 4 or 5, subject and detail 1-3 digits, and the next
 * byte must not continue a number.  Returns the bytes used, 0 when
 * there is none (e is then zeroed).
 */
size_t		replycode_enh_parse(const char *s, size_t len,
		    struct replycode_enh *e);

/* "5.7.139", or "" when e->cls == 0.  cap >= 12. */
void		replycode_enh_format(const struct replycode_enh *e, char *buf,
		    size_t cap);

/*
 * Parses a pattern (see struct replycode_pat).
 * Errors: SW_EASSET with a message saying what is wrong.
 */
enum sw_err	replycode_pat_parse(const char *s, struct replycode_pat *p,
		    struct sw_error *err);

/*
 * How well a reply matches p: -1 when it does not, otherwise a
 * specificity score (exact enhanced code 12, class-free detail 10,
 * subject only 5, exact basic code 4, basic class 1, summed).  code 0
 * means "unknown": it matches any CODE part but earns nothing, so that
 * a bare "5.7.139" still finds the "535 5.7.139" entry.
 */
int		replycode_pat_score(const struct replycode_pat *p, int code,
		    const struct replycode_enh *e);

/* A reply found in text by replycode_scan(). */
struct replycode_span {
	size_t			start;	/* first byte of the code */
	size_t			end;	/* end of its (last) line */
	size_t			text;	/* where the reply text starts */
	int			code;	/* 400..599; 0: bare enhanced code */
	struct replycode_enh	enh;
};

/*
 * Finds the next failure reply (4xx/5xx) in t[0..len) at or after *pos
 * and advances *pos past it.  Recognised: a basic code followed by an
 * enhanced one anywhere on a line ("...Exception: 535 5.7.8 ..."); a
 * basic code alone at the start of a line (after blanks or a
 * transcript arrow such as "<<< " or "S: "), after "Exception: " or
 * after JavaMail's "response: "; a bare enhanced code at the start of
 * a line.  A multi-line reply ("535-...", then "535 ...") is one span.
 * t need not be NUL-terminated: the scan never reads past len.
 * Returns 1 when a reply was found, 0 at the end.
 */
int		replycode_scan(const char *t, size_t len, size_t *pos,
		    struct replycode_span *out);

#endif
