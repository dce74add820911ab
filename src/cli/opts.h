/*
 * Every option of the wizard and of `smtpwiz check`, once (like tmux's
 * cmd_entry): its name, the value it takes, its lines in --help and the
 * front ends that take it, and the probe_opts field it sets.  Both
 * getopt tables and the --help text are made from the table in opts.c;
 * a new option is one row there plus, unless it only sets its
 * probe_opts field (opts_probe_arg()), its case in the front end that
 * handles it.
 */
#ifndef SW_OPTS_H
#define SW_OPTS_H

#include <getopt.h>
#include <stddef.h>
#include <stdio.h>

#include "err.h"

/* Who takes an option (opt_def.where). */
#define OPT_CHECK	0x1	/* smtpwiz check */
#define OPT_WIZARD	0x2	/* smtpwiz (the wizard) */
#define OPT_BOTH	(OPT_CHECK | OPT_WIZARD)
#define OPT_HIDDEN	0x4	/* not in --help (named in another's help) */
#define OPT_SHORT	0x8	/* id is also its one-letter form: -o */
#define OPT_PROFILES	0x10	/* --help shows the built-in Java profiles
				   (javaprof.c) as its value: 8u202|... */

/* getopt_long values beyond every character. */
enum {
	OPT_OAUTH2_URL = 0x200,		/* --oauth2-token-url URL */
	OPT_OAUTH2_TENANT,		/* --oauth2-tenant ID */
	OPT_OAUTH2_CLIENT_ID,		/* --oauth2-client-id ID */
	OPT_OAUTH2_SECRET_FILE,		/* --oauth2-client-secret-file F */
	OPT_OAUTH2_REFRESH_FILE,	/* --oauth2-refresh-token-file F */
	OPT_OAUTH2_SCOPE,		/* --oauth2-scope "S1 S2" */
	OPT_OAUTH2_FLOW			/* --oauth2-flow client-credentials
					   | refresh-token */
};

/*
 * One row: an option, or (name NULL) a heading of --help.  help holds
 * its lines, '\n' between them; the first follows the name, the others
 * are indented under it.
 */
struct opt_def {
	const char	*name;		/* "java-security" */
	int		 id;		/* getopt_long's value: 'J' */
	const char	*arg;		/* "FILE" as --help shows it; NULL:
					   the option takes no value */
	unsigned	 where;		/* OPT_CHECK, OPT_WIZARD, ... */
	const char	*help;
	size_t		 field;		/* the field of struct probe_opts it
					   sets as given (offsetof + 1: a
					   const char * with a value, an int
					   set to 1 without); 0: none */
};

/* The table; *n its rows. */
const struct opt_def *opts_table(size_t *n);

/* Enough struct option for any front end's table, with its end. */
#define OPTS_MAX	64

/*
 * The getopt_long table of the front end where (OPT_CHECK or
 * OPT_WIZARD) into out (OPTS_MAX rows), ended by a zero row, and its
 * optstring ("+:" and the one-letter forms) into shortopts.
 */
void	opts_getopt(unsigned where, struct option *out, char *shortopts,
	    size_t cap);

struct probe_opts;

/*
 * Stores arg of option id in o when the table names the probe_opts
 * field it sets (opt_def.field), after its check: both front ends take
 * these options the same way.  1: stored; 0: not such an option; -1:
 * the check refused arg (err says why, naming the option).
 */
int	opts_probe_arg(struct probe_opts *o, int id, const char *arg,
	    struct sw_error *err);

/* The --help text (smtpwiz --help, smtpwiz check --help). */
void	opts_usage(FILE *);

#endif
