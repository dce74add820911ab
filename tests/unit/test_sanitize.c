/*
 * Sanitising server text and JSON escaping: nothing a hostile server
 * sends may reach a terminal or a report as it is.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "sanitize.h"
#include "tap.h"

static void
check_san(const char *in, size_t len, int flags, const char *want)
{
	char out[256];

	sanitize(in, len, out, sizeof(out), flags);
	CHECK_STR(out, want);
}

static void
test_sanitize(void)
{
	check_san("220 mail.example.com ESMTP", 26, 0,
	    "220 mail.example.com ESMTP");
	check_san("220 \033[2J\033]0;pwned\007", 18, 0,
	    "220 \\x1b[2J\\x1b]0;pwned\\x07");
	check_san("a\0b", 3, 0, "a\\x00b");
	check_san("caf\xc3\xa9", 5, 0, "caf\xc3\xa9");
	check_san("caf\xc3\xa9", 5, SAN_ASCII, "caf\\xe9");
	check_san("bad\xff\xfe", 5, 0, "bad\\xff\\xfe");
	check_san("trunc\xc3", 6, 0, "trunc\\xc3");
	check_san("overlong\xc0\xaf", 10, 0, "overlong\\xc0\\xaf");
	check_san("surrogate\xed\xa0\x80", 12, 0,
	    "surrogate\\xed\\xa0\\x80");
	check_san("c1\xc2\x9b" "31m", 7, 0, "c1\\x9b31m");
	check_san("bidi\xe2\x80\xae" "evil", 11, 0, "bidi\\u202eevil");
	check_san("line1\nline2", 11, 0, "line1\\x0aline2");
	check_san("line1\nline2", 11, SAN_KEEP_NL, "line1\nline2");
	check_san("tab\there", 8, 0, "tab here");
	check_san("\x7f", 1, 0, "\\x7f");
}

static void
test_cut(void)
{
	char big[1000], out[32];
	size_t n;

	memset(big, 'x', sizeof(big));
	n = sanitize(big, sizeof(big), out, sizeof(out), 0);
	CHECK(n < sizeof(out));
	CHECK(strcmp(out + n - 3, "...") == 0);
	/* An escape is never split by the cut. */
	memset(big, '\033', sizeof(big));
	n = sanitize(big, sizeof(big), out, sizeof(out), 0);
	CHECK(strcmp(out + n - 3, "...") == 0);
	CHECK((n - 3) % 4 == 0);
}

static void
test_json(void)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct json j;

	json_init(&j, f);
	json_open(&j, NULL, '{');
	json_str(&j, "a", "q\"b\\s\n\001\xff");
	json_int(&j, "n", -5);
	json_open(&j, "list", '[');
	json_bool(&j, NULL, 1);
	json_null(&j, NULL);
	json_close(&j, ']');
	json_open(&j, "empty", '{');
	json_close(&j, '}');
	json_close(&j, '}');
	fclose(f);
	CHECK(strstr(buf, "\"a\": \"q\\\"b\\\\s\\n\\u0001\\ufffd\"") != NULL);
	CHECK(strstr(buf, "\"n\": -5,") != NULL);
	CHECK(strstr(buf, "true,\n") != NULL);
	CHECK(strstr(buf, "\"empty\": {}") != NULL);
	CHECK(buf[len - 2] == '}' && buf[len - 1] == '\n');
	free(buf);
}

int
main(void)
{
	test_sanitize();
	test_cut();
	test_json();
	return tap_done();
}
