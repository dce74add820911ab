/*
 * secret.c: the password file (first line, CRLF, no newline, empty,
 * too long, a directory, group/other-readable warning), the
 * environment variable (taken, wiped, removed), the wipe, core dumps
 * off while a secret is held and back after, the order of
 * secret_obtain(), and the no-echo prompt driven through a real
 * pseudo-terminal (the child's controlling terminal).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include "secret.h"
#include "tap.h"

static char dir[] = "/tmp/test_secret.XXXXXX";

static const char *
write_file(const char *name, const char *content, size_t len, mode_t mode)
{
	static char path[256];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	unlink(path);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || write(fd, content, len) != (ssize_t)len)
		perror(path);
	fchmod(fd, mode);
	close(fd);
	return path;
}

static int
all_zero(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] != 0)
			return 0;
	return 1;
}

static void
test_file(void)
{
	struct secret s;
	struct sw_error e = { 0 };
	char warn[512], big[SECRET_MAX + 10];
	const char *p;

	secret_init(&s);
	p = write_file("pw", "s3cret-one\nsecond line\n", 23, 0600);
	CHECK(secret_from_file(&s, p, "password file", warn, sizeof(warn),
	    &e) == SW_OK);
	CHECK_STR(s.buf, "s3cret-one");
	CHECK_INT(s.len, 10);
	CHECK_STR(warn, "");
	/* What followed the first line is not kept. */
	CHECK(all_zero(s.buf + s.len, s.cap - s.len));
	secret_clear(&s);
	CHECK(s.buf == NULL && s.len == 0 && !secret_held(&s));

	p = write_file("crlf", "dos-pw\r\n", 8, 0600);
	CHECK(secret_from_file(&s, p, "password file", warn, sizeof(warn),
	    NULL) == SW_OK);
	CHECK_STR(s.buf, "dos-pw");
	p = write_file("nonl", "no newline at all", 17, 0400);
	CHECK(secret_from_file(&s, p, "password file", warn, sizeof(warn),
	    NULL) == SW_OK);
	CHECK_STR(s.buf, "no newline at all");
	p = write_file("spaces", " keep blanks \n", 14, 0600);
	CHECK(secret_from_file(&s, p, "password file", warn, sizeof(warn),
	    NULL) == SW_OK);
	CHECK_STR(s.buf, " keep blanks ");

	/* Readable by others: used, with a warning that says what to do. */
	p = write_file("open", "world-readable\n", 15, 0644);
	CHECK(secret_from_file(&s, p, "password file", warn, sizeof(warn),
	    NULL) == SW_OK);
	CHECK(strstr(warn, "chmod 600") != NULL);
	CHECK(strstr(warn, "0644") != NULL);
	CHECK(strstr(warn, "world-readable") == NULL);
	p = write_file("group", "group-readable\n", 15, 0640);
	CHECK(secret_from_file(&s, p, "password file", warn, sizeof(warn),
	    NULL) == SW_OK);
	CHECK(strstr(warn, "group") != NULL);

	/* Errors name the file, never its content. */
	sw_error_clear(&e);
	p = write_file("empty", "\nsecond-is-not-taken\n", 21, 0600);
	CHECK(secret_from_file(&s, p, "password file", warn, sizeof(warn),
	    &e) == SW_EFILE);
	CHECK(strstr(sw_error_text(&e), "empty") != NULL);
	CHECK(strstr(sw_error_text(&e), "second") == NULL);
	CHECK(!secret_held(&s));
	sw_error_clear(&e);
	memset(big, 'x', sizeof(big));
	memcpy(big, "LEAKME", 6);
	p = write_file("big", big, sizeof(big), 0600);
	CHECK(secret_from_file(&s, p, "password file", warn, sizeof(warn),
	    &e) == SW_EFILE);
	CHECK(strstr(sw_error_text(&e), "longer") != NULL);
	CHECK(strstr(sw_error_text(&e), "LEAKME") == NULL);
	sw_error_clear(&e);
	CHECK(secret_from_file(&s, "/nonexistent/pw", "client secret file",
	    warn, sizeof(warn), &e) == SW_EFILE);
	CHECK(strstr(sw_error_text(&e), "/nonexistent/pw") != NULL);
	/* The message names the file as what it holds. */
	CHECK(strstr(sw_error_text(&e), "client secret file") != NULL);
	CHECK(strstr(sw_error_text(&e), "password") == NULL);
	sw_error_clear(&e);
	CHECK(secret_from_file(&s, dir, "password file", warn,
	    sizeof(warn), &e) == SW_EFILE);
	/* Exactly SECRET_MAX bytes is still fine. */
	big[SECRET_MAX] = '\n';
	p = write_file("max", big, SECRET_MAX + 1, 0600);
	CHECK(secret_from_file(&s, p, "password file", warn, sizeof(warn),
	    NULL) == SW_OK);
	CHECK_INT(s.len, SECRET_MAX);
	secret_clear(&s);
}

static void
test_env(void)
{
	struct secret s;
	char *v;

	secret_init(&s);
	unsetenv(SECRET_ENV);
	CHECK(secret_from_env(&s, SECRET_ENV, NULL) == SW_OK);
	CHECK(!secret_held(&s));
	setenv(SECRET_ENV, "from-the-env", 1);
	v = getenv(SECRET_ENV);
	CHECK(secret_from_env(&s, SECRET_ENV, NULL) == SW_OK);
	CHECK_STR(s.buf, "from-the-env");
	/* Gone from the environment, and the old bytes overwritten. */
	CHECK(getenv(SECRET_ENV) == NULL);
	CHECK(v != NULL && v[0] == '\0');
	secret_clear(&s);
	setenv(SECRET_ENV, "", 1);
	CHECK(secret_from_env(&s, SECRET_ENV, NULL) == SW_OK);
	CHECK(!secret_held(&s));
	CHECK(getenv(SECRET_ENV) == NULL);
}

static void
test_wipe(void)
{
	char buf[64];

	memset(buf, 'A', sizeof(buf));
	secret_wipe(buf, sizeof(buf));
	CHECK(all_zero(buf, sizeof(buf)));
	secret_wipe(NULL, 10);		/* harmless */
}

static void
test_core_guard(void)
{
	struct secret s;
	struct rlimit rl, before;

	getrlimit(RLIMIT_CORE, &before);
	secret_init(&s);
	CHECK(secret_set(&s, "guarded", NULL) == SW_OK);
	getrlimit(RLIMIT_CORE, &rl);
	CHECK(rl.rlim_cur == 0);
	CHECK(rl.rlim_max == before.rlim_max);
#ifdef __linux__
	CHECK(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) == 0);
#endif
	secret_clear(&s);
	getrlimit(RLIMIT_CORE, &rl);
	CHECK(rl.rlim_cur == before.rlim_cur);
#ifdef __linux__
	CHECK(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) == 1);
#endif
	/* Loading twice keeps the first saved state. */
	CHECK(secret_set(&s, "one", NULL) == SW_OK);
	CHECK(secret_set(&s, "two", NULL) == SW_OK);
	CHECK_STR(s.buf, "two");
	secret_clear(&s);
	getrlimit(RLIMIT_CORE, &rl);
	CHECK(rl.rlim_cur == before.rlim_cur);
	{
		char big[SECRET_MAX + 2];

		memset(big, 'y', sizeof(big) - 1);
		big[sizeof(big) - 1] = '\0';
		CHECK(secret_set(&s, big, NULL) == SW_EUSAGE);
		CHECK(!secret_held(&s));
	}
}

/*
 * The guard is the process's: two secrets cleared in the order they
 * were loaded (the wizard's password, then the store's) leave core
 * dumps off until the last one goes.  The buffer has pages of its own.
 */
static void
test_guard_count(void)
{
	struct secret a, b;
	struct rlimit rl, before;
	long pg = sysconf(_SC_PAGESIZE);

	getrlimit(RLIMIT_CORE, &before);
	secret_init(&a);
	secret_init(&b);
	CHECK(secret_set(&a, "first", NULL) == SW_OK);
	CHECK(secret_set(&b, "second", NULL) == SW_OK);
	CHECK(pg > 0 && (uintptr_t)a.buf % (uintptr_t)pg == 0);
	CHECK(pg > 0 && a.cap % (size_t)pg == 0);
	secret_clear(&a);		/* not the reverse order */
	getrlimit(RLIMIT_CORE, &rl);
	CHECK(rl.rlim_cur == 0);
#ifdef __linux__
	CHECK(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) == 0);
#endif
	CHECK_STR(b.buf, "second");
	secret_clear(&b);
	getrlimit(RLIMIT_CORE, &rl);
	CHECK(rl.rlim_cur == before.rlim_cur);
#ifdef __linux__
	CHECK(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) == 1);
#endif
}

static void
test_obtain(void)
{
	struct secret s;
	char warn[256];
	const char *p = write_file("obtain", "file-wins\n", 10, 0600);

	secret_init(&s);
	setenv(SECRET_ENV, "env-loses", 1);
	CHECK(secret_obtain(&s, p, NULL, warn, sizeof(warn), NULL) == SW_OK);
	CHECK_STR(s.buf, "file-wins");
	/* The variable lost, and is wiped all the same (issue 12). */
	CHECK(getenv(SECRET_ENV) == NULL);
	setenv(SECRET_ENV, "env-alone", 1);
	CHECK(secret_obtain(&s, NULL, NULL, warn, sizeof(warn), NULL) ==
	    SW_OK);
	CHECK_STR(s.buf, "env-alone");
	/* Nothing left: no file, no variable, no prompt wanted. */
	CHECK(secret_obtain(&s, NULL, NULL, warn, sizeof(warn), NULL) ==
	    SW_OK);
	CHECK(!secret_held(&s));
	CHECK(secret_obtain(&s, "/nonexistent", NULL, warn, sizeof(warn),
	    NULL) == SW_EFILE);
	secret_clear(&s);
}

/*
 * The prompt, through a pseudo-terminal that is the child's
 * controlling terminal: what the child writes (the prompt, then a
 * newline) is read back from the master; the typed password must not
 * be echoed.  The child exits 0 when it got what was typed.
 */
static int
prompt_child(const char *slave, const char *want)
{
	struct secret s;
	struct sw_error e = { 0 };
	enum sw_err rc;
	int fd;

	setsid();
	fd = open(slave, O_RDWR);	/* becomes the controlling tty */
	if (fd < 0)
		return 3;
	secret_init(&s);
	rc = secret_prompt(&s, "Password: ", &e);
	if (rc != SW_OK)
		return 4;
	if (want == NULL)
		return secret_held(&s) ? 5 : 0;
	return secret_held(&s) && strcmp(s.buf, want) == 0 ? 0 : 6;
}

static void
run_prompt(const char *typed, const char *want, const char *name)
{
	char out[512], slave[128];
	size_t got = 0;
	int m, status = -1;
	pid_t pid;

	m = posix_openpt(O_RDWR | O_NOCTTY);
	if (m < 0 || grantpt(m) != 0 || unlockpt(m) != 0) {
		printf("ok %d - prompt %s # SKIP no pseudo-terminal\n",
		    ++tap_n, name);
		return;
	}
	snprintf(slave, sizeof(slave), "%s", ptsname(m) ? ptsname(m) : "");
	fflush(stdout);
	if ((pid = fork()) == 0) {
		close(m);
		_exit(prompt_child(slave, want));
	}
	/* Wait for the prompt, then type. */
	for (;;) {
		struct pollfd p = { m, POLLIN, 0 };
		ssize_t n;

		if (poll(&p, 1, 5000) <= 0)
			break;
		n = read(m, out + got, sizeof(out) - 1 - got);
		if (n <= 0)
			break;
		got += (size_t)n;
		out[got] = '\0';
		if (strstr(out, "Password: ") != NULL)
			break;
	}
	(void)!write(m, typed, strlen(typed));
	waitpid(pid, &status, 0);
	for (;;) {
		struct pollfd p = { m, POLLIN, 0 };
		ssize_t n;

		if (poll(&p, 1, 200) <= 0 || got >= sizeof(out) - 1)
			break;
		n = read(m, out + got, sizeof(out) - 1 - got);
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	out[got] = '\0';
	close(m);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	if (!(WIFEXITED(status) && WEXITSTATUS(status) == 0))
		printf("#   prompt %s: child status %d\n", name, status);
	CHECK(strstr(out, "Password: ") != NULL);
	/* No echo of what was typed. */
	CHECK(want == NULL || strstr(out, want) == NULL);
}

static void
test_prompt(void)
{
	run_prompt("hunter2-typed\n", "hunter2-typed", "typed");
	run_prompt("\n", NULL, "empty line");
}

int
main(void)
{
	if (mkdtemp(dir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	test_file();
	test_env();
	test_wipe();
	test_core_guard();
	test_guard_count();
	test_obtain();
	test_prompt();
	{
		char cmd[300];

		snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
		(void)!system(cmd);
	}
	return tap_done();
}
