/*
 * The data files compiled into the binary.  `make static` generates
 * assets_builtin.inc (tests/tools/embed-assets.sh: every file of
 * assets/) and compiles this file with SW_ASSETS_BUILTIN, so that a
 * binary copied alone onto a server still has its cipher-suite registry,
 * Java profiles, error patterns and help.  Other builds compile an
 * empty table and read assets/ from disk.
 */
#include <stddef.h>
#include <string.h>

#include "assets.h"

struct assets_file {
	const char		*name;		/* as assets_read() takes it */
	const unsigned char	*data;
	size_t			 len;
};

#ifdef SW_ASSETS_BUILTIN
#include "assets_builtin.inc"	/* static const struct assets_file builtin[] */
#else
static const struct assets_file builtin[] = { { NULL, NULL, 0 } };
#endif

int
assets_builtin(const char *name, const unsigned char **data, size_t *len)
{
	size_t i;

	for (i = 0; builtin[i].name != NULL; i++)
		if (strcmp(builtin[i].name, name) == 0) {
			*data = builtin[i].data;
			*len = builtin[i].len;
			return 1;
		}
	return 0;
}
