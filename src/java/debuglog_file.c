/*
 * `check --java-from-debug-log LOG`: the Java TLS debug log turned into
 * a temporary profile file that the steps load like any --java FILE.
 * The I/O half of debuglog.c, kept apart so the parser stays pure.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "debuglog.h"
#include "suites.h"

#define PROFILE_MAX	65536

static enum sw_err
read_log(const char *path, char **buf, size_t *len, struct sw_error *err)
{
	FILE *f = fopen(path, "rb");
	size_t cap = 1 << 20, n;
	char *p;

	*buf = NULL;
	*len = 0;
	if (f == NULL)
		return sw_fail(err, SW_EFILE, "cannot read %s: %s", path,
		    strerror(errno));
	for (;;) {
		if ((p = realloc(*buf, cap + 1)) == NULL) {
			fclose(f);
			return sw_fail(err, SW_ENOMEM, "out of memory");
		}
		*buf = p;
		n = fread(*buf + *len, 1, cap - *len, f);
		*len += n;
		if (*len < cap)
			break;
		if (cap >= DEBUGLOG_FILE_MAX) {
			fclose(f);
			return sw_fail(err, SW_EUSAGE, "%s is larger than %u "
			    "MiB: cut it to the handshake with the mail "
			    "server", path, DEBUGLOG_FILE_MAX >> 20);
		}
		cap *= 2;
	}
	if (ferror(f)) {
		fclose(f);
		return sw_fail(err, SW_EFILE, "cannot read %s", path);
	}
	fclose(f);
	return SW_OK;
}

static enum sw_err
write_tmp(const char *text, size_t len, char *path, size_t cap,
    struct sw_error *err)
{
	const char *dir = getenv("TMPDIR");
	int fd;

	if (dir == NULL || *dir == '\0')
		dir = "/tmp";
	if ((size_t)snprintf(path, cap, "%s/smtpwiz-java-XXXXXX", dir) >= cap)
		return sw_fail(err, SW_EFILE, "TMPDIR is too long");
	if ((fd = mkstemp(path)) < 0)
		return sw_fail(err, SW_EFILE, "cannot create %s: %s", path,
		    strerror(errno));
	if (write(fd, text, len) != (ssize_t)len) {
		close(fd);
		unlink(path);
		return sw_fail(err, SW_EFILE, "cannot write %s", path);
	}
	close(fd);
	return SW_OK;
}

enum sw_err
debuglog_profile_file(const char *log, char *path, size_t cap,
    struct sw_error *err)
{
	struct debuglog *dl = NULL;
	struct suites *reg = NULL;
	char *buf = NULL, *prof = NULL;
	size_t len = 0, plen = 0;
	enum sw_err rc;

	path[0] = '\0';
	if ((rc = read_log(log, &buf, &len, err)) != SW_OK)
		goto out;
	if ((dl = malloc(sizeof(*dl))) == NULL ||
	    (prof = malloc(PROFILE_MAX)) == NULL) {
		rc = sw_fail(err, SW_ENOMEM, "out of memory");
		goto out;
	}
	if (!debuglog_parse(buf, len, dl)) {
		rc = sw_fail(err, SW_EUSAGE, "%s holds no ClientHello: not a "
		    "log written with -Djavax.net.debug=ssl", log);
		goto out;
	}
	if ((rc = suites_load(&reg, err)) == SW_OK &&
	    (rc = debuglog_profile(dl, reg, log, prof, PROFILE_MAX, &plen,
	    err)) == SW_OK)
		rc = write_tmp(prof, plen, path, cap, err);
out:
	suites_free(reg);
	free(prof);
	free(dl);
	free(buf);
	return rc;
}
