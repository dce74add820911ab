/*
 * Finding the assets directory.  Order: $SMTPWIZ_ASSETS (tests, odd
 * installs), the source tree beside the binary (../assets from
 * build/, ../../assets from build/asan/), the installed tree beside the binary (../share/smtpwiz from
 * bin/), then the compiled-in prefix.  /proc/self/exe is used rather
 * than argv[0], which may be a bare name found on $PATH.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "assets_path.h"

#ifndef SW_PREFIX
#define SW_PREFIX	"/usr/local"
#endif

/* The directory holding the running binary, or "" when unknown. */
static void
exe_dir(char *buf, size_t cap)
{
	ssize_t n = readlink("/proc/self/exe", buf, cap - 1);
	char *slash;

	if (n <= 0) {
		buf[0] = '\0';
		return;
	}
	buf[n] = '\0';
	if ((slash = strrchr(buf, '/')) != NULL)
		*slash = '\0';
}

static char *
read_file(const char *path, size_t max)
{
	FILE *f = fopen(path, "r");
	char *buf;
	size_t n;

	if (f == NULL)
		return NULL;
	if ((buf = malloc(max + 1)) == NULL) {
		fclose(f);
		return NULL;
	}
	n = fread(buf, 1, max, f);
	fclose(f);
	buf[n] = '\0';
	return buf;
}

char *
assets_read(const char *name, size_t max, char *where, size_t cap)
{
	char dir[PATH_MAX], cand[5][PATH_MAX], path[PATH_MAX + 64];
	const char *env = getenv("SMTPWIZ_ASSETS");
	size_t i, n = 0, len = 0;
	char *text;

	exe_dir(dir, sizeof(dir));
	if (env != NULL && *env != '\0')
		snprintf(cand[n++], PATH_MAX, "%s", env);
	if (dir[0] != '\0') {
		snprintf(cand[n++], PATH_MAX, "%.*s/../assets", PATH_MAX - 16,
		    dir);
		/* build/asan/smtpwiz, build/m3/smtpwiz: one level deeper. */
		snprintf(cand[n++], PATH_MAX, "%.*s/../../assets",
		    PATH_MAX - 16, dir);
		snprintf(cand[n++], PATH_MAX, "%.*s/../share/smtpwiz",
		    PATH_MAX - 24, dir);
	}
	snprintf(cand[n++], PATH_MAX, "%s/share/smtpwiz", SW_PREFIX);
	if (cap > 0)
		where[0] = '\0';
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", cand[i], name);
		if ((text = read_file(path, max)) != NULL)
			return text;
		if (cap > len)
			len += (size_t)snprintf(where + len, cap - len, "%s%s",
			    i ? ", " : "", path);
	}
	return NULL;
}
