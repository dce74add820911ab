/*
 * Step 5's test message: building it, and the MAIL/RCPT/DATA dialogue.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "mail_test.h"
#include "sanitize.h"
#include "session.h"
#include "version.h"

const char *
mail_result_name(enum mail_result r)
{
	switch (r) {
	case MAIL_SKIPPED:	return "skipped";
	case MAIL_ACCEPTED:	return "accepted";
	case MAIL_REJECTED:	return "rejected";
	case MAIL_FAILED:	return "failed";
	default:		return "not-requested";
	}
}

enum sw_err
mail_test_check_address(const char *addr, struct sw_error *err)
{
	const char *at = strchr(addr, '@'), *p;

	if (*addr == '\0')
		return sw_fail(err, SW_EUSAGE, "the address is empty");
	if (strlen(addr) > 254)
		return sw_fail(err, SW_EUSAGE, "the address is longer than "
		    "254 bytes");
	for (p = addr; *p != '\0'; p++)
		if ((unsigned char)*p <= ' ' || (unsigned char)*p >= 0x7f ||
		    strchr("<>,\"\\()[];:", *p) != NULL)
			return sw_fail(err, SW_EUSAGE, "\"%.60s\" is not a "
			    "plain address (no blanks, <>, quotes or "
			    "non-ASCII characters)", addr);
	if (at == NULL || at == addr || at[1] == '\0' ||
	    strchr(at + 1, '@') != NULL)
		return sw_fail(err, SW_EUSAGE, "\"%.60s\" is not an address "
		    "of the form user@domain", addr);
	return SW_OK;
}

size_t
mail_dot_stuff(const char *in, size_t len, char *out, size_t cap)
{
	size_t i, o = 0;
	int bol = 1;

	for (i = 0; i < len; i++) {
		char c = in[i];

		if (o + 3 > cap)
			return 0;
		if (bol && c == '.')
			out[o++] = '.';
		bol = 0;
		if (c == '\r' || c == '\n') {
			if (c == '\r' && i + 1 < len && in[i + 1] == '\n')
				i++;
			out[o++] = '\r';
			out[o++] = '\n';
			bol = 1;
			continue;
		}
		out[o++] = c;
	}
	if (o >= cap)
		return 0;
	out[o] = '\0';
	return o;
}

/* RFC 5322 §3.3 date-time, never localised (no strftime %a/%b). */
static void
rfc5322_date(time_t when, char *buf, size_t cap)
{
	static const char *const days[] = {
		"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
	static const char *const months[] = {
		"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep",
		"Oct", "Nov", "Dec" };
	struct tm tm;
	long off;

	localtime_r(&when, &tm);
	off = tm.tm_gmtoff / 60;
	snprintf(buf, cap, "%s, %02d %s %04d %02d:%02d:%02d %c%02ld%02ld",
	    days[tm.tm_wday % 7], tm.tm_mday, months[tm.tm_mon % 12],
	    tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec,
	    off < 0 ? '-' : '+', labs(off) / 60, labs(off) % 60);
}

size_t
mail_test_message(const struct mail_msg *m, char *buf, size_t cap)
{
	char date[64], text[2048];
	struct tm tm;
	char stamp[80];
	int n;

	rfc5322_date(m->when, date, sizeof(date));
	localtime_r(&m->when, &tm);
	snprintf(stamp, sizeof(stamp), "%04d-%02d-%02d %02d:%02d:%02d",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec);
	n = snprintf(text, sizeof(text),
	    "Date: %s\n"
	    "From: <%s>\n"
	    "To: <%s>\n"
	    "Subject: smtpwiz test message via %s\n"
	    "Message-ID: %s\n"
	    "MIME-Version: 1.0\n"
	    "Content-Type: text/plain; charset=us-ascii\n"
	    "Content-Transfer-Encoding: 7bit\n"
	    "X-Mailer: smtpwiz %s\n"
	    "\n"
	    "This is a test message from smtpwiz %s, sent at %s (%s)\n"
	    "from %s through %s.\n"
	    "It checks that this server accepts mail with the settings\n"
	    "smtpwiz tested; no reply is needed.\n"
	    "\n"
	    ".This line starts with a dot; the server must keep it.\n",
	    date, m->from, m->to, m->server, m->message_id, SMTPWIZ_VERSION,
	    SMTPWIZ_VERSION, stamp, strrchr(date, ' ') + 1, m->client,
	    m->server);
	if (n < 0 || (size_t)n >= sizeof(text))
		return 0;
	n = (int)mail_dot_stuff(text, (size_t)n, buf, cap);
	if (n == 0 || (size_t)n + 4 > cap)
		return 0;
	memcpy(buf + n, ".\r\n", 4);
	return (size_t)n + 3;
}

/* The token after text's first occurrence of key (case-blind). */
static int
token_after(const char *text, const char *key, char *out, size_t cap)
{
	size_t klen = strlen(key), n;
	const char *p;

	for (p = text; *p != '\0'; p++)
		if (strncasecmp(p, key, klen) == 0)
			break;
	if (*p == '\0')
		return 0;
	p += klen;
	p += strspn(p, " \t");
	n = strcspn(p, " \t\r\n;,<>[]()\"'");
	while (n > 0 && p[n - 1] == '.')
		n--;
	if (n == 0 || n >= cap)
		return 0;
	snprintf(out, cap, "%.*s", (int)n, p);
	return 1;
}

/* The blank-separated token just before the first occurrence of key. */
static int
token_before(const char *text, const char *key, char *out, size_t cap)
{
	const char *p = strcasestr(text, key), *e, *s;

	if (p == NULL)
		return 0;
	e = p;
	while (e > text && isspace((unsigned char)e[-1]))
		e--;
	s = e;
	while (s > text && !isspace((unsigned char)s[-1]))
		s--;
	if (e == s || (size_t)(e - s) >= cap)
		return 0;
	/* "2.0.0 Message accepted": that is the enhanced code. */
	if (isdigit((unsigned char)s[0]) && s[1] == '.' && e - s <= 9)
		return 0;
	snprintf(out, cap, "%.*s", (int)(e - s), s);
	return 1;
}

int
mail_queue_id(const char *text, char *out, size_t cap)
{
	if (cap > 0)
		out[0] = '\0';
	if (token_after(text, "queued as", out, cap) ||
	    token_after(text, "InternalId=", out, cap) ||
	    token_after(text, " id=", out, cap) ||
	    token_before(text, "Message accepted", out, cap) ||
	    token_before(text, " - gsmtp", out, cap))
		return 1;
	if (strncasecmp(text, "id=", 3) == 0)
		return token_after(text, "id=", out, cap);
	return 0;
}

static void
record(struct mail_test *mt, const char *stage, const struct smtp_reply *r)
{
	snprintf(mt->stage, sizeof(mt->stage), "%s", stage);
	mt->code = r->code;
	snprintf(mt->enhanced, sizeof(mt->enhanced), "%s", r->enhanced);
	auth_reply_format(r, mt->reply, sizeof(mt->reply));
}

static enum sw_err
broke(struct mail_test *mt, const char *stage, enum sw_err rc,
    const struct sw_error *e, struct sw_error *err)
{
	mt->result = MAIL_FAILED;
	snprintf(mt->stage, sizeof(mt->stage), "%s", stage);
	snprintf(mt->reason, sizeof(mt->reason), "the connection broke at "
	    "%s: %s", stage, sw_error_text(e));
	return sw_fail(err, rc, "%s", sw_error_text(e));
}

/* Sends a command; a reply other than want ends the test (RSET then). */
static int
step(struct session *s, struct mail_test *mt, const char *stage,
    const char *cmd, int want, enum sw_err *rc, struct sw_error *err)
{
	struct sw_error e = { 0 };

	*rc = session_command(s, cmd, &e);
	if (*rc != SW_OK) {
		broke(mt, stage, *rc, &e, err);
		return 0;
	}
	record(mt, stage, &s->reply);
	if (s->reply.code == want || (want == 250 && s->reply.code == 251))
		return 1;
	mt->result = MAIL_REJECTED;
	snprintf(mt->reason, sizeof(mt->reason), "the server refused %s",
	    stage);
	sw_error_clear(&e);
	(void)session_command(s, "RSET", &e);	/* as Java does */
	return 0;
}

/* Writes the message line by line, so the transcript shows lines. */
static enum sw_err
send_message(struct session *s, const char *msg, size_t len,
    struct sw_error *err)
{
	size_t i = 0, n;
	enum sw_err rc;

	s->c.deadline = net_deadline(s->env->read_timeout_ms);
	while (i < len) {
		const char *nl = memchr(msg + i, '\n', len - i);

		n = nl ? (size_t)(nl - (msg + i)) + 1 : len - i;
		rc = link_write(&s->c, msg + i, n, err);
		if (rc != SW_OK) {
			s->dead = 1;
			return rc;
		}
		i += n;
	}
	return SW_OK;
}

static void
make_message_id(const char *client, char *out, size_t cap)
{
	struct timespec ts;
	unsigned long r;

	clock_gettime(CLOCK_REALTIME, &ts);
	r = (unsigned long)ts.tv_nsec ^ ((unsigned long)getpid() << 16);
	snprintf(out, cap, "<smtpwiz.%lld.%lx@%.100s>", (long long)ts.tv_sec, r,
	    client[0] != '\0' && strchr(client, '.') ? client :
	    "smtpwiz.invalid");
}

enum sw_err
mail_test_run(struct session *s, const char *from, const char *to,
    const char *server, struct mail_test *mt, struct sw_error *err)
{
	struct mail_msg m;
	struct sw_error e = { 0 };
	char cmd[300], client[256], *msg;
	const char *src;
	enum sw_err rc;
	size_t len;
	int n;

	snprintf(mt->from, sizeof(mt->from), "%s", from);
	snprintf(mt->to, sizeof(mt->to), "%s", to);
	session_ehlo_name(s->env->set, client, sizeof(client), &src);
	make_message_id(client, mt->message_id, sizeof(mt->message_id));
	memset(&m, 0, sizeof(m));
	m.from = from;
	m.to = to;
	m.server = server;
	m.client = client;
	m.message_id = mt->message_id;
	m.when = time(NULL);
	if ((msg = malloc(8192)) == NULL)
		return sw_fail(err, SW_ENOMEM, "out of memory");
	len = mail_test_message(&m, msg, 8192);
	probe_progress(s->env, "test message: MAIL FROM:<%s> RCPT TO:<%s>",
	    from, to);
	n = snprintf(cmd, sizeof(cmd), "MAIL FROM:<%s>", from);
	if (len == 0 || n < 0 || (size_t)n >= sizeof(cmd)) {
		free(msg);
		mt->result = MAIL_SKIPPED;
		snprintf(mt->reason, sizeof(mt->reason), "the addresses are "
		    "too long");
		return SW_OK;
	}
	rc = SW_OK;
	if (!step(s, mt, "MAIL", cmd, 250, &rc, err))
		goto out;
	snprintf(cmd, sizeof(cmd), "RCPT TO:<%s>", to);
	if (!step(s, mt, "RCPT", cmd, 250, &rc, err) ||
	    !step(s, mt, "DATA", "DATA", 354, &rc, err))
		goto out;
	rc = send_message(s, msg, len, &e);
	if (rc == SW_OK)
		rc = session_reply(s, &e);
	if (rc != SW_OK) {
		broke(mt, ".", rc, &e, err);
		goto out;
	}
	record(mt, ".", &s->reply);
	if (s->reply.code == 250) {
		mt->result = MAIL_ACCEPTED;
		char id[sizeof(mt->queue_id)];

		if (mail_queue_id(s->reply.text ? s->reply.text : "", id,
		    sizeof(id)))
			sanitize_str(id, mt->queue_id, sizeof(mt->queue_id),
			    SAN_ASCII);
	} else {
		mt->result = MAIL_REJECTED;
		snprintf(mt->reason, sizeof(mt->reason), "the server refused "
		    "the message after it was sent");
	}
out:
	free(msg);
	return rc;
}
