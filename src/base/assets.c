/*
 * Locating and reading asset files; see assets.h for the search order.
 * The binary's own directory comes from /proc/self/exe (Linux), which
 * stays right when the binary is started through a symlink or from
 * another working directory.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "assets.h"

static int
is_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static int
name_ok(const char *name)
{
	const char *p;

	if (name == NULL || name[0] == '\0' || name[0] == '/')
		return 0;
	for (p = name; (p = strstr(p, "..")) != NULL; p += 2)
		if ((p == name || p[-1] == '/') && (p[2] == '/' || p[2] == '\0'))
			return 0;
	return 1;
}

/* dir + "/" + name into out; 0 when it does not fit. */
static int
join(char *out, size_t cap, const char *dir, const char *sub,
    const char *name)
{
	int n;

	n = snprintf(out, cap, "%s%s/%s", dir, sub, name);
	return n >= 0 && (size_t)n < cap;
}

enum sw_err
assets_path_from(const char *exe, const char *override, const char *name,
    char *out, size_t cap, struct sw_error *err)
{
	/*
	 * build/smtpwiz, then an installed bin/smtpwiz, then the variant
	 * builds of the source tree (build/asan/smtpwiz, build/m3/smtpwiz).
	 */
	static const char *const subs[] = { "/../assets", "/../share/smtpwiz",
	    "/../../assets" };
	char dir[ASSETS_PATH_MAX], tried[3][ASSETS_PATH_MAX];
	const char *slash;
	size_t i;

	if (!name_ok(name))
		return sw_fail(err, SW_EUSAGE, "bad asset name \"%s\"",
		    name ? name : "(null)");
	if (override != NULL && override[0] != '\0') {
		if (!join(out, cap, override, "", name))
			return sw_fail(err, SW_EUSAGE, "asset path too long");
		if (is_file(out))
			return SW_OK;
		return sw_fail(err, SW_EASSET, "%s not found (%s=%s)", out,
		    ASSETS_ENV, override);
	}
	slash = exe != NULL ? strrchr(exe, '/') : NULL;
	if (slash == NULL || (size_t)(slash - exe) >= sizeof(dir))
		return sw_fail(err, SW_EASSET, "data file %s not found: the "
		    "binary's directory is unknown; set %s to the assets "
		    "directory", name, ASSETS_ENV);
	memcpy(dir, exe, (size_t)(slash - exe));
	dir[slash - exe] = '\0';
	for (i = 0; i < 3; i++) {
		char tree[ASSETS_PATH_MAX];

		if (!join(tried[i], sizeof(tried[i]), dir, subs[i], name))
			return sw_fail(err, SW_EUSAGE, "asset path too long");
		/* A source tree's assets only where its sources are. */
		if (i != 1 && (!join(tree, sizeof(tree), dir, i == 0 ? "/.." :
		    "/../..", "src/cli/main.c") || !is_file(tree)))
			continue;
		if (is_file(tried[i])) {
			if (strlen(tried[i]) >= cap)
				return sw_fail(err, SW_EUSAGE,
				    "asset path too long");
			memcpy(out, tried[i], strlen(tried[i]) + 1);
			return SW_OK;
		}
	}
	return sw_fail(err, SW_EASSET, "data file %s not found in %s, %s or "
	    "%s; set %s to the assets directory", name, tried[0], tried[1],
	    tried[2], ASSETS_ENV);
}

enum sw_err
assets_path(const char *name, char *out, size_t cap, struct sw_error *err)
{
	char exe[ASSETS_PATH_MAX];
	ssize_t n;

	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0)
		n = 0;
	exe[n] = '\0';
	return assets_path_from(n > 0 ? exe : NULL, getenv(ASSETS_ENV), name,
	    out, cap, err);
}

static enum sw_err
read_fd(int fd, const char *path, enum sw_err code, char **text,
    size_t *len, struct sw_error *err)
{
	char *buf;
	size_t n = 0;
	ssize_t r;

	if ((buf = malloc(ASSETS_MAX_FILE + 1)) == NULL)
		return sw_fail(err, SW_ENOMEM, "out of memory reading %s",
		    path);
	while ((r = read(fd, buf + n, ASSETS_MAX_FILE + 1 - n)) != 0) {
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			free(buf);
			return sw_fail(err, code, "%s: %s", path,
			    strerror(errno));
		}
		if ((n += (size_t)r) > ASSETS_MAX_FILE) {
			free(buf);
			return sw_fail(err, code, "%s: larger than %d bytes",
			    path, ASSETS_MAX_FILE);
		}
	}
	if (memchr(buf, '\0', n) != NULL) {
		free(buf);
		return sw_fail(err, code, "%s: not a text file (NUL byte)",
		    path);
	}
	buf[n] = '\0';
	*text = buf;
	*len = n;
	return SW_OK;
}

static enum sw_err
read_path(const char *path, enum sw_err code, char **text, size_t *len,
    struct sw_error *err)
{
	struct stat st;
	enum sw_err rc;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return sw_fail(err, code, "%s: %s", path, strerror(errno));
	if (fstat(fd, &st) == 0 && !S_ISREG(st.st_mode)) {
		close(fd);
		return sw_fail(err, code, "%s: not a regular file", path);
	}
	rc = read_fd(fd, path, code, text, len, err);
	close(fd);
	return rc;
}

enum sw_err
assets_read_path(const char *path, char **text, size_t *len,
    struct sw_error *err)
{
	return read_path(path, SW_EFILE, text, len, err);
}

enum sw_err
assets_read(const char *name, char **text, size_t *len, struct sw_error *err)
{
	char path[ASSETS_PATH_MAX];
	struct sw_error e = { 0 };
	const unsigned char *data;
	const char *ov;
	enum sw_err rc;

	rc = assets_path(name, path, sizeof(path), &e);
	if (rc == SW_OK)
		return read_path(path, SW_EASSET, text, len, err);
	/* A binary that travels alone (make static) carries its data. */
	if (rc != SW_EASSET || ((ov = getenv(ASSETS_ENV)) != NULL && *ov) ||
	    !assets_builtin(name, &data, len))
		return sw_fail(err, rc, "%s", sw_error_text(&e));
	if ((*text = malloc(*len + 1)) == NULL)
		return sw_fail(err, SW_ENOMEM, "out of memory reading %s",
		    name);
	memcpy(*text, data, *len);
	(*text)[*len] = '\0';
	return SW_OK;
}

char *
assets_next_line(char *text, size_t *pos, unsigned *lineno)
{
	char *line, *end, *p;

	while (text[*pos] != '\0') {
		line = text + *pos;
		end = strchr(line, '\n');
		if (end != NULL) {
			*pos = (size_t)(end - text) + 1;
			if (end > line && end[-1] == '\r')
				end--;
			*end = '\0';
		} else
			*pos += strlen(line);
		(*lineno)++;
		for (p = line; *p == ' ' || *p == '\t'; p++)
			;
		if (*p != '\0' && *p != '#')
			return line;
	}
	return NULL;
}

size_t
assets_fields(char *line, char **fields, size_t max)
{
	size_t n = 0;
	char *tab;

	for (;;) {
		if (n < max)
			fields[n] = line;
		n++;
		if ((tab = strchr(line, '\t')) == NULL)
			return n;
		*tab = '\0';
		line = tab + 1;
	}
}
