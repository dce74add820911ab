/*
 * `smtpwiz check`: run the steps without a screen, print a text or
 * JSON report, exit with the number of the first failing step.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "block.h"
#include "check_oauth2.h"
#include "verify.h"
#include "cli.h"
#include "opts.h"
#include "confirm.h"
#include "debuglog.h"
#include "javaprof.h"
#include "javart.h"
#include "mail_test.h"
#include "probe.h"
#include "report.h"
#include "secret.h"
#include "settings_findings.h"
#include "transcript.h"

struct check_opts {
	int		 first, last;		/* --steps */
	int		 json;
	int		 block_format;		/* -1: a report */
	enum block_password pw;			/* --block-password */
	const char	*output;		/* -o FILE */
	int		 color;
	const char	*log;
	int		 verbose;
	int		 java_given;		/* --java or
						   --java-from-debug-log */
	const char	*java_home;		/* --java-home */
	long		 java_pid;		/* --java-pid */
	struct javart	 rt;			/* the runtime read */
	int		 confirm;		/* --confirm-with-java */
	int		 list_java;		/* --list-java */
	const char	*mail_jar;		/* --mail-jar */
	const char	*password_file;
	char		 java_tmp[512];		/* --java-from-debug-log's */
	const char	*storepass_file;
	char		 socks_user[256];	/* --socks USER@ */
	struct check_oauth2 oauth2;		/* --oauth2-* */
	struct probe_env env;
};

static int usage_error(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

/* One line on stderr saying what was wrong; returns EXIT_USAGE. */
static int
usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "smtpwiz check: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (see smtpwiz --help)\n");
	return EXIT_USAGE;
}

static int
parse_steps(const char *s, int *first, int *last)
{
	char *end;
	long a = strtol(s, &end, 10), b = a;

	if (*end == '-')
		b = strtol(end + 1, &end, 10);
	if (*end != '\0' || a < 1 || b > STEP_COUNT || a > b)
		return -1;
	*first = (int)a;
	*last = (int)b;
	return 0;
}

static int
parse_port(const char *s, unsigned *port)
{
	char *end;
	unsigned long v = strtoul(s, &end, 10);

	if (*end != '\0' || end == s || v == 0 || v > 65535)
		return -1;
	*port = (unsigned)v;
	return 0;
}

static int
parse_seconds(const char *s, int *ms)
{
	char *end;
	double v = strtod(s, &end);

	if (*end != '\0' || end == s || v <= 0 || v > 3600)
		return -1;
	*ms = (int)(v * 1000);
	return 0;
}

/* --java-from-debug-log LOG: that Java's offer as a temporary profile. */
static int
java_from_debug_log(struct check_opts *o, const char *log)
{
	struct sw_error e = { 0 };

	if (o->java_tmp[0] != '\0')
		return usage_error("--java-from-debug-log given twice"), -1;
	if (debuglog_profile_file(log, o->java_tmp, sizeof(o->java_tmp),
	    &e) != SW_OK) {
		o->java_tmp[0] = '\0';
		return usage_error("--java-from-debug-log: %s",
		    sw_error_text(&e)), -1;
	}
	o->env.opt.java = o->java_tmp;	/* this offer, not the found
					   runtime's */
	return 0;
}

/* Applies --mode as the three settings that select it. */
static enum sw_err
apply_mode(struct settings *set, const char *arg, struct sw_error *err)
{
	enum smtp_mode m = smtp_mode_parse(arg);

	if (m == MODE_UNKNOWN)
		return sw_fail(err, SW_EUSAGE, "--mode must be plain, "
		    "starttls or ssl, not \"%s\"", arg);
	if (settings_set(set, "mail.smtp.ssl.enable",
	    m == MODE_SSL ? "true" : "false", err) != SW_OK ||
	    settings_set(set, "mail.smtp.starttls.enable",
	    m == MODE_STARTTLS ? "true" : "false", err) != SW_OK)
		return err->code;
	if (m != MODE_STARTTLS)
		return settings_set(set, "mail.smtp.starttls.required",
		    "false", err);
	return SW_OK;
}

/* --set mail.smtp.KEY=VALUE */
static enum sw_err
apply_set(struct settings *set, const char *arg, struct sw_error *err)
{
	const char *eq = strchr(arg, '=');
	char key[128];

	if (eq == NULL || eq == arg || (size_t)(eq - arg) >= sizeof(key))
		return sw_fail(err, SW_EUSAGE, "--set wants KEY=VALUE, not "
		    "\"%s\"", arg);
	memcpy(key, arg, (size_t)(eq - arg));
	key[eq - arg] = '\0';
	if (settings_is_secret(key))
		return sw_fail(err, SW_EUSAGE, "%s cannot be given on the "
		    "command line (other users can read it there); use "
		    "--password-file or the SMTPWIZ_PASSWORD variable", key);
	return settings_set(set, key, eq + 1, err);
}

/* One option; returns -1 for a usage error (already reported). */
static int
check_option(int c, const char *arg, struct check_opts *o,
    struct settings *set, unsigned *port)
{
	struct sw_error e = { 0 };
	char *end;
	int taken;

	if (check_oauth2_option(&o->oauth2, c, arg, &taken, &e) != SW_OK)
		return usage_error("%s", sw_error_text(&e)), -1;
	if (!taken && (taken = opts_probe_arg(&o->env.opt, c, arg, &e)) < 0)
		return usage_error("%s", sw_error_text(&e)), -1;
	if (taken)
		return 0;
	switch (c) {
	case 's':
		if (parse_steps(arg, &o->first, &o->last) < 0)
			return usage_error("--steps wants N or N-M within "
			    "1-5, not \"%s\"", arg), -1;
		return 0;
	case 'f':
		o->json = strcmp(arg, "json") == 0;
		o->block_format = strcmp(arg, "text") == 0 || o->json ? -1 :
		    block_format_parse(arg);
		if (o->block_format < 0 && !o->json && strcmp(arg, "text"))
			return usage_error("--format must be text, json, "
			    "properties, js7, js7-json or spring, not \"%s\"",
			    arg), -1;
		return 0;
	case 'o': o->output = arg; return 0;
	case 'B':
		if (strcmp(arg, "omit") == 0)
			o->pw = PW_OMIT;
		else if (strcmp(arg, "placeholder") == 0)
			o->pw = PW_PLACEHOLDER;
		else if (strcmp(arg, "include") == 0)
			o->pw = PW_INCLUDE;
		else
			return usage_error("--block-password must be omit, "
			    "placeholder or include, not \"%s\"", arg), -1;
		return 0;
	case 'M': settings_lib_parse(arg, &set->lib, &e); break;
	case 'p':
		if (parse_port(arg, port) < 0)
			return usage_error("--port wants 1-65535, not \"%s\"",
			    arg), -1;
		return 0;
	case 't':
		if (parse_seconds(arg, &o->env.read_timeout_ms) < 0)
			return usage_error("--timeout wants seconds (0-3600), "
			    "not \"%s\"", arg), -1;
		return 0;
	case 'c':
		if (parse_seconds(arg, &o->env.connect_timeout_ms) < 0)
			return usage_error("--connect-timeout wants seconds, "
			    "not \"%s\"", arg), -1;
		return 0;
	case 'd': o->env.discover = 1; return 0;
	case 'H': o->java_home = arg; return 0;
	case 'Y': o->confirm = 1; return 0;
	case 'X': o->list_java = 1; return 0;
	case 'Z': o->mail_jar = arg; o->confirm = 1; return 0;
	case 'I':
		o->java_pid = strtol(arg, &end, 10);
		if (*end != '\0' || o->java_pid <= 0)
			return usage_error("--java-pid wants a process id, "
			    "not \"%s\"", arg), -1;
		return 0;
	case 'G':
		return java_from_debug_log(o, arg);
	case 'P': o->env.opt.storepass = arg; return 0;
	case 'Q': o->storepass_file = arg; return 0;
	case 'W': o->password_file = arg; return 0;
	case 'N':
		o->env.opt.concurrency = atoi(arg);
		if (o->env.opt.concurrency < 1 || o->env.opt.concurrency > 64)
			return usage_error("--concurrency wants 1-64, not "
			    "\"%s\"", arg), -1;
		return 0;
	case 'u': settings_set(set, "mail.smtp.user", arg, &e); break;
	case 'l': o->log = arg; return 0;
	case 'n': o->color = 0; return 0;
	case 'v': o->verbose = 1; return 0;
	case 'm': apply_mode(set, arg, &e); break;
	case 'L': settings_load(set, arg, &e); break;
	case 'S': apply_set(set, arg, &e); break;
	case 'k': case 'x':
		if (settings_proxy_arg(set, c == 'k', arg, o->socks_user,
		    sizeof(o->socks_user), &e) != SW_OK)
			break;
		if (o->socks_user[0] != '\0')
			o->env.opt.socks_user = o->socks_user;
		return 0;
	default:
		return usage_error("%s", "unknown option"), -1;
	}
	if (e.code != SW_OK)
		return usage_error("%s", sw_error_text(&e)), -1;
	return 0;
}

struct sinks {
	struct transcript	log;		/* --log FILE */
	struct transcript	err;		/* -v: progress on stderr */
};

static void
check_note(void *arg, const struct probe_note *n)
{
	struct sinks *s = arg;

	transcript_note(&s->log, n);
	if (n->kind == NOTE_PROGRESS)
		transcript_note(&s->err, n);
}

/* The log may end up holding server data and our user name: 0600. */
static FILE *
open_log(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW |
	    O_CLOEXEC, 0600);
	struct stat st;

	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
		fchmod(fd, 0600);
	return fdopen(fd, "w");
}

/* Closes the log; a write or the close that failed is exit 70, named. */
static int
close_log(struct transcript *t, const char *path, int rc)
{
	int e = t->werr;

	if (ferror(t->f) && e == 0)
		e = EIO;
	if (fclose(t->f) != 0 && e == 0)
		e = errno;
	t->f = NULL;
	if (e == 0)
		return rc;
	fprintf(stderr, "smtpwiz: the log file \"%s\" is incomplete: %s\n",
	    path, strerror(e));
	return rc == 0 || rc < 70 ? 70 : rc;
}

/* Host and port from the target argument, --port and the settings. */
static int
check_target(int argc, char **argv, struct settings *set, unsigned port)
{
	struct sw_error e = { 0 };
	char host[256], buf[16];
	unsigned tport = 0;

	if (optind < argc - 1)
		return usage_error("one target only, but \"%s\" follows it",
		    argv[optind + 1]);
	if (optind == argc - 1) {
		if (cli_parse_target(argv[optind], host, sizeof(host), &tport,
		    &e) != SW_OK)
			return usage_error("%s", sw_error_text(&e));
		settings_set(set, "mail.smtp.host", host, &e);
	} else if (settings_get(set, "mail.smtp.host") == NULL)
		return usage_error("%s", "no target: give HOST[:PORT] or "
		    "--load a file with mail.smtp.host");
	if (tport != 0)
		port = tport;
	if (port != 0) {
		snprintf(buf, sizeof(buf), "%u", port);
		settings_set(set, "mail.smtp.port", buf, &e);
	}
	return e.code == SW_OK ? 0 : usage_error("%s", sw_error_text(&e));
}

/*
 * The test-mail addresses, and the password: from --password-file, the
 * SMTPWIZ_PASSWORD variable or a no-echo prompt, only when step 5 will
 * need it.  Never from argv.
 */
static int
check_auth_inputs(struct check_opts *o, struct settings *set,
    struct secret *pw)
{
	const char *user = settings_effective(set, "mail.smtp.user");
	const char *from = o->env.opt.mail_from, *to = o->env.opt.rcpt_to;
	struct sw_error e = { 0 };
	char warn[600], prompt[400];
	const char *loaded = settings_get(set, "mail.smtp.password");
	int asks = o->first <= STEP_AUTH && o->last >= STEP_AUTH &&
	    user != NULL && *user != '\0' && loaded == NULL;

	if ((from == NULL) != (to == NULL))
		return usage_error("%s", "--mail-from and --rcpt-to go "
		    "together");
	if ((from != NULL && mail_test_check_address(from, &e) != SW_OK) ||
	    (to != NULL && mail_test_check_address(to, &e) != SW_OK))
		return usage_error("%s", sw_error_text(&e));
	if (loaded != NULL && o->password_file == NULL && !o->oauth2.used) {
		/* A password from --load is guarded like the others: one
		 * copy, locked, no core dump; the settings' copy wiped. */
		secret_env_drop(SECRET_ENV);
		if (secret_set(pw, loaded, &e) != SW_OK)
			return usage_error("%s", sw_error_text(&e));
		settings_unset(set, "mail.smtp.password");
		o->env.opt.password = pw->buf;
		return 0;
	}
	if ((!asks && o->password_file == NULL) || o->oauth2.used) {
		/* With OAuth2 the "password" is the token step 5 fetches. */
		secret_env_drop(SECRET_ENV);
		return 0;
	}
	snprintf(prompt, sizeof(prompt), "Password for %.100s at %.200s: ",
	    user ? user : "", settings_get(set, "mail.smtp.host"));
	if (secret_obtain(pw, o->password_file, asks ? prompt : NULL, warn,
	    sizeof(warn), &e) != SW_OK)
		return usage_error("%s", sw_error_text(&e));
	if (warn[0] != '\0')
		fprintf(stderr, "smtpwiz check: warning: %s\n", warn);
	if (secret_held(pw))
		o->env.opt.password = pw->buf;
	return 0;
}

/* The proxy's password from SMTPWIZ_PROXY_PASSWORD, held like the
 * others (the variable wiped). */
static int
check_proxy_password(struct check_opts *o, struct secret *pp)
{
	struct sw_error e = { 0 };

	if (secret_from_env(pp, PROXY_PASSWORD_ENV, &e) != SW_OK)
		return usage_error("%s: %s", PROXY_PASSWORD_ENV,
		    sw_error_text(&e));
	if (secret_held(pp))
		o->env.opt.proxy_password = pp->buf;
	return 0;
}

/* --oauth2-*: the token request step 5 runs, its secrets read. */
static int
check_oauth2(struct check_opts *o, struct settings *set)
{
	struct sw_error e = { 0 };
	char warn[600];

	if (check_oauth2_prepare(&o->oauth2, set, o->env.opt.cafile, warn,
	    sizeof(warn), &e) != SW_OK)
		return usage_error("%s", sw_error_text(&e));
	if (warn[0] != '\0')
		fprintf(stderr, "smtpwiz check: warning: %s\n", warn);
	if (o->oauth2.used) {
		o->env.opt.oauth2 = &o->oauth2.rq;
		o->env.opt.oauth2_token = &o->oauth2.token;
	}
	return 0;
}

/*
 * The trust store's password from --storepass-file (first line) or
 * SMTPWIZ_STOREPASS, held like the login password; --storepass (argv,
 * visible to other users) still works and loses to both.
 */
static int
check_storepass(struct check_opts *o, struct secret *sp)
{
	struct sw_error e = { 0 };
	char warn[600] = "";
	enum sw_err rc;

	rc = secret_storepass(sp, o->storepass_file, warn, sizeof(warn), &e);
	if (rc != SW_OK)
		return usage_error("%s", sw_error_text(&e));
	if (warn[0] != '\0')
		fprintf(stderr, "smtpwiz check: warning: %s\n", warn);
	if (secret_held(sp))
		o->env.opt.storepass = sp->buf;
	return 0;
}

/* Writes text to -o FILE (atomically) or stdout (no -o, or -o -); 70
 * on failure, a full disk or a closed pipe included. */
static int
emit(const struct check_opts *o, const char *text, size_t len, int secret)
{
	struct sw_error e = { 0 };

	if (o->output == NULL || strcmp(o->output, "-") == 0) {
		if (fwrite(text, 1, len, stdout) != len || fflush(stdout) != 0) {
			fprintf(stderr, "smtpwiz: cannot write to standard "
			    "output: %s\n", strerror(errno));
			return 70;
		}
		return 0;
	}
	if (props_write_file(o->output, text, len, secret ? 0600 : 0644,
	    &e) != SW_OK) {
		fprintf(stderr, "smtpwiz: %s\n", sw_error_text(&e));
		return 70;
	}
	return 0;
}

/* The report or the settings block, as --format says. */
static int
check_output(const struct check_opts *o, const struct report *rep,
    const struct block_input *bin)
{
	struct block blk;
	struct sw_error e = { 0 };
	char *text = NULL;
	size_t len = 0;
	FILE *f;
	int rc = 70;

	if (o->block_format >= 0) {
		if (block_build(bin, &blk, &e) == SW_OK &&
		    block_set_verdict(&blk, rep->verify, rep->steps, &e) ==
		    SW_OK &&
		    block_to_text(&blk, o->block_format, &text, &e) == SW_OK)
			/* 0600 always: such files tend to gain a password. */
			rc = emit(o, text, strlen(text), 1);
		else
			fprintf(stderr, "smtpwiz: %s\n", sw_error_text(&e));
		block_free(&blk);
		free(text);
		return rc;
	}
	if ((f = open_memstream(&text, &len)) == NULL)
		return 70;
	if (o->json)
		report_json(f, rep);
	else
		report_text(f, rep, o->color && o->output == NULL);
	if (fclose(f) == 0)
		rc = emit(o, text, len, 0);
	free(text);
	return rc;
}

/*
 * The verification of the block: its settings run the way Java would
 * run them.  Only a check of all five steps verifies; a part of them
 * says so instead.  Returns 0, or 70 when it could not run at all.
 */
static int
check_verify(struct check_opts *o, const struct block *blk,
    struct verify_result *vr, struct report *rep)
{
	static char partial[160];
	struct settings fs;
	struct sw_error e = { 0 };
	enum sw_err rc;

	if (o->first != 1 || o->last != STEP_COUNT) {
		if (o->first == o->last)
			snprintf(partial, sizeof(partial), "Only step %d was "
			    "run; a check of all five steps verifies the "
			    "block.", o->first);
		else
			snprintf(partial, sizeof(partial), "Only steps %d-%d "
			    "were run; a check of all five steps verifies the "
			    "block.", o->first, o->last);
		rep->verify_skipped = partial;
		return 0;
	}
	if (block_settings(blk, &fs, &e) != SW_OK) {
		fprintf(stderr, "smtpwiz: %s\n", sw_error_text(&e));
		return 70;
	}
	rc = verify_run(&o->env, &fs, vr, &e);
	settings_free(&fs);
	if (rc != SW_OK) {
		fprintf(stderr, "smtpwiz: verification: %s\n",
		    sw_error_text(&e));
		return 70;
	}
	rep->verify = vr;
	return 0;
}

/*
 * --confirm-with-java: the block through the user's own Java, with the
 * verification's MAIL FROM.  Returns 0, or 70 when it could not run.
 */
static int
check_confirm(struct check_opts *o, const struct block *blk,
    const struct verify_result *vr, struct confirm_result *cr,
    struct report *rep)
{
	struct confirm_opts co = { .rt = o->env.opt.runtime ?
	    o->env.opt.runtime : (o->rt.found ? &o->rt : NULL),
	    .mail_jar = o->mail_jar, .password = o->env.opt.password,
	    .from = vr->from[0] ? vr->from : NULL, .to = o->env.opt.rcpt_to,
	    .truststore = o->env.opt.truststore,
	    .storepass = o->env.opt.storepass, .cancel_fd = -1,
	    .deadline_s = confirm_deadline_s(o->env.connect_timeout_ms,
	    o->env.read_timeout_ms) };
	struct settings fs;
	struct sw_error e = { 0 };
	enum sw_err rc;

	if (!o->confirm || rep->verify == NULL)
		return 0;
	if (block_settings(blk, &fs, &e) != SW_OK) {
		fprintf(stderr, "smtpwiz: %s\n", sw_error_text(&e));
		return 70;
	}
	rc = confirm_run(&co, &fs, fs.lib, cr, &e);
	settings_free(&fs);
	if (rc != SW_OK) {
		fprintf(stderr, "smtpwiz: confirmation: %s\n",
		    sw_error_text(&e));
		return 70;
	}
	rep->confirm = cr;
	return 0;
}

/*
 * --list-java: the runtime check would read, and every running Java
 * process this user may read, one per line, for --java-pid.
 */
static int
list_java(struct check_opts *o)
{
	struct javart *ps;
	char line[1200];
	size_t n, i;

	javart_describe(o->rt.found ? &o->rt : NULL, line, sizeof(line));
	printf("default: %s\n", line);
	if ((ps = calloc(32, sizeof(*ps))) == NULL)
		return 70;
	n = javart_processes(ps, 32);
	for (i = 0; i < n; i++) {
		javart_describe(&ps[i], line, sizeof(line));
		printf("--java-pid %ld: %s\n    %s\n", (long)ps[i].pid, line,
		    ps[i].command);
	}
	if (n == 0)
		printf("no running Java process this user may read\n");
	free(ps);
	return 0;
}

/*
 * The Java runtime to judge with: the profile follows its version and
 * its java.security and trust store are read, unless --java alone
 * names a built-in profile (then the runtime is only described).
 */
static int
check_runtime(struct check_opts *o)
{
	struct sw_error e = { 0 };

	if (javart_find(&o->rt, o->java_home, (pid_t)o->java_pid, &e) !=
	    SW_OK)
		return usage_error("%s", sw_error_text(&e));
	if (!o->rt.found ||
	    (o->java_given && o->java_home == NULL && o->java_pid == 0))
		return 0;
	o->env.opt.runtime = &o->rt;
	if (!o->java_given)
		o->env.opt.java = o->rt.profile;
	return 0;
}

/* Java's reading of the user's settings, as findings (*out: free it). */
static int
check_settings(const struct settings *set, struct step_result **out)
{
	if ((*out = malloc(sizeof(**out))) == NULL) {
		fprintf(stderr, "smtpwiz: out of memory\n");
		return 70;
	}
	settings_findings_result(set, *out);
	return 0;
}

/*
 * target.mode: the configured mode when step 1 ran (its data say what
 * the port speaks, its findings what differs); without step 1, the mode
 * the first later step probed with (found out first, or the settings').
 */
static void
probed_mode(struct report *rep, const struct step_result *r, int *fixed)
{
	if (*fixed)
		return;
	if (r->step == STEP_CONN)
		*fixed = 1;
	else if (r->target.source != TARGET_NONE &&
	    r->target.mode != MODE_UNKNOWN) {
		rep->mode_probed = rep->mode != r->target.mode;
		rep->mode = r->target.mode;
		*fixed = 1;
	}
}

static int
check_run(struct check_opts *o, struct settings *set)
{
	struct step_result *res[STEP_COUNT] = { NULL };
	struct block_input bin = { .set = set, .pw = o->pw,
	    .password = o->env.opt.password };
	struct block_input rbin;
	struct block blk = { 0 };
	struct report rep;
	struct step_result *sres = NULL;
	struct verify_result vr;
	struct confirm_result cr;
	struct sw_error e = { 0 };
	struct settings_target tgt;
	int i, rc, fixed = 0;

	memset(&rep, 0, sizeof(rep));
	if ((rc = check_settings(set, &sres)) != 0)
		goto out;
	rep.settings = sres;
	settings_target(set, &tgt);
	rep.host = tgt.host;
	rep.port = tgt.port;
	rep.mode = tgt.mode;
	rep.java_profile = o->env.opt.java;
	rep.runtime = &o->rt;
	rep.runtime_used = o->env.opt.runtime != NULL;
	rep.set = set;
	for (i = o->first; i <= o->last; i++) {
		if ((res[i - 1] = calloc(1, sizeof(*res[i - 1]))) == NULL) {
			fprintf(stderr, "smtpwiz: out of memory\n");
			rc = 70;
			goto out;
		}
		rep.steps[i - 1] = bin.steps[i - 1] = res[i - 1];
		if (probe_step(i, &o->env, res[i - 1], &e) == SW_OK) {
			o->env.prev[i - 1] = res[i - 1];
			probed_mode(&rep, res[i - 1], &fixed);
		}
		else {
			fprintf(stderr, "smtpwiz: step %d: %s\n", i,
			    sw_error_text(&e));
			rc = 70;
			goto out;
		}
	}
	/* The access token step 5 fetched logs the verification in; it
	 * expires within the hour, so no block ever carries it. */
	if (secret_held(&o->oauth2.token))
		o->env.opt.password = o->oauth2.token.buf;
	/* The report's block never carries a real password. */
	rbin = bin;
	rbin.pw = bin.pw == PW_OMIT ? PW_OMIT : PW_PLACEHOLDER;
	if (block_build(&rbin, &blk, &e) == SW_OK) {
		rep.block = &blk;
		if ((rc = check_verify(o, &blk, &vr, &rep)) != 0 ||
		    (rc = check_confirm(o, &blk, &vr, &cr, &rep)) != 0 ||
		    (rc = block_set_verdict(&blk, rep.verify, rep.steps, &e)) !=
		    SW_OK) {
			rc = 70;
			goto out;
		}
	}
	rc = check_output(o, &rep, &bin);
	if (rc == 0)
		rc = report_exit_status(&rep);
out:
	block_free(&blk);
	for (i = 0; i < STEP_COUNT; i++)
		free(res[i]);
	free(sres);
	return rc;
}

int
cmd_check(int argc, char **argv)
{
	struct check_opts o = { .first = 1, .last = STEP_COUNT,
	    .block_format = -1, .pw = PW_OMIT };
	struct settings set;
	struct sinks sinks = { { NULL, 0, 0 }, { stderr, 1, 0 } };
	struct secret pw, sp, pp;
	struct option longopts[OPTS_MAX];
	char shortopts[16];
	unsigned port = 0;
	int c, rc;

	secret_init(&pw);
	secret_init(&sp);
	secret_init(&pp);
	check_oauth2_init(&o.oauth2);
	settings_init(&set, MAIL_LIB_JAVAMAIL16);
	probe_env_init(&o.env, &set);
	o.color = isatty(STDOUT_FILENO) && getenv("NO_COLOR") == NULL;
	optind = 1;
	opterr = 0;
	opts_getopt(OPT_CHECK, longopts, shortopts, sizeof(shortopts));
	while ((c = getopt_long(argc, argv, shortopts, longopts,
	    NULL)) != -1) {
		if (c == ':') {
			rc = usage_error("option \"%s\" needs a value",
			    argv[optind - 1]);
			goto out;
		}
		if (c == '?') {
			rc = usage_error("unknown option \"%s\"",
			    argv[optind - 1]);
			goto out;
		}
		if (c == 'h') {
			opts_usage(stdout);
			rc = 0;
			goto out;
		}
		if (check_option(c, optarg, &o, &set, &port) < 0) {
			rc = EXIT_USAGE;
			goto out;
		}
	}
	if (!(o.java_given = o.env.opt.java != NULL))
		o.env.opt.java = JAVAPROF_DEFAULT;
	if (o.list_java) {
		if ((rc = check_runtime(&o)) == 0)
			rc = list_java(&o);
		goto out;
	}
	if ((rc = check_target(argc, argv, &set, port)) != 0 ||
	    (rc = check_runtime(&o)) != 0)
		goto out;
	/* A connect never waits longer than any other answer. */
	if (o.env.connect_timeout_ms > o.env.read_timeout_ms)
		o.env.connect_timeout_ms = o.env.read_timeout_ms;
	if ((rc = check_storepass(&o, &sp)) != 0 ||
	    (rc = check_proxy_password(&o, &pp)) != 0)
		goto out;
	if ((rc = check_auth_inputs(&o, &set, &pw)) != 0 ||
	    (rc = check_oauth2(&o, &set)) != 0)
		goto out;
	if (o.log != NULL && (sinks.log.f = open_log(o.log)) == NULL) {
		rc = usage_error("cannot write the log file \"%s\"", o.log);
		goto out;
	}
	if (!o.verbose)
		sinks.err.f = NULL;
	o.env.note = check_note;
	o.env.arg = &sinks;
	rc = check_run(&o, &set);
	if (sinks.log.f != NULL)
		rc = close_log(&sinks.log, o.log, rc);
out:
	if (o.java_tmp[0] != '\0')
		unlink(o.java_tmp);
	o.env.opt.password = NULL;
	o.env.opt.storepass = NULL;
	o.env.opt.oauth2 = NULL;
	o.env.opt.oauth2_token = NULL;
	o.env.opt.proxy_password = NULL;
	check_oauth2_clear(&o.oauth2);	/* the reverse order of loading */
	secret_clear(&pw);
	secret_clear(&pp);
	secret_clear(&sp);
	settings_free(&set);
	return rc;
}
