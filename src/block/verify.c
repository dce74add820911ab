/*
 * The verification (verify.h): one session with the final settings,
 * each stage as JavaMail's SMTPTransport and SocketFetcher do it, the
 * first one that breaks reported with the exception Java would throw.
 * This file reads the block, connects, runs the dialogue up to and
 * through STARTTLS and decides the outcome; the handshake and the
 * chain are verify_tls.c's, the login and the envelope verify_login.c's.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "net.h"
#include "sanitize.h"
#include "session.h"
#include "suites.h"
#include "verify_int.h"

/* ---- outcomes ---- */

int
verify_stop(struct vrun *v, enum verify_outcome o, enum verify_stage st,
    enum step step, const char *exc, const char *fmt, ...)
{
	struct verify_result *r = v->res;
	char raw[sizeof(r->detail)];
	va_list ap;

	r->result = o;
	r->stage = st;
	r->step = step;
	sanitize_str(exc ? exc : "", r->java_exception,
	    sizeof(r->java_exception), 0);
	va_start(ap, fmt);
	vsnprintf(raw, sizeof(raw), fmt, ap);
	va_end(ap);
	sanitize_str(raw, r->detail, sizeof(r->detail), 0);
	return STOP;
}

/* The reply's first line as "CODE text", sanitised. */
void
verify_reply_line(const struct smtp_reply *rp, char *buf, size_t cap)
{
	size_t len = 0;
	const char *l = smtp_reply_line(rp, 0, &len);
	char raw[600];

	if (rp->code == 0) {
		snprintf(buf, cap, "[EOF]");
		return;
	}
	snprintf(raw, sizeof(raw), "%d %.*s", rp->code, l ? (int)len : 0,
	    l ? l : "");
	sanitize_str(raw, buf, cap, 0);
}

/*
 * An I/O failure while waiting for the server: what Java would say.
 * what: "the greeting", "the reply to EHLO" ...
 */
int
verify_io_failed(struct vrun *v, enum sw_err rc, const struct sw_error *e,
    enum verify_stage st, enum step step, const char *what)
{
	char exc[300];

	if (rc == SW_ECANCEL)
		return verify_stop(v, VERIFY_NOT_RUN, st, step, NULL, "cancelled");
	if (rc == SW_ETIMEOUT && v->to_set)
		return verify_stop(v, VERIFY_FAILED, st, step, "javax.mail."
		    "MessagingException: Exception reading response; nested "
		    "exception is: java.net.SocketTimeoutException: Read "
		    "timed out", "No answer (%s) within mail.smtp.timeout "
		    "(%d ms): the server is slower than the block allows. "
		    "Raise mail.smtp.timeout.", what, v->env.read_timeout_ms);
	if (rc == SW_ETIMEOUT)
		return verify_stop(v, VERIFY_FAILED, st, step, "(none: Java hangs)",
		    "No answer (%s) within %d s. The block sets no "
		    "mail.smtp.timeout, so Java would wait forever.", what,
		    v->env.read_timeout_ms / 1000);
	snprintf(exc, sizeof(exc), "javax.mail.MessagingException: %s",
	    rc == SW_ECLOSED ? "[EOF]" : "Exception reading response");
	return verify_stop(v, VERIFY_FAILED, st, step, exc, "The connection broke "
	    "while waiting for %s: %s.", what, sw_error_text(e));
}

/* ---- reading the block as Java does ---- */

static long
block_ms(const struct settings *set, const char *key, int *given)
{
	long ms = 0;

	*given = settings_int(set, key, &ms) && ms > 0;
	if (!*given)
		return 0;
	return ms > VERIFY_WAIT_MAX_MS ? VERIFY_WAIT_MAX_MS : ms;
}

/* Blanks or control bytes: no resolver takes such a name. */
static int
unusable_host(const char *h)
{
	if (*h == '\0')
		return 1;
	for (; *h != '\0'; h++)
		if ((unsigned char)*h <= ' ' || *h == 0x7f)
			return 1;
	return 0;
}

static int
read_block(struct vrun *v, const struct probe_env *env,
    const struct settings *set)
{
	const char *h = settings_effective(set, "mail.smtp.host");
	long n = 0, ms;

	v->env = *env;
	v->env.set = set;
	v->exc_pkg = set->lib == MAIL_LIB_ANGUS2 ? "org.eclipse.angus.mail" :
	    "com.sun.mail";
	snprintf(v->host, sizeof(v->host), "%s", h ? h : "localhost");
	v->port = settings_int(set, "mail.smtp.port", &n) && n > 0 &&
	    n < 65536 ? (unsigned)n : settings_bool(set,
	    "mail.smtp.ssl.enable") ? 465 : 25;
	v->ssl = settings_bool(set, "mail.smtp.ssl.enable");
	v->sf_ssl = !v->ssl && settings_socket_factory_ssl(set);
	v->sf_fallback = settings_bool(set, "mail.smtp.socketFactory.fallback");
	v->sf_port = settings_int(set, "mail.smtp.socketFactory.port", &n) &&
	    n > 0 && n < 65536 ? (unsigned)n : v->port;
	v->starttls = settings_bool(set, "mail.smtp.starttls.enable");
	v->starttls_req = settings_bool(set, "mail.smtp.starttls.required");
	if ((ms = block_ms(set, "mail.smtp.connectiontimeout",
	    &v->cto_set)) > 0)
		v->env.connect_timeout_ms = (int)ms;
	if ((ms = block_ms(set, "mail.smtp.timeout", &v->to_set)) > 0)
		v->env.read_timeout_ms = (int)ms;
	snprintf(v->res->target, sizeof(v->res->target), "%s:%u", v->host,
	    v->port);
	if (unusable_host(v->host))
		return verify_stop(v, VERIFY_FAILED, VSTAGE_SETTINGS, STEP_CONN,
		    "java.net.UnknownHostException", "mail.smtp.host \"%s\" "
		    "is not a host name.", v->host);
	return GO;
}

/* ---- connecting ---- */

static int
connect_to(struct vrun *v, unsigned port)
{
	struct net_addr addrs[NET_ADDR_MAX];
	struct sw_error e = { 0 };
	char exc[1000];
	size_t n = 0, i, pick = 0;
	enum sw_err rc;
	int fd = -1;

	if (session_resolve(&v->env, v->host, port, addrs, &n, &e) !=
	    SW_OK || n == 0) {
		snprintf(exc, sizeof(exc), "javax.mail.MessagingException: "
		    "Unknown SMTP host: %s; nested exception is: java.net."
		    "UnknownHostException: %s", v->host, v->host);
		return verify_stop(v, VERIFY_FAILED, VSTAGE_RESOLVE, STEP_CONN,
		    exc, "%s", sw_error_text(&e));
	}
	/* InetAddress.getByName(): the first address, IPv4 first. */
	for (i = 0; i < n; i++)
		if (addrs[i].family == AF_INET) {
			pick = i;
			break;
		}
	snprintf(v->res->addr, sizeof(v->res->addr), "%s", addrs[pick].text);
	v->res->connections++;
	rc = session_dial(&v->env, v->host, &addrs[pick], &fd, &e);
	if (rc == SW_ECANCEL)
		return verify_stop(v, VERIFY_NOT_RUN, VSTAGE_CONNECT, STEP_CONN,
		    NULL, "cancelled");
	if (rc != SW_OK) {
		snprintf(exc, sizeof(exc), "%s.util.MailConnectException: "
		    "Couldn't connect to host, port: %s, %u; timeout %d; "
		    "nested exception is: %s", v->exc_pkg, v->host,
		    port, v->cto_set ? v->env.connect_timeout_ms : -1,
		    rc == SW_EPROXY ? sw_error_text(&e) :
		    rc == SW_ETIMEOUT ? "java.net.SocketTimeoutException: "
		    "connect timed out" : "java.net.ConnectException: "
		    "Connection refused");
		return verify_stop(v, VERIFY_FAILED, VSTAGE_CONNECT, STEP_CONN,
		    exc, "%s%s", sw_error_text(&e), rc == SW_ETIMEOUT &&
		    !v->cto_set ? " (the block sets no mail.smtp."
		    "connectiontimeout: Java would wait for the system's "
		    "limit)" : "");
	}
	session_attach(&v->a.s, &v->env, fd);
	v->a.s.addr = addrs[pick];
	v->open = 1;
	v->conn_port = port;
	return GO;
}

/* Java's words for a handshake that failed, and the step for it. */
/* ---- the dialogue ---- */

static int
greeting(struct vrun *v)
{
	struct sw_error e = { 0 };
	char exc[400], line[300];
	enum sw_err rc;

	v->a.s.c.deadline = net_deadline(v->env.read_timeout_ms);
	if ((rc = session_reply(&v->a.s, &e)) != SW_OK)
		return verify_io_failed(v, rc, &e, VSTAGE_GREETING, STEP_CONN,
		    "the greeting");
	if (v->a.s.reply.code == 220)
		return GO;
	verify_reply_line(&v->a.s.reply, line, sizeof(line));
	snprintf(exc, sizeof(exc), "javax.mail.MessagingException: Could not "
	    "connect to SMTP host: %s, port: %u, response: %d", v->host,
	    v->port, v->a.s.reply.code);
	return verify_stop(v, VERIFY_FAILED, VSTAGE_GREETING, STEP_CONN, exc,
	    "The server greeted with \"%s\".", line);
}

/*
 * EHLO, and HELO when EHLO is refused (SMTPTransport); after STARTTLS
 * any refusal fails (Java would go on with the capabilities it read
 * in the clear, which no longer hold).
 */
static int
ehlo(struct vrun *v, int after_tls)
{
	struct sw_error e = { 0 };
	char name[256], cmd[300], line[300], exc[400];
	const char *src;
	enum sw_err rc;

	session_ehlo_name(v->env.set, name, sizeof(name), &src);
	smtp_caps_unknown(&v->caps);
	if (settings_bool(v->env.set, "mail.smtp.ehlo")) {
		v->a.s.c.deadline = net_deadline(v->env.read_timeout_ms);
		if ((rc = session_ehlo(&v->a.s, name, &v->caps, &e)) != SW_OK)
			return verify_io_failed(v, rc, &e, VSTAGE_EHLO,
			    STEP_CONN, "the reply to EHLO");
		if (v->a.s.reply.code == 250)
			return GO;
		if (after_tls) {
			verify_reply_line(&v->a.s.reply, line, sizeof(line));
			return verify_stop(v, VERIFY_FAILED, VSTAGE_EHLO,
			    STEP_CONN, "javax.mail.MessagingException",
			    "After STARTTLS the server refused EHLO: \"%s\".",
			    line);
		}
	}
	snprintf(cmd, sizeof(cmd), "HELO %s", name);
	if ((rc = session_command(&v->a.s, cmd, &e)) != SW_OK)
		return verify_io_failed(v, rc, &e, VSTAGE_EHLO, STEP_CONN,
		    "the reply to HELO");
	smtp_caps_unknown(&v->caps);
	if (v->a.s.reply.code == 250)
		return GO;
	verify_reply_line(&v->a.s.reply, line, sizeof(line));
	snprintf(exc, sizeof(exc), "javax.mail.MessagingException: %s", line);
	return verify_stop(v, VERIFY_FAILED, VSTAGE_EHLO, STEP_CONN, exc,
	    "The server refused both EHLO and HELO %s (%s).", name, src);
}

static int
starttls(struct vrun *v, struct sw_error *err)
{
	struct sw_error e = { 0 };
	char line[300], exc[400];
	enum sw_err rc;
	int go;

	if (!(v->starttls || v->starttls_req) || v->tls_on)
		return GO;
	if (v->caps.starttls != TRI_YES) {
		if (!v->starttls_req)
			return GO;
		return verify_stop(v, VERIFY_FAILED, VSTAGE_STARTTLS, STEP_CONN,
		    "javax.mail.MessagingException: STARTTLS is required but "
		    "host does not support STARTTLS", "The server does not "
		    "offer STARTTLS after EHLO, and the block requires it.");
	}
	if ((rc = session_command(&v->a.s, "STARTTLS", &e)) != SW_OK)
		return verify_io_failed(v, rc, &e, VSTAGE_STARTTLS, STEP_CONN,
		    "the reply to STARTTLS");
	if (v->a.s.reply.code != 220) {
		verify_reply_line(&v->a.s.reply, line, sizeof(line));
		snprintf(exc, sizeof(exc), "javax.mail.MessagingException: %s",
		    line);
		return verify_stop(v, VERIFY_FAILED, VSTAGE_STARTTLS, STEP_CONN,
		    exc, "The server refused STARTTLS: \"%s\".", line);
	}
	if (link_pending(&v->a.s.c) > 0)
		link_discard(&v->a.s.c);
	if ((go = verify_handshake(v, "javax.mail.MessagingException: Could not "
	    "convert socket to TLS; nested exception is: ", err)) != GO)
		return go;
	return ehlo(v, 1);
}

/* ---- the session ---- */

/* Implicit TLS: connect, then the handshake before anything else. */
static int
open_tls(struct vrun *v, unsigned port, struct sw_error *err)
{
	char wrap[400];
	int go;

	if ((go = connect_to(v, port)) != GO)
		return go;
	snprintf(wrap, sizeof(wrap), "javax.mail.MessagingException: Could "
	    "not connect to SMTP host: %s, port: %u; nested exception is: ",
	    v->host, port);
	return verify_handshake(v, wrap, err);
}

static void
close_session(struct vrun *v)
{
	if (v->open)
		session_close(&v->a.s);
	v->open = v->tls_on = 0;
	tls_info_free(&v->ti);
	free(v->a.r);
	v->a.r = NULL;
	v->a.d = NULL;
}

/*
 * SocketFetcher.getSocket(): ssl.enable makes the socket TLS; a socket
 * factory class that makes TLS sockets does too, and when it fails for
 * any reason but a read time-out, socketFactory.fallback (true unless
 * set false) quietly connects again without TLS.
 */
static int
open_session(struct vrun *v, struct sw_error *err)
{
	int go;

	if (v->ssl)
		return open_tls(v, v->port, err);
	if (!v->sf_ssl)
		return connect_to(v, v->port);
	go = open_tls(v, v->sf_port, err);
	if (go != STOP || !v->sf_fallback ||
	    v->res->result == VERIFY_NOT_RUN ||
	    strstr(v->res->java_exception, "SocketTimeoutException") != NULL)
		return go;
	close_session(v);
	v->sf_ssl = 0;
	v->fell_back = 1;
	v->res->result = VERIFY_NOT_RUN;
	return connect_to(v, v->port);
}

static int
attempt(struct vrun *v, struct sw_error *err)
{
	int go;

	if ((go = open_session(v, err)) != GO || (go = greeting(v)) != GO ||
	    (go = ehlo(v, 0)) != GO || (go = starttls(v, err)) != GO ||
	    (go = verify_login(v, err)) != GO)
		return go;
	return verify_envelope(v);
}

enum sw_err
verify_run(const struct probe_env *env, const struct settings *final,
    struct verify_result *res, struct sw_error *err)
{
	struct vrun v;
	int64_t start = net_now_ms();
	int go;

	memset(&v, 0, sizeof(v));
	memset(res, 0, sizeof(*res));
	v.res = res;
	res->when = time(NULL);
	snprintf(res->mail_lib, sizeof(res->mail_lib), "%s",
	    final->lib == MAIL_LIB_ANGUS2 ? "jakarta-mail-2" :
	    "javamail-1.6.2");
	go = read_block(&v, env, final);
	if (go == GO)
		go = verify_load_java(&v, err);
	if (go == GO) {
		probe_progress(env, "verifying the settings block as Java %s "
		    "with %s would run it", res->java,
		    settings_lib_name(final->lib));
		go = attempt(&v, err);
	}
	if (go == STOP && v.version_cap && res->stage == VSTAGE_HANDSHAKE &&
	    res->result != VERIFY_VERIFIED) {
		/* mbedTLS 3.6 refuses an RSA-PSS signature on TLS 1.2 that
		 * it offered itself (see tls.c); Java would not fail there. */
		close_session(&v);
		go = attempt(&v, err);
	}
	if (go == GO) {
		res->result = VERIFY_VERIFIED;
		res->stage = VSTAGE_DONE;
		res->step = 0;
		res->java_exception[0] = '\0';
		snprintf(res->detail, sizeof(res->detail), "%s", v.fell_back ?
		    "The TLS connection failed and socketFactory.fallback "
		    "let Java connect without TLS." : "");
	}
	close_session(&v);
	javaprof_free(v.jp);
	suites_free(v.reg);
	res->elapsed_ms = net_now_ms() - start;
	if (go == ERR)
		return err->code;
	if (res->result == VERIFY_NOT_RUN && strcmp(res->detail,
	    "cancelled") == 0)
		return sw_fail(err, SW_ECANCEL, "cancelled");
	return SW_OK;
}
