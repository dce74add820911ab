/*
 * Running the block through the user's Java (confirm.h): find the
 * program and the mail jars, start the runtime's java with the block on
 * a pipe, read its one-line verdict, and let the error decoder say which
 * step the exception belongs to.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "assets.h"
#include "confirm_int.h"
#include "explain.h"
#include "javart.h"
#include "keystore.h"
#include "props.h"

#define OUT_MAX		8192
#define JVM_GRACE_S	20	/* JVM start-up beyond the program's own */

const char *
confirm_outcome_name(enum confirm_outcome o)
{
	switch (o) {
	case CONFIRM_OK:	return "confirmed";
	case CONFIRM_FAILED:	return "failed";
	default:		return "not-run";
	}
}

int
confirm_deadline_s(int connect_timeout_ms, int read_timeout_ms)
{
	return 2 * (connect_timeout_ms + 4 * read_timeout_ms) / 1000 + 5;
}

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int
is_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/*
 * The compiled program: BUILD/java beside the binary, else the
 * installed assets' java/; else its source for a JDK 11+ (*source 1).
 */
static int
find_program(const struct javart *rt, char *out, size_t cap, int *source)
{
	char exe[PATH_MAX], path[PATH_MAX + 64], *slash;
	struct sw_error e = { 0 };
	ssize_t n;

	*source = 0;
	if ((n = readlink("/proc/self/exe", exe, sizeof(exe) - 1)) > 0) {
		exe[n] = '\0';
		if ((slash = strrchr(exe, '/')) != NULL)
			*slash = '\0';
		snprintf(path, sizeof(path), "%s/java/MailConfirm.class", exe);
		if (is_file(path)) {
			snprintf(out, cap, "%.*s/java", PATH_MAX - 8, exe);
			return 1;
		}
	}
	if (assets_path("java/MailConfirm.class", path, sizeof(path), &e) ==
	    SW_OK && (slash = strrchr(path, '/')) != NULL) {
		*slash = '\0';
		snprintf(out, cap, "%.*s", PATH_MAX - 1, path);
		return 1;
	}
	sw_error_clear(&e);
	if (rt->major >= 11 && assets_path("java/MailConfirm.java", path,
	    sizeof(path), &e) == SW_OK) {
		snprintf(out, cap, "%.*s", PATH_MAX - 1, path);
		*source = 1;
		return 1;
	}
	return 0;
}

static enum sw_err
put(struct props *p, const char *key, const char *value, struct sw_error *err)
{
	if (value == NULL || *value == '\0')
		return SW_OK;
	return props_set(p, key, value, err);
}

/* The Properties text for the program's stdin (see MailConfirm.java). */
static enum sw_err
stdin_text(const struct confirm_opts *o, const struct settings *final,
    const char *api, char **out, struct sw_error *err)
{
	const struct javart *rt = o->rt;
	struct props *p;
	char buf[JAVART_PATH + 8], deadline[16];
	size_t i;
	enum sw_err rc = SW_OK;

	if ((p = props_new()) == NULL)
		return sw_fail(err, SW_ENOMEM, "out of memory");
	/* JavaMail never reads mail.smtp.password (JS7 does, itself). */
	for (i = 0; rc == SW_OK && i < props_count(final->p); i++)
		if (strcmp(props_key(final->p, i), "mail.smtp.password") != 0)
			rc = put(p, props_key(final->p, i),
			    props_value(final->p, i), err);
	snprintf(deadline, sizeof(deadline), "%d", o->deadline_s);
	if (rc == SW_OK && rt->security_props[0] != '\0' &&
	    rt->override_allowed) {
		snprintf(buf, sizeof(buf), "%s%s", rt->security_replace ?
		    "=" : "", rt->security_props);
		rc = put(p, "smtpwiz.sys.java.security.properties", buf, err);
	}
	if (rc == SW_OK)
		rc = put(p, "smtpwiz.sys.javax.net.ssl.trustStore",
		    o->truststore ? o->truststore : rt->truststore, err);
	if (rc == SW_OK)
		rc = put(p, "smtpwiz.sys.javax.net.ssl.trustStoreType",
		    o->truststore ? NULL : rt->truststore_type, err);
	if (rc == SW_OK && o->truststore != NULL)
		rc = put(p, "smtpwiz.sys.javax.net.ssl.trustStorePassword",
		    o->storepass ? o->storepass : KEYSTORE_DEFAULT_PASSWORD, err);
	else if (rc == SW_OK && rt->truststore_password &&
	    javart_process_property(rt, "javax.net.ssl.trustStorePassword",
	    buf, sizeof(buf))) {
		rc = put(p, "smtpwiz.sys.javax.net.ssl.trustStorePassword", buf,
		    err);
		explicit_bzero(buf, sizeof(buf));
	}
	if (rc == SW_OK)
		rc = put(p, "smtpwiz.sys.jdk.tls.client.protocols",
		    rt->client_protocols, err);
	if (rc == SW_OK)
		rc = put(p, "smtpwiz.sys.jdk.tls.client.cipherSuites",
		    rt->client_suites, err);
	if (rc == SW_OK)
		rc = put(p, "smtpwiz.api", api, err);
	if (rc == SW_OK)
		rc = put(p, "smtpwiz.from", o->from, err);
	if (rc == SW_OK)
		rc = put(p, "smtpwiz.to", o->to, err);
	if (rc == SW_OK)
		rc = put(p, "smtpwiz.deadline", deadline, err);
	if (rc == SW_OK)
		rc = put(p, "smtpwiz.password", o->password, err);
	if (rc == SW_OK)
		rc = props_format(p, NULL, NULL, NULL, out, err);
	props_free(p);
	return rc;
}

/* fork/exec argv with stdin and stdout on pipes; stderr to /dev/null. */
static pid_t
spawn(char *const argv[], int *to_child, int *from_child)
{
	int in[2], out[2], null;
	pid_t pid;

	if (pipe2(in, O_CLOEXEC) != 0)
		return -1;
	if (pipe2(out, O_CLOEXEC) != 0) {
		close(in[0]);
		close(in[1]);
		return -1;
	}
	if ((pid = fork()) == 0) {
		null = open("/dev/null", O_WRONLY);
		if (dup2(in[0], 0) < 0 || dup2(out[1], 1) < 0 ||
		    (null >= 0 && dup2(null, 2) < 0))
			_exit(127);
		execv(argv[0], argv);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	if (pid < 0) {
		close(in[1]);
		close(out[0]);
		return -1;
	}
	*to_child = in[1];
	*from_child = out[0];
	return pid;
}

static void
write_all(int fd, const char *p, size_t n)
{
	ssize_t w;

	signal(SIGPIPE, SIG_IGN);	/* a JVM that died early */
	while (n > 0) {
		if ((w = write(fd, p, n)) < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;
		p += w;
		n -= (size_t)w;
	}
}

/* Reads the child's stdout until EOF, the deadline or a cancel. */
static int
read_output(int fd, int cancel_fd, int64_t deadline, char *buf, size_t cap)
{
	struct pollfd pf[2] = { { fd, POLLIN, 0 }, { cancel_fd, POLLIN, 0 } };
	size_t got = 0;
	ssize_t n;
	int64_t left;

	buf[0] = '\0';
	for (;;) {
		if ((left = deadline - now_ms()) <= 0)
			return -1;
		if (poll(pf, cancel_fd >= 0 ? 2 : 1, (int)left) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (cancel_fd >= 0 && (pf[1].revents & POLLIN))
			return -2;
		if (!(pf[0].revents & (POLLIN | POLLHUP | POLLERR)))
			continue;
		if ((n = read(fd, buf + got, cap - 1 - got)) < 0 &&
		    errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
		buf[got] = '\0';
		if (got == cap - 1)
			break;
	}
	return 0;
}

/* The decoder's step for the exception chain (innermost first). */
static void
decode(struct confirm_result *res)
{
	struct explain_db *db = NULL;
	struct explain_result *er;
	struct sw_error e = { 0 };
	size_t i;

	if ((er = malloc(sizeof(*er))) == NULL)
		return;
	if (explain_db_load(&db, NULL, &e) == SW_OK &&
	    explain_text(db, res->exception, strlen(res->exception), er,
	    &e) == SW_OK)
		for (i = 0; i < er->n; i++) {
			int s = er->hits[i].entry->step;

			if (s >= 1 && s <= EXPLAIN_STEP_NET) {
				res->step = s == EXPLAIN_STEP_NET ? 1 : s;
				snprintf(res->explain_id,
				    sizeof(res->explain_id), "%s",
				    er->hits[i].entry->id);
				break;
			}
		}
	explain_db_free(db);
	free(er);
}

/* The program's lines into res. */
static void
parse_output(char *out, struct confirm_result *res)
{
	char *line, *save, *home, *lib;

	for (line = strtok_r(out, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		line[strcspn(line, "\r")] = '\0';
		if (strncmp(line, "INFO java=", 10) == 0) {
			home = strstr(line, " home=");
			lib = strstr(line, " lib=");
			if (home != NULL)
				*home = '\0';
			if (lib != NULL)
				*lib = '\0';
			snprintf(res->java, sizeof(res->java), "%s at %s",
			    line + 10, home ? home + 6 : "?");
			snprintf(res->lib, sizeof(res->lib), "%s",
			    lib ? lib + 5 : "?");
		} else if (strcmp(line, "OK") == 0)
			res->result = CONFIRM_OK;
		else if (strncmp(line, "FAIL setup: ", 12) == 0 ||
		    strncmp(line, "FAIL usage: ", 12) == 0)
			snprintf(res->detail, sizeof(res->detail), "%s",
			    line + 5);
		else if (strncmp(line, "FAIL ", 5) == 0) {
			res->result = CONFIRM_FAILED;
			snprintf(res->exception, sizeof(res->exception), "%s",
			    line + 5);
		}
	}
}

static int
not_run(struct confirm_result *res, const char *why)
{
	res->result = CONFIRM_NOT_RUN;
	snprintf(res->detail, sizeof(res->detail), "%s", why);
	return 0;
}

enum sw_err
confirm_run(const struct confirm_opts *o, const struct settings *final,
    enum mail_lib lib, struct confirm_result *res, struct sw_error *err)
{
	char prog[PATH_MAX], cp[PATH_MAX + 1100], out[OUT_MAX], *text = NULL;
	char *argv[6];
	struct jarset js;
	int to = -1, from = -1, source, st, r;
	int64_t start = now_ms();
	enum sw_err rc;
	pid_t pid;

	memset(res, 0, sizeof(*res));
	if (o->rt == NULL || !o->rt->found || o->rt->java[0] == '\0')
		return not_run(res, "no Java runtime with a bin/java was found "
		    "(--java-home, --java-pid, JAVA_HOME, java on PATH)"), SW_OK;
	if (!confirm_find_jars(&js, o->mail_jar, o->rt, lib))
		return not_run(res, o->mail_jar ? "the --mail-jar file cannot "
		    "be read" : "no mail library found: name the "
		    "application's JavaMail or Jakarta Mail jar with "
		    "--mail-jar (Debian: libmail-java)"), SW_OK;
	snprintf(res->classpath, sizeof(res->classpath), "%s", js.cp);
	snprintf(res->jar_source, sizeof(res->jar_source), "%s", js.source);
	if (!find_program(o->rt, prog, sizeof(prog), &source))
		return not_run(res, "MailConfirm is not built (make builds it "
		    "with javac --release 8) and this Java cannot run its "
		    "source (Java 11+ can)"), SW_OK;
	if ((rc = stdin_text(o, final, js.api, &text, err)) != SW_OK)
		return rc;
	snprintf(cp, sizeof(cp), "%s%s%s", source ? "" : prog, source ? "" :
	    ":", js.cp);
	argv[0] = (char *)o->rt->java;
	argv[1] = (char *)"-cp";
	argv[2] = cp;
	argv[3] = source ? prog : (char *)"MailConfirm";
	argv[4] = NULL;
	if ((pid = spawn(argv, &to, &from)) < 0) {
		explicit_bzero(text, strlen(text));
		free(text);
		return not_run(res, "cannot start java"), SW_OK;
	}
	write_all(to, text, strlen(text));
	explicit_bzero(text, strlen(text));
	free(text);
	close(to);
	r = read_output(from, o->cancel_fd, start + (int64_t)(o->deadline_s +
	    JVM_GRACE_S) * 1000, out, sizeof(out));
	close(from);
	if (r < 0)
		kill(pid, SIGKILL);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	res->elapsed_ms = now_ms() - start;
	if (r == -2)
		return sw_fail(err, SW_ECANCEL, "cancelled");
	if (r == -1)
		return not_run(res, "java gave no answer in time"), SW_OK;
	parse_output(out, res);
	if (res->result == CONFIRM_FAILED)
		decode(res);
	else if (res->result == CONFIRM_NOT_RUN && res->detail[0] == '\0')
		snprintf(res->detail, sizeof(res->detail), "java ended (status "
		    "%d) without a verdict", WIFEXITED(st) ? WEXITSTATUS(st) :
		    -1);
	return SW_OK;
}
