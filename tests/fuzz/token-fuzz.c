/*
 * Fuzzes what a token endpoint sends back (issue 18): the bytes as the
 * HTTP response parser receives them -- fed whole, then cut at every
 * split the first byte chooses, as reads deliver them -- and the body
 * it gives through the OAuth2 answer reader and the bounded JSON
 * reader.  Nothing may crash, read out of bounds or leak; a complete
 * parse must give a body within HTTP_BODY_MAX.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"
#include "json_read.h"
#include "oauth2.h"
#include "secret.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct oauth2_request rq = { .flow = OAUTH2_REFRESH_TOKEN,
	    .client_id = "cid", .client_secret = "secret-value",
	    .refresh_token = "refresh-value" };
	struct http_response rs = { 0 };
	struct oauth2_answer a;
	struct secret tok;
	struct sw_error e = { 0 };
	const char *text = (const char *)data;
	enum json_type t;
	char out[256];
	size_t step;
	int r;

	if (size == 0)
		return 0;
	step = 1 + data[0] % 64;
	for (size_t n = 1; n < size; n += step) {
		sw_error_clear(&e);
		if (http_response_parse(text + 1, n - 1, 0, &rs, &e) != 0)
			break;
	}
	sw_error_clear(&e);
	r = http_response_parse(text + 1, size - 1, 1, &rs, &e);
	if (r == 1 && (rs.body == NULL || rs.body_len > HTTP_BODY_MAX))
		abort();
	secret_init(&tok);
	memset(&a, 0, sizeof(a));
	sw_error_clear(&e);
	(void)oauth2_read_answer(&rq, rs.status, r == 1 ? rs.body : text,
	    r == 1 ? rs.body_len : size, &tok, &a, &e);
	(void)json_read_member(text, size, "error", &t, out, sizeof(out), &e);
	secret_clear(&tok);
	http_response_free(&rs);
	return 0;
}
