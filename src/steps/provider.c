/*
 * Reading assets/providers.txt and matching a host name or a greeting
 * against it.  The format is described at the top of the asset.
 */
#include <ctype.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "assets.h"
#include "provider.h"

#define PROVIDERS_MAX	64

struct parser {
	struct provider	*v;
	size_t		 n;
	char		*last;		/* the field a continuation extends */
	size_t		 lastcap;
	unsigned	 line;
	struct sw_error	*err;
};

static const char *const oauth2_names[] = {
	[OAUTH2_NO] = "no", [OAUTH2_SUPPORTED] = "supported",
	[OAUTH2_RECOMMENDED] = "recommended", [OAUTH2_REQUIRED] = "required",
};

const char *
provider_oauth2_name(enum provider_oauth2 o)
{
	return oauth2_names[o];
}

static enum sw_err
bad(struct parser *p, const char *what)
{
	return sw_fail(p->err, SW_EASSET, "providers.txt line %u: %s",
	    p->line, what);
}

/* Sets a text field, remembering it for continuation lines. */
static void
text(struct parser *p, char *field, size_t cap, const char *v)
{
	snprintf(field, cap, "%s", v);
	p->last = field;
	p->lastcap = cap;
}

static enum sw_err
add_pattern(struct parser *p, char pats[][128], size_t *n, size_t cap,
    const char *v)
{
	if (*n >= PROVIDER_PATTERNS_MAX)
		return bad(p, "too many patterns");
	snprintf(pats[*n], cap, "%s", v);
	(*n)++;
	p->last = NULL;
	return SW_OK;
}

static enum sw_err
add_submit(struct parser *p, struct provider *pr, const char *v)
{
	struct provider_submit *s;
	char mode[16];
	unsigned port;

	if (pr->nsubmit >= PROVIDER_SUBMIT_MAX)
		return bad(p, "too many submit lines");
	if (sscanf(v, "%u %15s", &port, mode) != 2 || port == 0 ||
	    port > 65535 || (strcmp(mode, "starttls") != 0 &&
	    strcmp(mode, "ssl") != 0 && strcmp(mode, "plain") != 0))
		return bad(p, "submit wants \"PORT starttls|ssl|plain\"");
	s = &pr->submit[pr->nsubmit++];
	s->port = port;
	snprintf(s->mode, sizeof(s->mode), "%s", mode);
	p->last = NULL;
	return SW_OK;
}

static enum sw_err
set_oauth2(struct parser *p, struct provider *pr, const char *v)
{
	size_t i;

	for (i = 0; i < sizeof(oauth2_names) / sizeof(oauth2_names[0]); i++)
		if (strcmp(v, oauth2_names[i]) == 0) {
			pr->oauth2 = (enum provider_oauth2)i;
			p->last = NULL;
			return SW_OK;
		}
	return bad(p, "oauth2 wants required, recommended, supported or no");
}

static enum sw_err
field(struct parser *p, const char *k, const char *v)
{
	struct provider *pr;

	if (strcmp(k, "id") == 0) {
		if (p->n >= PROVIDERS_MAX)
			return bad(p, "too many providers");
		pr = &p->v[p->n++];
		memset(pr, 0, sizeof(*pr));
		text(p, pr->id, sizeof(pr->id), v);
		return SW_OK;
	}
	if (p->n == 0)
		return bad(p, "a record must start with \"id:\"");
	pr = &p->v[p->n - 1];
	if (strcmp(k, "name") == 0)
		text(p, pr->name, sizeof(pr->name), v);
	else if (strcmp(k, "host") == 0)
		return add_pattern(p, pr->host,
		    &pr->nhost, sizeof(pr->host[0]), v);
	else if (strcmp(k, "greeting") == 0)
		return add_pattern(p, pr->greeting, &pr->ngreeting,
		    sizeof(pr->greeting[0]), v);
	else if (strcmp(k, "submit") == 0)
		return add_submit(p, pr, v);
	else if (strcmp(k, "login") == 0)
		text(p, pr->login, sizeof(pr->login), v);
	else if (strcmp(k, "password") == 0)
		text(p, pr->password, sizeof(pr->password), v);
	else if (strcmp(k, "oauth2") == 0)
		return set_oauth2(p, pr, v);
	else if (strcmp(k, "scope") == 0)
		text(p, pr->scope, sizeof(pr->scope), v);
	else if (strcmp(k, "token") == 0)
		text(p, pr->token, sizeof(pr->token), v);
	else if (strcmp(k, "error") == 0) {
		if (pr->nerror >= PROVIDER_ERRORS_MAX)
			return bad(p, "too many error lines");
		text(p, pr->error[pr->nerror], sizeof(pr->error[0]), v);
		pr->nerror++;
	} else
		return bad(p, "unknown key");
	return SW_OK;
}

/* A line starting with blanks: " rest" appended to the last field. */
static enum sw_err
continuation(struct parser *p, const char *v)
{
	size_t n;

	if (p->last == NULL)
		return bad(p, "a continuation line follows no text field");
	n = strlen(p->last);
	snprintf(p->last + n, p->lastcap - n, " %s", v);
	return SW_OK;
}

static enum sw_err
parse_line(struct parser *p, char *line)
{
	char *colon, *v;
	size_t n = strlen(line);

	while (n > 0 && isspace((unsigned char)line[n - 1]))
		line[--n] = '\0';
	if (n == 0 || line[0] == '#')
		return SW_OK;
	if (line[0] == ' ' || line[0] == '\t')
		return continuation(p, line + strspn(line, " \t"));
	colon = strchr(line, ':');
	if (colon == NULL)
		return bad(p, "no \"key:\"");
	*colon = '\0';
	v = colon + 1 + strspn(colon + 1, " \t");
	return field(p, line, v);
}

static enum sw_err
parse(const char *text, struct parser *p)
{
	char *copy = strdup(text), *line, *save = NULL;
	enum sw_err rc = SW_OK;

	if (copy == NULL)
		return sw_fail(p->err, SW_ENOMEM, "out of memory");
	/* strtok_r would skip empty lines and miscount: split by hand. */
	for (line = copy; rc == SW_OK && line != NULL; line = save) {
		save = strchr(line, '\n');
		if (save != NULL)
			*save++ = '\0';
		p->line++;
		rc = parse_line(p, line);
	}
	free(copy);
	return rc;
}

static int
glob_any(const char (*pats)[128], size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (fnmatch(pats[i], s, FNM_CASEFOLD) == 0)
			return 1;
	return 0;
}

static const struct provider *
find(const struct parser *p, const char *id, const char *host,
    const char *greet, enum provider_by *by)
{
	size_t i;

	for (i = 0; id != NULL && i < p->n; i++)
		if (strcmp(p->v[i].id, id) == 0) {
			*by = PROVIDER_BY_HOST;
			return &p->v[i];
		}
	if (id != NULL)
		return NULL;
	for (i = 0; host != NULL && *host && i < p->n; i++)
		if (glob_any(p->v[i].host, p->v[i].nhost, host)) {
			*by = PROVIDER_BY_HOST;
			return &p->v[i];
		}
	for (i = 0; greet != NULL && *greet && i < p->n; i++)
		if (glob_any(p->v[i].greeting, p->v[i].ngreeting, greet)) {
			*by = PROVIDER_BY_GREETING;
			return &p->v[i];
		}
	return NULL;
}

enum sw_err
provider_match_text(const char *text, const char *id, const char *host,
    const char *greeting, struct provider *out, enum provider_by *by,
    struct sw_error *err)
{
	struct parser p;
	const struct provider *hit;
	char first[512];

	memset(&p, 0, sizeof(p));
	p.err = err;
	*by = PROVIDER_BY_NONE;
	p.v = calloc(PROVIDERS_MAX, sizeof(*p.v));
	if (p.v == NULL)
		return sw_fail(err, SW_ENOMEM, "out of memory");
	if (parse(text, &p) != SW_OK) {
		free(p.v);
		return err->code;
	}
	first[0] = '\0';
	if (greeting != NULL)
		snprintf(first, sizeof(first), "%.*s",
		    (int)strcspn(greeting, "\r\n"), greeting);
	hit = find(&p, id, host, first, by);
	if (hit != NULL)
		*out = *hit;
	free(p.v);
	return SW_OK;
}

enum sw_err
provider_lookup(const char *id, const char *host, const char *greeting,
    struct provider *out, enum provider_by *by, struct sw_error *err)
{
	char *text = NULL;
	size_t len;
	enum sw_err rc;

	*by = PROVIDER_BY_NONE;
	if (assets_read("providers.txt", &text, &len, err) != SW_OK)
		return err->code;
	rc = provider_match_text(text, id, host, greeting, out, by, err);
	free(text);
	return rc;
}

int
provider_takes(const struct provider *pr, unsigned port, const char *mode)
{
	size_t i;

	for (i = 0; i < pr->nsubmit; i++)
		if (pr->submit[i].port == port &&
		    (mode == NULL || strcmp(pr->submit[i].mode, mode) == 0))
			return 1;
	return 0;
}

void
provider_submit_text(const struct provider *pr, char *buf, size_t cap)
{
	size_t i, n = 0;

	buf[0] = '\0';
	for (i = 0; i < pr->nsubmit && n < cap; i++) {
		const char *m = pr->submit[i].mode;

		n += (size_t)snprintf(buf + n, cap - n, "%s%u with %s",
		    i ? ", " : "", pr->submit[i].port,
		    strcmp(m, "ssl") == 0 ? "implicit TLS (SSL)" :
		    strcmp(m, "starttls") == 0 ? "STARTTLS" : "no TLS");
	}
}
