/*
 * Step 5's AUTH exchanges: the session opened the way Java connects,
 * one mechanism (PLAIN, LOGIN, CRAM-MD5, XOAUTH2) tried and recorded
 * as an auth_attempt, and the other mechanisms the server offers when
 * Java's fails.  What is tried when is decided in auth_probe.c, what
 * the answers mean in auth_judge.c.
 *
 * Credentials: every line that carries them is written with the
 * transcript hook unplugged and a redacted line logged in its place
 * ("AUTH PLAIN <redacted>", or "\1" -- see transcript.c); every other
 * line of the session, both ways, passes scrub_log(), which replaces a
 * line that echoes the password (as it is or in base64) by a notice.
 * The buffers that held them are wiped (secret_wipe()).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "explain.h"
#include "probe.h"
#include "auth_int.h"
#include "sanitize.h"
#include "sasl.h"
#include "secret.h"
#include "session.h"
#include "tls.h"

#define AUTH_ALT_MAX	2		/* other mechanisms tried at most */
#define AUTH_LINE_MAX	(3 * SECRET_MAX + 1024)	/* an XOAUTH2 line */

/* ---- the transcript, with credentials kept out ---- */

/* A "NNN-" line: more of the reply follows. */
static int
continued(const char *t, size_t len)
{
	return len >= 4 && isdigit((unsigned char)t[0]) &&
	    isdigit((unsigned char)t[1]) && isdigit((unsigned char)t[2]) &&
	    t[3] == '-' && memchr(t, '\n', len) == NULL;
}

/*
 * Logs the held lines and then text (NULL: none), redacting them all
 * when the reply they make up holds the secret, also cut over them.
 */
static void
flush_reply(struct auth_run *a, const char *text, size_t len)
{
	size_t cap = a->held_len + len + 1, o = a->held_len, i, start;
	char *join = malloc(cap);
	int leak;

	if (join != NULL) {
		memcpy(join, a->held, a->held_len);
		if (text != NULL) {
			memcpy(join + o, text, len);
			o += len;
		} else if (o > 0)
			o--;		/* the last '\n' */
	}
	leak = join == NULL || sasl_leaks_reply(join, o, a->pass);
	if (join != NULL) {
		secret_wipe(join, cap);
		free(join);
	}
	for (i = start = 0; i < a->held_len; i++) {
		if (a->held[i] != '\n')
			continue;
		if (leak)
			a->log(a->log_arg, LINK_IN, AUTH_REDACTED,
			    sizeof(AUTH_REDACTED) - 1);
		else
			a->log(a->log_arg, LINK_IN, a->held + start,
			    i - start);
		start = i + 1;
	}
	secret_wipe(a->held, a->held_len);
	a->held_len = 0;
	if (text == NULL)
		return;
	if (leak)
		a->log(a->log_arg, LINK_IN, AUTH_REDACTED,
		    sizeof(AUTH_REDACTED) - 1);
	else
		a->log(a->log_arg, LINK_IN, text, len);
}

/*
 * The transcript below the scrubber.  Server lines of a multi-line
 * reply are held back until its last line, so that an echo of the
 * password is looked for in the whole reply (on the raw bytes, before
 * any sanitising); a reply longer than AUTH_HELD_MAX is checked in
 * parts.
 */
static void
scrub_log(void *arg, enum link_dir dir, const char *text, size_t len)
{
	struct auth_run *a = arg;

	if (a->log == NULL)
		return;
	if (a->pass == NULL) {
		a->log(a->log_arg, dir, text, len);
		return;
	}
	if (dir == LINK_IN) {
		if (continued(text, len)) {
			if (a->held_len + len + 1 > sizeof(a->held))
				flush_reply(a, NULL, 0);
			if (len + 1 <= sizeof(a->held)) {
				memcpy(a->held + a->held_len, text, len);
				a->held_len += len;
				a->held[a->held_len++] = '\n';
				return;
			}
		}
		flush_reply(a, text, len);
		return;
	}
	if (a->held_len > 0)
		flush_reply(a, NULL, 0);
	if (sasl_leaks(text, len, a->pass))
		a->log(a->log_arg, dir, AUTH_REDACTED,
		    sizeof(AUTH_REDACTED) - 1);
	else
		a->log(a->log_arg, dir, text, len);
}

void
auth_scrub_plug(struct auth_run *a)
{
	a->log = a->s.c.log;
	a->log_arg = a->s.c.log_arg;
	a->s.c.log = scrub_log;
	a->s.c.log_arg = a;
}

/*
 * Sends one line that carries credentials and reads the reply: the
 * transcript gets shown instead of the line, and the buffer is wiped.
 */
static enum sw_err
secret_line(struct auth_run *a, const char *line, const char *shown,
    struct sw_error *err)
{
	struct session *s = &a->s;
	size_t n = strlen(line);
	char *buf;
	enum sw_err rc;

	if ((buf = malloc(n + 3)) == NULL)
		return sw_fail(err, SW_ENOMEM, "out of memory");
	memcpy(buf, line, n);
	memcpy(buf + n, "\r\n", 3);
	s->c.log = NULL;
	s->c.deadline = net_deadline(a->env->read_timeout_ms);
	rc = link_write(&s->c, buf, n + 2, err);
	s->c.log = scrub_log;
	secret_wipe(buf, n + 2);
	free(buf);
	if (rc == SW_OK) {
		scrub_log(a, LINK_OUT, shown, strlen(shown));
		rc = smtp_read_reply(&s->c, &s->reply, err);
	}
	s->dead |= rc != SW_OK;
	return rc;
}

/* ---- one mechanism ---- */

/* The reply's first line text after the code (a 334 challenge). */
static const char *
challenge(const struct smtp_reply *rp, char *buf, size_t cap)
{
	size_t len;
	const char *l = smtp_reply_line(rp, 0, &len);

	snprintf(buf, cap, "%.*s", l ? (int)len : 0, l ? l : "");
	return buf;
}

/* "*" cancels an exchange the server wants to go on with (RFC 4954). */
static enum sw_err
cancel_exchange(struct auth_run *a, struct sw_error *err)
{
	return session_command(&a->s, "*", err);
}

/* XOAUTH2's 334: base64 JSON saying why the token was refused. */
static void
xoauth2_error(const struct smtp_reply *rp, struct auth_attempt *at)
{
	unsigned char json[512];
	char text[600], tmp[512];
	size_t n;

	challenge(rp, text, sizeof(text));
	if (sasl_b64_decode(text, strlen(text), json, sizeof(json) - 1, &n,
	    NULL) != SW_OK)
		return;
	json[n] = '\0';
	sanitize((const char *)json, n, tmp, sizeof(tmp), 0);
	snprintf(at->detail, sizeof(at->detail), "%.250s", tmp);
}

static enum sw_err
exchange(struct auth_run *a, enum sasl_mech m, struct auth_attempt *at,
    char *b64, size_t cap, struct sw_error *err)
{
	struct session *s = &a->s;
	char *line = NULL, text[600];
	enum sw_err rc;

	switch (m) {
	case SASL_PLAIN:
	case SASL_XOAUTH2:
		rc = m == SASL_PLAIN ? sasl_plain(a->authzid, a->user,
		    a->pass, b64, cap, err) : sasl_xoauth2(a->user, a->pass,
		    b64, cap, err);
		if (rc != SW_OK)
			return rc;
		if ((line = malloc(cap + 32)) == NULL)
			return sw_fail(err, SW_ENOMEM, "out of memory");
		snprintf(line, cap + 32, "AUTH %s %s", sasl_mech_name(m), b64);
		rc = secret_line(a, line, m == SASL_PLAIN ?
		    "AUTH PLAIN <redacted>" : "AUTH XOAUTH2 <redacted>", err);
		secret_wipe(line, cap + 32);
		free(line);
		if (rc != SW_OK || s->reply.code != 334)
			return rc;
		if (m == SASL_PLAIN) {
			snprintf(at->detail, sizeof(at->detail), "the server "
			    "asked for more after PLAIN's initial response");
			return cancel_exchange(a, err);
		}
		/* The token was refused: an empty line gets the final 535. */
		xoauth2_error(&s->reply, at);
		auth_reply_format(&s->reply, at->java_sees,
		    sizeof(at->java_sees));
		return session_command(s, "", err);
	case SASL_LOGIN:
		rc = session_command(s, "AUTH LOGIN", err);
		if (rc != SW_OK || s->reply.code != 334)
			return rc;
		sasl_b64_encode(a->user, strlen(a->user), b64, cap);
		rc = secret_line(a, b64, "\001", err);
		if (rc != SW_OK || s->reply.code != 334)
			return rc;
		sasl_b64_encode(a->pass, strlen(a->pass), b64, cap);
		return secret_line(a, b64, "\001", err);
	case SASL_CRAM_MD5:
		rc = session_command(s, "AUTH CRAM-MD5", err);
		if (rc != SW_OK || s->reply.code != 334)
			return rc;
		rc = sasl_cram_md5(a->user, a->pass, challenge(&s->reply, text,
		    sizeof(text)), b64, cap, err);
		if (rc == SW_EPROTO || rc == SW_ETLS) {
			snprintf(at->detail, sizeof(at->detail), "%s",
			    sw_error_text(err));
			sw_error_clear(err);
			return cancel_exchange(a, err);
		}
		if (rc != SW_OK)
			return rc;
		return secret_line(a, b64, "\001", err);
	default:
		return sw_fail(err, SW_EUSAGE, "smtpwiz cannot try %s",
		    sasl_mech_name(m));
	}
}

/*
 * Tries mechanism m on the open session and records the attempt.  An
 * I/O failure is recorded too (code 0, detail) and returned.
 */
enum sw_err
auth_try(struct auth_run *a, enum sasl_mech m, int java_choice,
    struct auth_attempt **out, struct sw_error *err)
{
	struct auth_data *d = a->d;
	struct auth_attempt *at;
	struct sw_error e = { 0 };
	const struct explain_entry *x;
	size_t cap = AUTH_LINE_MAX;
	char *b64;
	enum sw_err rc;

	*out = NULL;
	if (d->nattempts >= AUTH_ATTEMPTS_MAX)
		return sw_fail(err, SW_EUSAGE, "too many AUTH attempts");
	at = &d->attempts[d->nattempts++];
	memset(at, 0, sizeof(*at));
	*out = at;
	snprintf(at->mech, sizeof(at->mech), "%s", sasl_mech_name(m));
	at->java_choice = java_choice;
	probe_progress(a->env, "AUTH %s as %s", at->mech, a->user);
	if ((b64 = malloc(cap)) == NULL)
		return sw_fail(err, SW_ENOMEM, "out of memory");
	smtp_reply_free(&a->s.reply);
	rc = exchange(a, m, at, b64, cap, &e);
	secret_wipe(b64, cap);
	free(b64);
	if (rc != SW_OK) {
		sanitize_str(sw_error_text(&e), at->detail,
		    sizeof(at->detail), 0);
		if (at->code == 0)
			snprintf(at->reply, sizeof(at->reply), "[EOF]");
		return sw_fail(err, rc, "%s", sw_error_text(&e));
	}
	at->code = a->s.reply.code;
	at->ok = at->code == 235;
	snprintf(at->enhanced, sizeof(at->enhanced), "%s",
	    a->s.reply.enhanced);
	auth_reply_format(&a->s.reply, at->reply, sizeof(at->reply));
	/* A server may echo what it got: such text is not kept.  The raw
	 * reply is checked (the lines joined, before sanitising turns a
	 * TAB into a space or drops an inserted escape), then what was
	 * made of it. */
	if (a->pass != NULL && a->s.reply.text != NULL &&
	    sasl_leaks_reply(a->s.reply.text, a->s.reply.len, a->pass)) {
		snprintf(at->reply, sizeof(at->reply), "%d %s", at->code,
		    AUTH_REDACTED);
		snprintf(at->detail, sizeof(at->detail), "%s", AUTH_REDACTED);
	}
	if (sasl_leaks(at->reply, strlen(at->reply), a->pass))
		snprintf(at->reply, sizeof(at->reply), "%d %s", at->code,
		    AUTH_REDACTED);
	if (sasl_leaks(at->detail, strlen(at->detail), a->pass))
		snprintf(at->detail, sizeof(at->detail), "%s", AUTH_REDACTED);
	if (sasl_leaks(at->java_sees, strlen(at->java_sees), a->pass))
		snprintf(at->java_sees, sizeof(at->java_sees), "334 %s",
		    AUTH_REDACTED);
	if (!at->ok && a->db != NULL && (x = explain_reply(a->db, at->code,
	    at->enhanced, at->reply)) != NULL)
		snprintf(at->explain_id, sizeof(at->explain_id), "%s", x->id);
	return SW_OK;
}

/* ---- the session ---- */

static enum sw_err
open_plain(struct auth_run *a, struct sw_error *err)
{
	char name[256];
	const char *src;
	enum sw_err rc;

	rc = session_open(&a->s, a->env, a->host, a->port, err);
	if (rc != SW_OK)
		return rc;
	if ((rc = session_reply(&a->s, err)) != SW_OK)
		return rc;
	if (a->s.reply.code != 220)
		return sw_fail(err, SW_EPROTO, "the server greeted with %d "
		    "instead of 220", a->s.reply.code);
	session_ehlo_name(a->env->set, name, sizeof(name), &src);
	rc = session_ehlo(&a->s, name, &a->caps, err);
	if (rc == SW_OK && a->s.reply.code != 250)
		return sw_fail(err, SW_EPROTO, "the server answered EHLO "
		    "with %d", a->s.reply.code);
	return rc;
}

/* Connects as Java would; the EHLO after TLS fills a->caps. */
enum sw_err
auth_open_session(struct auth_run *a, struct sw_error *err)
{
	struct tls_params tp;
	struct tls_info ti;
	uint16_t lo, hi;
	enum sw_err rc;

	smtp_caps_unknown(&a->caps);
	a->beyond_build = 0;
	if (a->mode == MODE_PLAIN)
		rc = open_plain(a, err);
	else {
		memset(&tp, 0, sizeof(tp));
		memset(&ti, 0, sizeof(ti));
		tp.sni = a->host;
		probe_progress(a->env, "connecting to %s:%u for AUTH",
		    a->host, a->port);
		rc = session_open_secure(&a->s, a->env, a->host, a->port,
		    a->mode, &tp, &ti, &a->caps, err);
		/* Refused every version this build has, and it lacks 1.3. */
		tls_library_range(&lo, &hi);
		a->beyond_build = rc == SW_ETLS && hi < TLS_V13 &&
		    ti.failure == TLS_FAIL_VERSION;
		tls_info_free(&ti);
	}
	if (rc != SW_OK) {
		session_close(&a->s);
		return rc;
	}
	auth_scrub_plug(a);
	return SW_OK;
}

/* ---- the other mechanisms ---- */

static int
already_tried(const struct auth_data *d, const char *mech)
{
	size_t i;

	for (i = 0; i < d->nattempts; i++)
		if (strcmp(d->attempts[i].mech, mech) == 0)
			return 1;
	return 0;
}

/*
 * The other mechanisms the server offers that smtpwiz can do, in
 * Java's order, password ones only (a token is no password), at most
 * AUTH_ALT_MAX; stops at the first that works, and when one is refused
 * exactly as first (Java's attempt, may be NULL) was.
 */
enum sw_err
auth_try_others(struct auth_run *a, const struct auth_attempt *first,
    struct sw_error *err)
{
	static const enum sasl_mech order[] = {
		SASL_LOGIN, SASL_PLAIN, SASL_CRAM_MD5 };
	struct auth_attempt *at;
	struct sw_error e;
	size_t i;
	int n = 0;
	enum sw_err rc;

	for (i = 0; i < sizeof(order) / sizeof(order[0]) &&
	    n < AUTH_ALT_MAX; i++) {
		const char *name = sasl_mech_name(order[i]);

		if (!sasl_offered(a->caps.mechanisms, name) ||
		    already_tried(a->d, name))
			continue;
		sw_error_clear(&e);
		if (a->s.dead || !a->s.open) {
			session_close(&a->s);
			rc = auth_open_session(a, &e);
			if (rc == SW_ECANCEL)
				return sw_fail(err, rc, "%s",
				    sw_error_text(&e));
			if (rc != SW_OK)
				return SW_OK;
		}
		rc = auth_try(a, order[i], 0, &at, &e);
		n++;
		if (rc == SW_ECANCEL || rc == SW_ENOMEM || at == NULL)
			return sw_fail(err, rc, "%s", sw_error_text(&e));
		if (rc == SW_OK && at->ok) {
			snprintf(a->d->working_mech,
			    sizeof(a->d->working_mech), "%s", name);
			break;
		}
		/* Refused the same way: the credentials, not the mechanism. */
		if (rc == SW_OK && first != NULL && at->code == first->code &&
		    strcmp(at->enhanced, first->enhanced) == 0)
			break;
	}
	return SW_OK;
}
