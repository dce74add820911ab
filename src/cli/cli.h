/*
 * Command-line front ends that need no screen: `smtpwiz check` and
 * `smtpwiz explain` (the target syntax the wizard shares is target.h's).
 * Usage errors are one line on stderr and exit EXIT_USAGE (64).
 */
#ifndef SW_CLI_H
#define SW_CLI_H

#include "err.h"
#include "settings.h"
#include "target.h"

/* `smtpwiz check ...`: argv[0] is "check".  Returns the exit status. */
int		cmd_check(int argc, char **argv);

#endif
