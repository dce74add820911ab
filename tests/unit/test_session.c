/*
 * The session and SMTP code over a scripted transport: a struct link
 * whose ops replay a recorded dialogue (the server's bytes, cut into
 * the reads the script says) and record what the client writes, so
 * that the error paths no well-behaved test server reaches are reached
 * without a socket: a reply cut by the server closing, a line without
 * an end, an over-long line, a code changing inside a reply, a reply of
 * too many lines, a greeting split inside its CRLF, a command with a
 * line break, bytes sent before the TLS handshake, and the transcript
 * of it all.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "session.h"
#include "tap.h"

/* The dialogue: each string is what one read() returns, in order. */
struct script {
	const char	*const *reads;
	size_t		 next;
	enum sw_err	 end;		/* after the last read: SW_ECLOSED */
	char		 sent[4096];	/* what the client wrote */
	size_t		 nsent;
};

static struct script *cur;		/* the one running (one thread) */

static enum sw_err
script_read(struct link *c, void *buf, size_t cap, size_t *got,
    struct sw_error *err)
{
	const char *chunk;
	size_t n;

	(void)c;
	*got = 0;
	if (cur->reads[cur->next] == NULL)
		return sw_fail(err, cur->end, "%s", cur->end == SW_ECLOSED ?
		    "connection closed by the server" : "timed out");
	chunk = cur->reads[cur->next++];
	n = strlen(chunk);
	if (n > cap)
		abort();		/* a script's reads fit the buffer */
	memcpy(buf, chunk, n);
	*got = n;
	return SW_OK;
}

static enum sw_err
script_write(struct link *c, const void *buf, size_t len,
    struct sw_error *err)
{
	(void)c;
	if (cur->nsent + len >= sizeof(cur->sent))
		return sw_fail(err, SW_EIO, "script: too much written");
	memcpy(cur->sent + cur->nsent, buf, len);
	cur->nsent += len;
	cur->sent[cur->nsent] = '\0';
	return SW_OK;
}

static void
script_close(struct link *c)
{
	(void)c;
}

static const struct link_ops script_ops = {
	.name = "script",
	.read = script_read,
	.write = script_write,
	.close = script_close,
};

/* The transcript, as the probes' note callback sees it. */
static char notes[8192];

static void
note(void *arg, const struct probe_note *n)
{
	size_t o = strlen(notes);

	(void)arg;
	snprintf(notes + o, sizeof(notes) - o, "%s%.*s\n",
	    n->kind == NOTE_SENT ? "C: " : n->kind == NOTE_RECEIVED ? "S: " :
	    n->kind == NOTE_TLS ? "TLS: " : "-- ", (int)n->len, n->text);
}

static struct settings set;
static struct probe_env env;

/* A session on script sc, as session_open() would leave it. */
static void
start(struct session *s, struct script *sc, const char *const *reads)
{
	memset(sc, 0, sizeof(*sc));
	sc->reads = reads;
	sc->end = SW_ECLOSED;
	cur = sc;
	notes[0] = '\0';
	session_attach(s, &env, -1);
	s->c.ops = &script_ops;
}

static void
test_split_greeting(void)
{
	static const char *const reads[] = { "22", "0 mx.example ESMTP\r",
	    "\n", NULL };
	struct session s;
	struct script sc;
	struct sw_error e = { 0 };

	start(&s, &sc, reads);
	CHECK_INT(session_reply(&s, &e), SW_OK);
	CHECK_INT(s.reply.code, 220);
	CHECK(strstr(notes, "S: 220 mx.example ESMTP\n") != NULL);
	session_close(&s);
	/* QUIT went out; its reply never came: the close does not care. */
	CHECK_STR(sc.sent, "QUIT\r\n");
}

static void
test_ehlo(void)
{
	static const char *const reads[] = { "250-mx.example\r\n250-PIPELINING"
	    "\r\n250-STARTTLS\r\n", "250 AUTH PLAIN LOGIN\r\n", NULL };
	struct session s;
	struct script sc;
	struct sw_error e = { 0 };
	struct smtp_caps caps;

	start(&s, &sc, reads);
	CHECK_INT(session_ehlo(&s, "client.example", &caps, &e), SW_OK);
	CHECK_STR(sc.sent, "EHLO client.example\r\n");
	CHECK_INT(s.reply.nlines, 4);
	CHECK_INT(caps.starttls, TRI_YES);
	CHECK(strstr(caps.mechanisms, "PLAIN") != NULL &&
	    strstr(caps.mechanisms, "LOGIN") != NULL);
	CHECK(strstr(notes, "C: EHLO client.example") != NULL);
	s.dead = 1;		/* no QUIT: the script has nothing for it */
	session_close(&s);
}

/* Replies the server breaks off or gets wrong: the error and its words. */
static void
test_broken_replies(void)
{
	static const struct {
		const char	*name;
		const char	*reads[4];
		enum sw_err	 rc;
		const char	*words;
	} cases[] = {
		{ "closed inside a line", { "250-mx.example\r\n250 AUT", NULL },
		  SW_ECLOSED, "in the middle of a line" },
		{ "closed after a continuation line", { "250-mx.example\r\n",
		  NULL }, SW_ECLOSED, "closed" },
		{ "closed before anything", { NULL }, SW_ECLOSED, "closed" },
		{ "a code changing inside the reply", { "250-mx.example\r\n"
		  "251 ok\r\n", NULL }, SW_EPROTO, "" },
		{ "not a reply line", { "hello there\r\n", NULL }, SW_EPROTO,
		  "" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct session s;
		struct script sc;
		struct sw_error e = { 0 };

		printf("# %s\n", cases[i].name);
		start(&s, &sc, cases[i].reads);
		CHECK_INT(session_command(&s, "EHLO c", &e), cases[i].rc);
		CHECK(strstr(sw_error_text(&e), cases[i].words) != NULL);
		CHECK(s.dead);		/* no QUIT on a broken dialogue */
		session_close(&s);
		CHECK_STR(sc.sent, "EHLO c\r\n");
	}
}

/* A line longer than SMTP_LINE_MAX, and a reply of too many lines. */
static void
test_limits(void)
{
	static char longline[SMTP_LINE_MAX + 64];
	static char many[SMTP_REPLY_LINES + 8][16];
	const char *reads1[] = { longline, NULL };
	const char *reads2[SMTP_REPLY_LINES + 10];
	struct session s;
	struct script sc;
	struct sw_error e = { 0 };
	size_t i;

	memset(longline, 'x', sizeof(longline) - 3);
	memcpy(longline, "250 ", 4);
	memcpy(longline + sizeof(longline) - 3, "\r\n", 3);
	start(&s, &sc, reads1);
	CHECK_INT(session_reply(&s, &e), SW_EPROTO);
	CHECK(strstr(sw_error_text(&e), "longer than") != NULL);
	session_close(&s);

	for (i = 0; i < SMTP_REPLY_LINES + 8; i++) {
		snprintf(many[i], sizeof(many[i]), "250-line %zu\r\n", i);
		reads2[i] = many[i];
	}
	reads2[i] = NULL;
	sw_error_clear(&e);
	start(&s, &sc, reads2);
	CHECK_INT(session_reply(&s, &e), SW_EPROTO);
	CHECK(strstr(sw_error_text(&e), "lines") != NULL);
	session_close(&s);
}

/* A command with a line break never goes out (command injection). */
static void
test_command_injection(void)
{
	static const char *const reads[] = { "250 ok\r\n", NULL };
	struct session s;
	struct script sc;
	struct sw_error e = { 0 };

	start(&s, &sc, reads);
	CHECK_INT(session_command(&s, "MAIL FROM:<a@b>\r\nRCPT TO:<c@d>", &e),
	    SW_EUSAGE);
	CHECK_STR(sc.sent, "");
	s.dead = 1;
	session_close(&s);
}

/* session_starttls() on a script: no TLS peer, so no handshake. */
static enum sw_err
starttls_on(const char *const *reads, struct script *sc, struct sw_error *e)
{
	struct session s;
	struct tls_params tp = { 0 };
	struct tls_info ti;
	enum sw_err rc;

	memset(&ti, 0, sizeof(ti));
	tp.sni = "mx.example";
	start(&s, sc, reads);
	rc = session_starttls(&s, &tp, &ti, e);
	s.dead = 1;
	session_close(&s);
	return rc;
}

/*
 * RFC 3207 §6: bytes after the 220 to STARTTLS, before the handshake,
 * could be injected plain text: they are noted and dropped, never read
 * as the first protected reply.
 */
static void
test_starttls_injection(void)
{
	static const char *const reads[] = { "220 go ahead\r\n250 injected\r\n",
	    NULL };
	struct script sc;
	struct sw_error e = { 0 };

	CHECK(starttls_on(reads, &sc, &e) != SW_OK);	/* no TLS peer */
	CHECK(strstr(notes, "discarded bytes the server sent before the TLS "
	    "handshake") != NULL);
	CHECK(strstr(notes, "S: 250 injected") == NULL);
	CHECK(strncmp(sc.sent, "STARTTLS\r\n", 10) == 0);
}

/* STARTTLS refused: the reply code is the error, no handshake. */
static void
test_starttls_refused(void)
{
	static const char *const reads[] = { "454 4.7.0 TLS not available\r\n",
	    NULL };
	struct script sc;
	struct sw_error e = { 0 };

	CHECK_INT(starttls_on(reads, &sc, &e), SW_EPROTO);
	CHECK(strstr(sw_error_text(&e), "454") != NULL);
	CHECK_STR(sc.sent, "STARTTLS\r\n");
}

int
main(void)
{
	if (settings_init(&set, MAIL_LIB_JAVAMAIL16) != SW_OK)
		return 1;
	probe_env_init(&env, &set);
	env.note = note;
	test_split_greeting();
	test_ehlo();
	test_broken_replies();
	test_limits();
	test_command_injection();
	test_starttls_injection();
	test_starttls_refused();
	settings_free(&set);
	return tap_done();
}
