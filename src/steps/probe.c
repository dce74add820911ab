/*
 * The dispatcher: the target a step probes (finding it out first when
 * nobody named the connection type), running the step's row of the
 * table (step.c), and the notes a probe sends its caller.  The findings
 * list is finding.c's.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "probe.h"

enum smtp_mode
settings_mode(const struct settings *set)
{
	/* SocketFetcher: an SSL socketFactory.class is TLS from the start. */
	if (settings_bool(set, "mail.smtp.ssl.enable") ||
	    settings_socket_factory_ssl(set))
		return MODE_SSL;
	if (settings_bool(set, "mail.smtp.starttls.enable") ||
	    settings_bool(set, "mail.smtp.starttls.required"))
		return MODE_STARTTLS;
	return MODE_PLAIN;
}

void
settings_target(const struct settings *set, struct settings_target *t)
{
	const char *p = settings_effective(set, "mail.smtp.port");
	const char *h = settings_get(set, "mail.smtp.host");

	snprintf(t->host, sizeof(t->host), "%s", h ? h : "");
	t->port = p ? (unsigned)strtoul(p, NULL, 10) : 25;
	t->mode = settings_mode(set);
}

int
step1_same_target(const struct step_result *s1, const char *host,
    unsigned port)
{
	return s1 != NULL && strcmp(s1->d.conn.host, host) == 0 &&
	    s1->d.conn.port == port;
}

void
probe_env_init(struct probe_env *env, const struct settings *set)
{
	memset(env, 0, sizeof(*env));
	env->set = set;
	env->cancel_fd = -1;
	env->connect_timeout_ms = 10000;
	env->read_timeout_ms = 30000;
}

/* Step 1's result, when it is for the host and port the settings name. */
static const struct step_result *
step1_for(const struct probe_env *env, const char *host, unsigned port)
{
	const struct step_result *s1 = env->prev[STEP_CONN - 1];

	return step1_same_target(s1, host, port) ? s1 : NULL;
}

static void
target_named(const struct probe_env *env, char *host, size_t cap,
    unsigned *port)
{
	struct settings_target t;

	settings_target(env->set, &t);
	snprintf(host, cap, "%s", t.host);
	*port = t.port;
}

int
probe_target(const struct probe_env *env, char *host, size_t cap,
    unsigned *port, enum smtp_mode *mode, const char **why)
{
	const struct step_result *s1;

	target_named(env, host, cap, port);
	*mode = settings_mode(env->set);
	*why = NULL;
	s1 = step1_for(env, host, *port);
	if (s1 == NULL)
		return host[0] != '\0';
	*port = s1->d.conn.port;
	if (s1->d.conn.detected_mode != MODE_UNKNOWN)
		*mode = s1->d.conn.detected_mode;
	else {
		*why = env->target != NULL ? env->target->why :
		    "step 1 could not talk SMTP to the server";
		return 0;
	}
	return 1;
}

/* What a step 1 found, as the target a later step records. */
static void
target_from_step1(struct target_info *t, const struct step_result *s1)
{
	const struct conn_data *d = &s1->d.conn;
	size_t i;

	memset(t, 0, sizeof(*t));
	t->source = TARGET_DETECTED;
	snprintf(t->host, sizeof(t->host), "%s", d->host);
	t->port = d->port;
	t->mode = d->detected_mode;
	if (d->used_addr != NULL)
		snprintf(t->addr, sizeof(t->addr), "%s", d->used_addr);
	for (i = 0; i < s1->nfindings && t->mode == MODE_UNKNOWN; i++)
		if (s1->findings[i].sev == SEV_FAIL) {
			snprintf(t->why, sizeof(t->why), "port %u was probed "
			    "first to find out what it speaks, and that failed "
			    "(%s)", d->port, s1->findings[i].id);
			return;
		}
	if (t->mode == MODE_UNKNOWN)
		snprintf(t->why, sizeof(t->why), "port %u was probed first "
		    "to find out what it speaks, and it did not speak SMTP",
		    d->port);
}

/*
 * The reverse, for a step that needs only the connection type and the
 * address (2, 3, 4): a step 1 result that holds just those.  Step 5
 * reads step 1's capabilities too, so it finds out for itself.
 */
static void
step1_from_target(struct step_result *s1, const struct target_info *t)
{
	struct conn_data *d = &s1->d.conn;

	s1->step = STEP_CONN;
	s1->verdict = VERDICT_PASS;
	snprintf(d->host, sizeof(d->host), "%s", t->host);
	d->port = t->port;
	d->detected_mode = t->mode;
	d->naddrs = 1;
	snprintf(d->addrs[0].text, sizeof(d->addrs[0].text), "%s", t->addr);
	d->used_addr = t->addr[0] ? d->addrs[0].text : NULL;
}

/* What an earlier step of this run found out about host:port. */
static const struct target_info *
target_cached(const struct probe_env *env, const char *host, unsigned port)
{
	int i;

	for (i = STEP_CERT; i <= STEP_COUNT; i++) {
		const struct step_result *p = env->prev[i - 1];

		if (p != NULL && p->target.source == TARGET_DETECTED &&
		    strcmp(p->target.host, host) == 0 &&
		    p->target.port == port)
			return &p->target;
	}
	return NULL;
}

/*
 * A later step alone (check --steps 2 or 3-4, a jump from the error
 * decoder) first finds out what the port speaks, as step 1 does,
 * rather than take plain SMTP for a connection type nobody named --
 * once per run:
 * the steps after it reuse what it found (res->target).  Returns the
 * step 1 result the step should see (the caller frees it), or NULL
 * when the real step 1's result is there.
 */
static enum sw_err
find_out_first(const struct probe_env *env, enum step s,
    struct step_result *res, struct step_result **s1p, struct sw_error *err)
{
	const struct target_info *t;
	struct step_result *s1;
	struct sw_error e1 = { 0 };
	char host[256];
	unsigned port;
	enum sw_err rc;

	*s1p = NULL;
	target_named(env, host, sizeof(host), &port);
	/* A type the settings name (--mode, ssl.enable, starttls.enable)
	 * is probed as named: steps 3-4 then cost only their hellos. */
	if (host[0] == '\0' || step1_for(env, host, port) != NULL ||
	    settings_get(env->set, "mail.smtp.ssl.enable") != NULL ||
	    settings_get(env->set, "mail.smtp.starttls.enable") != NULL)
		return SW_OK;
	if ((s1 = calloc(1, sizeof(*s1))) == NULL)
		return sw_fail(err, SW_ENOMEM, "out of memory");
	t = s != STEP_AUTH ? target_cached(env, host, port) : NULL;
	if (t != NULL) {
		res->target = *t;
		step1_from_target(s1, t);
		*s1p = s1;
		return SW_OK;
	}
	rc = conn_probe(env, s1, &e1);
	if (rc == SW_ECANCEL) {
		free(s1);
		return sw_fail(err, rc, "%s", e1.msg);
	}
	if (rc != SW_OK) {
		free(s1);
		return SW_OK;	/* no host: probe_target() says so */
	}
	target_from_step1(&res->target, s1);
	*s1p = s1;
	return SW_OK;
}

enum sw_err
probe_step(enum step s, const struct probe_env *env, struct step_result *res,
    struct sw_error *err)
{
	struct probe_env own = *env;
	struct step_result *s1 = NULL;
	char host[256];
	unsigned port;
	enum smtp_mode mode;
	const char *why;
	enum sw_err rc;

	memset(res, 0, sizeof(*res));
	res->step = s;
	if (s < 1 || s > STEP_COUNT)
		return sw_fail(err, SW_EUSAGE, "no step %d", (int)s);
	own.target = NULL;
	if (s > STEP_CONN) {
		if ((rc = find_out_first(env, s, res, &s1, err)) != SW_OK)
			return rc;
		if (s1 != NULL) {
			own.prev[STEP_CONN - 1] = s1;
			own.target = &res->target;
		}
		if (!probe_target(&own, host, sizeof(host), &port, &mode,
		    &why)) {
			res->verdict = VERDICT_SKIPPED;
			snprintf(res->skip_reason, sizeof(res->skip_reason),
			    "skipped: %s", why ? why : "no host");
			free(s1);
			return SW_OK;
		}
	}
	rc = step_def(s)->probe(&own, res, err);
	if (s > STEP_CONN && res->target.source == TARGET_NONE) {
		res->target.source = TARGET_STEP1;
		snprintf(res->target.host, sizeof(res->target.host), "%s",
		    host);
		res->target.port = port;
		res->target.mode = mode;
	}
	free(s1);
	return rc;
}

void
probe_note(const struct probe_env *env, enum probe_note_kind kind,
    const char *text, size_t len)
{
	struct probe_note n;

	if (env->note == NULL)
		return;
	n.kind = kind;
	n.text = text;
	n.len = len;
	env->note(env->arg, &n);
}

void
probe_progress(const struct probe_env *env, const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	if (env->note == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	probe_note(env, NOTE_PROGRESS, buf, strlen(buf));
}
