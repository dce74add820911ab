/*
 * Fuzzes the command line's target parsing (cli_parse_target, src/base/target.c: HOST,
 * HOST:PORT, [IPv6]:PORT), which the wizard and `check` share: each
 * NUL-separated piece of the input is one argument.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "target.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf, *p, *end, host[256];
	struct sw_error err = { 0 };
	unsigned port;

	if ((buf = malloc(size + 1)) == NULL)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	for (p = buf, end = buf + size; p <= end; p += strlen(p) + 1) {
		port = 0;
		sw_error_clear(&err);
		(void)cli_parse_target(p, host, sizeof(host), &port, &err);
	}
	free(buf);
	return 0;
}
