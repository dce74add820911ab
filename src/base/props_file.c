/*
 * .properties files on disk: props_load_file() reads one (bounded,
 * never a directory) and hands the text to props_parse();
 * props_write_file() replaces one atomically and with an exact mode --
 * a temporary file next to it, written, fsync'ed, renamed over it, the
 * directory fsync'ed -- following a symlink so that a linked config
 * file stays linked.  The text itself is props.c's and
 * props_format.c's business.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "props.h"
#include "props_int.h"

/* ---- reading -------------------------------------------------------- */

/* "a FIFO", "a device", ... for a file that is not a regular one. */
static const char *
kind_name(mode_t m)
{
	if (S_ISDIR(m))
		return "a directory";
	if (S_ISCHR(m) || S_ISBLK(m))
		return "a device";
	if (S_ISFIFO(m))
		return "a FIFO";
	if (S_ISSOCK(m))
		return "a socket";
	return "not a regular file";
}

/* Reads all of fd, at most PROPS_MAX_FILE bytes, into *out. */
static enum sw_err
read_all(int fd, const char *path, char **out, size_t *len,
    struct sw_error *err)
{
	struct props_buf b = { 0 };
	char chunk[8192];
	ssize_t got;

	for (;;) {
		got = read(fd, chunk, sizeof(chunk));
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			free(b.s);
			return sw_fail(err, SW_EFILE, "cannot read %s: %s",
			    path, strerror(errno));
		}
		if (got == 0)
			break;
		if (b.n + (size_t)got > PROPS_MAX_FILE) {
			free(b.s);
			return sw_fail(err, SW_EFILE, "%s is larger than %d "
			    "bytes (1 MiB): not a properties file?", path,
			    PROPS_MAX_FILE);
		}
		props_buf_add(&b, chunk, (size_t)got);
		if (b.oom) {
			free(b.s);
			return sw_fail(err, SW_ENOMEM, "out of memory");
		}
	}
	*out = b.s;
	*len = b.n;
	return SW_OK;
}

enum sw_err
props_load_file(struct props *p, const char *path, struct sw_error *err)
{
	struct stat st;
	char *text = NULL;
	size_t len = 0;
	enum sw_err rc;
	int fd;

	/* Non-blocking: opening a FIFO with no writer must not hang; the
	 * flag is cleared once the file is known to be a regular one. */
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY |
	    O_NONBLOCK)) < 0)
		return sw_fail(err, SW_EFILE, "cannot open %s: %s", path,
		    strerror(errno));
	if (fstat(fd, &st) < 0) {
		rc = sw_fail(err, SW_EFILE, "cannot read %s: %s", path,
		    strerror(errno));
		close(fd);
		return rc;
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return sw_fail(err, SW_EFILE, "%s is %s, not a properties "
		    "file: smtpwiz reads regular files only", path,
		    kind_name(st.st_mode));
	}
	(void)fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	if (S_ISREG(st.st_mode) && st.st_size > PROPS_MAX_FILE) {
		close(fd);
		return sw_fail(err, SW_EFILE, "%s is %lld bytes, larger than "
		    "%d (1 MiB): not a properties file?", path,
		    (long long)st.st_size, PROPS_MAX_FILE);
	}
	rc = read_all(fd, path, &text, &len, err);
	close(fd);
	if (rc == SW_OK)
		rc = props_parse(p, text ? text : "", len, path, err);
	if (text != NULL)	/* it may hold mail.smtp.password */
		explicit_bzero(text, len);
	free(text);
	return rc;
}

/* ---- atomic write --------------------------------------------------- */

static int
write_full(int fd, const char *s, size_t len)
{
	ssize_t n;

	while (len > 0) {
		n = write(fd, s, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		s += n;
		len -= (size_t)n;
	}
	return 0;
}

/*
 * The rule of Linux's fs.protected_symlinks: in a sticky directory that
 * others can write to (/tmp), a symlink is followed only when it belongs
 * to us or to the directory's owner.  Otherwise another user could plant
 * /tmp/report.txt -> /home/us/.ssh/authorized_keys and have us replace
 * it.  Applied whatever the kernel setting is.
 */
static enum sw_err
check_planted(const char *path, const struct stat *link,
    struct sw_error *err)
{
	char dir[PATH_MAX];
	const char *slash = strrchr(path, '/');
	struct stat ds;

	if (slash == NULL)
		snprintf(dir, sizeof(dir), ".");
	else if (slash == path)
		snprintf(dir, sizeof(dir), "/");
	else if (snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path),
	    path) >= (int)sizeof(dir))
		return sw_fail(err, SW_EFILE, "cannot write %s: path too long",
		    path);
	if (stat(dir, &ds) < 0)
		return sw_fail(err, SW_EFILE, "cannot write %s: %s: %s", path,
		    dir, strerror(errno));
	if (!(ds.st_mode & S_ISVTX) || !(ds.st_mode & S_IWOTH))
		return SW_OK;
	if (link->st_uid == geteuid() || link->st_uid == ds.st_uid)
		return SW_OK;
	return sw_fail(err, SW_EFILE, "refusing to write %s: it is a symbolic "
	    "link owned by another user (uid %lu) in the shared directory %s, "
	    "and following it could overwrite a file of ours", path,
	    (unsigned long)link->st_uid, dir);
}

/*
 * The file to replace: path itself, or the target of the symlink at
 * path (so that a linked config file stays linked).  What is there
 * must be a regular file (or nothing): a device, FIFO, socket or
 * directory is refused, so `-o /dev/null` run as root never turns the
 * device into a file.
 */
static enum sw_err
write_target(const char *path, char *out, size_t cap, struct sw_error *err)
{
	struct stat st;
	char *real;
	enum sw_err rc;
	int absent = 0;

	if (lstat(path, &st) < 0) {
		if (errno != ENOENT)
			return sw_fail(err, SW_EFILE, "cannot write %s: %s",
			    path, strerror(errno));
		absent = 1;
	}
	if (!absent && !S_ISLNK(st.st_mode) && !S_ISREG(st.st_mode))
		return sw_fail(err, SW_EFILE, "refusing to write %s: it is %s; "
		    "smtpwiz writes regular files only", path,
		    kind_name(st.st_mode));
	if (absent || !S_ISLNK(st.st_mode)) {
		if (snprintf(out, cap, "%s", path) >= (int)cap)
			return sw_fail(err, SW_EFILE, "cannot write %s: path "
			    "too long", path);
		return SW_OK;
	}
	if ((rc = check_planted(path, &st, err)) != SW_OK)
		return rc;
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode))
		return sw_fail(err, SW_EFILE, "refusing to write %s: the "
		    "symbolic link points to %s; smtpwiz writes regular files "
		    "only", path, kind_name(st.st_mode));
	if ((real = realpath(path, NULL)) == NULL)
		return sw_fail(err, SW_EFILE, "cannot write %s: the symlink's "
		    "target: %s", path, strerror(errno));
	if (snprintf(out, cap, "%s", real) >= (int)cap) {
		free(real);
		return sw_fail(err, SW_EFILE, "cannot write %s: path too long",
		    path);
	}
	free(real);
	return SW_OK;
}

/* Builds "DIR/.BASE.XXXXXX" for target into tmp; dir gets DIR. */
static int
temp_name(const char *target, char *tmp, size_t cap, char *dir,
    size_t dcap)
{
	const char *slash = strrchr(target, '/');
	const char *base = slash ? slash + 1 : target;
	int n;

	if (slash == NULL)
		n = snprintf(dir, dcap, ".");
	else if (slash == target)
		n = snprintf(dir, dcap, "/");
	else
		n = snprintf(dir, dcap, "%.*s", (int)(slash - target), target);
	if (n < 0 || (size_t)n >= dcap)
		return -1;
	n = snprintf(tmp, cap, "%s/.%s.XXXXXX", dir, base);
	return n < 0 || (size_t)n >= cap ? -1 : 0;
}

/* Makes the rename durable; a failure here cannot undo it, so ignored. */
static void
sync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		return;
	(void)fsync(fd);
	close(fd);
}

enum sw_err
props_write_file(const char *path, const char *text, size_t len,
    mode_t mode, struct sw_error *err)
{
	char target[PATH_MAX], tmp[PATH_MAX + 16], dir[PATH_MAX];
	const char *what;
	enum sw_err rc;
	int fd, e;

	if ((rc = write_target(path, target, sizeof(target), err)) != SW_OK)
		return rc;
	if (temp_name(target, tmp, sizeof(tmp), dir, sizeof(dir)) < 0)
		return sw_fail(err, SW_EFILE, "cannot write %s: path too long",
		    path);
	if ((fd = mkostemp(tmp, O_CLOEXEC)) < 0)
		return sw_fail(err, SW_EFILE, "cannot write %s: cannot create "
		    "a temporary file in %s: %s", path, dir, strerror(errno));
	what = "cannot set the mode of";
	if (fchmod(fd, mode) < 0)
		goto fail;
	what = "cannot write";
	if (write_full(fd, text, len) < 0 || fsync(fd) < 0)
		goto fail;
	e = close(fd);
	fd = -1;
	if (e < 0)
		goto fail;
	what = "cannot replace";
	if (rename(tmp, target) < 0)
		goto fail;
	sync_dir(dir);
	return SW_OK;
fail:
	e = errno;
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	return sw_fail(err, SW_EFILE, "%s %s: %s", what, path, strerror(e));
}
