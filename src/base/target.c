/*
 * The target syntax both front ends take (smtpwiz check and the
 * wizard): HOST, HOST:PORT, [IPv6]:PORT or a bare IPv6 address.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "target.h"

enum sw_err
cli_parse_target(const char *arg, char *host, size_t cap, unsigned *port,
    struct sw_error *err)
{
	const char *colon = strrchr(arg, ':'), *end = arg + strlen(arg);
	char *stop;
	unsigned long p;

	*port = 0;
	if (arg[0] == '[') {
		const char *rb = strchr(arg, ']');

		if (rb == NULL || (rb[1] != '\0' && rb[1] != ':'))
			return sw_fail(err, SW_EUSAGE, "bad target \"%s\": "
			    "write [IPv6]:PORT", arg);
		colon = rb[1] == ':' ? rb + 1 : NULL;
		arg++;
		end = rb;
	} else if (colon != NULL && strchr(arg, ':') != colon)
		colon = NULL;		/* a bare IPv6 address */
	if (colon != NULL) {
		errno = 0;
		p = strtoul(colon + 1, &stop, 10);
		if (*stop != '\0' || colon[1] == '\0' || p == 0 || p > 65535)
			return sw_fail(err, SW_EUSAGE, "bad port in \"%s\": "
			    "use 1-65535", colon + 1);
		*port = (unsigned)p;
		if (colon < end)
			end = colon;
	}
	if (end == arg || (size_t)(end - arg) >= cap)
		return sw_fail(err, SW_EUSAGE, "no host name given");
	memcpy(host, arg, (size_t)(end - arg));
	host[end - arg] = '\0';
	return SW_OK;
}
