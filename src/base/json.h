/*
 * A small streaming JSON writer for the batch report: objects, arrays,
 * strings escaped per RFC 8259 (any byte sequence becomes valid JSON:
 * invalid UTF-8 is replaced by U+FFFD), commas and indentation handled.
 */
#ifndef SW_JSON_H
#define SW_JSON_H

#include <stdio.h>

#include "tri.h"

#define JSON_DEPTH 16

struct json {
	FILE	*f;
	int	 depth;
	int	 count[JSON_DEPTH];	/* members written at each level */
};

void	json_init(struct json *, FILE *);
void	json_open(struct json *, const char *key, char bracket); /* '{' '[' */
void	json_close(struct json *, char bracket);
void	json_str(struct json *, const char *key, const char *value);
void	json_strn(struct json *, const char *key, const char *v, size_t n);
void	json_int(struct json *, const char *key, long long value);
void	json_bool(struct json *, const char *key, int value);
void	json_null(struct json *, const char *key);
/* A three-valued fact: true, false, or null when unknown. */
void	json_tri(struct json *, const char *key, enum tri);
/* An array of the space-separated words of words: "A B" -> ["A","B"]. */
void	json_words(struct json *, const char *key, const char *words);

#endif
