/*
 * Reading, holding and wiping the step 5 password: file, environment,
 * terminal prompt; core dumps off while it is in memory.
 */
#include <errno.h>
#include <pthread.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include "secret.h"

/*
 * memset through a volatile pointer, then a compiler barrier: the
 * compiler can neither prove the call is memset nor that the zeros are
 * never read (OpenSSL's OPENSSL_cleanse; explicit_bzero is not in every
 * libc we build on).
 */
static void *(*const volatile wipe_memset)(void *, int, size_t) = memset;

void
secret_wipe(void *p, size_t n)
{
	if (p == NULL || n == 0)
		return;
	wipe_memset(p, 0, n);
	__asm__ __volatile__("" : : "r"(p) : "memory");
}

void
secret_init(struct secret *s)
{
	memset(s, 0, sizeof(*s));
	s->old_dumpable = -1;
}

int
secret_held(const struct secret *s)
{
	return s->buf != NULL;
}

/*
 * No core file, no ptrace, while any secret is in memory.  The limits
 * are the process's, so the guard is counted: the first secret saves
 * and changes them, the last one cleared puts them back, in whatever
 * order secrets come and go (the wizard holds the password, the trust
 * store's, and a probe's own copies on the worker thread).
 */
static pthread_mutex_t guard_mu = PTHREAD_MUTEX_INITIALIZER;
static int guard_count;
static int guard_core_saved;
static unsigned long long guard_old_core;
static int guard_old_dumpable = -1;

static void
guard(struct secret *s)
{
	struct rlimit rl;

	if (s->guarded)
		return;
	pthread_mutex_lock(&guard_mu);
	if (guard_count++ == 0) {
		guard_core_saved = 0;
		if (getrlimit(RLIMIT_CORE, &rl) == 0) {
			guard_old_core = (unsigned long long)rl.rlim_cur;
			guard_core_saved = 1;
			rl.rlim_cur = 0;   /* the hard limit stays: restorable */
			(void)setrlimit(RLIMIT_CORE, &rl);
		}
#ifdef __linux__
		guard_old_dumpable = prctl(PR_GET_DUMPABLE, 0, 0, 0, 0);
		(void)prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
#endif
	}
	pthread_mutex_unlock(&guard_mu);
	s->guarded = 1;
	s->core_saved = guard_core_saved;
	s->old_core = guard_old_core;
	s->old_dumpable = guard_old_dumpable;
}

static void
unguard(struct secret *s)
{
	struct rlimit rl;

	if (!s->guarded)
		return;
	pthread_mutex_lock(&guard_mu);
	if (--guard_count == 0) {
#ifdef __linux__
		if (guard_old_dumpable > 0)
			(void)prctl(PR_SET_DUMPABLE, guard_old_dumpable, 0, 0,
			    0);
#endif
		if (guard_core_saved && getrlimit(RLIMIT_CORE, &rl) == 0) {
			rl.rlim_cur = (rlim_t)guard_old_core;
			(void)setrlimit(RLIMIT_CORE, &rl);
		}
		guard_core_saved = 0;
		guard_old_dumpable = -1;
	}
	pthread_mutex_unlock(&guard_mu);
	s->guarded = s->core_saved = 0;
	s->old_dumpable = -1;
}

/*
 * A fresh, locked, guarded buffer of at least want bytes in s: whole
 * pages of its own (mmap), so that mlock() locks the secret and
 * nothing else and munlock() never unlocks a neighbour's page, and,
 * on Linux, left out of core files (MADV_DONTDUMP) and of a fork's
 * child (MADV_WIPEONFORK).
 */
static enum sw_err
alloc(struct secret *s, size_t want, struct sw_error *err)
{
	long pg = sysconf(_SC_PAGESIZE);
	size_t page = pg > 0 ? (size_t)pg : 4096;
	size_t cap = (want + page - 1) / page * page;
	void *p;

	secret_clear(s);
	guard(s);
	p = mmap(NULL, cap, PROT_READ | PROT_WRITE, MAP_PRIVATE |
	    MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		unguard(s);
		return sw_fail(err, SW_ENOMEM, "out of memory");
	}
#ifdef MADV_DONTDUMP
	(void)madvise(p, cap, MADV_DONTDUMP);
#endif
#ifdef MADV_WIPEONFORK
	(void)madvise(p, cap, MADV_WIPEONFORK);
#endif
	s->buf = p;
	s->cap = cap;
	s->locked = mlock(s->buf, cap) == 0;
	return SW_OK;
}

void
secret_clear(struct secret *s)
{
	if (s->buf != NULL) {
		secret_wipe(s->buf, s->cap);
		if (s->locked)
			(void)munlock(s->buf, s->cap);
		(void)munmap(s->buf, s->cap);
	}
	s->buf = NULL;
	s->len = s->cap = 0;
	s->locked = 0;
	unguard(s);
}

enum sw_err
secret_reserve(struct secret *s, size_t cap, struct sw_error *err)
{
	return alloc(s, cap, err);
}

enum sw_err
secret_set(struct secret *s, const char *text, struct sw_error *err)
{
	size_t n = strlen(text);
	enum sw_err rc;

	if (n > SECRET_MAX)
		return sw_fail(err, SW_EUSAGE, "the password is longer than "
		    "%d bytes", SECRET_MAX);
	if ((rc = alloc(s, n + 1, err)) != SW_OK)
		return rc;
	memcpy(s->buf, text, n + 1);
	s->len = n;
	return SW_OK;
}

enum sw_err
secret_from_file(struct secret *s, const char *path, const char *what,
    char *warn, size_t cap, struct sw_error *err)
{
	struct stat st;
	size_t got = 0;
	char *nl = NULL;
	enum sw_err rc;
	ssize_t n;
	int fd;

	if (warn != NULL && cap > 0)
		warn[0] = '\0';
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return sw_fail(err, SW_EFILE, "cannot read the %s "
		    "%s: %s", what, path, strerror(errno));
	if (fstat(fd, &st) != 0)
		memset(&st, 0, sizeof(st));
	if (S_ISDIR(st.st_mode)) {
		close(fd);
		return sw_fail(err, SW_EFILE, "the %s %s is a "
		    "directory", what, path);
	}
	if (S_ISREG(st.st_mode) && (st.st_mode & 077) != 0 && warn != NULL)
		snprintf(warn, cap, "the %s %s can be read by "
		    "%s (mode %04o): chmod 600 %s", what, path,
		    (st.st_mode & 007) ? "every user" : "its group",
		    (unsigned)(st.st_mode & 07777), path);
	if ((rc = alloc(s, SECRET_MAX + 2, err)) != SW_OK) {
		close(fd);
		return rc;
	}
	while (got < SECRET_MAX + 1 && nl == NULL) {
		n = read(fd, s->buf + got, SECRET_MAX + 1 - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = sw_fail(err, SW_EFILE, "cannot read the %s "
			    "%s: %s", what, path, strerror(errno));
			goto fail;
		}
		if (n == 0)
			break;
		nl = memchr(s->buf + got, '\n', (size_t)n);
		got += (size_t)n;
	}
	close(fd);
	fd = -1;
	if (nl == NULL && got > SECRET_MAX) {
		rc = sw_fail(err, SW_EFILE, "the first line of the %s "
		    "%s is longer than %d bytes", what, path, SECRET_MAX);
		goto fail;
	}
	s->len = nl ? (size_t)(nl - s->buf) : got;
	if (s->len > 0 && s->buf[s->len - 1] == '\r')
		s->len--;
	/* Wipe what followed the first line; it is not ours to keep. */
	secret_wipe(s->buf + s->len, s->cap - s->len);
	if (s->len == 0) {
		rc = sw_fail(err, SW_EFILE, "the first line of the %s "
		    "%s is empty", what, path);
		goto fail;
	}
	return SW_OK;
fail:
	if (fd >= 0)
		close(fd);
	secret_clear(s);
	return rc;
}

enum sw_err
secret_from_env(struct secret *s, const char *name, struct sw_error *err)
{
	char *v = getenv(name);
	size_t n;
	enum sw_err rc = SW_OK;

	secret_clear(s);
	if (v == NULL)
		return SW_OK;
	n = strlen(v);
	if (n > 0)
		rc = secret_set(s, v, err);
	/* Wipe before unsetenv: musl frees a value setenv() made. */
	secret_wipe(v, n);
	unsetenv(name);
	return rc;
}

void
secret_env_drop(const char *name)
{
	char *v = getenv(name);

	if (v == NULL)
		return;
	secret_wipe(v, strlen(v));
	unsetenv(name);
}

enum sw_err
secret_storepass(struct secret *s, const char *path, char *warn, size_t cap,
    struct sw_error *err)
{
	if (warn != NULL && cap > 0)
		warn[0] = '\0';
	if (path == NULL)
		return secret_from_env(s, STOREPASS_ENV, err);
	secret_env_drop(STOREPASS_ENV);
	return secret_from_file(s, path, "store password file", warn, cap,
	    err);
}

int
secret_tty_available(void)
{
	int fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);

	if (fd < 0)
		return 0;
	close(fd);
	return 1;
}

/*
 * The signal that interrupted the prompt.  The one static in the
 * engine: a signal handler has no other way to say what happened.
 */
static volatile sig_atomic_t prompt_signal;

static void
prompt_handler(int sig)
{
	prompt_signal = sig;
}

static const int prompt_signals[] = {
	SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGTSTP, SIGTTIN, SIGTTOU,
};
#define NPROMPT_SIGNALS	(sizeof(prompt_signals) / sizeof(prompt_signals[0]))

/* Reads one line from the terminal, echo off; returns a signal or 0. */
static int
prompt_once(int fd, const char *prompt, struct secret *s, int *toolong)
{
	struct sigaction sa, old[NPROMPT_SIGNALS];
	struct termios t, saved;
	int have_term, sig;
	size_t i;
	char ch;
	ssize_t n;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = prompt_handler;	/* no SA_RESTART: read() returns */
	sigemptyset(&sa.sa_mask);
	prompt_signal = 0;
	for (i = 0; i < NPROMPT_SIGNALS; i++)
		sigaction(prompt_signals[i], &sa, &old[i]);
	have_term = tcgetattr(fd, &saved) == 0;
	if (have_term) {
		t = saved;
		t.c_lflag &= ~(tcflag_t)(ECHO | ECHOE | ECHOK | ECHONL);
		t.c_lflag |= ICANON;
		(void)tcsetattr(fd, TCSAFLUSH, &t);
	}
	(void)!write(fd, prompt, strlen(prompt));
	s->len = 0;
	*toolong = 0;
	while (prompt_signal == 0) {
		n = read(fd, &ch, 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;		/* end of input */
		if (ch == '\n' || ch == '\r')
			break;
		if (s->len < SECRET_MAX)
			s->buf[s->len++] = ch;
		else
			*toolong = 1;
	}
	ch = 0;
	sig = prompt_signal;
	if (have_term)
		(void)tcsetattr(fd, TCSAFLUSH, &saved);
	(void)!write(fd, "\n", 1);
	for (i = 0; i < NPROMPT_SIGNALS; i++)
		sigaction(prompt_signals[i], &old[i], NULL);
	return sig;
}

enum sw_err
secret_prompt(struct secret *s, const char *prompt, struct sw_error *err)
{
	int fd, sig, toolong;
	enum sw_err rc;

	fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return sw_fail(err, SW_EIO, "no terminal to ask for the "
		    "password on");
	if ((rc = alloc(s, SECRET_MAX + 1, err)) != SW_OK) {
		close(fd);
		return rc;
	}
	for (;;) {
		sig = prompt_once(fd, prompt, s, &toolong);
		if (sig == 0)
			break;
		secret_wipe(s->buf, s->cap);
		s->len = 0;
		/* Stopped (^Z, background): stop, then ask again. */
		if (sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU) {
			kill(getpid(), sig);
			continue;
		}
		close(fd);
		secret_clear(s);
		raise(sig);	/* the caller's handler or the default */
		return sw_fail(err, SW_ECANCEL, "the password prompt was "
		    "interrupted");
	}
	close(fd);
	if (toolong) {
		secret_clear(s);
		return sw_fail(err, SW_EUSAGE, "the password is longer than "
		    "%d bytes", SECRET_MAX);
	}
	if (s->len == 0) {		/* Enter alone, or ^D: none given */
		secret_clear(s);
		return SW_OK;
	}
	s->buf[s->len] = '\0';
	return SW_OK;
}

enum sw_err
secret_obtain(struct secret *s, const char *path, const char *prompt,
    char *warn, size_t cap, struct sw_error *err)
{
	enum sw_err rc;

	if (warn != NULL && cap > 0)
		warn[0] = '\0';
	if (path != NULL) {
		secret_env_drop(SECRET_ENV);
		return secret_from_file(s, path, "password file", warn, cap,
		    err);
	}
	rc = secret_from_env(s, SECRET_ENV, err);
	if (rc != SW_OK || secret_held(s) || prompt == NULL ||
	    !secret_tty_available())
		return rc;
	rc = secret_prompt(s, prompt, err);
	return rc == SW_EIO ? SW_OK : rc;
}
