/*
 * A bounded JSON reader (RFC 8259) for small documents from the
 * network -- an OAuth2 token endpoint's answer: the whole text is
 * checked, nesting is capped at JSON_READ_DEPTH, and only the members
 * of the outermost object are handed out, as copies into the caller's
 * buffer.  Nothing is allocated; a value that does not fit is an error,
 * never cut.  json.c writes JSON; this file only reads it.
 */
#ifndef SW_JSON_READ_H
#define SW_JSON_READ_H

#include <stddef.h>

#include "err.h"

#define JSON_READ_DEPTH	32
#define JSON_READ_MAX	(1u << 20)	/* bytes of text accepted */

enum json_type {
	JSON_NONE,		/* no such member */
	JSON_STRING, JSON_NUMBER, JSON_TRUE, JSON_FALSE, JSON_NULL,
	JSON_OBJECT, JSON_ARRAY
};

/*
 * Checks that text[0..len) is one JSON object (white space around it
 * allowed) and finds its member key (the first one when repeated).
 * *type tells what it is (JSON_NONE: absent).  A string is copied
 * decoded -- escapes resolved, \u surrogate pairs to UTF-8, "\u0000"
 * refused -- a number, true, false and null as written; for an object
 * or array out gets "".  out (cap bytes) is always NUL-terminated.
 * The caller wipes out when it held a secret.
 * Errors: SW_EPROTO (not JSON, not an object, nested deeper than
 * JSON_READ_DEPTH, longer than JSON_READ_MAX, the value longer than
 * cap - 1: the message says which and where, never the value).
 */
enum sw_err	json_read_member(const char *text, size_t len, const char *key,
		    enum json_type *type, char *out, size_t cap,
		    struct sw_error *err);

#endif
