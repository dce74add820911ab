/*
 * The pure parts of the OAuth2 token fetch: the bounded JSON reader,
 * the HTTP response parser (Content-Length, chunked, to the close, the
 * caps), the URL check, the request form and the reading of the token
 * endpoint's answers (Entra ID's and Google's, good and bad), with the
 * secrets kept out of every text shown.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"
#include "json_read.h"
#include "oauth2.h"
#include "secret.h"
#include "tap.h"

static const char *
member(const char *json, const char *key, enum json_type *t, enum sw_err *rc)
{
	static char out[64];
	struct sw_error e = { 0 };

	*rc = json_read_member(json, strlen(json), key, t, out, sizeof(out),
	    &e);
	return out;
}

static void
test_json(void)
{
	enum json_type t;
	enum sw_err rc;
	char deep[200];
	size_t i;

	CHECK_STR(member("{\"a\":\"x\",\"b\":2}", "a", &t, &rc), "x");
	CHECK(rc == SW_OK && t == JSON_STRING);
	CHECK_STR(member(" {\"a\":\"x\", \"b\" : -2.5e3 } \n", "b", &t, &rc),
	    "-2.5e3");
	CHECK(rc == SW_OK && t == JSON_NUMBER);
	CHECK_STR(member("{\"a\":{\"b\":\"in\"},\"b\":\"out\"}", "b", &t, &rc),
	    "out");
	CHECK_STR(member("{\"a\":[1,{\"b\":2}],\"c\":true}", "a", &t, &rc), "");
	CHECK(rc == SW_OK && t == JSON_ARRAY);
	member("{\"a\":1}", "zz", &t, &rc);
	CHECK(rc == SW_OK && t == JSON_NONE);
	CHECK_STR(member("{\"a\":\"q\\\"\\\\\\/\\n\\u00e9\\ud83d\\ude00\"}", "a",
	    &t, &rc), "q\"\\/\n\xc3\xa9\xf0\x9f\x98\x80");
	CHECK_STR(member("{\"a\":\"1\",\"a\":\"2\"}", "a", &t, &rc), "1");
	/* Not JSON, or not accepted. */
	member("[1]", "a", &t, &rc);
	CHECK(rc == SW_EPROTO && t == JSON_NONE);
	member("{\"a\":1", "a", &t, &rc);
	CHECK(rc == SW_EPROTO);
	member("{\"a\":1} x", "a", &t, &rc);
	CHECK(rc == SW_EPROTO);
	member("{\"a\":\"\\u0000\"}", "a", &t, &rc);
	CHECK(rc == SW_EPROTO);
	member("{\"a\":\"\\ud800\"}", "a", &t, &rc);
	CHECK(rc == SW_EPROTO);
	member("{\"a\":01}", "a", &t, &rc);
	CHECK(rc == SW_EPROTO);
	member("{\"a\":\"tab\there\"}", "a", &t, &rc);
	CHECK(rc == SW_EPROTO);
	member("{'a':1}", "a", &t, &rc);
	CHECK(rc == SW_EPROTO);
	member("{\"a\":\"0123456789012345678901234567890123456789012345678901"
	    "234567890123\"}", "a", &t, &rc);
	CHECK(rc == SW_EPROTO);		/* longer than the buffer: not cut */
	for (i = 0; i < 2 * JSON_READ_DEPTH + 1; i++)
		deep[i] = i < JSON_READ_DEPTH + 1 ? '[' : ']';
	deep[0] = '{';
	memcpy(deep + 1, "\"a\":", 4);
	memset(deep + 5, '[', JSON_READ_DEPTH);
	memset(deep + 5 + JSON_READ_DEPTH, ']', JSON_READ_DEPTH);
	strcpy(deep + 5 + 2 * JSON_READ_DEPTH, "}");
	member(deep, "a", &t, &rc);
	CHECK(rc == SW_EPROTO);		/* depth cap */
}

static int
parse(const char *wire, int eof, struct http_response *rs)
{
	struct sw_error e = { 0 };

	return http_response_parse(wire, strlen(wire), eof, rs, &e);
}

static void
test_http(void)
{
	struct http_response rs = { 0 };
	struct http_url u;
	struct sw_error e = { 0 };
	char *big;

	CHECK_INT(parse("HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nab", 0,
	    &rs), 0);
	CHECK_INT(parse("HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nabcdXX", 0,
	    &rs), 1);
	CHECK_STR(rs.body, "abcd");
	CHECK_INT(rs.status, 200);
	CHECK_INT(parse("HTTP/1.1 401 Unauthorized\r\nContent-Type: "
	    "application/json\r\nTransfer-Encoding: chunked\r\n\r\n3;x=1\r\n"
	    "{\"a\r\n4\r\n\":1}\r\n0\r\n\r\n", 0, &rs), 1);
	CHECK_STR(rs.body, "{\"a\":1}");
	CHECK_STR(rs.reason, "Unauthorized");
	CHECK_STR(rs.content_type, "application/json");
	CHECK_INT(parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
	    "3\r\nabc\r\n", 0, &rs), 0);
	CHECK_INT(parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
	    "3\r\nabc\r\n", 1, &rs), -1);
	CHECK_INT(parse("HTTP/1.0 200 OK\r\n\r\nto the close", 0, &rs), 0);
	CHECK_INT(parse("HTTP/1.0 200 OK\r\n\r\nto the close", 1, &rs), 1);
	CHECK_STR(rs.body, "to the close");
	CHECK_INT(parse("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 400 Bad\r\n"
	    "Content-Length: 2\r\n\r\n{}", 0, &rs), 1);
	CHECK_INT(rs.status, 400);
	CHECK_INT(parse("SSH-2.0-OpenSSH\r\n\r\n", 0, &rs), -1);
	CHECK_INT(parse("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-"
	    "Length: 2\r\n\r\nab", 0, &rs), -1);
	CHECK_INT(parse("HTTP/1.1 200 OK\r\nContent-Length: 99999999\r\n\r\n",
	    0, &rs), -1);
	CHECK_INT(parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n",
	    0, &rs), -1);
	CHECK_INT(parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
	    "zz\r\n", 0, &rs), -1);
	CHECK_INT(parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
	    "fffffffff\r\n", 0, &rs), -1);
	CHECK_INT(parse("", 1, &rs), -1);
	/* A head that never ends is cut at the cap. */
	big = malloc(HTTP_HEAD_MAX + 100);
	memset(big, 'x', HTTP_HEAD_MAX + 99);
	memcpy(big, "HTTP/1.1 200 OK\r\nX: ", 20);
	big[HTTP_HEAD_MAX + 99] = '\0';
	CHECK_INT(parse(big, 0, &rs), -1);
	free(big);
	http_response_free(&rs);

	CHECK(http_url_parse("https://login.microsoftonline.com/t/oauth2/v2.0/"
	    "token", &u, &e) == SW_OK && u.port == 443 &&
	    strcmp(u.path, "/t/oauth2/v2.0/token") == 0);
	CHECK(http_url_parse("https://localhost:8443", &u, &e) == SW_OK &&
	    u.port == 8443 && strcmp(u.path, "/") == 0 &&
	    strcmp(u.host, "localhost") == 0);
	CHECK(http_url_parse("http://localhost/token", &u, &e) == SW_EUSAGE);
	CHECK(http_url_parse("https://127.0.0.1/token", &u, &e) == SW_EUSAGE);
	CHECK(http_url_parse("https://u:p@host/token", &u, &e) == SW_EUSAGE);
	CHECK(http_url_parse("https://host:0/", &u, &e) == SW_EUSAGE);
	CHECK(http_url_parse("https://host/a b", &u, &e) == SW_EUSAGE);
}

/* 1 when s holds no C0 control character and no DEL. */
static int
no_controls(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 0;
	return 1;
}

static const char hostile[] = "{\"error\":\"invalid_grant\\u001b[2J"
    "\\u0007\\r\\n235 ok\",\"error_description\":\"AADSTS70008\\u001b]0;"
    "pwned\\u0007 expired\\n\"}";

static void
test_oauth2(void)
{
	struct oauth2_request rq = { .flow = OAUTH2_CLIENT_CREDENTIALS,
	    .client_id = "cid", .client_secret = "s&c=r+t %",
	    .scope = OAUTH2_MS_SCOPE_APP };
	struct oauth2_answer a;
	struct secret s, tok;
	struct sw_error e = { 0 };
	const char *ok = "{\"token_type\":\"Bearer\",\"expires_in\":3599,"
	    "\"access_token\":\"AT-1234567890\"}";
	const char *echo = "{\"error\":\"invalid_client\",\"error_description\":"
	    "\"AADSTS7000215: you sent s&c=r+t % and cid\"}";

	secret_init(&s);
	secret_init(&tok);
	CHECK(oauth2_form(&rq, &s, &e) == SW_OK);
	CHECK_STR(s.buf, "grant_type=client_credentials&client_id=cid&"
	    "client_secret=s%26c%3Dr%2Bt+%25&scope=https%3A%2F%2Foutlook."
	    "office365.com%2F.default");
	secret_clear(&s);
	rq.flow = OAUTH2_REFRESH_TOKEN;
	rq.refresh_token = "1//rt";
	rq.client_secret = NULL;
	rq.scope = NULL;
	CHECK(oauth2_form(&rq, &s, &e) == SW_OK);
	CHECK_STR(s.buf, "grant_type=refresh_token&refresh_token=1%2F%2Frt&"
	    "client_id=cid");
	secret_clear(&s);

	memset(&a, 0, sizeof(a));
	CHECK(oauth2_read_answer(&rq, 200, ok, strlen(ok), &tok, &a, &e) ==
	    SW_OK);
	CHECK(a.got_token && secret_held(&tok));
	CHECK_STR(tok.buf, "AT-1234567890");
	CHECK_INT(a.expires_in, 3599);
	CHECK_STR(a.token_type, "Bearer");
	secret_clear(&tok);

	rq.client_secret = "s&c=r+t %";
	memset(&a, 0, sizeof(a));
	CHECK(oauth2_read_answer(&rq, 401, echo, strlen(echo), &tok, &a, &e) ==
	    SW_OK);
	CHECK(!a.got_token && !secret_held(&tok));
	CHECK_STR(a.error, "invalid_client");
	CHECK(strstr(a.description, "AADSTS7000215") != NULL);
	CHECK(strstr(a.description, "s&c=r+t %") == NULL);	/* scrubbed */
	CHECK(strstr(a.description, "you sent ") != NULL);

	memset(&a, 0, sizeof(a));
	CHECK(oauth2_read_answer(&rq, 200, "{\"token_type\":\"Bearer\"}", 23,
	    &tok, &a, &e) == SW_OK);
	CHECK(!a.got_token && a.failure[0] != '\0');
	memset(&a, 0, sizeof(a));
	CHECK(oauth2_read_answer(&rq, 502, "<html>Bad gateway</html>", 24,
	    &tok, &a, &e) == SW_OK);
	CHECK(!a.got_token && strstr(a.failure, "JSON") != NULL);

	/* The error code and text reach the terminal and the JSON report:
	 * no control character of the server's survives (escapes,
	 * \r\n-forged lines, BEL). */
	memset(&a, 0, sizeof(a));
	CHECK(oauth2_read_answer(&rq, 400, hostile, strlen(hostile), &tok,
	    &a, &e) == SW_OK);
	CHECK(!a.got_token && strncmp(a.error, "invalid_grant", 13) == 0);
	CHECK(no_controls(a.error));
	CHECK(no_controls(a.description));
	CHECK(strchr(a.error, '\x1b') == NULL &&
	    strchr(a.description, '\a') == NULL);
}

int
main(void)
{
	test_json();
	test_http();
	test_oauth2();
	return tap_done();
}
