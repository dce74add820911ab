/*
 * Fuzzes the command line: each NUL-separated piece of the input is one
 * argument.  The arguments go through the getopt tables of both front
 * ends as opts.c makes them from the option table (src/cli/opts.c), and
 * every option getopt returns must be a row of that table for that
 * front end, with a value exactly when the row takes one; what is left
 * is a target for cli_parse_target (src/base/target.c: HOST,
 * HOST:PORT, [IPv6]:PORT), which the wizard and `check` share.
 */
#include <getopt.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "opts.h"
#include "target.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define ARGS_MAX	32

/* The row of the table getopt's value c stands for in front end where. */
static const struct opt_def *
row_of(int c, unsigned where)
{
	const struct opt_def *t;
	size_t n, i;

	t = opts_table(&n);
	for (i = 0; i < n; i++)
		if (t[i].name != NULL && t[i].id == c && (t[i].where & where))
			return &t[i];
	return NULL;
}

static void
parse(int argc, char **argv, unsigned where)
{
	struct option longopts[OPTS_MAX];
	char shortopts[16], host[256];
	struct sw_error err = { 0 };
	const struct opt_def *d;
	unsigned port;
	int c;

	opts_getopt(where, longopts, shortopts, sizeof(shortopts));
	optind = 0;		/* glibc: start afresh */
	opterr = 0;
	while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		if (c == '?' || c == ':')
			continue;
		if ((d = row_of(c, where)) == NULL ||
		    (d->arg != NULL) != (optarg != NULL))
			abort();	/* the tables disagree with the rows */
	}
	for (; optind < argc; optind++) {
		sw_error_clear(&err);
		(void)cli_parse_target(argv[optind], host, sizeof(host), &port,
		    &err);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf, *p, *end, *argv[ARGS_MAX + 2], *copy[ARGS_MAX + 2];
	int argc = 0;

	if ((buf = malloc(size + 1)) == NULL)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	argv[argc++] = (char *)"smtpwiz";
	for (p = buf, end = buf + size; p <= end && argc <= ARGS_MAX;
	    p += strlen(p) + 1)
		argv[argc++] = p;
	argv[argc] = NULL;
	/* getopt_long permutes nothing with "+", but copy: it may. */
	memcpy(copy, argv, sizeof(argv[0]) * (size_t)(argc + 1));
	parse(argc, copy, OPT_CHECK);
	memcpy(copy, argv, sizeof(argv[0]) * (size_t)(argc + 1));
	parse(argc, copy, OPT_WIZARD);
	free(buf);
	return 0;
}
