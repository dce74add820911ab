/*
 * `smtpwiz explain`: the error decoder on the command line.  TEXT (or
 * stdin with "-") is searched for every known error; each is printed
 * with what was seen, the cause, the wizard step, the fix and the
 * settings, as text for people or as a JSON array for scripts.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "debuglog.h"
#include "explain.h"
#include "json.h"
#include "suites.h"

#define EXIT_NOTHING	1	/* text read, no known error in it */
#define EXIT_SOFTWARE	70	/* tables missing or broken, out of memory */
#define WIDTH		78
#define READ_CHUNK	65536

static const char explain_usage[] =
"usage: smtpwiz explain [--format text|json] TEXT...\n"
"       smtpwiz explain [--format text|json] [--profile-out FILE] -\n"
"                                           (TEXT from stdin)\n"
"       smtpwiz explain --list [--format text|json]\n"
"\n"
"Finds every known Java, TLS and SMTP error in TEXT - a log line, a\n"
"stack trace, a whole log (at most 4 MiB) - and prints for each the\n"
"cause, the wizard step that fixes it, the fix and the settings to\n"
"change, innermost cause first.  Options go before TEXT; several TEXT\n"
"words are joined with spaces.  --list shows every known error.\n"
"A Java TLS debug log (javax.net.debug=ssl) is read too: what that\n"
"Java offered, what the server chose or the alert; --profile-out FILE\n"
"writes it as a Java profile for smtpwiz check --java FILE.\n"
"\n"
"Exit status: 0 something was recognised, 1 nothing was, 64 usage\n"
"error or input too large, 70 the error tables could not be loaded.\n";

static int
usage_error(const char *what, const char *arg)
{
	fprintf(stderr, "smtpwiz explain: %s%s%s%s (see smtpwiz explain "
	    "--help)\n", what, arg ? " \"" : "", arg ? arg : "",
	    arg ? "\"" : "");
	return EXIT_USAGE;
}

/*
 * Reads all of f into *buf.  Returns 0, 1 when there is more than
 * EXPLAIN_INPUT_MAX bytes (*len then says how much was read), -1 on a
 * read error or when out of memory.
 */
static int
read_all(FILE *f, char **buf, size_t *len)
{
	size_t cap = 0, n;
	char *p;

	*buf = NULL;
	*len = 0;
	for (;;) {
		if (*len + READ_CHUNK > cap) {
			cap = cap ? cap * 2 : 4 * READ_CHUNK;
			if ((p = realloc(*buf, cap)) == NULL)
				return -1;
			*buf = p;
		}
		n = fread(*buf + *len, 1, READ_CHUNK, f);
		*len += n;
		if (*len > EXPLAIN_INPUT_MAX)
			return 1;
		if (n < READ_CHUNK)
			return ferror(f) ? -1 : 0;
	}
}

/* argv words joined by single spaces; NULL when too long or no memory. */
static char *
join_args(int argc, char **argv, size_t *len)
{
	size_t n = 0;
	char *s;
	int i;

	for (i = 0; i < argc; i++)
		n += strlen(argv[i]) + 1;
	if (n > EXPLAIN_INPUT_MAX + 1 || (s = malloc(n + 1)) == NULL)
		return NULL;
	*len = 0;
	for (i = 0; i < argc; i++) {
		if (i > 0)
			s[(*len)++] = ' ';
		memcpy(s + *len, argv[i], strlen(argv[i]));
		*len += strlen(argv[i]);
	}
	s[*len] = '\0';
	return s;
}

/*
 * Prints "label" then text wrapped at WIDTH, continuation lines
 * indented to the text's column.
 */
static void
wrapped(FILE *f, const char *label, const char *text)
{
	size_t indent = strlen(label), col = indent, w;
	const char *p = text, *sp;

	fputs(label, f);
	while (*p != '\0') {
		while (*p == ' ')
			p++;
		if (*p == '\0')
			break;
		sp = strchr(p, ' ');
		w = sp ? (size_t)(sp - p) : strlen(p);
		if (col > indent && col + 1 + w > WIDTH) {
			fprintf(f, "\n%*s", (int)indent, "");
			col = indent;
		} else if (col > indent) {
			fputc(' ', f);
			col++;
		}
		fwrite(p, 1, w, f);
		col += w;
		p += w;
	}
	fputc('\n', f);
}

/*
 * "   Step 3: TLS protocol version; also steps 4, 2  [id]", with the
 * other steps in numeric order.
 */
static void
print_steps(FILE *f, const struct explain_entry *e)
{
	int s, n = 0, k = 0, net = 0, log = 0;

	for (s = 1; s <= 5; s++)
		n += s != e->step && (e->steps & (1u << s));
	net = e->step != EXPLAIN_STEP_NET &&
	    (e->steps & (1u << EXPLAIN_STEP_NET));
	log = e->step != EXPLAIN_STEP_LOG &&
	    (e->steps & (1u << EXPLAIN_STEP_LOG));
	fprintf(f, "   %s", explain_step_title(e->step));
	for (s = 1; s <= 5; s++) {
		if (s == e->step || !(e->steps & (1u << s)))
			continue;
		fprintf(f, "%s%d", k++ ? ", " : n > 1 ? "; also steps " :
		    "; also step ", s);
	}
	if (net)
		fputs(k++ ? " and the network" : "; also the network", f);
	if (log)
		fputs(k++ ? " and logging" : "; also logging", f);
	fprintf(f, "  [%s]\n", e->id);
}

/* "Code:   451 4.7.1: temporary failure ...; security or policy; ..." */
static void
print_code(FILE *f, const struct explain_hit *h)
{
	char buf[600];
	size_t o;

	if (h->code == 0 && h->enhanced[0] == '\0')
		return;
	o = (size_t)snprintf(buf, sizeof(buf), "%.0d%s%s: %s",
	    h->code, h->code && h->enhanced[0] ? " " : "", h->enhanced,
	    h->temporary ? "temporary (4xx): the server may accept it later" :
	    "permanent (5xx): repeating it unchanged fails again");
	if (h->enh.subject != NULL && o < sizeof(buf))
		o += (size_t)snprintf(buf + o, sizeof(buf) - o, "; subject "
		    "%s", h->enh.subject);
	if (h->enh.detail != NULL && o < sizeof(buf))
		snprintf(buf + o, sizeof(buf) - o, "; detail %s%s%s%s",
		    h->enh.detail, h->enh.ref ? " (" : "",
		    h->enh.ref ? h->enh.ref : "", h->enh.ref ? ")" : "");
	wrapped(f, "   Code:   ", buf);
}

static void
print_text(FILE *f, const struct explain_result *res)
{
	const struct explain_hit *h;
	const struct explain_entry *e;
	size_t i, k;

	fprintf(f, "Found %zu known error%s", res->n + res->dropped,
	    res->n + res->dropped == 1 ? "" : "s");
	if (res->incidents > 1)
		fprintf(f, " in %u incidents, the latest first%s%s%s",
		    res->incidents, res->n && res->hits[0].when[0] ?
		    " (" : "", res->n ? res->hits[0].when : "",
		    res->n && res->hits[0].when[0] ? ")" : "");
	fprintf(f, "%s.\n", res->n + res->dropped > 1 ?
	    res->incidents > 1 ? "; in each, the innermost cause first" :
	    ", innermost cause first" : "");
	for (i = 0; i < res->n; i++) {
		h = &res->hits[i];
		e = h->entry;
		fprintf(f, "\n%zu. %s\n", i + 1, e->title);
		print_steps(f, e);
		fprintf(f, "   Seen:   %s\n", h->match);
		if (h->count > 1 && h->when[0] != '\0')
			fprintf(f, "   When:   %s, the latest of %u times\n",
			    h->when, h->count);
		else if (h->count > 1)
			fprintf(f, "   When:   %u times\n", h->count);
		else if (h->when[0] != '\0')
			fprintf(f, "   When:   %s\n", h->when);
		print_code(f, h);
		wrapped(f, "   Cause:  ", e->cause);
		if (h->temporary && e->no_retry)
			wrapped(f, "   Retry:  ", "The code says temporary, but "
			    "the server answers the same way on every attempt "
			    "until the cause is fixed: retrying alone will not "
			    "help.");
		else if (h->temporary)
			wrapped(f, "   Retry:  ", "This is a temporary refusal: "
			    "the same message may go through later.  Let the "
			    "application retry after a pause (minutes, not "
			    "seconds), send fewer messages or connections at "
			    "a time, and only change settings when it keeps "
			    "coming back.");
		wrapped(f, "   Fix:    ", e->fix);
		for (k = 0; k < e->nset; k++)
			fprintf(f, "   %s%s%s%s%s\n",
			    k ? "        " : "Set:    ",
			    e->set[k].value[0] ? "" : "remove ", e->set[k].key,
			    e->set[k].value[0] ? "=" : "", e->set[k].value);
	}
	if (res->dropped > 0)
		fprintf(f, "\n... and %zu more: pass a shorter part of the "
		    "log to see them.\n", res->dropped);
}

static void
json_entry(struct json *j, const struct explain_entry *e)
{
	size_t k;
	int s;

	json_str(j, "id", e->id);
	json_str(j, "title", e->title);
	json_str(j, "step", explain_step_token(e->step));
	json_str(j, "step_title", explain_step_title(e->step));
	json_open(j, "steps", '[');
	json_str(j, NULL, explain_step_token(e->step));
	for (s = 1; s <= EXPLAIN_STEP_LOG; s++)
		if (s != e->step && (e->steps & (1u << s)))
			json_str(j, NULL, explain_step_token(s));
	json_close(j, ']');
	json_str(j, "kind", e->is_reply ? "smtp-reply" : "message");
	json_str(j, "source", e->source);
	json_str(j, "cause", e->cause);
	json_str(j, "fix", e->fix);
	json_open(j, "suggest", '{');
	for (k = 0; k < e->nset; k++)
		json_str(j, e->set[k].key, e->set[k].value);
	json_close(j, '}');
}

static void	json_debuglog(struct json *, const struct debuglog *);

static void
print_json(FILE *f, const struct explain_result *res,
    const struct debuglog *dl)
{
	const struct explain_hit *h;
	struct json j;
	size_t i;

	json_init(&j, f);
	json_open(&j, NULL, '[');
	for (i = 0; i < res->n; i++) {
		h = &res->hits[i];
		json_open(&j, NULL, '{');
		json_entry(&j, h->entry);
		json_str(&j, "match", h->match);
		json_int(&j, "depth", h->depth);
		json_bool(&j, "temporary", h->temporary);
		json_bool(&j, "retry", h->temporary &&
		    !h->entry->no_retry);
		json_int(&j, "count", (long long)h->count);
		json_int(&j, "incident", (long long)h->incident);
		json_str(&j, "when", h->when[0] ? h->when : NULL);
		if (h->code != 0 || h->enhanced[0] != '\0') {
			json_open(&j, "reply", '{');
			if (h->code != 0)
				json_int(&j, "code", h->code);
			else
				json_null(&j, "code");
			json_str(&j, "enhanced", h->enhanced[0] ?
			    h->enhanced : NULL);
			json_str(&j, "class", h->enh.cls);
			json_str(&j, "subject", h->enh.subject);
			json_str(&j, "detail", h->enh.detail);
			json_str(&j, "detail_ref", h->enh.ref);
			json_close(&j, '}');
		}
		json_close(&j, '}');
	}
	if (dl != NULL)
		json_debuglog(&j, dl);
	json_close(&j, ']');
}

static void
print_list(FILE *f, const struct explain_db *db, int json)
{
	const struct explain_entry *e;
	struct json j;
	size_t i;

	if (json) {
		json_init(&j, f);
		json_open(&j, NULL, '[');
	}
	for (i = 0; i < explain_db_count(db); i++) {
		e = explain_db_entry(db, i);
		if (json) {
			json_open(&j, NULL, '{');
			json_entry(&j, e);
			json_close(&j, '}');
		} else
			fprintf(f, "%-28s %-4s %s\n", e->id,
			    explain_step_token(e->step), e->title);
	}
	if (json)
		json_close(&j, ']');
}

static const char *
format_name(enum debuglog_format f)
{
	return f == DEBUGLOG_LEGACY ? "JDK 8 (before 8u261)" :
	    "JDK 8u261+, 11, 17, 21";
}

/* The offered versions, "TLSv1.3 TLSv1.2". */
static void
versions_text(const struct debuglog_hs *h, char *buf, size_t cap)
{
	size_t i, o = 0;

	buf[0] = '\0';
	for (i = 0; i < h->nversions && o < cap; i++)
		o += (size_t)snprintf(buf + o, cap - o, "%s%s", i ? " " : "",
		    suite_version_name(h->versions[i]));
}

static void
print_debuglog(FILE *f, const struct debuglog *dl)
{
	const struct debuglog_hs *h = &dl->last;
	char buf[1200];
	size_t i, o;

	fprintf(f, "\nTLS debug log (%s format): %u handshake%s, the last "
	    "one:\n", format_name(dl->format), dl->nhandshakes,
	    dl->nhandshakes == 1 ? "" : "s");
	versions_text(h, buf, sizeof(buf));
	o = strlen(buf);
	snprintf(buf + o, sizeof(buf) - o, "%s%s%s", h->versions_listed ||
	    dl->format != DEBUGLOG_LEGACY ? "" : " (this format shows only "
	    "the highest version)", h->sni[0] ? "; server name " : "; no "
	    "server name (SNI) sent", h->sni);
	wrapped(f, "   Java offered:  ", buf);
	for (i = 0, o = 0; i < h->nsuites && i < 6 && o < sizeof(buf); i++)
		o += (size_t)snprintf(buf + o, sizeof(buf) - o, "%s%s",
		    i ? ", " : "", h->suites[i]);
	if (h->nsuites > 6 && o < sizeof(buf))
		snprintf(buf + o, sizeof(buf) - o, " and %zu more",
		    h->nsuites - 6);
	fprintf(f, "   Suites:        %zu offered\n", h->nsuites);
	wrapped(f, "                  ", buf);
	if (h->server_version != 0)
		snprintf(buf, sizeof(buf), "%s %s", suite_version_name(
		    h->server_version), h->server_suite[0] ? h->server_suite :
		    "(suite not shown)");
	else
		snprintf(buf, sizeof(buf), "no ServerHello in the log: the "
		    "server answered with an alert or closed the connection");
	wrapped(f, "   Server chose:  ", buf);
	if (h->alert[0] != '\0') {
		snprintf(buf, sizeof(buf), "%s, %s", h->alert,
		    h->alert_received ? "sent by the server (it refused "
		    "what Java offered)" : "raised by Java itself (it refused "
		    "what the server sent)");
		wrapped(f, "   Alert:         ", buf);
	}
	for (i = 0; i < h->nchain; i++) {
		snprintf(buf, sizeof(buf), "[%zu] %s, issued by %s%s", i,
		    h->subject[i], h->issuer[i][0] ? h->issuer[i] : "?",
		    strcmp(h->subject[i], h->issuer[i]) == 0 ?
		    " (self-signed)" : "");
		wrapped(f, i ? "                  " : "   Chain:         ", buf);
	}
	wrapped(f, "   Next:          ", "smtpwiz explain --profile-out "
	    "java.profile - < LOG writes this Java's offer as a profile; "
	    "smtpwiz check --java-from-debug-log LOG HOST:PORT judges steps "
	    "3 and 4 with it.");
}

static void
json_debuglog(struct json *j, const struct debuglog *dl)
{
	const struct debuglog_hs *h = &dl->last;
	size_t i;

	json_open(j, NULL, '{');
	json_str(j, "id", "tls-debug-log");
	json_str(j, "title", "What this Java offered in the TLS debug log");
	json_str(j, "step", "3");
	json_str(j, "step_title", explain_step_title(3));
	json_open(j, "steps", '[');
	json_str(j, NULL, "3");
	json_str(j, NULL, "4");
	json_str(j, NULL, "2");
	json_close(j, ']');
	json_str(j, "kind", "debug-log");
	json_str(j, "source", "-Djavax.net.debug");
	json_str(j, "cause", "The versions and cipher suites this Java "
	    "offered, and what the server chose or the alert that ended the "
	    "handshake.");
	json_str(j, "fix", "Run smtpwiz check --java-from-debug-log LOG "
	    "HOST:PORT: steps 3 and 4 then judge with exactly this offer.");
	json_open(j, "suggest", '{');
	json_close(j, '}');
	json_str(j, "match", "ClientHello");
	json_bool(j, "temporary", 0);
	json_open(j, "debug_log", '{');
	json_str(j, "format", dl->format == DEBUGLOG_LEGACY ? "jdk8-legacy" :
	    "ssllogger");
	json_int(j, "handshakes", dl->nhandshakes);
	json_str(j, "server_name", h->sni[0] ? h->sni : NULL);
	json_open(j, "offered_versions", '[');
	for (i = 0; i < h->nversions; i++)
		json_str(j, NULL, suite_version_name(h->versions[i]));
	json_close(j, ']');
	json_open(j, "cipher_suites", '[');
	for (i = 0; i < h->nsuites; i++)
		json_str(j, NULL, h->suites[i]);
	json_close(j, ']');
	json_open(j, "groups", '[');
	for (i = 0; i < h->ngroups; i++)
		json_str(j, NULL, h->groups[i]);
	json_close(j, ']');
	json_str(j, "server_version", h->server_version ?
	    suite_version_name(h->server_version) : NULL);
	json_str(j, "server_suite", h->server_suite[0] ? h->server_suite :
	    NULL);
	if (h->alert[0] != '\0') {
		json_open(j, "alert", '{');
		json_str(j, "description", h->alert);
		json_str(j, "from", h->alert_received ? "server" : "java");
		json_close(j, '}');
	} else
		json_null(j, "alert");
	json_open(j, "chain", '[');
	for (i = 0; i < h->nchain; i++) {
		json_open(j, NULL, '{');
		json_str(j, "subject", h->subject[i]);
		json_str(j, "issuer", h->issuer[i][0] ? h->issuer[i] : NULL);
		json_close(j, '}');
	}
	json_close(j, ']');
	json_close(j, '}');
	json_close(j, '}');
}

/* Writes the debug log's Java profile to path.  Returns 0 or 70. */
static int
write_profile(const struct debuglog *dl, const char *path)
{
	struct sw_error e = { 0 };
	struct suites *reg = NULL;
	char *buf;
	size_t len = 0;
	FILE *f;
	int rc = EXIT_SOFTWARE;

	if ((buf = malloc(65536)) == NULL)
		return EXIT_SOFTWARE;
	if (suites_load(&reg, &e) != SW_OK ||
	    debuglog_profile(dl, reg, "the debug log", buf, 65536, &len,
	    &e) != SW_OK)
		fprintf(stderr, "smtpwiz explain: %s\n", sw_error_text(&e));
	else if ((f = fopen(path, "w")) == NULL ||
	    fwrite(buf, 1, len, f) != len || fclose(f) != 0)
		fprintf(stderr, "smtpwiz explain: cannot write %s\n", path);
	else {
		fprintf(stderr, "Wrote the Java profile of the debug log to "
		    "%s (smtpwiz check --java %s).\n", path, path);
		rc = 0;
	}
	suites_free(reg);
	free(buf);
	return rc;
}

static int
decode(const struct explain_db *db, const char *text, size_t len, int json,
    const char *profile_out)
{
	struct debuglog *dl;
	struct explain_result *res;
	struct sw_error e = { 0 };
	int rc;

	if ((res = malloc(sizeof(*res))) == NULL) {
		fprintf(stderr, "smtpwiz explain: out of memory\n");
		return EXIT_SOFTWARE;
	}
	if (explain_text(db, text, len, res, &e) != SW_OK) {
		fprintf(stderr, "smtpwiz explain: %s\n", sw_error_text(&e));
		free(res);
		return e.code == SW_EUSAGE ? EXIT_USAGE : EXIT_SOFTWARE;
	}
	if ((dl = malloc(sizeof(*dl))) == NULL) {
		free(res);
		return EXIT_SOFTWARE;
	}
	if (!debuglog_parse(text, len, dl))
		dl->nhandshakes = 0;
	if (json)
		print_json(stdout, res, dl->nhandshakes ? dl : NULL);
	else if (res->n > 0)
		print_text(stdout, res);
	if (!json && dl->nhandshakes > 0)
		print_debuglog(stdout, dl);
	if (res->n == 0 && dl->nhandshakes == 0)
		fprintf(json ? stderr : stdout, "No known error found in the "
		    "text.  To find the cause on the server side, run: smtpwiz "
		    "check HOST:PORT\n");
	rc = res->n > 0 || dl->nhandshakes > 0 ? 0 : EXIT_NOTHING;
	if (profile_out != NULL && dl->nhandshakes == 0) {
		fprintf(stderr, "smtpwiz explain: --profile-out: the text is "
		    "not a Java TLS debug log (no ClientHello)\n");
		rc = EXIT_NOTHING;
	} else if (profile_out != NULL && write_profile(dl, profile_out))
		rc = EXIT_SOFTWARE;
	free(dl);
	free(res);
	return rc;
}

int
cmd_explain(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "format",	required_argument, NULL, 'f' },
		{ "list",	no_argument,	   NULL, 'l' },
		{ "profile-out", required_argument, NULL, 'p' },
		{ "help",	no_argument,	   NULL, 'h' },
		{ NULL,		0,		   NULL, 0 }
	};
	struct explain_db *db = NULL;
	struct sw_error e = { 0 };
	char *text = NULL;
	size_t len = 0;
	const char *profile_out = NULL;
	int c, json = 0, list = 0, rc;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (strcmp(optarg, "json") != 0 &&
			    strcmp(optarg, "text") != 0)
				return usage_error("--format is text or json, "
				    "not", optarg);
			json = strcmp(optarg, "json") == 0;
			break;
		case 'l':
			list = 1;
			break;
		case 'p':
			profile_out = optarg;
			break;
		case 'h':
			fputs(explain_usage, stdout);
			return 0;
		case ':':
			return usage_error("option needs a value:",
			    argv[optind - 1]);
		default:
			return usage_error("unknown option",
			    argv[optind - 1]);
		}
	}
	if (list && optind < argc)
		return usage_error("--list takes no TEXT", NULL);
	if (!list && optind == argc)
		return usage_error("no TEXT given (use - to read stdin)",
		    NULL);
	if (!list && strcmp(argv[optind], "-") == 0) {
		if (optind + 1 < argc)
			return usage_error("- reads stdin and takes no more "
			    "TEXT", NULL);
		if (isatty(STDIN_FILENO))
			fprintf(stderr, "Paste the text, then press Ctrl-D "
			    "on a line of its own.\n");
		rc = read_all(stdin, &text, &len);
		if (rc != 0) {
			free(text);
			if (rc < 0) {
				fprintf(stderr, "smtpwiz explain: cannot read "
				    "stdin\n");
				return EXIT_SOFTWARE;
			}
			fprintf(stderr, "smtpwiz explain: the input is larger "
			    "than %u MiB; pass the part of the log around the "
			    "error (e.g. grep -B 5 -A 60 Exception)\n",
			    EXPLAIN_INPUT_MAX >> 20);
			return EXIT_USAGE;
		}
	} else if (!list &&
	    (text = join_args(argc - optind, argv + optind, &len)) == NULL) {
		fprintf(stderr, "smtpwiz explain: TEXT is larger than %u MiB\n",
		    EXPLAIN_INPUT_MAX >> 20);
		return EXIT_USAGE;
	}
	if (explain_db_load(&db, NULL, &e) != SW_OK) {
		fprintf(stderr, "smtpwiz explain: %s\n", sw_error_text(&e));
		free(text);
		return EXIT_SOFTWARE;
	}
	if (list) {
		print_list(stdout, db, json);
		rc = 0;
	} else
		rc = decode(db, text, len, json, profile_out);
	explain_db_free(db);
	free(text);
	return rc;
}
