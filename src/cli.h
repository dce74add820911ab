/*
 * Command-line front ends that need no screen: `smtpwiz check` and the
 * shared parsing of targets and options (the wizard takes the same
 * target syntax).  Usage errors are one line on stderr and exit 64.
 */
#ifndef SW_CLI_H
#define SW_CLI_H

#include "err.h"
#include "settings.h"

#define EXIT_USAGE 64

/* The --help text (main.c): check --help prints it too. */
extern const char smtpwiz_usage[];

/*
 * Splits "host", "host:587", "[::1]:587" or "::1" into host and port
 * (0 when none was given).
 * Errors: SW_EUSAGE (empty host, bad port).
 */
enum sw_err	cli_parse_target(const char *arg, char *host, size_t cap,
		    unsigned *port, struct sw_error *);

/* `smtpwiz check ...`: argv[0] is "check".  Returns the exit status. */
int		cmd_check(int argc, char **argv);

#endif
