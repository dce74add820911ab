/*
 * Secrets: the password (or OAuth2 bearer token) step 5 logs in with.
 * It comes from a no-echo prompt on /dev/tty, a file (--password-file,
 * first line) or the environment (SMTPWIZ_PASSWORD) -- never from the
 * command line, which every user of the machine can read in ps(1).
 *
 * While a secret is held, the process cannot dump core (RLIMIT_CORE
 * soft limit 0) and, on Linux, is not dumpable (PR_SET_DUMPABLE 0: no
 * core, no ptrace by the same user, /proc/PID/environ and mem
 * unreadable); the buffer is locked in memory where mlock() allows.
 * secret_clear() overwrites it with a wipe the compiler cannot drop
 * and restores what was changed.
 *
 * A struct secret belongs to one thread; the text it holds may be read
 * from others (probe_env.opt.password points at it) until it is
 * cleared.
 */
#ifndef SW_SECRET_H
#define SW_SECRET_H

#include <stddef.h>

#include "err.h"

#define SECRET_ENV	"SMTPWIZ_PASSWORD"
#define STOREPASS_ENV	"SMTPWIZ_STOREPASS"	/* the trust store's */
#define SECRET_MAX	4096	/* bytes; OAuth2 access tokens run to ~2 KB */

struct secret {
	char	*buf;		/* NUL-terminated text; NULL: none held */
	size_t	 len;		/* of the text */
	size_t	 cap;		/* of buf, for the wipe */
	int	 locked;	/* mlock() worked */
	int	 guarded;	/* core dumps are off because of us */
	int	 core_saved;	/* old_core is valid */
	unsigned long long old_core;	/* RLIMIT_CORE soft limit before */
	int	 old_dumpable;	/* PR_GET_DUMPABLE before; -1: unknown */
};

/* An empty secret (nothing held).  Clearing one is harmless. */
void		 secret_init(struct secret *s);

/* 1 when s holds a secret (possibly an empty string). */
int		 secret_held(const struct secret *s);

/*
 * Reads the first line of the file at path (without its LF or CRLF);
 * what names the file in messages ("password file", "client secret
 * file", ...).
 * A regular file that group or others may read is accepted, and warn
 * (cap bytes, may be NULL) gets a sentence to print ("... is readable
 * by others (mode 0644): chmod 600 ..."); otherwise warn is "".  A
 * non-regular file (a pipe, /dev/stdin) is read as it is.  Reads at
 * most SECRET_MAX + 1 bytes; nothing read stays in memory unwiped.
 * Errors: SW_EFILE (cannot open or read; empty first line; line longer
 * than SECRET_MAX -- the messages name the file, never its content),
 * SW_ENOMEM.
 */
enum sw_err	 secret_from_file(struct secret *s, const char *path,
		    const char *what, char *warn, size_t cap,
		    struct sw_error *err);

/*
 * Takes the value of the environment variable name (SECRET_ENV), then
 * overwrites it in place and removes it from the environment, so that
 * child processes and /proc/PID/environ no longer hold it.  Not
 * thread-safe (getenv/unsetenv): call before starting threads.  An
 * unset variable leaves s empty and returns SW_OK (test secret_held).
 * Errors: SW_EUSAGE (longer than SECRET_MAX), SW_ENOMEM.
 */
enum sw_err	 secret_from_env(struct secret *s, const char *name,
		    struct sw_error *err);

/*
 * Asks for the secret on the controlling terminal (/dev/tty, never
 * stdin/stdout, so it works with output piped), with echo off, and
 * restores the terminal on every exit -- also on SIGINT, SIGTERM,
 * SIGHUP and SIGQUIT, which are re-raised after the buffer is wiped;
 * after ^Z (SIGTSTP, SIGTTIN, SIGTTOU) the process stops and asks
 * again when continued.  prompt is written as given.  An empty line
 * or end of input leaves s empty and returns SW_OK (test
 * secret_held()): the user chose not to give one.
 * Errors: SW_EIO (no controlling terminal: the caller says how else to
 * give the password), SW_ECANCEL (a signal whose handler returned),
 * SW_EUSAGE (longer than SECRET_MAX), SW_ENOMEM.
 */
enum sw_err	 secret_prompt(struct secret *s, const char *prompt,
		    struct sw_error *err);

/*
 * The password as `smtpwiz check` takes it: from the file at path when
 * path is not NULL (warn as for secret_from_file()), else from
 * SECRET_ENV, else -- prompt not NULL and a terminal there -- from a
 * prompt.  s stays empty when none gives one.  SECRET_ENV is wiped
 * from the environment whichever source wins.
 * Errors: as secret_from_file(), secret_from_env(), secret_prompt()
 * (but no SW_EIO: no terminal just means no password).
 */
enum sw_err	 secret_obtain(struct secret *s, const char *path,
		    const char *prompt, char *warn, size_t cap,
		    struct sw_error *err);

/*
 * The trust store's password as check and the wizard take it: from the
 * file at path when path is not NULL (first line; warn as for
 * secret_from_file(); STOREPASS_ENV is wiped then), else from
 * STOREPASS_ENV.  s stays empty when neither gives one (--storepass on
 * the command line, visible to other users, is the caller's fallback).
 * Errors: as secret_from_file() and secret_from_env().
 */
enum sw_err	 secret_storepass(struct secret *s, const char *path,
		    char *warn, size_t cap, struct sw_error *err);

/*
 * Overwrites the value of the environment variable name in place and
 * removes it, without keeping a copy: for a variable whose source lost
 * to another one (a --password-file given as well).  Not thread-safe.
 */
void		 secret_env_drop(const char *name);

/* 1 when a controlling terminal can be opened (a prompt can work). */
int		 secret_tty_available(void);

/* Copies text into s (for the UI's field and for tests).
 * Errors: SW_EUSAGE (longer than SECRET_MAX), SW_ENOMEM. */
enum sw_err	 secret_set(struct secret *s, const char *text,
		    struct sw_error *err);

/*
 * A zeroed buffer of cap bytes in s (s->buf, s->len 0), guarded like a
 * secret, for text built from secrets (an OAuth2 request body); the
 * caller writes it and sets s->len.  Errors: SW_ENOMEM.
 */
enum sw_err	 secret_reserve(struct secret *s, size_t cap,
		    struct sw_error *err);

/*
 * Wipes and frees what s holds and restores the core-dump settings it
 * changed.  Clear secrets in the reverse order of loading them.
 */
void		 secret_clear(struct secret *s);

/* Overwrites p[0..n) with zeros; the compiler may not drop it. */
void		 secret_wipe(void *p, size_t n);

#endif
