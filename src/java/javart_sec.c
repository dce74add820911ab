/*
 * The java.security a runtime really reads: the file, its include
 * lines (JDK 24+) and -Djava.security.properties under the
 * security.overridePropertiesFile rule (see javart.h), as one struct
 * javasec for javaprof_apply_security().
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "javaprof.h"
#include "javart.h"
#include "javasec.h"

#define INCLUDE_DEPTH	8
/* Files read in all for one java.security: a file may include another
 * many times, and each of those many more, so the depth alone bounds
 * nothing (8 levels of 100 includes: 10^16 reads). */
#define INCLUDE_FILES_MAX	64
#define SEC_MAX_FILE	(1024 * 1024)

struct inc {
	const struct javart	*rt;
	const char		*stack[INCLUDE_DEPTH];	/* files being read */
	size_t			 depth;
	size_t			 files;		/* read so far, in all */
};

static enum sw_err
slurp(const char *path, char **out, size_t *len, struct sw_error *err)
{
	FILE *f = fopen(path, "re");
	char *buf;

	*out = NULL;
	if (f == NULL)
		return sw_fail(err, SW_EFILE, "cannot open %s", path);
	if ((buf = malloc(SEC_MAX_FILE + 1)) == NULL) {
		fclose(f);
		return sw_fail(err, SW_ENOMEM, "out of memory");
	}
	*len = fread(buf, 1, SEC_MAX_FILE + 1, f);
	fclose(f);
	if (*len > SEC_MAX_FILE) {
		free(buf);
		return sw_fail(err, SW_EFILE, "%s is larger than 1 MB", path);
	}
	buf[*len] = '\0';
	*out = buf;
	return SW_OK;
}

/* ${java.home} and ${user.home} in an include's file name. */
static void
expand(const struct inc *x, const char *in, char *out, size_t cap)
{
	const char *home = getenv("HOME");
	size_t o = 0;

	while (*in != '\0' && o < cap - 1) {
		if (strncmp(in, "${java.home}", 12) == 0) {
			o += (size_t)snprintf(out + o, cap - o, "%s",
			    x->rt->home);
			in += 12;
		} else if (strncmp(in, "${user.home}", 12) == 0) {
			o += (size_t)snprintf(out + o, cap - o, "%s",
			    home ? home : "");
			in += 12;
		} else
			out[o++] = *in++;
		if (o >= cap)
			o = cap - 1;
	}
	out[o] = '\0';
}

/*
 * "include FILE" at the start of a logical line (not a continuation:
 * the line before does not end in an odd number of backslashes).
 */
static const char *
include_line(const char *line, const char *eol, int continued)
{
	const char *p = line;

	if (continued)
		return NULL;
	while (p < eol && (*p == ' ' || *p == '\t' || *p == '\f'))
		p++;
	if (eol - p < 8 || strncmp(p, "include", 7) != 0 ||
	    (p[7] != ' ' && p[7] != '\t'))
		return NULL;
	p += 7;
	while (p < eol && (*p == ' ' || *p == '\t'))
		p++;
	return p < eol ? p : NULL;
}

static int
ends_continued(const char *line, const char *eol)
{
	size_t bs = 0;

	while (eol > line && eol[-1] == '\r')
		eol--;
	while (eol > line && eol[-1] == '\\')
		bs++, eol--;
	return bs % 2 == 1;
}

static enum sw_err read_with_includes(struct inc *x, const char *path,
    struct javasec *dst, struct sw_error *err);

/* Merges text[0..len) (one piece between includes) into dst. */
static enum sw_err
merge_piece(const char *text, size_t len, const char *name,
    struct javasec *dst, struct sw_error *err)
{
	struct javasec *piece;
	enum sw_err rc;

	if ((rc = javasec_parse(text, len, name, &piece, err)) != SW_OK)
		return rc;
	rc = javasec_merge(dst, piece, err);
	javasec_free(piece);
	return rc;
}

static enum sw_err
include_file(struct inc *x, const char *from, const char *arg,
    size_t n, struct javasec *dst, struct sw_error *err)
{
	char raw[PATH_MAX], name[PATH_MAX], full[PATH_MAX * 2];
	const char *slash = strrchr(from, '/');

	while (n > 0 && (arg[n - 1] == ' ' || arg[n - 1] == '\t' ||
	    arg[n - 1] == '\r'))
		n--;
	snprintf(raw, sizeof(raw), "%.*s", (int)n, arg);
	expand(x, raw, name, sizeof(name));
	if (name[0] == '/' || slash == NULL)
		snprintf(full, sizeof(full), "%s", name);
	else
		snprintf(full, sizeof(full), "%.*s/%s", (int)(slash - from),
		    from, name);
	return read_with_includes(x, full, dst, err);
}

static enum sw_err
read_with_includes(struct inc *x, const char *path, struct javasec *dst,
    struct sw_error *err)
{
	const char *line, *eol, *piece, *arg;
	char *text;
	size_t len = 0, i;
	int continued = 0;
	enum sw_err rc;

	for (i = 0; i < x->depth; i++)
		if (strcmp(x->stack[i], path) == 0)
			return sw_fail(err, SW_EFILE, "%s includes itself "
			    "(through %s): the JDK fails to start", path,
			    x->stack[x->depth - 1]);
	if (x->depth == INCLUDE_DEPTH)
		return sw_fail(err, SW_EFILE, "includes nested deeper than %d "
		    "at %s", INCLUDE_DEPTH, path);
	if (++x->files > INCLUDE_FILES_MAX)
		return sw_fail(err, SW_EFILE, "more than %d files read through "
		    "include lines (at %s): smtpwiz's limit for one "
		    "java.security", INCLUDE_FILES_MAX, path);
	if ((rc = slurp(path, &text, &len, err)) != SW_OK)
		return rc;
	x->stack[x->depth++] = path;
	for (piece = line = text; rc == SW_OK && line < text + len;
	    line = eol + 1) {
		if ((eol = memchr(line, '\n', (size_t)(text + len - line))) ==
		    NULL)
			eol = text + len;
		arg = include_line(line, eol, continued);
		continued = ends_continued(line, eol);
		if (arg == NULL)
			continue;
		if ((rc = merge_piece(piece, (size_t)(line - piece), path, dst,
		    err)) == SW_OK)
			rc = include_file(x, path, arg, (size_t)(eol - arg),
			    dst, err);
		piece = eol < text + len ? eol + 1 : eol;
	}
	if (rc == SW_OK && piece < text + len)
		rc = merge_piece(piece, (size_t)(text + len - piece), path,
		    dst, err);
	x->depth--;
	free(text);
	return rc;
}

/* One file as the JDK of rt reads it: includes only on JDK 24+. */
static enum sw_err
load_one(const struct javart *rt, const char *path, struct javasec **out,
    struct sw_error *err)
{
	struct inc x = { .rt = rt };
	enum sw_err rc;

	if (rt->major < 24)
		return javasec_load_file(path, out, err);
	if ((rc = javasec_parse("", 0, path, out, err)) != SW_OK)
		return rc;
	if ((rc = read_with_includes(&x, path, *out, err)) != SW_OK) {
		javasec_free(*out);
		*out = NULL;
	}
	return rc;
}

void
javart_read_override(struct javart *rt)
{
	struct javasec *sec = NULL;
	struct sw_error e = { 0 };
	const char *allow;

	rt->override_allowed = 0;	/* until java.security allows it */
	if (rt->security[0] == '\0' || load_one(rt, rt->security, &sec,
	    &e) != SW_OK)
		return;
	allow = javasec_get(sec, "security.overridePropertiesFile");
	/* java.security.Security.initialize(): only "true" allows it. */
	rt->override_allowed = allow != NULL && strcasecmp(allow, "true") == 0;
	javasec_free(sec);
	if (!rt->override_allowed && rt->security_props[0] != '\0' &&
	    rt->nnotes < JAVART_NOTES)
		snprintf(rt->notes[rt->nnotes++], sizeof(rt->notes[0]),
		    "-Djava.security.properties=%.100s is ignored: %.100s "
		    "does not set security.overridePropertiesFile=true.",
		    rt->security_props, rt->security);
}

enum sw_err
javart_security(const struct javart *rt, struct javasec **out,
    struct sw_error *err)
{
	struct javasec *over = NULL;
	const char *allow;
	enum sw_err rc;

	*out = NULL;
	if (rt == NULL || !rt->found || rt->security[0] == '\0')
		return SW_OK;
	if ((rc = load_one(rt, rt->security, out, err)) != SW_OK)
		return rc;
	allow = javasec_get(*out, "security.overridePropertiesFile");
	if (rt->security_props[0] == '\0' || allow == NULL ||
	    strcasecmp(allow, "true") != 0)
		return SW_OK;	/* java.security.Security: only "true" */
	if ((rc = load_one(rt, rt->security_props, &over, err)) != SW_OK) {
		javasec_free(*out);
		*out = NULL;
		return rc;
	}
	if (rt->security_replace) {
		javasec_free(*out);
		*out = over;
		return SW_OK;
	}
	rc = javasec_merge(*out, over, err);
	javasec_free(over);
	return rc;
}

enum sw_err
javart_security_for(const char *file, const struct javart *rt,
    struct javasec **out, struct sw_error *err)
{
	if (file != NULL)
		return javasec_load_file(file, out, err);
	return javart_security(rt, out, err);
}

enum sw_err
javart_apply(struct javaprof *p, const char *file, const struct javart *rt,
    int *applied, struct sw_error *err)
{
	struct javasec *sec = NULL;
	enum sw_err rc;

	*applied = 0;
	if (rt != NULL)
		javaprof_runtime_version(p, rt->major, rt->update);
	if (file == NULL && rt == NULL)
		return SW_OK;
	if ((rc = javart_security_for(file, rt, &sec, err)) != SW_OK ||
	    sec == NULL)
		return rc;
	if ((rc = javaprof_apply_security(p, sec, 1, err)) == SW_OK)
		*applied = 1;
	javasec_free(sec);
	return rc;
}
