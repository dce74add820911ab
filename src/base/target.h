/*
 * What both front ends (smtpwiz check, the wizard) share: the target
 * syntax and the exit status of a usage error.
 */
#ifndef SW_TARGET_H
#define SW_TARGET_H

#include <stddef.h>

#include "err.h"

#define EXIT_USAGE 64

/*
 * Splits "host", "host:587", "[::1]:587" or "::1" into host and port
 * (0 when none was given).
 * Errors: SW_EUSAGE (empty host, bad port).
 */
enum sw_err	cli_parse_target(const char *arg, char *host, size_t cap,
		    unsigned *port, struct sw_error *);

#endif
