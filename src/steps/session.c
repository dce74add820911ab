/*
 * SMTP sessions for the probes: transcript wiring, timeouts, the
 * greeting/EHLO/STARTTLS steps.
 */
#include <netdb.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "session.h"

const char *
session_ehlo_name(const struct settings *set, char *buf, size_t cap,
    const char **source)
{
	struct addrinfo hints, *res = NULL;
	const char *v = settings_get(set, "mail.smtp.localhost");
	char host[256];

	if (v != NULL && *v != '\0') {
		*source = "mail.smtp.localhost";
		snprintf(buf, cap, "%s", v);
		return buf;
	}
	if (gethostname(host, sizeof(host)) != 0)
		snprintf(host, sizeof(host), "localhost");
	host[sizeof(host) - 1] = '\0';
	memset(&hints, 0, sizeof(hints));
	hints.ai_flags = AI_CANONNAME;
	if (strchr(host, '.') == NULL &&
	    getaddrinfo(host, NULL, &hints, &res) == 0 && res != NULL &&
	    res->ai_canonname != NULL && strchr(res->ai_canonname, '.')) {
		*source = "this host's FQDN";
		snprintf(buf, cap, "%s", res->ai_canonname);
	} else {
		*source = strchr(host, '.') ? "this host's FQDN" :
		    "this host's name, not fully qualified";
		snprintf(buf, cap, "%s", host);
	}
	if (res != NULL)
		freeaddrinfo(res);
	return buf;
}

static void
transcript(void *arg, enum link_dir dir, const char *text, size_t len)
{
	probe_note(arg, dir == LINK_IN ? NOTE_RECEIVED : dir == LINK_OUT ?
	    NOTE_SENT : NOTE_TLS, text, len);
}

void
session_attach(struct session *s, const struct probe_env *env, int fd)
{
	memset(s, 0, sizeof(*s));
	link_init_plain(&s->c, fd, env->cancel_fd);
	s->c.log = transcript;
	s->c.log_arg = (void *)(uintptr_t)env;
	s->env = env;
	s->open = 1;
	smtp_reply_init(&s->reply);
}

void
session_proxy(const struct probe_env *env, struct proxy *px)
{
	const struct settings *set = env->set;
	const char *h = settings_get(set, "mail.smtp.proxy.host");
	const char *port, *user = NULL;
	int http = h != NULL && *h != '\0';

	memset(px, 0, sizeof(*px));
	if (!http)
		h = settings_get(set, "mail.smtp.socks.host");
	if (h == NULL || *h == '\0')
		return;
	px->kind = http ? PROXY_HTTP : PROXY_SOCKS;
	snprintf(px->host, sizeof(px->host), "%s", h);
	port = settings_effective(set, http ? "mail.smtp.proxy.port" :
	    "mail.smtp.socks.port");
	px->port = port ? (unsigned)strtoul(port, NULL, 10) : 0;
	if (px->port == 0 || px->port > 65535)
		px->port = http ? 80 : 1080;
	user = http ? settings_get(set, "mail.smtp.proxy.user") :
	    env->opt.socks_user;
	if (user != NULL)
		snprintf(px->user, sizeof(px->user), "%s", user);
	px->password = env->opt.proxy_password;
	if (px->password == NULL && http)
		px->password = settings_get(set, "mail.smtp.proxy.password");
}

enum sw_err
session_resolve(const struct probe_env *env, const char *host,
    unsigned port, struct net_addr *out, size_t *count,
    struct sw_error *err)
{
	struct proxy px;

	session_proxy(env, &px);
	return proxy_resolve(&px, host, port, out, count, err);
}

enum sw_err
session_dial(const struct probe_env *env, const char *host,
    const struct net_addr *addr, int *fd, struct sw_error *err)
{
	struct proxy px;

	session_proxy(env, &px);
	return proxy_dial(&px, host, addr, net_deadline(
	    env->connect_timeout_ms), env->cancel_fd, fd, err);
}

enum sw_err
session_open(struct session *s, const struct probe_env *env,
    const char *host, unsigned port, struct sw_error *err)
{
	struct net_addr addrs[NET_ADDR_MAX];
	struct sw_error e = { 0 };
	size_t n, i;
	enum sw_err rc = SW_ECONNECT;
	int fd;

	memset(s, 0, sizeof(*s));
	rc = session_resolve(env, host, port, addrs, &n, err);
	if (rc != SW_OK)
		return rc;
	for (i = 0; i < n; i++) {
		sw_error_clear(&e);
		rc = session_dial(env, host, &addrs[i], &fd, &e);
		if (rc == SW_OK) {
			session_attach(s, env, fd);
			s->addr = addrs[i];
			return SW_OK;
		}
		if (rc == SW_ECANCEL || rc == SW_EPROXY)
			break;
	}
	return sw_fail(err, rc, "%s", sw_error_text(&e));
}

enum sw_err
session_reply(struct session *s, struct sw_error *err)
{
	enum sw_err rc;

	s->c.deadline = net_deadline(s->env->read_timeout_ms);
	rc = smtp_read_reply(&s->c, &s->reply, err);
	s->dead |= rc != SW_OK;
	return rc;
}

enum sw_err
session_command(struct session *s, const char *cmd, struct sw_error *err)
{
	enum sw_err rc;

	s->c.deadline = net_deadline(s->env->read_timeout_ms);
	rc = smtp_command(&s->c, cmd, &s->reply, err);
	s->dead |= rc != SW_OK;
	return rc;
}

enum sw_err
session_ehlo(struct session *s, const char *name, struct smtp_caps *caps,
    struct sw_error *err)
{
	char cmd[300];
	enum sw_err rc;

	snprintf(cmd, sizeof(cmd), "EHLO %s", name);
	rc = session_command(s, cmd, err);
	if (rc == SW_OK && s->reply.code == 250 && caps != NULL)
		smtp_caps_parse(&s->reply, caps);
	return rc;
}

enum sw_err
session_starttls(struct session *s, const struct tls_params *tp,
    struct tls_info *info, struct sw_error *err)
{
	enum sw_err rc;

	rc = session_command(s, "STARTTLS", err);
	if (rc != SW_OK)
		return rc;
	if (s->reply.code != 220)
		return sw_fail(err, SW_EPROTO, "the server answered STARTTLS "
		    "with %d", s->reply.code);
	if (link_pending(&s->c) > 0) {
		/* RFC 3207 §6: such bytes could be injected plain text. */
		link_note(&s->c, "discarded bytes the server sent before "
		    "the TLS handshake");
		link_discard(&s->c);
	}
	s->c.deadline = net_deadline(s->env->read_timeout_ms);
	rc = tls_start(&s->c, tp, info, err);
	s->dead |= rc != SW_OK;
	return rc;
}

static enum sw_err
greeting_then_ehlo(struct session *s, struct smtp_caps *caps,
    struct sw_error *err)
{
	char name[256];
	const char *src;
	enum sw_err rc;

	rc = session_reply(s, err);
	if (rc != SW_OK)
		return rc;
	if (s->reply.code != 220)
		return sw_fail(err, SW_EPROTO, "the server greeted with %d "
		    "instead of 220", s->reply.code);
	session_ehlo_name(s->env->set, name, sizeof(name), &src);
	rc = session_ehlo(s, name, caps, err);
	if (rc == SW_OK && s->reply.code != 250)
		return sw_fail(err, SW_EPROTO, "the server answered EHLO "
		    "with %d", s->reply.code);
	return rc;
}

enum sw_err
session_secure(struct session *s, enum smtp_mode mode,
    const struct tls_params *tp, struct tls_info *info,
    struct smtp_caps *caps, struct sw_error *err)
{
	char name[256];
	const char *src;
	enum sw_err rc;

	if (mode == MODE_SSL) {
		s->c.deadline = net_deadline(s->env->read_timeout_ms);
		rc = tls_start(&s->c, tp, info, err);
		s->dead |= rc != SW_OK;
		if (rc != SW_OK)
			return rc;
		return greeting_then_ehlo(s, caps, err);
	}
	rc = greeting_then_ehlo(s, caps, err);
	if (rc != SW_OK)
		return rc;
	rc = session_starttls(s, tp, info, err);
	if (rc != SW_OK)
		return rc;
	/* RFC 3207 §4.2: forget what was learnt before TLS, ask again. */
	session_ehlo_name(s->env->set, name, sizeof(name), &src);
	rc = session_ehlo(s, name, caps, err);
	if (rc == SW_OK && s->reply.code != 250)
		return sw_fail(err, SW_EPROTO, "the server answered EHLO "
		    "after STARTTLS with %d", s->reply.code);
	return rc;
}

static int
worth_tls12_retry(const struct tls_params *tp, const struct tls_info *ti)
{
	uint16_t lo, hi;

	tls_library_range(&lo, &hi);
	return hi >= TLS_V13 && ti->failure == TLS_FAIL_OTHER &&
	    (tp->max_version == 0 || tp->max_version >= TLS_V13) &&
	    (tp->min_version == 0 || tp->min_version <= TLS_V12);
}

enum sw_err
session_open_secure(struct session *s, const struct probe_env *env,
    const char *host, unsigned port, enum smtp_mode mode,
    const struct tls_params *tp, struct tls_info *ti,
    struct smtp_caps *caps, struct sw_error *err)
{
	struct tls_params tp12 = *tp;
	struct sw_error first = { 0 };
	enum sw_err rc;

	rc = session_open(s, env, host, port, err);
	if (rc != SW_OK)
		return rc;
	rc = session_secure(s, mode, tp, ti, caps, &first);
	if (rc == SW_OK || rc == SW_ECANCEL || !worth_tls12_retry(tp, ti))
		return rc == SW_OK ? SW_OK : sw_fail(err, rc, "%s",
		    sw_error_text(&first));
	link_note(&s->c, "retrying with TLSv1.2 at most");
	session_close(s);
	tls_info_free(ti);
	tp12.max_version = TLS_V12;
	rc = session_open(s, env, host, port, err);
	if (rc == SW_OK)
		rc = session_secure(s, mode, &tp12, ti, caps, err);
	return rc;
}

void
session_close(struct session *s)
{
	struct smtp_reply r;

	if (!s->open)
		return;
	if (s->c.ops != NULL && !s->dead) {
		smtp_reply_init(&r);
		s->c.deadline = net_deadline(1000);
		(void)smtp_command(&s->c, "QUIT", &r, NULL);
		smtp_reply_free(&r);
	}
	link_close(&s->c);
	smtp_reply_free(&s->reply);
	s->open = 0;
}
