/*
 * The sweep's runner: the dialogues the plan (sweep_plan.c) asks for --
 * connect, the SMTP preamble for STARTTLS, one ClientHello, read until
 * the server's ServerHello or alert, close -- multiplexed on one
 * poll().  Each connection goes through the named states HS_CONNECTING
 * -> HS_PREAMBLE -> HS_SENT -> HS_DONE, every transition traced to the
 * transcript, every wait bounded by the probe_env timeouts and the
 * cancel fd; each answer is classified and fed back to the plan.  See
 * sweep.h for the contract.
 */
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include "sanitize.h"
#include "session.h"
#include "smtp.h"
#include "sweep.h"
#include "sweep_int.h"
#include "sweep_pre.h"

/* Two whole records (RFC 5246 §6.2.3: 2^14 + 2048 bytes each). */
#define IN_CAP		(2 * (5 + 16384 + 2048))

enum hs_state { HS_CONNECTING, HS_PREAMBLE, HS_SENT, HS_DONE };

static const char *const hs_names[] = {
	"connecting", "preamble", "sent", "done"
};

struct hs_conn {
	int			 fd;
	enum hs_state		 st;
	enum sweep_pre_stage	 pre;
	struct sweep_probe	 p;
	int64_t			 t0, deadline;
	unsigned char		*in;
	size_t			 inlen;
	struct smtp_reply	 reply;
	unsigned char		*out;
	size_t			 outlen, outoff;
	struct sweep_answer	 ans;
};

struct runner {
	const struct sweep_target *t;
	const struct probe_env	*env;
	struct sweep_plan	*plan;
	struct sweep_stats	*stats;
	struct hello_reply	*rep;		/* large: one, shared */
	struct hs_conn		 c[SWEEP_CONN_MAX];
	int			 n;
};

static void
note(const struct runner *rn, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
note(const struct runner *rn, const char *fmt, ...)
{
	char buf[320];
	va_list ap;

	if (rn->env->note == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	probe_note(rn->env, NOTE_TLS, buf, strlen(buf));
}

static const char *
kind_word(enum sweep_kind k)
{
	return k == SWEEP_K_VERSION ? "version" : k == SWEEP_K_ORDER ?
	    "order" : "suites";
}

/* State transition, traced (OpenSMTPD's "%p: %s -> %s"). */
static void
go(const struct runner *rn, struct hs_conn *c, enum hs_state st)
{
	note(rn, "sweep #%u %s %s (%zu suites): %s -> %s", c->p.id,
	    hello_version_name(c->p.version), kind_word(c->p.kind),
	    c->p.nsuites, hs_names[c->st], hs_names[st]);
	c->st = st;
}

static void
finish(struct runner *rn, struct hs_conn *c, enum sweep_outcome o,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Ends the dialogue with an answer made here (not from hello_parse). */
static void
finish(struct runner *rn, struct hs_conn *c, enum sweep_outcome o,
    const char *fmt, ...)
{
	va_list ap;
	char raw[160];

	memset(&c->ans, 0, sizeof(c->ans));
	c->ans.outcome = o;
	va_start(ap, fmt);
	vsnprintf(raw, sizeof(raw), fmt, ap);
	va_end(ap);
	sanitize_str(raw, c->ans.reason, sizeof(c->ans.reason), 0);
	c->ans.after_hello = c->st == HS_SENT && o == SWEEP_RETRY;
	go(rn, c, HS_DONE);
}

/* Queues bytes and writes what the socket takes now. */
static int
send_bytes(struct runner *rn, struct hs_conn *c, const void *b, size_t n)
{
	ssize_t w;

	if (c->outoff < c->outlen) {
		finish(rn, c, SWEEP_BROKEN, "internal: write while writing");
		return -1;
	}
	if (n > HELLO_BUILD_MAX) {
		finish(rn, c, SWEEP_BROKEN, "internal: %zu bytes to send", n);
		return -1;
	}
	memcpy(c->out, b, n);
	c->outlen = n;
	c->outoff = 0;
	w = send(c->fd, c->out, n, MSG_NOSIGNAL);
	if (w < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
		finish(rn, c, SWEEP_RETRY, "send failed: %s", strerror(errno));
		return -1;
	}
	if (w > 0)
		c->outoff = (size_t)w;
	return 0;
}

static void
send_hello(struct runner *rn, struct hs_conn *c)
{
	struct hello_spec spec;
	unsigned char buf[HELLO_BUILD_MAX];
	struct sw_error e = { 0 };
	size_t len;

	memset(&spec, 0, sizeof(spec));
	spec.version = c->p.version;
	spec.suites = c->p.suites;
	spec.nsuites = c->p.nsuites;
	spec.sni = rn->t->sni;
	/* A fresh client random per probe: some servers cache by it. */
	memcpy(spec.random, &c->p.id, sizeof(c->p.id));
	spec.random[31] = 0x5a;
	if (hello_build(&spec, buf, sizeof(buf), &len, &e) != SW_OK) {
		finish(rn, c, SWEEP_FATAL, "cannot build the ClientHello: %s",
		    sw_error_text(&e));
		return;
	}
	c->inlen = 0;
	go(rn, c, HS_SENT);
	c->deadline = net_now_ms() + rn->env->read_timeout_ms;
	send_bytes(rn, c, buf, len);
}

static void
send_line(struct runner *rn, struct hs_conn *c, const char *line)
{
	char buf[600];
	int n = snprintf(buf, sizeof(buf), "%s\r\n", line);

	if (n < 0 || (size_t)n >= sizeof(buf)) {
		finish(rn, c, SWEEP_FATAL, "EHLO name too long");
		return;
	}
	smtp_reply_free(&c->reply);
	smtp_reply_init(&c->reply);
	c->deadline = net_now_ms() + rn->env->read_timeout_ms;
	send_bytes(rn, c, buf, (size_t)n);
}

/*
 * Consumes the preamble's whole replies from c->in (sweep_pre.c reads
 * and judges them) and sends what comes next: greeting, then EHLO,
 * then STARTTLS (RFC 3207), one command at a time (RFC 5321 §4.2).
 * 4xx is "not now" (421 rate limits, 454 TLS not available): retried,
 * never a verdict.  5xx means no probe will get through.
 */
static void
preamble_lines(struct runner *rn, struct hs_conn *c)
{
	char why[300], cmd[300];

	while (c->st == HS_PREAMBLE)
		switch (sweep_pre_feed(&c->pre, &c->reply, c->in, &c->inlen,
		    why, sizeof(why))) {
		case SWP_MORE:
			return;
		case SWP_EHLO:
			snprintf(cmd, sizeof(cmd), "EHLO %s",
			    rn->t->ehlo_name);
			send_line(rn, c, cmd);
			break;
		case SWP_STARTTLS:
			send_line(rn, c, "STARTTLS");
			break;
		case SWP_HELLO:
			send_hello(rn, c);	/* drops what followed */
			return;
		case SWP_RETRY:
			if (c->pre == PRE_GREETING)
				rn->stats->greeting_4xx++;
			finish(rn, c, SWEEP_RETRY, "%s", why);
			return;
		case SWP_FATAL:
			finish(rn, c, SWEEP_FATAL, "%s", why);
			return;
		}
}

static void
connected(struct runner *rn, struct hs_conn *c)
{
	int soerr = 0;
	socklen_t sl = sizeof(soerr);

	if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) < 0)
		soerr = errno;
	if (soerr != 0) {
		rn->stats->refused++;
		finish(rn, c, SWEEP_RETRY, "connect: %s", strerror(soerr));
		return;
	}
	setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &(int){ 1 }, sizeof(int));
	if (rn->t->starttls) {
		go(rn, c, HS_PREAMBLE);
		c->pre = PRE_GREETING;
		c->deadline = net_now_ms() + rn->env->read_timeout_ms;
	} else
		send_hello(rn, c);
}

/*
 * An SMTP reply where a TLS record was expected: on an implicit-TLS
 * port a busy server (Exim's smtp_accept_max, Postfix's anvil) still
 * says "421 ..." in clear text, before or instead of the handshake.
 * 4xx is "not now", 5xx "never".  Returns 1 when it was one.
 */
static int
smtp_instead_of_tls(struct runner *rn, struct hs_conn *c)
{
	char line[160];
	int cls = sweep_pre_smtp_line(c->in, c->inlen, line, sizeof(line));

	if (cls == 0)
		return 0;
	if (cls == 4) {
		rn->stats->greeting_4xx++;
		finish(rn, c, SWEEP_RETRY, "the server answered %s instead "
		    "of TLS", line);
		c->ans.after_hello = 0;		/* busy, not a refusal */
	} else
		finish(rn, c, SWEEP_FATAL, "the server answered %s instead "
		    "of TLS", line);
	return 1;
}

static void
sent_data(struct runner *rn, struct hs_conn *c)
{
	enum hello_kind k = hello_parse(c->in, c->inlen, rn->rep);

	if (k == HELLO_NEED_MORE)
		goto more;
	if (k == HELLO_NOT_TLS && smtp_instead_of_tls(rn, c))
		return;
	/* A warning (unrecognized_name, say) may be followed by the
	 * ServerHello: read on, unless it was close_notify. */
	if (k == HELLO_ALERT && rn->rep->alert_level == 1 &&
	    rn->rep->alert_desc != 0)
		goto more;
	sweep_classify(&c->p, k, rn->rep, &c->ans);
	go(rn, c, HS_DONE);
	return;
more:
	if (c->inlen >= IN_CAP)
		finish(rn, c, SWEEP_BROKEN, "no ServerHello in the first %d "
		    "bytes", IN_CAP);
}

/* The peer closed (got 0) or reset the connection. */
static void
closed(struct runner *rn, struct hs_conn *c, int reset)
{
	rn->stats->resets++;
	if (c->st == HS_SENT && c->inlen > 0) {
		enum hello_kind k = hello_parse(c->in, c->inlen, rn->rep);

		if (k == HELLO_NOT_TLS && smtp_instead_of_tls(rn, c))
			return;
		if (k == HELLO_ALERT) {		/* a warning, then EOF */
			sweep_classify(&c->p, k, rn->rep, &c->ans);
			go(rn, c, HS_DONE);
			return;
		}
	}
	finish(rn, c, SWEEP_RETRY, "the server %s the connection %s",
	    reset ? "reset" : "closed",
	    c->st == HS_SENT ? "after the ClientHello" :
	    c->pre == PRE_GREETING ? "before its greeting" :
	    c->pre == PRE_EHLO ? "after EHLO" : "after STARTTLS");
}

static void
readable(struct runner *rn, struct hs_conn *c)
{
	ssize_t r;

	if (c->inlen >= IN_CAP) {
		finish(rn, c, SWEEP_BROKEN, "the server sent more than %d "
		    "bytes", IN_CAP);
		return;
	}
	r = recv(c->fd, c->in + c->inlen, IN_CAP - c->inlen, 0);
	if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK ||
	    errno == EINTR))
		return;
	if (r <= 0) {
		closed(rn, c, r < 0);
		return;
	}
	c->inlen += (size_t)r;
	if (c->st == HS_PREAMBLE)
		preamble_lines(rn, c);
	else if (c->st == HS_SENT)
		sent_data(rn, c);
	/* Bytes before the greeting on implicit TLS cannot happen: we
	 * talk first. */
}

static void
writable(struct runner *rn, struct hs_conn *c)
{
	ssize_t w = send(c->fd, c->out + c->outoff, c->outlen - c->outoff,
	    MSG_NOSIGNAL);

	if (w < 0 && errno != EAGAIN && errno != EWOULDBLOCK &&
	    errno != EINTR) {
		closed(rn, c, 1);
		return;
	}
	if (w > 0)
		c->outoff += (size_t)w;
}

static void
conn_drop(struct runner *rn, int i)
{
	struct hs_conn *c = &rn->c[i];

	if (c->fd >= 0)
		close(c->fd);
	smtp_reply_free(&c->reply);
	free(c->in);
	free(c->out);
	rn->c[i] = rn->c[--rn->n];
}

/*
 * Through a proxy (as Java would go) the tunnel is set up before the
 * connection joins the poll: one blocking dial each, bounded by the
 * connect timeout.  Returns 0 when there is no proxy.
 */
static int
conn_via_proxy(struct runner *rn, struct hs_conn *c,
    const struct sweep_probe *p)
{
	struct proxy px;
	struct sw_error e = { 0 };

	session_proxy(rn->env, &px);
	if (px.kind == PROXY_NONE)
		return 0;
	rn->stats->connections++;
	if ((unsigned)rn->n > rn->stats->max_parallel)
		rn->stats->max_parallel = (unsigned)rn->n;
	note(rn, "sweep #%u %s %s (%zu suites): try %d, through the %s proxy",
	    p->id, hello_version_name(p->version), kind_word(p->kind),
	    p->nsuites, p->attempt, proxy_kind_name(px.kind));
	if (proxy_dial(&px, rn->t->sni, &rn->t->addr, c->deadline,
	    rn->env->cancel_fd, &c->fd, &e) != SW_OK) {
		rn->stats->refused++;
		finish(rn, c, e.code == SW_ECANCEL ? SWEEP_FATAL : SWEEP_RETRY,
		    "%s", sw_error_text(&e));
		return 1;
	}
	connected(rn, c);
	return 1;
}

static void
conn_start(struct runner *rn, const struct sweep_probe *p)
{
	struct hs_conn *c = &rn->c[rn->n++];
	const struct net_addr *a = &rn->t->addr;

	memset(c, 0, sizeof(*c));
	c->p = *p;
	c->st = HS_CONNECTING;
	c->t0 = net_now_ms();
	c->deadline = c->t0 + rn->env->connect_timeout_ms;
	smtp_reply_init(&c->reply);
	c->in = malloc(IN_CAP);
	c->out = malloc(HELLO_BUILD_MAX);
	c->fd = -1;
	if (c->in == NULL || c->out == NULL) {
		finish(rn, c, SWEEP_FATAL, "out of memory");
		return;
	}
	if (conn_via_proxy(rn, c, p))
		return;
	c->fd = socket(a->family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0);
	if (c->fd < 0) {
		finish(rn, c, SWEEP_RETRY, "socket: %s", strerror(errno));
		return;
	}
	rn->stats->connections++;
	if ((unsigned)rn->n > rn->stats->max_parallel)
		rn->stats->max_parallel = (unsigned)rn->n;
	note(rn, "sweep #%u %s %s (%zu suites): try %d, connecting",
	    p->id, hello_version_name(p->version), kind_word(p->kind),
	    p->nsuites, p->attempt);
	if (connect(c->fd, (const struct sockaddr *)&a->ss, a->len) == 0)
		connected(rn, c);
	else if (errno != EINPROGRESS) {
		rn->stats->refused++;
		finish(rn, c, SWEEP_RETRY, "connect: %s", strerror(errno));
	}
}

static void
conn_answer(struct runner *rn, int i, int64_t now)
{
	struct hs_conn *c = &rn->c[i];
	char sb[16] = "";

	struct sweep_counts n;

	c->ans.ms = now - c->t0;
	if (c->ans.outcome == SWEEP_ACCEPT)
		snprintf(sb, sizeof(sb), " 0x%04X", c->ans.suite);
	/* Fed first: the line ends with the answers so far and the total
	 * the plan now expects ("[23/70]"), the wizard's progress. */
	sweep_plan_feed(rn->plan, now, &c->p, &c->ans);
	sweep_plan_counts(rn->plan, &n);
	note(rn, "sweep #%u %s %s: %s%s%s%s (%lld ms) [%u/%u]", c->p.id,
	    hello_version_name(c->p.version), kind_word(c->p.kind),
	    c->ans.outcome == SWEEP_ACCEPT ? "accepted" :
	    c->ans.outcome == SWEEP_REFUSE ? "refused" :
	    c->ans.outcome == SWEEP_RETRY ? "no answer" :
	    c->ans.outcome == SWEEP_FATAL ? "stop" : "broken", sb,
	    c->ans.reason[0] ? ": " : "", c->ans.reason,
	    (long long)c->ans.ms, n.probes, n.planned);
	conn_drop(rn, i);
}

static void
conn_timeout(struct runner *rn, struct hs_conn *c)
{
	int sent = c->st == HS_SENT;

	rn->stats->timeouts++;
	finish(rn, c, SWEEP_RETRY, "no answer %s within %d ms",
	    c->st == HS_CONNECTING ? "to the connection attempt" :
	    c->st == HS_SENT ? "to the ClientHello" :
	    c->pre == PRE_GREETING ? "(no greeting)" :
	    c->pre == PRE_EHLO ? "to EHLO" : "to STARTTLS",
	    c->st == HS_CONNECTING ? rn->env->connect_timeout_ms :
	    rn->env->read_timeout_ms);
	/* Silence after the hello is handled like a close after it. */
	c->ans.timeout = !sent;
}

static short
conn_events(const struct hs_conn *c)
{
	if (c->st == HS_CONNECTING || c->outoff < c->outlen)
		return POLLOUT;
	return POLLIN;
}

static void
conn_event(struct runner *rn, struct hs_conn *c, short rev)
{
	if (c->st == HS_CONNECTING) {
		if (rev & (POLLOUT | POLLERR | POLLHUP))
			connected(rn, c);
		return;
	}
	if (rev & POLLOUT)
		writable(rn, c);
	if (c->st != HS_DONE && (rev & (POLLIN | POLLERR | POLLHUP)))
		readable(rn, c);
}

enum sw_err
sweep_run(struct sweep_plan *plan, const struct sweep_target *t,
    const struct probe_env *env, struct sweep_stats *stats,
    struct sw_error *err)
{
	struct runner *rn;
	struct sweep_stats dummy;
	struct sweep_probe p;
	struct pollfd pfd[SWEEP_CONN_MAX + 1];
	int64_t t0 = net_now_ms(), now, wake, until;
	enum sw_err rc = SW_OK;
	int i, r;

	if (stats == NULL)
		stats = &dummy;
	memset(stats, 0, sizeof(*stats));
	if ((rn = calloc(1, sizeof(*rn))) == NULL ||
	    (rn->rep = malloc(sizeof(*rn->rep))) == NULL) {
		free(rn);
		return sw_fail(err, SW_ENOMEM, "out of memory for the sweep");
	}
	rn->t = t;
	rn->env = env;
	rn->plan = plan;
	rn->stats = stats;
	note(rn, "sweep plan: %u hellos expected [0/%u]",
	    sweep_plan_estimate(plan), sweep_plan_estimate(plan));
	for (;;) {
		now = net_now_ms();
		for (i = rn->n - 1; i >= 0; i--)
			if (rn->c[i].st == HS_DONE)
				conn_answer(rn, i, now);
		r = 0;
		wake = -1;
		while (rn->n < SWEEP_CONN_MAX &&
		    (r = sweep_plan_next(plan, now, &p, &wake)) == 1) {
			conn_start(rn, &p);
			if (rn->c[rn->n - 1].st == HS_DONE)
				break;	/* refused at once: feed it */
		}
		if (rn->n > 0 && rn->c[rn->n - 1].st == HS_DONE)
			continue;
		if (rn->n == 0 && (r == -1 || wake < 0))
			break;
		until = wake;
		for (i = 0; i < rn->n; i++) {
			pfd[i].fd = rn->c[i].fd;
			pfd[i].events = conn_events(&rn->c[i]);
			pfd[i].revents = 0;
			if (until < 0 || rn->c[i].deadline < until)
				until = rn->c[i].deadline;
		}
		pfd[rn->n].fd = env->cancel_fd;
		pfd[rn->n].events = POLLIN;
		pfd[rn->n].revents = 0;
		until -= now;
		if (poll(pfd, (nfds_t)rn->n + 1, until < 0 ? 0 :
		    until > 60000 ? 60000 : (int)until) < 0 && errno != EINTR) {
			rc = sw_fail(err, SW_EIO, "poll: %s", strerror(errno));
			break;
		}
		if (env->cancel_fd >= 0 && pfd[rn->n].revents) {
			rc = sw_fail(err, SW_ECANCEL, "cancelled");
			break;
		}
		now = net_now_ms();
		for (i = 0; i < rn->n; i++) {
			struct hs_conn *c = &rn->c[i];

			if (pfd[i].revents)
				conn_event(rn, c, pfd[i].revents);
			if (c->st != HS_DONE && now >= c->deadline)
				conn_timeout(rn, c);
		}
	}
	while (rn->n > 0)
		conn_drop(rn, rn->n - 1);
	stats->elapsed_ms = net_now_ms() - t0;
	free(rn->rep);
	free(rn);
	return rc;
}
