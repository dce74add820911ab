/*
 * Step 5: authentication, written straight through (msmtp_serverinfo()
 * style):
 *   1. the AUTH mechanisms before and after TLS (step 1's EHLO replies
 *      when it ran); AUTH offered without TLS is flagged;
 *   2. no user, no password, or no TLS without --allow-plaintext-auth:
 *      stop and say why (results "skipped", "refused-plaintext");
 *   3. a session opened the way Java connects (session_open_secure);
 *   4. the mechanism Java would choose (sasl_java_choice()) is tried;
 *   5. when it fails, or cannot be tried, up to AUTH_ALT_MAX other
 *      mechanisms the server offers -- each failed login counts towards
 *      the server's lockout, so no more -- and the one that works is
 *      suggested as mail.smtp.auth.mechanisms;
 *   6. the test message, when --mail-from and --rcpt-to ask for it.
 *
 * Credentials: every line that carries them is written with the
 * transcript hook unplugged and a redacted line logged in its place
 * ("AUTH PLAIN <redacted>", or "\1" -- see transcript.c); every other
 * line of the session, both ways, passes scrub_log(), which replaces a
 * line that echoes the password (as it is or in base64) by a notice.
 * The buffers that held them are wiped (secret_wipe()).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "explain.h"
#include "json.h"
#include "mail_test.h"
#include "probe.h"
#include "sanitize.h"
#include "sasl.h"
#include "secret.h"
#include "session.h"

#define AUTH_ALT_MAX	2		/* other mechanisms tried at most */
#define AUTH_LINE_MAX	(3 * SECRET_MAX + 1024)	/* an XOAUTH2 line */

static const char redacted_line[] =
    "<line redacted: it holds the credentials>";

struct auth_run {
	const struct probe_env	*env;
	struct step_result	*r;
	struct auth_data	*d;
	struct explain_db	*db;		/* NULL: no decoder */
	char			 host[256];
	unsigned		 port;
	enum smtp_mode		 mode;
	const char		*user;
	const char		*pass;		/* NULL: none */
	const char		*authzid;	/* PLAIN's; Java: the user */
	struct session		 s;
	struct smtp_caps	 caps;		/* this session's, after TLS */
	conn_log_fn		 log;		/* the transcript, under us */
	void			*log_arg;
};

const char *
auth_result_name(enum auth_result r)
{
	switch (r) {
	case AUTH_OK:			return "ok";
	case AUTH_REJECTED:		return "rejected";
	case AUTH_REFUSED_PLAINTEXT:	return "refused-plaintext";
	case AUTH_UNSUPPORTED:		return "unsupported";
	default:			return "skipped";
	}
}

size_t
auth_reply_format(const struct smtp_reply *rp, char *buf, size_t cap)
{
	char line[600];
	const char *l;
	size_t i, len, o = 0;

	if (cap == 0)
		return 0;
	buf[0] = '\0';
	for (i = 0; (l = smtp_reply_line(rp, i, &len)) != NULL; i++) {
		sanitize(l, len, line, sizeof(line), 0);
		o += (size_t)snprintf(buf + o, cap - o, "%s%d%c%s",
		    i ? "\n" : "", rp->code, i + 1 < rp->nlines ? '-' : ' ',
		    line);
		if (o >= cap) {
			o = cap - 1;
			break;
		}
	}
	while (o > 0 && buf[o - 1] == ' ')	/* a bare "334 " */
		buf[--o] = '\0';
	return o;
}

/* ---- the transcript, with credentials kept out ---- */

static void
scrub_log(void *arg, enum conn_dir dir, const char *text, size_t len)
{
	struct auth_run *a = arg;

	if (a->log == NULL)
		return;
	if (a->pass != NULL && sasl_leaks(text, len, a->pass))
		a->log(a->log_arg, dir, redacted_line,
		    sizeof(redacted_line) - 1);
	else
		a->log(a->log_arg, dir, text, len);
}

static void
scrub_plug(struct auth_run *a)
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
	rc = conn_write(&s->c, buf, n + 2, err);
	s->c.log = scrub_log;
	secret_wipe(buf, n + 2);
	free(buf);
	if (rc == SW_OK) {
		scrub_log(a, CONN_OUT, shown, strlen(shown));
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
static enum sw_err
attempt(struct auth_run *a, enum sasl_mech m, int java_choice,
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
	/* A server may echo what it got: such text is not kept. */
	if (sasl_leaks(at->reply, strlen(at->reply), a->pass))
		snprintf(at->reply, sizeof(at->reply), "%d %s", at->code,
		    redacted_line);
	if (sasl_leaks(at->detail, strlen(at->detail), a->pass))
		snprintf(at->detail, sizeof(at->detail), "%s", redacted_line);
	if (sasl_leaks(at->java_sees, strlen(at->java_sees), a->pass))
		snprintf(at->java_sees, sizeof(at->java_sees), "334 %s",
		    redacted_line);
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
static enum sw_err
open_session(struct auth_run *a, struct sw_error *err)
{
	struct tls_params tp;
	struct tls_info ti;
	enum sw_err rc;

	smtp_caps_unknown(&a->caps);
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
		tls_info_free(&ti);
	}
	if (rc != SW_OK) {
		session_close(&a->s);
		return rc;
	}
	scrub_plug(a);
	return SW_OK;
}

/* ---- what step 1 saw, and AUTH in the clear ---- */

static void
mechanisms_seen(struct auth_run *a)
{
	const struct step_result *s1 = a->env->prev[STEP_CONNECTION - 1];
	struct auth_data *d = a->d;
	const struct conn_data *c;

	if (s1 == NULL || s1->verdict == VERDICT_SKIPPED)
		return;
	c = &s1->d.conn;
	if (a->mode != MODE_SSL && c->caps.auth != TRI_UNKNOWN) {
		d->auth_before = c->caps.auth;
		snprintf(d->mech_before, sizeof(d->mech_before), "%s",
		    c->caps.mechanisms);
	}
	if (a->mode != MODE_PLAIN && c->caps_tls.auth != TRI_UNKNOWN) {
		d->auth_after = c->caps_tls.auth;
		snprintf(d->mech_after, sizeof(d->mech_after), "%s",
		    c->caps_tls.mechanisms);
	}
}

/* The mechanisms that send the password itself (base64 is no cipher). */
static int
sends_password(const char *list)
{
	return sasl_offered(list, "PLAIN") || sasl_offered(list, "LOGIN") ||
	    sasl_offered(list, "XOAUTH2");
}

static void
flag_auth_in_clear(struct auth_run *a)
{
	struct auth_data *d = a->d;
	struct finding *f;
	const char *what;
	int weak;

	if (a->mode == MODE_SSL || d->auth_before == TRI_UNKNOWN) {
		d->auth_in_clear = a->mode == MODE_SSL ? TRI_NO : TRI_UNKNOWN;
		return;
	}
	d->auth_in_clear = d->auth_before == TRI_YES ? TRI_YES : TRI_NO;
	if (d->auth_before != TRI_YES)
		return;
	weak = sends_password(d->mech_before);
	what = weak ? "the password itself, readable by anyone on the path "
	    "(base64 is no encryption)" : "its login in clear text (a "
	    "challenge-response one, not the password itself)";
	if (a->mode == MODE_STARTTLS) {
		f = result_add(a->r, "auth-in-clear", weak ? SEV_WARN :
		    SEV_INFO, "The server offers AUTH (%s) before STARTTLS: a "
		    "client that does not insist on STARTTLS would send %s. "
		    "Keep mail.smtp.starttls.enable=true and require it; the "
		    "mail administrator should offer AUTH only after STARTTLS "
		    "(Postfix: smtpd_tls_auth_only=yes).", d->mech_before,
		    what);
		finding_suggest(f, "mail.smtp.starttls.enable", "true");
		finding_suggest(f, "mail.smtp.starttls.required", "true");
	} else
		result_add(a->r, "auth-in-clear", weak ? SEV_WARN : SEV_INFO,
		    "Port %u offers AUTH (%s) without any TLS: a client "
		    "logging in here sends %s. Use the server's submission "
		    "port with STARTTLS (587) or implicit TLS (465) if it has "
		    "one.", a->port, d->mech_before, what);
}

/* ---- findings ---- */

static const char *
exception_name(const struct auth_run *a)
{
	return a->env->set->lib == MAIL_LIB_ANGUS2 ?
	    "jakarta.mail.AuthenticationFailedException" :
	    "javax.mail.AuthenticationFailedException";
}

/* The first line of a formatted reply, for quoting in one sentence. */
static const char *
first_line(const char *reply, char *buf, size_t cap)
{
	snprintf(buf, cap, "%.*s", (int)strcspn(reply, "\n"), reply);
	return buf;
}

static void
found_ok(struct auth_run *a, const struct auth_attempt *at)
{
	struct finding *f;
	char line[300];

	f = result_add(a->r, "auth-ok", SEV_INFO, "Logged in as %s with %s, "
	    "the mechanism Java will use (%s).", a->d->user, at->mech,
	    first_line(at->reply, line, sizeof(line)));
	finding_suggest(f, "mail.smtp.auth", "true");
	finding_suggest(f, "mail.smtp.user", a->user);
}

/* Appends " text" to f's message when all of it still fits. */
static void
append_whole(struct finding *f, const char *sep, const char *text)
{
	size_t n;

	if (f == NULL || text == NULL || *text == '\0')
		return;
	n = strlen(f->message);
	if (n + strlen(sep) + strlen(text) < sizeof(f->message))
		snprintf(f->message + n, sizeof(f->message) - n, "%s%s", sep,
		    text);
}

static void
found_rejected(struct auth_run *a, const struct auth_attempt *at)
{
	const struct explain_entry *x = NULL;
	struct finding *f;
	char line[300], java[300];
	size_t i;

	if (at->code == 0) {
		result_add(a->r, "auth-rejected", SEV_FAIL, "The server "
		    "closed the connection during AUTH %s (%s). Java reports "
		    "\"%s: [EOF]\". Servers do this to an address after too "
		    "many failed logins (fail2ban and the like), or when the "
		    "port is not the one they take logins on.", at->mech,
		    at->detail, exception_name(a));
		return;
	}
	first_line(at->reply, line, sizeof(line));
	if (at->java_sees[0] != '\0') {
		/* XOAUTH2: Java stops at the 334 and quotes it. */
		f = result_add(a->r, "auth-rejected", SEV_FAIL, "The server "
		    "refused the OAuth2 access token of %s (XOAUTH2): %s. "
		    "Java reports \"%s: %.120s\".", a->d->user, at->detail,
		    exception_name(a), at->java_sees);
		append_whole(f, " ", "Status 401 means the token is expired, "
		    "revoked or lacks the scope named (Gmail "
		    "https://mail.google.com/, Microsoft 365 "
		    "https://outlook.office.com/SMTP.Send); 400 that the user "
		    "name does not match the token. Give a fresh access token "
		    "as the password.");
		return;
	}
	f = result_add(a->r, "auth-rejected", SEV_FAIL, "The server refused "
	    "the login of %s with %s: %s. Java reports \"%s: %s\".",
	    a->d->user, at->mech, line, exception_name(a), line);
	if (at->detail[0] != '\0') {
		snprintf(java, sizeof(java), "(%s.)", at->detail);
		append_whole(f, " ", java);
	}
	if (at->code == 530 && a->mode == MODE_PLAIN)
		append_whole(f, " ", "Java answers a 530 to AUTH by sending "
		    "STARTTLS and trying once more, which fails on a port "
		    "without STARTTLS.");
	if (a->db != NULL && at->explain_id[0] != '\0')
		x = explain_db_find(a->db, at->explain_id);
	if (f == NULL || x == NULL)
		return;
	/* Title and fix always; the cause when there is room. */
	append_whole(f, " ", x->title);
	append_whole(f, ". ", x->cause);
	append_whole(f, strchr(".!?", f->message[strlen(f->message) - 1]) ?
	    " Fix: " : ". Fix: ", x->fix);
	f->optin = 1;	/* the table's generic fix: the user decides */
	for (i = 0; i < x->nset; i++)
		finding_suggest(f, x->set[i].key, x->set[i].value);
}

static void
found_other_works(struct auth_run *a, const char *failed, const char *mech)
{
	struct finding *f;

	if (strcmp(mech, "CRAM-MD5") == 0) {
		f = result_add(a->r, "auth-other-mechanism-works", SEV_WARN,
		    "%s does not work here but CRAM-MD5 does. Java speaks "
		    "CRAM-MD5 only through the JDK's SASL support: set "
		    "mail.smtp.sasl.enable=true and "
		    "mail.smtp.sasl.mechanisms=CRAM-MD5.", failed);
		finding_suggest(f, "mail.smtp.sasl.enable", "true");
		finding_suggest(f, "mail.smtp.sasl.mechanisms", "CRAM-MD5");
	} else {
		f = result_add(a->r, "auth-other-mechanism-works", SEV_WARN,
		    "%s does not work here but %s does: set "
		    "mail.smtp.auth.mechanisms=%s so that Java uses it.",
		    failed, mech, mech);
		finding_suggest(f, "mail.smtp.auth.mechanisms", mech);
	}
	finding_suggest(f, "mail.smtp.auth", "true");
	finding_suggest(f, "mail.smtp.user", a->user);
}

/* Would another mechanism help after this failure? */
static int
worth_others(const struct auth_attempt *at)
{
	if (at->code == 0 || at->code == 421 || at->code == 454 ||
	    at->code == 432)
		return 0;	/* gone, busy, or broken on the server side */
	if (strcmp(at->enhanced, "5.7.139") == 0 ||
	    strcmp(at->enhanced, "5.7.14") == 0)
		return 0;	/* account policy: no mechanism changes it */
	if (at->code == 534 && strcasestr(at->reply, "weak") == NULL)
		return 0;	/* Gmail's "application-specific password" */
	return 1;
}

/* ---- trying ---- */

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
static enum sw_err
try_others(struct auth_run *a, const struct auth_attempt *first,
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
			rc = open_session(a, &e);
			if (rc == SW_ECANCEL)
				return sw_fail(err, rc, "%s",
				    sw_error_text(&e));
			if (rc != SW_OK)
				return SW_OK;
		}
		rc = attempt(a, order[i], 0, &at, &e);
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

static void
set_result(struct auth_run *a, enum auth_result res, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
set_result(struct auth_run *a, enum auth_result res, const char *fmt, ...)
{
	va_list ap;

	a->d->result = res;
	if (fmt == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(a->d->reason, sizeof(a->d->reason), fmt, ap);
	va_end(ap);
}

/* Logs in with Java's mechanism, then the others if that fails. */
static enum sw_err
log_in(struct auth_run *a, struct sw_error *err)
{
	struct auth_data *d = a->d;
	struct sasl_choice ch;
	struct auth_attempt *at = NULL;
	struct sw_error e = { 0 };
	enum sw_err rc;

	sasl_java_choice(a->env->set, a->caps.mechanisms, &ch);
	snprintf(d->java_mech, sizeof(d->java_mech), "%s", ch.name);
	snprintf(d->java_why, sizeof(d->java_why), "%s", ch.why);
	if (ch.mech == SASL_NONE) {
		set_result(a, AUTH_UNSUPPORTED, "no mechanism in common");
		result_add(a->r, "auth-no-common-mechanism", SEV_FAIL, "%s",
		    ch.why);
	} else if (!sasl_mech_testable(ch.mech)) {
		set_result(a, AUTH_UNSUPPORTED, "Java would use %s, which "
		    "smtpwiz cannot try", ch.name);
		result_add(a->r, "auth-mechanism-untested", SEV_WARN, "Java "
		    "would log in with %s, which smtpwiz cannot try (it does "
		    "PLAIN, LOGIN, CRAM-MD5 and XOAUTH2). %s", ch.name,
		    ch.why);
	} else {
		rc = attempt(a, ch.mech, 1, &at, &e);
		if (rc == SW_ECANCEL || rc == SW_ENOMEM || at == NULL)
			return sw_fail(err, rc, "%s", sw_error_text(&e));
		snprintf(d->mechanism, sizeof(d->mechanism), "%s", ch.name);
		d->code = at->code;
		snprintf(d->enhanced, sizeof(d->enhanced), "%s", at->enhanced);
		snprintf(d->reply, sizeof(d->reply), "%s", at->reply);
		if (at->ok) {
			set_result(a, AUTH_OK, NULL);
			found_ok(a, at);
			return SW_OK;
		}
		set_result(a, AUTH_REJECTED, "the server refused %s", ch.name);
		found_rejected(a, at);
		if (!worth_others(at))
			return SW_OK;
	}
	/* XOAUTH2's "password" is a token: no other mechanism takes it. */
	if (ch.mech == SASL_XOAUTH2)
		return SW_OK;
	rc = try_others(a, at, err);
	if (rc != SW_OK)
		return rc;
	if (d->working_mech[0] != '\0')
		found_other_works(a, ch.name[0] ? ch.name : "Java's choice",
		    d->working_mech);
	else if (d->nattempts > (at != NULL ? 1u : 0u)) {
		char list[128] = "";
		size_t i;

		for (i = at != NULL ? 1 : 0; i < d->nattempts; i++)
			snprintf(list + strlen(list), sizeof(list) -
			    strlen(list), "%s%s", list[0] ? ", " : "",
			    d->attempts[i].mech);
		result_add(a->r, "auth-other-mechanisms-refused", SEV_INFO,
		    "smtpwiz also tried %s, which the server offers too: "
		    "refused as well, so the user name or password (or the "
		    "account's right to use SMTP AUTH) is the problem, not "
		    "the mechanism.", list);
	}
	return SW_OK;
}

/* ---- the test message ---- */

static void
mail_skip(struct auth_data *d, const char *why)
{
	d->mail.result = MAIL_SKIPPED;
	snprintf(d->mail.reason, sizeof(d->mail.reason), "%s", why);
}

static void
mail_findings(struct auth_run *a)
{
	const struct mail_test *mt = &a->d->mail;
	const struct explain_entry *x = NULL;
	struct finding *f;
	char line[300];
	size_t i;

	switch (mt->result) {
	case MAIL_ACCEPTED:
		result_add(a->r, "mail-accepted", SEV_INFO, "The server "
		    "accepted the test message from <%s> to <%s>%s%s: %s.",
		    mt->from, mt->to, mt->queue_id[0] ? ", queue id " : "",
		    mt->queue_id, first_line(mt->reply, line, sizeof(line)));
		break;
	case MAIL_REJECTED:
		if (a->db != NULL)
			x = explain_reply(a->db, mt->code, mt->enhanced,
			    mt->reply);
		f = result_add(a->r, "mail-rejected", SEV_FAIL, "The server "
		    "refused the test message at %s: %s.", mt->stage,
		    first_line(mt->reply, line, sizeof(line)));
		if (f == NULL || x == NULL)
			break;
		append_whole(f, " ", x->title);
		append_whole(f, ". ", x->cause);
		append_whole(f, strchr(".!?", f->message[strlen(f->message) -
		    1]) ? " Fix: " : ". Fix: ", x->fix);
		for (i = 0; i < x->nset; i++)
			finding_suggest(f, x->set[i].key, x->set[i].value);
		break;
	case MAIL_FAILED:
		result_add(a->r, "mail-failed", SEV_WARN, "The test message "
		    "did not get through: %s.", mt->reason);
		break;
	case MAIL_SKIPPED:
		result_add(a->r, "mail-skipped", SEV_INFO, "No test message "
		    "was sent: %s.", mt->reason);
		break;
	default:
		break;
	}
}

static enum sw_err
send_mail(struct auth_run *a, const char *why_not, struct sw_error *err)
{
	const struct probe_opts *o = &a->env->opt;
	struct auth_data *d = a->d;
	struct sw_error e = { 0 };
	char server[300];
	enum sw_err rc;

	if (o->mail_from == NULL && o->rcpt_to == NULL)
		return SW_OK;
	if (o->mail_from == NULL || o->rcpt_to == NULL)
		mail_skip(d, "give both --mail-from and --rcpt-to");
	else if (mail_test_check_address(o->mail_from, &e) != SW_OK ||
	    mail_test_check_address(o->rcpt_to, &e) != SW_OK)
		mail_skip(d, sw_error_text(&e));
	else if (why_not != NULL)
		mail_skip(d, why_not);
	if (d->mail.result == MAIL_SKIPPED) {
		mail_findings(a);
		return SW_OK;
	}
	if (!a->s.open || a->s.dead) {
		session_close(&a->s);
		if ((rc = open_session(a, &e)) != SW_OK) {
			if (rc == SW_ECANCEL)
				return sw_fail(err, rc, "%s",
				    sw_error_text(&e));
			d->mail.result = MAIL_FAILED;
			snprintf(d->mail.reason, sizeof(d->mail.reason),
			    "no session: %s", sw_error_text(&e));
			mail_findings(a);
			return SW_OK;
		}
	}
	snprintf(server, sizeof(server), "%s:%u", a->host, a->port);
	rc = mail_test_run(&a->s, o->mail_from, o->rcpt_to, server, &d->mail,
	    &e);
	if (a->pass != NULL && sasl_leaks(d->mail.reply,
	    strlen(d->mail.reply), a->pass))
		snprintf(d->mail.reply, sizeof(d->mail.reply), "%d %s",
		    d->mail.code, redacted_line);
	if (rc == SW_ECANCEL || rc == SW_ENOMEM)
		return sw_fail(err, rc, "%s", sw_error_text(&e));
	mail_findings(a);
	return SW_OK;
}

/* ---- the step ---- */

static void
copy_caps(struct auth_run *a)
{
	struct auth_data *d = a->d;

	if (a->mode == MODE_PLAIN) {
		d->auth_before = a->caps.auth;
		snprintf(d->mech_before, sizeof(d->mech_before), "%s",
		    a->caps.mechanisms);
		if (result_find(a->r, "auth-in-clear") == NULL)
			flag_auth_in_clear(a);
	} else {
		d->auth_after = a->caps.auth;
		snprintf(d->mech_after, sizeof(d->mech_after), "%s",
		    a->caps.mechanisms);
	}
}

/* Everything up to the login; returns 0 when the step stops here. */
static int
preconditions(struct auth_run *a, const char **mail_why)
{
	const struct probe_env *env = a->env;
	struct auth_data *d = a->d;

	if (a->user == NULL || *a->user == '\0') {
		set_result(a, AUTH_SKIPPED, "no user name given "
		    "(mail.smtp.user): the login is not tested");
		*mail_why = NULL;	/* Java sends without logging in */
		return 0;
	}
	sanitize_str(a->user, d->user, sizeof(d->user), 0);
	if (a->pass == NULL) {
		set_result(a, AUTH_SKIPPED, "no password given for %s (in "
		    "batch mode: --password-file FILE, the %s variable, or a "
		    "terminal to be asked on)", d->user, SECRET_ENV);
		*mail_why = "Java does not connect without the password";
		return 0;
	}
	if (a->mode == MODE_PLAIN && !env->opt.allow_plaintext_auth) {
		set_result(a, AUTH_REFUSED_PLAINTEXT, "port %u has no TLS: "
		    "the password would cross the network readable by anyone "
		    "on the path", a->port);
		result_add(a->r, "auth-refused-plaintext", SEV_WARN, "Port %u "
		    "offers no TLS, so smtpwiz did not send the password of "
		    "%s: it would cross the network readable by anyone on the "
		    "path (Java would send it). Use a port with STARTTLS "
		    "(587) or implicit TLS (465); to test here anyway, give "
		    "--allow-plaintext-auth.", a->port, d->user);
		*mail_why = "the login was not tried";
		return 0;
	}
	return 1;
}

enum sw_err
probe_auth(const struct probe_env *env, struct step_result *r,
    struct sw_error *err)
{
	struct auth_run a;
	struct auth_data *d = &r->d.auth;
	struct sw_error e = { 0 };
	const char *why = NULL, *mail_why = NULL;
	enum sw_err rc = SW_OK;

	memset(&a, 0, sizeof(a));
	a.env = env;
	a.r = r;
	a.d = d;
	if (!probe_target(env, a.host, sizeof(a.host), &a.port, &a.mode,
	    &why)) {
		r->verdict = VERDICT_SKIPPED;
		snprintf(r->skip_reason, sizeof(r->skip_reason), "skipped: %s",
		    why ? why : "no host");
		return SW_OK;
	}
	d->mode = a.mode;
	mechanisms_seen(&a);
	flag_auth_in_clear(&a);
	a.user = settings_effective(env->set, "mail.smtp.user");
	a.pass = env->opt.password ? env->opt.password :
	    settings_get(env->set, "mail.smtp.password");
	a.authzid = settings_get(env->set, "mail.smtp.sasl.authorizationid");
	if (a.authzid == NULL)
		a.authzid = a.user;	/* as Java: authzid = user */
	if (explain_db_load(&a.db, NULL, &e) != SW_OK) {
		probe_progress(env, "replies not decoded: %s",
		    sw_error_text(&e));
		a.db = NULL;
	}
	sw_error_clear(&e);
	if (!preconditions(&a, &mail_why)) {
		rc = send_mail(&a, mail_why, err);
		goto out;
	}
	rc = open_session(&a, &e);
	if (rc != SW_OK) {
		if (rc == SW_ECANCEL) {
			sw_fail(err, rc, "%s", sw_error_text(&e));
			goto out;
		}
		set_result(&a, AUTH_SKIPPED, "smtpwiz could not open a "
		    "session to log in: %s", sw_error_text(&e));
		result_add(r, "auth-no-session", SEV_WARN, "smtpwiz could not "
		    "open a session to log in: %s.", sw_error_text(&e));
		rc = send_mail(&a, "no session", err);
		goto out;
	}
	copy_caps(&a);
	if (a.caps.auth != TRI_YES) {
		set_result(&a, AUTH_UNSUPPORTED, "the server offers no AUTH");
		result_add(r, "auth-not-offered", SEV_WARN, "The server offers "
		    "no AUTH %s. Java then does not log in at all, even with "
		    "mail.smtp.auth=true, and sends without authentication: "
		    "the server decides at MAIL FROM and RCPT TO. If it "
		    "needs a login, AUTH must be enabled on this port; if it "
		    "relays by address, no user is needed.",
		    a.mode == MODE_PLAIN ? "on this port" : "after TLS");
		rc = send_mail(&a, NULL, err);
		goto out;
	}
	if (a.mode == MODE_PLAIN)
		result_add(r, "auth-sent-in-clear", SEV_WARN, "As "
		    "--allow-plaintext-auth allowed, the credentials crossed "
		    "the network without TLS, readable by anyone on the path.");
	rc = log_in(&a, err);
	if (rc != SW_OK)
		goto out;
	if (d->result == AUTH_OK || d->working_mech[0] != '\0')
		rc = send_mail(&a, NULL, err);
	else
		rc = send_mail(&a, "the login failed, so Java would not get "
		    "as far as sending", err);
out:
	session_close(&a.s);
	explain_db_free(a.db);
	if (r->verdict == VERDICT_SKIPPED || d->result == AUTH_SKIPPED)
		snprintf(r->skip_reason, sizeof(r->skip_reason), "%s",
		    d->reason);
	return rc;
}

/* ---- rendering ---- */

/*
 * Prints text after a 14-column label and indent more columns, wrapped
 * at 78 columns, continuation lines indented the same.
 */
static void
text_wrapped(FILE *f, const char *label, int indent, const char *text)
{
	const char *p = text;
	size_t col = 0, width = 64 - (size_t)indent;

	fprintf(f, "  %-12s%*s", label, indent, "");
	while (*p != '\0') {
		size_t w = strcspn(p, " \n");

		if (col > 0 && col + 1 + w > width) {
			fprintf(f, "\n  %-12s%*s", "", indent, "");
			col = 0;
		} else if (col > 0) {
			fputc(' ', f);
			col++;
		}
		fwrite(p, 1, w, f);
		col += w;
		p += w;
		if (*p != '\0')
			p++;
	}
	fputc('\n', f);
}

static const char *
mech_list_text(enum tri auth, const char *list, const char *unknown)
{
	if (auth == TRI_UNKNOWN)
		return unknown;
	if (auth == TRI_NO || list[0] == '\0')
		return "no AUTH offered";
	return list;
}

static void
text_reply(FILE *f, const char *label, const char *mech, const char *reply)
{
	const char *p = reply;
	int first = 1;

	while (first || *p != '\0') {
		size_t n = strcspn(p, "\n");

		fprintf(f, "  %-12s%-9s %.*s\n", first ? label : "",
		    first ? mech : "", (int)n, p);
		first = 0;
		p += n;
		if (*p == '\n')
			p++;
	}
}

void
auth_data_text(FILE *f, const struct auth_data *d)
{
	const struct mail_test *mt = &d->mail;
	const char *p;
	char buf[700];
	size_t i;

	if (d->mode != MODE_SSL)
		fprintf(f, "  %-12s%s\n", d->mode == MODE_PLAIN ? "AUTH" :
		    "before TLS", mech_list_text(d->auth_before,
		    d->mech_before, "not seen (step 1 did not run)"));
	if (d->mode != MODE_PLAIN)
		fprintf(f, "  %-12s%s\n", d->mode == MODE_SSL ? "AUTH" :
		    "after TLS", mech_list_text(d->auth_after, d->mech_after,
		    "not seen"));
	if (d->user[0] != '\0')
		fprintf(f, "  %-12s%s\n", "user", d->user);
	if (d->java_why[0] != '\0')
		text_wrapped(f, "Java picks", 0, d->java_why);
	for (i = 0; i < d->nattempts; i++) {
		const struct auth_attempt *at = &d->attempts[i];

		text_reply(f, i ? "" : "tried", at->mech, at->reply);
		if (at->detail[0] != '\0')
			text_wrapped(f, "", 10, at->detail);
	}
	snprintf(buf, sizeof(buf), "%s%s%s%s%s", auth_result_name(d->result),
	    d->working_mech[0] ? " (" : "", d->working_mech,
	    d->working_mech[0] ? " works)" : "",
	    d->result != AUTH_OK && d->reason[0] ? ": " : "");
	if (d->result != AUTH_OK && d->reason[0] != '\0')
		strncat(buf, d->reason, sizeof(buf) - strlen(buf) - 1);
	text_wrapped(f, "result", 0, buf);
	if (mt->result == MAIL_NOT_REQUESTED)
		return;
	if (mt->result == MAIL_ACCEPTED || mt->result == MAIL_REJECTED)
		snprintf(buf, sizeof(buf), "%s: <%s> to <%s>%s%s",
		    mail_result_name(mt->result), mt->from, mt->to,
		    mt->result == MAIL_REJECTED ? ", at " : "",
		    mt->result == MAIL_REJECTED ? mt->stage : "");
	else
		snprintf(buf, sizeof(buf), "%s: %s",
		    mail_result_name(mt->result), mt->reason);
	text_wrapped(f, "test mail", 0, buf);
	for (p = mt->reply; *p != '\0';) {
		size_t n = strcspn(p, "\n");

		fprintf(f, "  %-12s%.*s\n", "", (int)n, p);
		p += n;
		if (*p == '\n')
			p++;
	}
	if (mt->queue_id[0] != '\0')
		fprintf(f, "  %-12s%s\n", "queue id", mt->queue_id);
}

static void
json_mech_list(struct json *j, const char *key, enum tri auth,
    const char *list)
{
	char buf[256], *save, *m;

	if (auth == TRI_UNKNOWN) {
		json_null(j, key);
		return;
	}
	snprintf(buf, sizeof(buf), "%s", auth == TRI_YES ? list : "");
	json_open(j, key, '[');
	for (m = strtok_r(buf, " ", &save); m != NULL;
	    m = strtok_r(NULL, " ", &save))
		json_str(j, NULL, m);
	json_close(j, ']');
}

static void
json_opt_str(struct json *j, const char *key, const char *v)
{
	if (v[0] == '\0')
		json_null(j, key);
	else
		json_str(j, key, v);
}

static void
json_mail(struct json *j, const struct mail_test *mt)
{
	json_open(j, "test_mail", '{');
	json_str(j, "result", mail_result_name(mt->result));
	if (mt->result != MAIL_NOT_REQUESTED) {
		json_opt_str(j, "from", mt->from);
		json_opt_str(j, "to", mt->to);
		json_opt_str(j, "stage", mt->stage);
		if (mt->code != 0)
			json_int(j, "code", mt->code);
		else
			json_null(j, "code");
		json_opt_str(j, "reply", mt->reply);
		json_opt_str(j, "queue_id", mt->queue_id);
		json_opt_str(j, "message_id", mt->message_id);
		json_opt_str(j, "reason", mt->reason);
	}
	json_close(j, '}');
}

void
auth_data_json(struct json *j, const struct auth_data *d)
{
	size_t i;

	/* "mechanisms": what Java chooses from (after TLS, if any). */
	if (d->mode == MODE_PLAIN)
		json_mech_list(j, "mechanisms", d->auth_before,
		    d->mech_before);
	else
		json_mech_list(j, "mechanisms", d->auth_after, d->mech_after);
	json_mech_list(j, "mechanisms_before_tls", d->mode == MODE_SSL ?
	    TRI_UNKNOWN : d->auth_before, d->mech_before);
	json_mech_list(j, "mechanisms_after_tls", d->mode == MODE_PLAIN ?
	    TRI_UNKNOWN : d->auth_after, d->mech_after);
	if (d->auth_in_clear == TRI_UNKNOWN)
		json_null(j, "auth_in_clear");
	else
		json_bool(j, "auth_in_clear", d->auth_in_clear == TRI_YES);
	json_str(j, "result", auth_result_name(d->result));
	json_opt_str(j, "reason", d->result == AUTH_OK ? "" : d->reason);
	json_opt_str(j, "user", d->user);
	json_opt_str(j, "java_mechanism", d->java_mech);
	json_opt_str(j, "java_choice", d->java_why);
	json_opt_str(j, "mechanism", d->mechanism);
	json_opt_str(j, "reply", d->reply);
	if (d->code != 0)
		json_int(j, "code", d->code);
	else
		json_null(j, "code");
	json_opt_str(j, "enhanced", d->enhanced);
	json_opt_str(j, "working_mechanism", d->working_mech);
	json_open(j, "attempts", '[');
	for (i = 0; i < d->nattempts; i++) {
		const struct auth_attempt *at = &d->attempts[i];

		json_open(j, NULL, '{');
		json_str(j, "mechanism", at->mech);
		json_bool(j, "java_choice", at->java_choice);
		json_bool(j, "ok", at->ok);
		if (at->code != 0)
			json_int(j, "code", at->code);
		else
			json_null(j, "code");
		json_opt_str(j, "enhanced", at->enhanced);
		json_opt_str(j, "reply", at->reply);
		json_opt_str(j, "detail", at->detail);
		json_opt_str(j, "decoded", at->explain_id);
		json_close(j, '}');
	}
	json_close(j, ']');
	json_mail(j, &d->mail);
}
