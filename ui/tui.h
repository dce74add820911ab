/*
 * The wizard: the ncurses front end over the engine.  main.c hands it
 * the parsed command line; it owns the terminal from initscr() to the
 * last endwin(), on every exit path.
 */
#ifndef SW_TUI_H
#define SW_TUI_H

#include "probe.h"

struct secret;

struct tui_args {
	const char	*target;	/* "host[:port]" or NULL */
	const char	*load;		/* --load FILE or NULL */
	const char	*java_home;	/* --java-home DIR or NULL */
	long		 java_pid;	/* --java-pid PID; 0: none */
	int		 ascii;		/* --ascii: no line-drawing glyphs */
	int		 no_color;	/* --no-color or NO_COLOR set */
	int		 demo_port;	/* >0: the bundled demo server's port */
	/*
	 * Prefilled wizard options, as `check` takes them (NULL: none):
	 * opt holds those the option table (src/cli/opts.c) stores there,
	 * and --java; its secrets are never set (below).
	 */
	struct probe_opts opt;
	const char	*storepass;	/* --storepass: argv, visible in ps(1) */
	const char	*user;		/* --user */
	/*
	 * The secrets main.c read (src/secret.h): the login password from
	 * --password-file, the prompt or SMTPWIZ_PASSWORD (never argv);
	 * the trust store's from --storepass-file or SMTPWIZ_STOREPASS.
	 * The wizard moves what they hold into its own, leaving them
	 * empty, so one copy exists; NULL or empty: none.
	 */
	struct secret	*password;
	struct secret	*storepass_sec;
	const char	*socks;		/* --socks [USER@]HOST[:PORT] */
	const char	*proxy;		/* --proxy [USER@]HOST[:PORT] */
	const char	*mail_lib;	/* --mail-lib javamail|angus */
	const char	*java_log;	/* --java-from-debug-log LOG */
	const char	*mail_jar;	/* --mail-jar: the user's Java runs
					   the block with it */
	int		 confirm_with_java; /* --confirm-with-java: the user's
					   Java runs every verified block */
};

/* Runs the wizard; returns the process exit status. */
int	tui_main(const struct tui_args *);

#endif
