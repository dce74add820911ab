/*
 * Step 1: protocol and port.  Resolve the host, connect to every
 * address, find out what the port really speaks (plain SMTP, SMTP with
 * STARTTLS, or implicit TLS), read the capabilities before and after
 * TLS, and compare all that with what the settings ask for.
 *
 * Implicit TLS is recognised without spoiling the main connection: if
 * no greeting has come after a short while (at once for port 465 or
 * ssl.enable=true), a second connection sends a ClientHello, and a TLS
 * record in answer settles it.  The main connection keeps waiting for
 * a slow greeting meanwhile, so a tarpit that punishes clients talking
 * first only punishes the sniffing connection.
 */
#include <poll.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "hello.h"
#include "conn_int.h"
#include "probe.h"
#include "provider_judge.h"
#include "sanitize.h"
#include "session.h"
#include "tls.h"

#define SNIFF_AFTER_MS		2500	/* silence before we try TLS */

static void
record_addresses(struct conn_data *d, const struct net_addr *addrs,
    size_t n)
{
	size_t i;

	d->naddrs = n;
	for (i = 0; i < n; i++) {
		snprintf(d->addrs[i].text, sizeof(d->addrs[i].text), "%s",
		    addrs[i].text);
		d->addrs[i].family = addrs[i].family;
		d->addrs[i].status = SW_ERR_COUNT;	/* not tried */
	}
}

/*
 * Connects to every address in turn and keeps the first connected
 * socket in *fd (-1 if none); the others are only timed.  Java would
 * use the first address that works, too.
 */
static enum sw_err
connect_all(const struct probe_env *env, struct conn_data *d,
    const struct net_addr *addrs, int *fd, struct sw_error *err)
{
	size_t i;

	*fd = -1;
	for (i = 0; i < d->naddrs; i++) {
		struct addr_result *a = &d->addrs[i];
		struct sw_error e = { 0 };
		int64_t t0 = net_now_ms();
		int s;

		a->status = session_dial(env, d->host, &addrs[i], &s, &e);
		a->connect_ms = net_now_ms() - t0;
		if (a->status == SW_ECANCEL)
			return sw_fail(err, SW_ECANCEL, "cancelled");
		if (a->status != SW_OK) {
			snprintf(a->error, sizeof(a->error), "%s",
			    sw_error_text(&e));
			continue;
		}
		if (*fd < 0) {
			*fd = s;
			d->used_addr = a->text;
		} else
			close(s);
	}
	return SW_OK;
}

static void
report_unreachable(struct step_result *r, const struct conn_data *d)
{
	size_t i, refused = 0, timeout = 0;
	struct finding *f;

	for (i = 0; i < d->naddrs; i++) {
		refused += d->addrs[i].status == SW_ECONNECT;
		timeout += d->addrs[i].status == SW_ETIMEOUT;
	}
	if (timeout > 0 && refused == 0) {
		f = result_add(r, "connect-timeout", SEV_FAIL,
		    "No answer from %s port %u: the connection attempt timed "
		    "out. A firewall is dropping the packets, or outbound "
		    "port %u is blocked by the network or cloud provider. "
		    "Java reports \"connect timed out\" (or hangs without "
		    "mail.smtp.connectiontimeout). Test from the host the "
		    "Java application runs on, and try another port "
		    "(--discover).", d->host, d->port, d->port);
		finding_suggest(f, "mail.smtp.connectiontimeout", "10000");
		return;
	}
	f = result_add(r, "connection-refused", SEV_FAIL,
	    "%s refused the connection on port %u: nothing listens there, "
	    "or a firewall rejects it. Java reports \"Connection refused\". "
	    "Check the port (587 for STARTTLS, 465 for SSL); --discover "
	    "tries the usual ones.", d->host, d->port);
	(void)f;
}

/* A partly reachable host: Java may pick an address that fails. */
static void
report_partial(struct step_result *r, const struct conn_data *d)
{
	size_t i;

	for (i = 0; i < d->naddrs; i++) {
		const struct addr_result *a = &d->addrs[i];

		if (a->status == SW_OK || a->status == SW_ERR_COUNT)
			continue;
		result_add(r, "address-unreachable", SEV_WARN,
		    "Address %s of %s does not answer on port %u (%s), while "
		    "%s does. Java tries the addresses in the order the "
		    "resolver gives; a broken %s route can make sending "
		    "fail or slow.", a->text, d->host, d->port, a->error,
		    d->used_addr, a->family == AF_INET6 ? "IPv6" : "IPv4");
		return;
	}
}

/*
 * Did an HTTP proxy answer CONNECT with this status?  Matched on the
 * status line ("HTTP/1.1 407"): a bare " 407" would also match a port
 * number such as 40715 in the same text.
 */
static int
http_status(const char *what, const char *code)
{
	const char *p = what;
	size_t n = strlen(code);

	while ((p = strstr(p, "HTTP/1.")) != NULL) {
		p += strlen("HTTP/1.");
		if (*p != '\0' && p[1] == ' ' && strncmp(p + 2, code, n) == 0)
			return 1;
	}
	return 0;
}

/* Java's advice for a proxy's refusal, by what the proxy said. */
static const char *
proxy_advice(const struct proxy *px, const char *what)
{
	if (strstr(what, "authentication failed") != NULL ||
	    http_status(what, "407"))
		return px->kind == PROXY_HTTP ? "The proxy refused the login: "
		    "check mail.smtp.proxy.user and mail.smtp.proxy.password."
		    : "The proxy refused the login: Java takes it from "
		    "-Djava.net.socks.username and -Djava.net.socks.password "
		    "(or an Authenticator); check both.";
	if (strstr(what, "No acceptable methods") != NULL)
		return "The proxy wants a login Java did not offer: start Java "
		    "with -Djava.net.socks.username and "
		    "-Djava.net.socks.password.";
	if (http_status(what, "403") || strstr(what, "ruleset") != NULL)
		return "The proxy does not allow a tunnel to this host and "
		    "port: its administrator must allow the mail port (for "
		    "tinyproxy ConnectPort, for Dante a socks pass rule).";
	if (strstr(what, "the proxy's name") != NULL ||
	    strstr(what, "Connection refused (the") != NULL ||
	    strstr(what, "does not answer") != NULL)
		return "Nothing answers at the proxy's address: check the "
		    "proxy host and port in the settings.";
	return "The proxy could not reach the mail server: check that the "
	    "server's name and port are right and reachable from the proxy.";
}

/* The connection failed at the proxy: a finding in Java's words. */
static int
report_proxy(const struct probe_env *env, struct step_result *r,
    const struct conn_data *d)
{
	struct proxy px;
	size_t i;

	session_proxy(env, &px);
	for (i = 0; px.kind != PROXY_NONE && i < d->naddrs; i++) {
		const char *what = d->addrs[i].error;

		if (d->addrs[i].status != SW_EPROXY)
			continue;
		result_add(r, "proxy-failed", SEV_FAIL, "Java connects "
		    "through the %s proxy %s:%u (mail.smtp.%s.host), and the "
		    "proxy failed: Java reports \"Couldn't connect to host, "
		    "port: %s, %u; nested exception is: %s\". %s",
		    proxy_kind_name(px.kind), px.host, px.port,
		    px.kind == PROXY_HTTP ? "proxy" : "socks", d->host,
		    d->port, what, proxy_advice(&px, what));
		return 1;
	}
	return 0;
}

static void
resolve_and_connect(const struct probe_env *env, struct step_result *r,
    struct session *s, struct sw_error *err)
{
	struct conn_data *d = &r->d.conn;
	struct net_addr addrs[NET_ADDR_MAX];
	struct sw_error e = { 0 };
	struct proxy px;
	size_t n;
	int fd;

	session_proxy(env, &px);
	if (px.kind != PROXY_NONE) {
		snprintf(d->proxy_kind, sizeof(d->proxy_kind), "%s",
		    proxy_kind_name(px.kind));
		snprintf(d->proxy, sizeof(d->proxy), "%s:%u", px.host, px.port);
	}
	probe_progress(env, "resolving %s", d->host);
	if (session_resolve(env, d->host, d->port, addrs, &n, &e) !=
	    SW_OK) {
		result_add(r, "dns-failure", SEV_FAIL, "%s. Java reports "
		    "java.net.UnknownHostException. Check the spelling of "
		    "mail.smtp.host and the DNS or /etc/hosts of the host "
		    "the Java application runs on.", sw_error_text(&e));
		return;
	}
	record_addresses(d, addrs, n);
	probe_progress(env, "connecting to %s port %u (%zu address%s)",
	    d->host, d->port, n, n == 1 ? "" : "es");
	if (connect_all(env, d, addrs, &fd, err) != SW_OK)
		return;
	if (fd < 0) {
		if (!report_proxy(env, r, d))
			report_unreachable(r, d);
		return;
	}
	report_partial(r, d);
	session_attach(s, env, fd);
	for (n = 0; n < d->naddrs; n++)
		if (d->used_addr == d->addrs[n].text)
			s->addr = addrs[n];
}

enum first { FIRST_TEXT, FIRST_TLS, FIRST_SILENT };

/* A TLS record header: handshake (22) or alert (21), major version 3. */
static int
looks_like_tls(const unsigned char *b, size_t n)
{
	return n >= 2 && (b[0] == 22 || b[0] == 21) && b[1] == 3;
}

/* Second connection: send a ClientHello; -1 when that fails. */
static int
sniff_start(const struct probe_env *env, const struct session *s,
    const char *host)
{
	struct hello_spec spec;
	unsigned char hello[4096];
	size_t len;
	int fd;

	if (session_dial(env, host, &s->addr, &fd, NULL) != SW_OK)
		return -1;
	hello_spec_default(&spec, 0x0303, host);
	if (hello_build(&spec, hello, sizeof(hello), &len, NULL) != SW_OK ||
	    net_write(fd, hello, len, net_deadline(2000), env->cancel_fd,
	    NULL) != SW_OK) {
		close(fd);
		return -1;
	}
	return fd;
}

/* 1: TLS answered, 0: something else (or EOF) came, sniff is over. */
static int
sniff_read(int fd)
{
	unsigned char b[8];
	ssize_t n = recv(fd, b, sizeof(b), MSG_DONTWAIT);

	return n > 0 && looks_like_tls(b, (size_t)n);
}

static int
wait_ms(int64_t until)
{
	int64_t left = until - net_now_ms();

	return left < 0 ? 0 : left > 60000 ? 60000 : (int)left;
}

/*
 * Waits for the first bytes on the main connection; after sniff_after
 * ms of silence, asks a second connection whether the port speaks TLS.
 */
static enum sw_err
wait_first(const struct probe_env *env, struct conn_data *d,
    struct session *s, enum first *first, struct sw_error *err)
{
	int64_t t0 = net_now_ms(), deadline = t0 + env->read_timeout_ms;
	int64_t sniff_at = t0 + (d->port == 465 ||
	    d->configured_mode == MODE_SSL ? 0 : SNIFF_AFTER_MS);
	int sfd = -1, sniffed = 0;

	*first = FIRST_SILENT;
	while (net_now_ms() < deadline) {
		struct pollfd p[3] = {
			{ .fd = s->c.fd, .events = POLLIN },
			{ .fd = sfd, .events = POLLIN },
			{ .fd = env->cancel_fd, .events = POLLIN },
		};
		int rc = poll(p, 3, wait_ms(sniffed ? deadline : sniff_at));

		if (rc > 0 && p[2].revents)
			return sw_fail(err, SW_ECANCEL, "cancelled");
		if (rc > 0 && p[0].revents) {
			*first = FIRST_TEXT;
			break;
		}
		if (rc > 0 && p[1].revents) {
			if (sniff_read(sfd)) {
				*first = FIRST_TLS;
				break;
			}
			close(sfd);
			sfd = -1;
		}
		if (!sniffed && net_now_ms() >= sniff_at) {
			sniffed = d->tls_sniffed = 1;
			probe_progress(env, "no greeting yet: asking whether "
			    "port %u speaks TLS", d->port);
			sfd = sniff_start(env, s, d->host);
		}
	}
	if (sfd >= 0)
		close(sfd);
	d->greeting_ms = net_now_ms() - t0;
	return SW_OK;
}

/*
 * Copies the lines of reply r from line first on, sanitised, into buf as
 * '\n'-joined text; with_code puts "NNN-"/"NNN " back in front (the
 * greeting is shown as the server sent it).  Returns the line count.
 */
static size_t
reply_lines(const struct smtp_reply *r, size_t first, int with_code,
    char *buf, size_t cap)
{
	size_t i, len, o = 0, n = 0;
	const char *line;
	char tmp[512];

	buf[0] = '\0';
	for (i = first; (line = smtp_reply_line(r, i, &len)) != NULL; i++) {
		sanitize(line, len, tmp, sizeof(tmp), 0);
		if (o + strlen(tmp) + 6 > cap)
			break;
		if (n > 0)
			buf[o++] = '\n';
		if (with_code)
			o += (size_t)snprintf(buf + o, cap - o, "%d%c", r->code,
			    i + 1 < r->nlines ? '-' : ' ');
		o += (size_t)snprintf(buf + o, cap - o, "%s", tmp);
		n++;
	}
	return n;
}

static void
tls_params_for(const struct conn_data *d, struct tls_params *tp)
{
	memset(tp, 0, sizeof(*tp));
	tp->sni = d->host;
}

static void
record_tls(struct conn_data *d, enum sw_err rc, const struct tls_info *ti,
    const struct sw_error *e)
{
	if (rc == SW_OK) {
		d->tls_ok = TRI_YES;
		snprintf(d->tls_summary, sizeof(d->tls_summary), "%s %s",
		    tls_version_name(ti->version), ti->suite_name);
	} else {
		d->tls_ok = TRI_NO;
		sanitize_str(sw_error_text(e), d->tls_error,
		    sizeof(d->tls_error), 0);
	}
}

static void	ehlo_failed(struct step_result *, enum sw_err,
		    const struct sw_error *, const struct session *);
static void	greeting_failed(struct step_result *, enum sw_err,
		    const struct sw_error *, const struct session *);
static void	greeting_refused(struct step_result *);

/* "javax.mail" or "jakarta.mail": the package of the Java exceptions. */
static const char *
mail_pkg(const struct session *s)
{
	return s->env->set->lib == MAIL_LIB_ANGUS2 ? "jakarta.mail" :
	    "javax.mail";
}

/*
 * EHLO over TLS -- after STARTTLS, or the first one over implicit TLS
 * -- did not give 250: the server closed the connection, answered
 * otherwise, did not answer in time, or sent a reply smtpwiz stopped
 * reading (SMTP_REPLY_LINES lines or SMTP_REPLY_BYTES bytes: an
 * endless "250-").  Java cannot send mail over such a session, so step
 * 1 fails however well the dialogue before TLS went.
 *
 * What Java does: after STARTTLS, JavaMail 1.6 and Angus Mail send EHLO
 * again and ignore its result (SMTPTransport.protocolConnect: "we
 * ignore failure"), keep the capabilities from before TLS and fail at
 * the next command; readServerResponse() turns end of stream into code
 * -1 with the text "[EOF]".  Over implicit TLS it is the first EHLO: a
 * non-250 makes them try HELO, which must give 250 or connect() throws.
 * A read timeout throws at once ("Exception reading response").
 */
static void
ehlo_tls_failed(struct step_result *r, enum sw_err rc,
    const struct sw_error *e, const struct session *s, int implicit)
{
	const struct conn_data *d = &r->d.conn;
	const char *pkg = mail_pkg(s);
	char what[400], java[600], text[300];

	if (rc == SW_ECLOSED || rc == SW_EIO) {
		snprintf(what, sizeof(what), "closed the connection");
		if (implicit)
			snprintf(java, sizeof(java), "Java then sends HELO on "
			    "the closed connection and connect() fails with "
			    "%s.MessagingException: [EOF].", pkg);
		else
			snprintf(java, sizeof(java), "Java ignores that EHLO's "
			    "failure, goes on with the capabilities it saw "
			    "before TLS and fails at its next command: "
			    "%s.MessagingException: [EOF] (%s.Authentication"
			    "FailedException: [EOF] when it logs in).", pkg,
			    pkg);
	} else if (rc == SW_ETIMEOUT) {
		snprintf(what, sizeof(what), "did not answer within %d s",
		    s->env->read_timeout_ms / 1000);
		snprintf(java, sizeof(java), "Java waits as long as "
		    "mail.smtp.timeout allows (forever without it), then "
		    "connect() fails with %s.MessagingException: Exception "
		    "reading response (java.net.SocketTimeoutException: Read "
		    "timed out).", pkg);
	} else if (rc == SW_EPROTO) {
		snprintf(what, sizeof(what), "sent a reply smtpwiz stopped "
		    "reading (%s)", sw_error_text(e));
		snprintf(java, sizeof(java), "JavaMail reads a reply without "
		    "any limit: it hangs while the lines keep coming (no "
		    "timeout fires then) or runs out of memory.");
	} else if (rc == SW_OK) {
		reply_lines(&s->reply, 0, 0, text, sizeof(text));
		snprintf(what, sizeof(what), "answered %d \"%s\"",
		    s->reply.code, text);
		if (implicit)
			snprintf(java, sizeof(java), "Java then tries HELO; "
			    "unless that gets 250, connect() fails with "
			    "%s.MessagingException quoting the reply, and "
			    "after a HELO that works Java knows no AUTH and "
			    "does not log in.", pkg);
		else
			snprintf(java, sizeof(java), "Java ignores that failure "
			    "and goes on with the capabilities it saw before "
			    "TLS (%s), so its next command, %s, meets the "
			    "server's refusal: %s.MessagingException quoting the "
			    "reply.", d->caps.auth == TRI_YES ? "AUTH among them" :
			    "no AUTH among them: it does not even log in",
			    d->caps.auth == TRI_YES ? "AUTH" : "MAIL FROM", pkg);
	} else
		return;		/* cancelled: no finding */
	result_add(r, "ehlo-after-tls-failed", SEV_FAIL, "TLS works, but to "
	    "EHLO %s %s the server %s. %s No mail can be sent over this "
	    "session: the server's set-up after TLS must be fixed (if it "
	    "refuses the name, set mail.smtp.localhost to this host's fully "
	    "qualified DNS name).", d->ehlo_name, implicit ?
	    "over implicit TLS" : "after STARTTLS", what, java);
}

/* STARTTLS was sent and no whole SMTP reply came back. */
static void
starttls_no_reply(struct step_result *r, enum sw_err rc,
    const struct sw_error *e, const struct session *s)
{
	if (rc == SW_ECLOSED || rc == SW_EIO)
		ehlo_failed(r, rc, e, s);	/* closed-after-ehlo, as before */
	else if (rc == SW_ETIMEOUT)
		result_add(r, "starttls-no-reply", SEV_FAIL, "The server offers "
		    "STARTTLS but did not answer it within %d s. Java waits "
		    "(forever, without mail.smtp.timeout). The server's TLS "
		    "set-up is broken: this must be fixed on the server.",
		    s->env->read_timeout_ms / 1000);
	else if (rc != SW_ECANCEL)
		result_add(r, "starttls-bad-reply", SEV_FAIL, "The server offers "
		    "STARTTLS but its answer is not an SMTP reply: %s. The "
		    "server (or something between it and this host, such as "
		    "a firewall that inspects SMTP) is broken.",
		    sw_error_text(e));
}

/* STARTTLS on the main session, then EHLO again (RFC 3207 §4.2). */
static void
try_starttls(struct step_result *r, struct session *s)
{
	struct conn_data *d = &r->d.conn;
	struct tls_params tp;
	struct tls_info ti;
	struct sw_error e = { 0 };
	enum sw_err rc;

	tls_params_for(d, &tp);
	memset(&ti, 0, sizeof(ti));
	probe_progress(s->env, "STARTTLS");
	rc = session_starttls(s, &tp, &ti, &e);
	d->starttls_code = s->reply.code;
	if (rc != SW_OK && !s->reply.done) {
		/*
		 * No whole reply to STARTTLS: the server hung up, or sent
		 * something that is not SMTP.  (Tested before the "refused"
		 * case, which used to report garbage as "refused it: 0".)
		 */
		starttls_no_reply(r, rc, &e, s);
		tls_info_free(&ti);
		return;
	}
	if (rc == SW_EPROTO && s->reply.code != 220) {
		char text[300];

		reply_lines(&s->reply, 0, 0, text, sizeof(text));
		result_add(r, "starttls-refused", SEV_FAIL, "The server "
		    "offers STARTTLS but refused it: %d %s. Java reports "
		    "this reply as a MessagingException. The server's TLS "
		    "set-up is broken (often no certificate loaded): this "
		    "must be fixed on the server.", s->reply.code, text);
		tls_info_free(&ti);
		return;
	}
	record_tls(d, rc, &ti, &e);
	tls_info_free(&ti);
	if (rc != SW_OK)
		return;
	probe_progress(s->env, "EHLO %s over TLS", d->ehlo_name);
	sw_error_clear(&e);
	rc = session_ehlo(s, d->ehlo_name, &d->caps_tls, &e);
	if (rc == SW_OK && s->reply.code == 250)
		d->nehlo_tls = reply_lines(&s->reply, 1, 0, d->ehlo_tls,
		    sizeof(d->ehlo_tls));
	else
		ehlo_tls_failed(r, rc, &e, s, 0);
}

/* Implicit TLS: a fresh connection, handshake, greeting, EHLO. */
static void
observe_ssl(const struct probe_env *env, struct step_result *r,
    const struct net_addr *addr)
{
	struct conn_data *d = &r->d.conn;
	struct session s;
	struct tls_params tp;
	struct tls_info ti;
	struct sw_error e = { 0 };
	enum sw_err rc;
	int64_t t0;
	int fd;

	d->detected_mode = MODE_SSL;
	d->greeting_ms = 0;	/* the silence before the sniff does not count */
	t0 = net_now_ms();
	if (session_dial(env, d->host, addr, &fd, &e) != SW_OK) {
		record_tls(d, e.code, NULL, &e);
		return;
	}
	session_attach(&s, env, fd);
	tls_params_for(d, &tp);
	memset(&ti, 0, sizeof(ti));
	probe_progress(env, "port %u speaks TLS: handshake", d->port);
	s.c.deadline = net_deadline(env->read_timeout_ms);
	rc = tls_start(&s.c, &tp, &ti, &e);
	s.dead = rc != SW_OK;
	record_tls(d, rc, &ti, &e);
	tls_info_free(&ti);
	if (rc == SW_OK && (rc = session_reply(&s, &e)) != SW_OK)
		greeting_failed(r, rc, &e, &s);
	else if (rc == SW_OK) {
		d->greeting_ms = net_now_ms() - t0;
		d->greeting_code = s.reply.code;
		reply_lines(&s.reply, 0, 1, d->greeting, sizeof(d->greeting));
		if (s.reply.code != 220)
			greeting_refused(r);
		else {
			rc = session_ehlo(&s, d->ehlo_name, &d->caps_tls, &e);
			if (rc == SW_OK && s.reply.code == 250)
				d->nehlo_tls = reply_lines(&s.reply, 1, 0,
				    d->ehlo_tls, sizeof(d->ehlo_tls));
			else
				ehlo_tls_failed(r, rc, &e, &s, 1);
		}
	}
	session_close(&s);
}

static void
greeting_failed(struct step_result *r, enum sw_err rc,
    const struct sw_error *e, const struct session *s)
{
	struct conn_data *d = &r->d.conn;

	if (rc == SW_ETIMEOUT) {
		/*
		 * Bytes came (wait_first saw them) but no whole reply: a
		 * tarpit sending a byte a second, or no line end at all.
		 */
		result_add(r, "greeting-timeout", SEV_FAIL, "Port %u started "
		    "a greeting but did not finish it within %d s (%llu "
		    "bytes received; %s). The server sends extremely slowly "
		    "(a tarpit) or never ends its line with CR LF. Java "
		    "reports \"Read timed out\" (or hangs without "
		    "mail.smtp.timeout). If the server is merely slow, a "
		    "longer --timeout and mail.smtp.timeout help.", d->port,
		    s->env->read_timeout_ms / 1000,
		    (unsigned long long)s->c.bytes_in,
		    sw_error_text(e));
		return;
	}
	if (rc == SW_ECLOSED)
		result_add(r, "closed-before-greeting", SEV_FAIL, "The "
		    "server closed the connection without a greeting. Java "
		    "reports \"Could not connect to SMTP host: %s, port: %u, "
		    "response: -1\". The server may block this client's "
		    "address, or limit connections.", d->host, d->port);
	else
		result_add(r, "not-smtp", SEV_FAIL, "Port %u does not speak "
		    "SMTP: %s.", d->port, sw_error_text(e));
}

/* The greeting was not 220: 421 (busy, rate limit) or a rejection. */
static void
greeting_refused(struct step_result *r)
{
	struct conn_data *d = &r->d.conn;
	struct finding *f;

	if (d->greeting_code == 421) {
		result_add(r, "greeting-421", SEV_FAIL, "The server is "
		    "refusing service for now: \"%s\". It is busy, "
		    "rate-limits this client or has too many connections. "
		    "Java reports \"Could not connect to SMTP host: %s, "
		    "port: %u, response: 421\". Wait and try again; if it "
		    "persists, ask the mail administrator whether this host "
		    "is throttled.", d->greeting, d->host, d->port);
		return;
	}
	f = result_add(r, "greeting-rejected", SEV_FAIL, "The server "
	    "rejected the connection with %d: \"%s\". This client's "
	    "address may not be allowed to send through it; ask the mail "
	    "administrator to allow it.", d->greeting_code, d->greeting);
	(void)f;
}

static void
ehlo_failed(struct step_result *r, enum sw_err rc, const struct sw_error *e,
    const struct session *s)
{
	struct conn_data *d = &r->d.conn;
	struct finding *f;

	if (rc == SW_ECLOSED || rc == SW_EIO) {
		f = result_add(r, "closed-after-ehlo", SEV_FAIL, "The server "
		    "closed the connection after EHLO %s. Servers do this "
		    "when they reject the name a client introduces itself "
		    "with, or the client's address. Set mail.smtp.localhost "
		    "to this host's fully qualified DNS name.",
		    d->ehlo_name);
		(void)f;
		return;
	}
	if (rc == SW_ETIMEOUT) {
		result_add(r, "ehlo-timeout", SEV_FAIL, "The server did not "
		    "answer EHLO %s within %d s (%s). Java waits (forever, "
		    "without mail.smtp.timeout) and then reports \"Read timed "
		    "out\".", d->ehlo_name, s->env->read_timeout_ms / 1000,
		    sw_error_text(e));
		return;
	}
	if (rc == SW_EPROTO) {
		/* Too many lines, a line too long, not SMTP: say which. */
		result_add(r, "ehlo-bad-reply", SEV_FAIL, "The server's answer "
		    "to EHLO %s is not a usable SMTP reply: %s. smtpwiz stops "
		    "there instead of reading without end; Java's JavaMail "
		    "has no such limit and may hang or fail at this point.",
		    d->ehlo_name, sw_error_text(e));
		return;
	}
	if (rc != SW_OK)
		return;
	f = result_add(r, "ehlo-rejected", SEV_FAIL, "The server answered "
	    "EHLO %s with %d: \"%s\". It does not accept the name this "
	    "client introduced itself with (from %s). Set "
	    "mail.smtp.localhost to this host's fully qualified DNS name.",
	    d->ehlo_name, s->reply.code, d->ehlo, d->ehlo_name_source);
	(void)f;
}

/* Plain SMTP came first: greeting, EHLO, STARTTLS if offered. */
static void
observe_plain(struct step_result *r, struct session *s)
{
	struct conn_data *d = &r->d.conn;
	struct sw_error e = { 0 };
	enum sw_err rc;

	rc = session_reply(s, &e);
	if (rc != SW_OK) {
		greeting_failed(r, rc, &e, s);
		return;
	}
	d->greeting_code = s->reply.code;
	reply_lines(&s->reply, 0, 1, d->greeting, sizeof(d->greeting));
	if (s->reply.code != 220) {
		greeting_refused(r);
		return;
	}
	d->detected_mode = MODE_PLAIN;
	probe_progress(s->env, "EHLO %s", d->ehlo_name);
	rc = session_ehlo(s, d->ehlo_name, &d->caps, &e);
	d->ehlo_code = s->reply.code;
	if (rc == SW_OK)
		d->nehlo = reply_lines(&s->reply, 1, 0, d->ehlo,
		    sizeof(d->ehlo));
	if (rc != SW_OK || s->reply.code != 250) {
		/*
		 * Without an EHLO reply, plain or STARTTLS is unknown, not
		 * "plain": conn_judge() must not say "no encryption".
		 */
		if (rc != SW_OK)
			d->detected_mode = MODE_UNKNOWN;
		ehlo_failed(r, rc, &e, s);
		return;
	}
	d->starttls_offered = d->caps.starttls;
	if (d->caps.starttls == TRI_YES) {
		d->detected_mode = MODE_STARTTLS;
		try_starttls(r, s);
	}
}

/* Fills r->d.conn by talking to the port; findings for what breaks. */
enum sw_err
conn_observe(const struct probe_env *env, struct step_result *r,
    struct sw_error *err)
{
	struct conn_data *d = &r->d.conn;
	struct session s;
	enum first first;
	enum sw_err rc;

	memset(&s, 0, sizeof(s));
	resolve_and_connect(env, r, &s, err);
	if (err->code != SW_OK || !s.open)
		return err->code;
	probe_progress(env, "connected to %s, waiting for the greeting",
	    d->used_addr);
	rc = wait_first(env, d, &s, &first, err);
	if (rc == SW_OK && first == FIRST_TEXT)
		observe_plain(r, &s);
	session_close(&s);
	if (rc != SW_OK)
		return rc;
	if (first == FIRST_TLS)
		observe_ssl(env, r, &s.addr);
	if (first == FIRST_SILENT)
		result_add(r, "no-greeting", SEV_FAIL, "Port %u accepted the "
		    "connection but sent no greeting within %d s and did not "
		    "answer a TLS ClientHello either. Java waits (forever, "
		    "without mail.smtp.timeout) and then reports \"Read "
		    "timed out\". Check that this is a mail port; a very "
		    "slow server needs a longer --timeout.", d->port,
		    env->read_timeout_ms / 1000);
	if (env->cancel_fd >= 0 && net_wait(env->cancel_fd, POLLIN,
	    net_now_ms(), -1, NULL) == SW_OK)
		return sw_fail(err, SW_ECANCEL, "cancelled");
	return SW_OK;
}

enum sw_err
conn_probe(const struct probe_env *env, struct step_result *r,
    struct sw_error *err)
{
	struct conn_data *d = &r->d.conn;
	struct settings_target t;
	const char *src = "";

	settings_target(env->set, &t);
	if (t.host[0] == '\0')
		return sw_fail(err, SW_EUSAGE, "no host: set mail.smtp.host");
	snprintf(d->host, sizeof(d->host), "%s", t.host);
	d->port = t.port;
	d->configured_mode = t.mode;
	session_ehlo_name(env->set, d->ehlo_name, sizeof(d->ehlo_name), &src);
	snprintf(d->ehlo_name_source, sizeof(d->ehlo_name_source), "%s", src);
	r->verdict = VERDICT_PASS;
	if (conn_observe(env, r, err) == SW_ECANCEL)
		return SW_ECANCEL;
	sw_error_clear(err);
	conn_judge(r, env);
	provider_judge_conn(r, env);
	if (d->proxy[0] != '\0' && d->used_addr != NULL)
		result_add(r, "proxy-used", SEV_INFO, "Every connection went "
		    "through the %s proxy %s, as Java's will (mail.smtp.%s.*): "
		    "steps 1 to 5 and the verification see the path the "
		    "application takes.", d->proxy_kind, d->proxy,
		    strcmp(d->proxy_kind, "HTTP") == 0 ? "proxy" : "socks");
	if (env->discover)
		conn_discover(env, r);
	return SW_OK;
}
