/*
 * The error decoder: the asset tables load and cover the reference
 * table (tests/data/explain/reference-samples.tsv, one sample per row),
 * real stack traces decode to the right ids in the right order
 * (tests/data/explain/NN-*.{txt,log} with NN-*.expected), SMTP replies
 * decode by code, enhanced code and wording, malformed assets fail with
 * file:line, and hostile input stays harmless.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "explain.h"
#include "probe.h"
#include "replycode.h"
#include "smtp.h"
#include "tap.h"
#include "testutil.h"

#define DATA_DIR	"tests/data/explain"

static struct explain_db *db;

/* explain_text() on a C string; the result is static. */
static struct explain_result *
run(const char *text, size_t len)
{
	static struct explain_result res;
	struct sw_error e = { 0 };

	if (explain_text(db, text, len, &res, &e) != SW_OK) {
		printf("# explain_text: %s\n", sw_error_text(&e));
		memset(&res, 0, sizeof(res));
	}
	return &res;
}

static struct explain_result *
run_str(const char *text)
{
	return run(text, strlen(text));
}

/* "id step\n" for every hit, the .expected format. */
static void
summary(const struct explain_result *r, char *out, size_t cap)
{
	size_t i, o = 0;

	out[0] = '\0';
	for (i = 0; i < r->n && o < cap; i++)
		o += (size_t)snprintf(out + o, cap - o, "%s %s\n",
		    r->hits[i].entry->id,
		    explain_step_token(r->hits[i].entry->step));
}

static int
has_id(const struct explain_result *r, const char *id)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (strcmp(r->hits[i].entry->id, id) == 0)
			return 1;
	return 0;
}

static void
test_load(void)
{
	static const char *const required[] = {
		/* issue 5, point 3 */
		"smtp-530-5.7.0", "smtp-534-5.7.9", "smtp-535-5.7.3",
		"smtp-535-5.7.8", "smtp-535-5.7.139", "smtp-538-5.7.11",
		"smtp-454-4.7.0", "smtp-421-4.7.0", "smtp-550-5.7.1",
		/* basic-code fallbacks */
		"smtp-421", "smtp-450", "smtp-451", "smtp-452", "smtp-454",
		"smtp-500", "smtp-501", "smtp-502", "smtp-503", "smtp-504",
		"smtp-530", "smtp-534", "smtp-535", "smtp-538", "smtp-550",
		"smtp-551", "smtp-552", "smtp-553", "smtp-554",
		"smtp-4xx", "smtp-5xx",
		/* enhanced-code subjects (RFC 3463 §3) */
		"smtp-x.0", "smtp-x.1", "smtp-x.2", "smtp-x.3", "smtp-x.4",
		"smtp-x.5", "smtp-x.6", "smtp-x.7",
		/* the ids the issue names */
		"pkix-path", "unrecognized-ssl-message",
	};
	const struct explain_entry *e;
	struct sw_error err = { 0 };
	const char *dir = getenv("SMTPWIZ_ASSETS");
	size_t i, nreply = 0, nset = 0;
	int ok = 1;

	CHECK_INT(explain_db_load(&db, dir ? dir : "assets", &err), SW_OK);
	if (db == NULL) {
		printf("# %s\n", sw_error_text(&err));
		exit(tap_done() | 1);
	}
	printf("# %zu entries\n", explain_db_count(db));
	CHECK(explain_db_count(db) >= 100);
	for (i = 0; i < sizeof(required) / sizeof(required[0]); i++)
		if (explain_db_find(db, required[i]) == NULL) {
			printf("# missing entry %s\n", required[i]);
			ok = 0;
		}
	CHECK(ok);
	for (i = 0, ok = 1; i < explain_db_count(db); i++) {
		e = explain_db_entry(db, i);
		nreply += e->is_reply;
		nset += e->nset > 0;
		if (e->title[0] == '\0' || e->cause[0] == '\0' ||
		    e->fix[0] == '\0' || e->step < 1 ||
		    e->step > EXPLAIN_STEP_LOG || strstr(e->cause, "  ") ||
		    !(e->steps & (1u << e->step)))
			ok = 0;
	}
	printf("# %zu reply entries, %zu with settings\n", nreply, nset);
	CHECK(ok);
	CHECK(nreply >= 60);
	CHECK(explain_db_find(db, "no-such-id") == NULL);
	e = explain_db_find(db, "no-appropriate-protocol");
	CHECK(e != NULL && e->nset == 1 &&
	    strcmp(e->set[0].key, "mail.smtp.ssl.protocols") == 0 &&
	    strcmp(e->set[0].value, "TLSv1.2") == 0);
	e = explain_db_find(db, "no-appropriate-cipher");
	CHECK(e != NULL && e->nset == 1 && e->set[0].value[0] == '\0');
}

static void
test_step_titles(void)
{
	char want[64];
	int s;

	for (s = 1; s <= STEP_COUNT; s++) {
		snprintf(want, sizeof(want), "Step %d: %s", s, step_title(s));
		CHECK_STR(explain_step_title(s), want);
	}
	CHECK_STR(explain_step_title(EXPLAIN_STEP_NET),
	    "Network, DNS or firewall");
	CHECK_STR(explain_step_token(EXPLAIN_STEP_LOG), "LOG");
	CHECK_STR(explain_step_token(0), "?");
}

static void
test_reply_table(void)
{
	static const struct {
		int		 code;
		const char	*enh, *text, *want;
	} t[] = {
		{ 530, "5.7.0", "Must issue a STARTTLS command first",
		    "smtp-530-starttls-first" },
		{ 530, "5.7.0", "Authentication required", "smtp-530-5.7.0" },
		{ 530, NULL, "Must issue a STARTTLS command first",
		    "smtp-530-starttls-first" },
		{ 530, NULL, NULL, "smtp-530" },
		{ 534, "5.7.9", "Authentication mechanism is too weak",
		    "smtp-534-5.7.9" },
		{ 534, "5.7.9", "Application-specific password required.",
		    "smtp-534-5.7.9-app-password" },
		{ 535, "5.7.3", "Authentication unsuccessful",
		    "smtp-535-5.7.3" },
		{ 535, "5.7.8", "Error: authentication failed",
		    "smtp-535-5.7.8" },
		{ 535, "5.7.8", "Username and Password not accepted.",
		    "smtp-535-5.7.8-gmail" },
		{ 535, "5.7.139", "Authentication unsuccessful",
		    "smtp-535-5.7.139" },
		{ 0, "5.7.139", NULL, "smtp-535-5.7.139" },
		{ 538, "5.7.11", NULL, "smtp-538-5.7.11" },
		{ 454, "4.7.0", "Temporary authentication failure",
		    "smtp-454-4.7.0" },
		{ 454, "4.7.0", "TLS not available due to local problem",
		    "smtp-454-tls-unavailable" },
		{ 421, "4.7.0", "Try again later, closing connection.",
		    "smtp-421-4.7.0" },
		{ 421, NULL, "Too many connections", "smtp-421-too-many" },
		{ 550, "5.7.1", "Message refused", "smtp-550-5.7.1" },
		{ 550, "5.7.1", "Unable to relay", "smtp-relay-denied" },
		{ 550, "5.1.1", "User unknown", "smtp-recipient-unknown" },
		{ 550, "5.1.1", NULL, "smtp-x.1.1" },
		{ 451, "4.7.1", "Greylisted, see http://postgrey.example/",
		    "smtp-greylisted" },
		{ 451, "4.7.1", "Please try again later", "smtp-4xx-policy" },
		{ 450, "4.7.1", NULL, "smtp-4xx-policy" },
		{ 550, "5.7.1", NULL, "smtp-550-5.7.1" },
		{ 0, "4.7.1", NULL, "smtp-4xx-policy" },
		{ 421, "4.7.66", "TLS 1.0 and 1.1 are not supported. Please "
		    "upgrade/update your client to support TLS 1.2.",
		    "smtp-tls-version-refused" },
		{ 550, "5.1.99", NULL, "smtp-x.1" },
		{ 451, "4.3.0", NULL, "smtp-x.3" },
		{ 599, "5.9.9", NULL, "smtp-5xx" },
		{ 471, NULL, NULL, "smtp-4xx" },
		{ 554, "5.7.28", NULL, "smtp-x.7" },
		{ 503, NULL, "5.5.1 Error: send HELO/EHLO first",
		    "smtp-503" },
		{ 504, "5.5.2", "<localhost>: Helo command rejected: need "
		    "fully-qualified hostname", "smtp-helo-rejected" },
		{ 250, NULL, "OK", NULL },
		{ 220, "2.0.0", "Ready to start TLS", NULL },
		{ 0, NULL, NULL, NULL },
		{ 0, "2.0.0", NULL, NULL },
		{ 700, NULL, NULL, NULL },
	};
	const struct explain_entry *e;
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		e = explain_reply(db, t[i].code, t[i].enh, t[i].text);
		if (t[i].want == NULL) {
			CHECK(e == NULL);
			continue;
		}
		CHECK_STR(e ? e->id : "(none)", t[i].want);
	}
}

static void
test_smtp_reply(void)
{
	static const char *const lines[] = {
		"454-4.7.0 TLS not available due to local problem",
		"454 4.7.0 try again later", NULL,
	};
	const struct explain_entry *e;
	struct smtp_reply r;
	struct sw_error err = { 0 };
	size_t i;

	smtp_reply_init(&r);
	for (i = 0; lines[i] != NULL; i++)
		CHECK_INT(smtp_reply_feed(&r, lines[i], strlen(lines[i]),
		    &err), SW_OK);
	e = explain_smtp_reply(db, &r);
	CHECK_STR(e ? e->id : "(none)", "smtp-454-tls-unavailable");
	smtp_reply_free(&r);
	smtp_reply_init(&r);
	smtp_reply_feed(&r, "235 2.7.0 Authentication successful", 35, &err);
	CHECK(explain_smtp_reply(db, &r) == NULL);
	smtp_reply_free(&r);
}

static void
test_replycode(void)
{
	struct replycode_enh e;
	struct replycode_pat p;
	struct replycode_span sp;
	struct sw_error err = { 0 };
	char buf[16];
	size_t pos;

	CHECK_INT(replycode_enh_parse("5.7.139 x", 9, &e), 7);
	CHECK(e.cls == 5 && e.subj == 7 && e.detail == 139);
	replycode_enh_format(&e, buf, sizeof(buf));
	CHECK_STR(buf, "5.7.139");
	CHECK_INT(replycode_enh_parse("5.7.1234", 8, &e), 0);
	CHECK_INT(replycode_enh_parse("5.7.8.1", 7, &e), 0);
	CHECK_INT(replycode_enh_parse("3.7.8", 5, &e), 0);
	CHECK_INT(replycode_enh_parse("5.7.", 4, &e), 0);
	CHECK_INT(replycode_enh_parse("5.7.8.", 6, &e), 5);

	CHECK_INT(replycode_pat_parse("535 5.7.8", &p, &err), SW_OK);
	CHECK(p.code == 535 && p.has_enh && p.ecls == 5 && p.edetail == 8);
	e = (struct replycode_enh){ 5, 7, 8 };
	CHECK_INT(replycode_pat_score(&p, 535, &e), 16);
	CHECK_INT(replycode_pat_score(&p, 0, &e), 12);
	CHECK_INT(replycode_pat_score(&p, 534, &e), -1);
	CHECK_INT(replycode_pat_score(&p, 535, NULL), -1);
	CHECK_INT(replycode_pat_parse("5xx x.7.*", &p, &err), SW_OK);
	CHECK_INT(replycode_pat_score(&p, 550, &e), 6);
	CHECK_INT(replycode_pat_score(&p, 450, &e), -1);
	CHECK_INT(replycode_pat_parse("*", &p, &err), SW_EASSET);
	sw_error_clear(&err);
	CHECK_INT(replycode_pat_parse("53", &p, &err), SW_EASSET);
	sw_error_clear(&err);
	CHECK_INT(replycode_pat_parse("535 5.7", &p, &err), SW_EASSET);
	sw_error_clear(&err);
	CHECK_INT(replycode_pat_parse("535 5.7.8 x", &p, &err), SW_EASSET);
	sw_error_clear(&err);

	/* Where a code is a reply and where it is just a number. */
#define SCAN(s, want_code) do {						\
	pos = 0;							\
	CHECK_INT(replycode_scan(s, strlen(s), &pos, &sp) ?		\
	    sp.code : -1, want_code);					\
} while (0)
	SCAN("x Exception: 535 Authentication failed", 535);
	SCAN("AuthenticationFailedException: 535 5.7.8 Error", 535);
	SCAN("Could not connect to SMTP host: h, port: 25, response: 421",
	    421);
	SCAN("<<< 535 5.7.8 bad", 535);
	SCAN("S: 421 busy", 421);
	SCAN("  550", 550);
	SCAN("2024-01-01 10:11:12,535 ERROR x", -1);
	SCAN("at SMTPTransport.java:535)", -1);
	SCAN("port: 587", -1);
	SCAN("timeout 450 ms", -1);
	SCAN("JavaMail 1.6.2 on 5.7.8.1", -1);
	SCAN("5.7.139", 0);
	SCAN("250 2.0.0 OK", -1);
	pos = 0;
	CHECK(replycode_scan("535-5.7.8 a\n535 5.7.8 b\nnext", 27, &pos,
	    &sp) == 1 && sp.end == 23 && pos == 23);
#undef SCAN
}

/* Every NN-name.{txt,log} with NN-name.expected in DATA_DIR. */
static void
test_traces(void)
{
	char path[512], want_path[512], got[2048], *text, *want, *dot;
	struct explain_result *r;
	struct dirent *de;
	size_t len, wlen, i;
	int n = 0;
	DIR *d = opendir(DATA_DIR);

	CHECK(d != NULL);
	if (d == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] < '0' || de->d_name[0] > '9' ||
		    (dot = strrchr(de->d_name, '.')) == NULL ||
		    strcmp(dot, ".expected") == 0)
			continue;
		snprintf(path, sizeof(path), DATA_DIR "/%s", de->d_name);
		snprintf(want_path, sizeof(want_path),
		    DATA_DIR "/%.*s.expected", (int)(dot - de->d_name),
		    de->d_name);
		text = slurp(path, &len);
		want = slurp(want_path, &wlen);
		CHECK(text != NULL && want != NULL);
		if (text != NULL && want != NULL) {
			r = run(text, len);
			summary(r, got, sizeof(got));
			printf("# %s\n", de->d_name);
			CHECK_STR(got, want);
			for (i = 0; i < r->n; i++)
				if (strchr(r->hits[i].match, '\n') ||
				    r->hits[i].match[0] == '\0')
					printf("# bad match text for %s\n",
					    r->hits[i].entry->id), n = -1000;
		}
		free(text);
		free(want);
		n++;
	}
	closedir(d);
	CHECK(n >= 15);
}

static void
test_reference_samples(void)
{
	char *text, *line, *tab, *save = NULL;
	struct explain_result *r;
	size_t len;
	int n = 0, bad = 0;

	text = slurp(DATA_DIR "/reference-samples.tsv", &len);
	CHECK(text != NULL);
	if (text == NULL)
		return;
	for (line = strtok_r(text, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		if (line[0] == '#' || (tab = strchr(line, '\t')) == NULL)
			continue;
		*tab = '\0';
		r = run_str(tab + 1);
		n++;
		if (explain_db_find(db, line) == NULL || !has_id(r, line)) {
			char got[1024];

			summary(r, got, sizeof(got));
			printf("# not recognised as %s: %s\n# got: %s\n", line,
			    tab + 1, got);
			bad++;
		}
	}
	free(text);
	printf("# %d reference samples\n", n);
	CHECK(n >= 120);
	CHECK_INT(bad, 0);
	/* 2xx and 3xx replies are not errors. */
	CHECK_INT(run_str("220 smtp.example.com ESMTP Postfix\n250-STARTTLS\n"
	    "334 VXNlcm5hbWU6\n235 2.7.0 Authentication successful\n"
	    "354 End data with <CR><LF>.<CR><LF>\n221 2.0.0 Bye\n")->n, 0);
}

/*
 * The corpus of real-world texts (tests/data/explain/corpus-*.txt):
 * the first hit of every record must be the expected entry, with its
 * primary step and its temporary flag.  Prints the hit rate.
 */
static int
corpus_record(const char *head, const char *text, size_t len)
{
	char id[64], step[8], temp[8];
	struct explain_result *r;
	const struct explain_hit *h;
	int ok;

	if (sscanf(head, "%63s %7s %7s", id, step, temp) != 3) {
		printf("# bad corpus header: %s\n", head);
		return 0;
	}
	r = run(text, len);
	h = r->n > 0 ? &r->hits[0] : NULL;
	ok = h != NULL && strcmp(h->entry->id, id) == 0 &&
	    strcmp(explain_step_token(h->entry->step), step) == 0 &&
	    h->temporary == (strcmp(temp, "temp") == 0);
	if (!ok)
		printf("# corpus miss: want %s %s %s, got %s %s %s: %.70s\n",
		    id, step, temp, h ? h->entry->id : "(nothing)",
		    h ? explain_step_token(h->entry->step) : "-",
		    h ? (h->temporary ? "temp" : "perm") : "-", text);
	return ok;
}

static void
test_corpus(void)
{
	static const char *const files[] = { "corpus-1.txt", "corpus-2.txt",
	    "corpus-3.txt" };
	char path[256], *buf, *p, *next, *nl, *head;
	size_t len, i;
	int n = 0, good = 0;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), DATA_DIR "/%s", files[i]);
		buf = slurp(path, &len);
		CHECK(buf != NULL);
		if (buf == NULL)
			continue;
		for (p = strstr(buf, "\n## "); p != NULL; p = next) {
			head = p + 4;
			if ((nl = strchr(head, '\n')) == NULL)
				break;
			*nl = '\0';
			next = strstr(nl + 1, "\n## ");
			n++;
			good += corpus_record(head, nl + 1, next ?
			    (size_t)(next - (nl + 1)) + 1 : strlen(nl + 1));
		}
		free(buf);
	}
	printf("# corpus: %d of %d texts decoded as expected\n", good, n);
	CHECK(n >= 150);
	CHECK_INT(good, n);
}

static void
check_bad_asset(const char *asset, const char *want)
{
	struct explain_db *d = explain_db_new();
	struct sw_error err = { 0 };
	enum sw_err rc;

	rc = explain_db_parse(d, "t.txt", asset, strlen(asset), &err);
	CHECK_INT(rc, SW_EASSET);
	if (strncmp(err.msg, want, strlen(want)) != 0)
		printf("# got \"%s\", want \"%s...\"\n", err.msg, want);
	CHECK(strncmp(err.msg, want, strlen(want)) == 0);
	explain_db_free(d);
}

#define REC(extra) "id: a\ntitle: t\nstep: 1\ncause: c\nfix: f\n" extra

static void
test_loader_errors(void)
{
	struct explain_db *d = explain_db_new();
	struct sw_error err = { 0 };
	const struct explain_entry *e;
	const char *good = "# comment\n\n" REC("match: abc\nset: k.x=v\n"
	    "source: s\n  more\n") "\nid: b\ntitle: t\nstep: NET 1\n"
	    "reply: 5xx x.7.*\ntext: Foo\ncause: c\nfix: f\n";

	CHECK_INT(explain_db_parse(d, "t.txt", good, strlen(good), &err),
	    SW_OK);
	CHECK_INT(explain_db_count(d), 2);
	e = explain_db_find(d, "a");
	CHECK(e != NULL && e->line == 3 && strcmp(e->source, "s more") == 0);
	e = explain_db_find(d, "b");
	CHECK(e != NULL && e->is_reply && e->step == EXPLAIN_STEP_NET &&
	    e->steps == ((1u << EXPLAIN_STEP_NET) | (1u << 1)));
	CHECK(explain_reply(d, 550, "5.7.1", "x fOO y") == e);
	CHECK(explain_reply(d, 550, "5.7.1", "bar") == NULL);
	explain_db_free(d);

	check_bad_asset(REC("match: abc\nbogus: 1\n"),
	    "t.txt:7: unknown key \"bogus\"");
	check_bad_asset("id: a\ntitle: t\nstep: 1\nmatch: abc\ncause: c\n",
	    "t.txt:1: record has no fix: line");
	check_bad_asset(REC("match: re:a(b\n"), "t.txt:6: bad regex");
	check_bad_asset(REC("match: abc\n") "\n" REC("match: abd\n"),
	    "t.txt:8: duplicate id a (first at t.txt:1)");
	check_bad_asset(REC("match: abc\n") "step: 2\n",
	    "t.txt:7: second step: line");
	check_bad_asset("id: a\ntitle: t\nstep: 9\nmatch: abc\ncause: c\n"
	    "fix: f\n", "t.txt:3: step \"9\" is not 1-5, NET or LOG");
	check_bad_asset(REC("match: abc\nset: novalue\n"),
	    "t.txt:7: set \"novalue\" is not KEY=VALUE");
	check_bad_asset(REC("match: abc\nreply: 535\n"),
	    "t.txt:1: a record needs match: lines or reply: lines");
	check_bad_asset(REC(""), "t.txt:1: a record needs match:");
	check_bad_asset(REC("match: abc\ntext: x\n"),
	    "t.txt:1: text: goes with reply: only");
	check_bad_asset(REC("reply: 53x\n"), "t.txt:6: reply code \"53x\"");
	check_bad_asset("  continued\n", "t.txt:1: continuation line outside");
	check_bad_asset(REC("match: a\033[2Jb\n"),
	    "t.txt:6: control character");
	check_bad_asset(REC("match: ab\n"), "t.txt:6: a match must be");
	check_bad_asset("no colon here\n", "t.txt:1: \"no colon here\" is "
	    "not \"key: value\"");
	check_bad_asset("id: A_B\ntitle: t\nstep: 1\nmatch: abc\ncause: c\n"
	    "fix: f\n", "t.txt:1: id \"A_B\" may only hold");
}

static void
test_hostile_input(void)
{
	static const char esc[] = "\033]0;pwned\007\033[2J"
	    "javax.net.ssl.SSLException: Unsupported or unrecognized SSL "
	    "message \033[31mred\033[0m\0\0\xff\xfe";
	struct explain_result *r;
	struct sw_error err = { 0 };
	char *big;
	size_t n, i;

	r = run(esc, sizeof(esc) - 1);
	CHECK_INT(r->n, 1);
	CHECK(r->n == 1 && strchr(r->hits[0].match, '\033') == NULL &&
	    strstr(r->hits[0].match, "\\x1b[31m") != NULL &&
	    strchr(r->hits[0].match, '\007') == NULL);
	CHECK_INT(run("", 0)->n, 0);
	CHECK_INT(run("\0\0\0", 3)->n, 0);
	/* CRLF and lone CR line ends. */
	r = run_str("javax.mail.MessagingException: Could not convert socket "
	    "to TLS;\r\n  nested exception is:\r\n\tjavax.net.ssl."
	    "SSLHandshakeException: Received fatal alert: protocol_version"
	    "\r\n");
	CHECK(r->n == 2 && strcmp(r->hits[0].entry->id,
	    "alert-protocol-version") == 0);
	CHECK(r->n == 2 && strchr(r->hits[1].match, '\r') == NULL);
	r = run_str("421 busy\r535 5.7.8 no\r");
	CHECK_INT(r->n, 2);

	/* One 3 MiB line with the error in the middle. */
	n = 3u << 20;
	big = malloc(n + 1);
	memset(big, 'x', n);
	memcpy(big + n / 2, " PKIX path building failed ", 27);
	r = run(big, n);
	CHECK(r->n == 1 && has_id(r, "pkix-path"));
	CHECK(r->n == 1 && strncmp(r->hits[0].match, "...", 3) == 0 &&
	    strlen(r->hits[0].match) < 200);
	/* The same error a thousand times is one hit. */
	for (i = 0; i + 40 < n; i += 40)
		memcpy(big + i, "Connection refused\nx\n\n\n\n\n\n\n\n\n\n\n"
		    "\n\n\n\n\n\n\n\n\n", 40);
	r = run(big, n);
	CHECK(r->n == 1 && has_id(r, "connection-refused"));
	free(big);

	/* Over the limit. */
	big = calloc(1, EXPLAIN_INPUT_MAX + 1);
	CHECK_INT(explain_text(db, big, EXPLAIN_INPUT_MAX + 1, r, &err),
	    SW_EUSAGE);
	CHECK(strstr(err.msg, "4 MiB") != NULL);
	free(big);
}

static void
test_order(void)
{
	struct explain_result *r;
	char got[1024];

	/* Java's "outer: inner.Exception: msg" on one line nests too. */
	r = run_str("javax.mail.MessagingException: Exception reading "
	    "response; nested exception is: java.net.SocketTimeoutException:"
	    " Read timed out");
	summary(r, got, sizeof(got));
	CHECK_STR(got, "read-timeout 1\nexception-reading-response 1\n");
	/* A reply quoted in an exception comes before the exception. */
	r = run_str("javax.mail.MessagingException: Could not connect to SMTP "
	    "host: h, port: 25, response: 421");
	summary(r, got, sizeof(got));
	CHECK_STR(got, "smtp-421 NET\ngreeting-not-220 1\n");
	/* The wrapper inside the longer greeting-eof match is dropped. */
	r = run_str("Could not connect to SMTP host: h, port: 465, "
	    "response: -1");
	summary(r, got, sizeof(got));
	CHECK_STR(got, "greeting-eof 1\n");
	CHECK(r->n == 1 && r->hits[0].code == 0 && r->hits[0].depth == 0);
	/* Reply hits carry code and enhanced code. */
	r = run_str("AuthenticationFailedException: 535 5.7.3 Authentication "
	    "unsuccessful");
	CHECK(r->n == 1 && r->hits[0].code == 535 &&
	    strcmp(r->hits[0].enhanced, "5.7.3") == 0);
	/* Different replies that decode to one entry stay apart. */
	r = run_str("550 5.1.0 a\n550 5.1.4 b\n550 5.1.0 c\n");
	CHECK_INT(r->n, 2);
}

static void
test_cap(void)
{
	char *text = malloc(64 * 1024), *p = text;
	struct explain_result *r;
	int i;

	for (i = 0; i < 100; i++)
		p += sprintf(p, "550 5.1.%d no\n", i + 100);
	r = run(text, (size_t)(p - text));
	CHECK_INT(r->n, EXPLAIN_HITS_MAX);
	CHECK_INT(r->dropped, 100 - EXPLAIN_HITS_MAX);
	free(text);
}

int
main(void)
{
	test_load();
	test_step_titles();
	test_reply_table();
	test_smtp_reply();
	test_replycode();
	test_traces();
	test_reference_samples();
	test_corpus();
	test_loader_errors();
	test_hostile_input();
	test_order();
	test_cap();
	explain_db_free(db);
	return tap_done();
}
