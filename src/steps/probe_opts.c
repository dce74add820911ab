/*
 * probe_opts_dup(): a probe_opts that owns what it points to, for a
 * probe that outlives the caller's strings (the wizard's worker).
 */
#include <stdlib.h>
#include <string.h>

#include "javart.h"
#include "probe.h"

#define OPTS_STRINGS	8

/* The strings of o that probe_opts_dup() copies: all but the secrets. */
static void
opts_strings(struct probe_opts *o, const char **s[OPTS_STRINGS])
{
	s[0] = &o->cafile;
	s[1] = &o->truststore;
	s[2] = &o->save_chain;
	s[3] = &o->java;
	s[4] = &o->java_security;
	s[5] = &o->mail_from;
	s[6] = &o->rcpt_to;
	s[7] = &o->socks_user;
}

enum sw_err
probe_opts_dup(struct probe_opts *dst, const struct probe_opts *src,
    struct sw_error *err)
{
	const char **s[OPTS_STRINGS];
	const char *from[OPTS_STRINGS];
	struct javart *rt = NULL;
	int i;

	*dst = *src;
	dst->storepass = dst->password = dst->proxy_password = NULL;
	dst->oauth2 = NULL;
	dst->oauth2_token = NULL;
	dst->runtime = NULL;
	opts_strings(dst, s);
	for (i = 0; i < OPTS_STRINGS; i++) {
		from[i] = *s[i];
		*s[i] = NULL;
	}
	for (i = 0; i < OPTS_STRINGS; i++)
		if (from[i] != NULL && (*s[i] = strdup(from[i])) == NULL)
			goto nomem;
	if (src->runtime != NULL) {
		if ((rt = malloc(sizeof(*rt))) == NULL)
			goto nomem;
		*rt = *src->runtime;
		dst->runtime = rt;
	}
	return SW_OK;
nomem:
	probe_opts_free(dst);
	return sw_fail(err, SW_ENOMEM, "out of memory");
}

void
probe_opts_free(struct probe_opts *o)
{
	const char **s[OPTS_STRINGS];
	int i;

	if (o == NULL)
		return;
	opts_strings(o, s);
	for (i = 0; i < OPTS_STRINGS; i++)
		free((char *)*s[i]);
	free((struct javart *)o->runtime);
	explicit_bzero(o, sizeof(*o));
}
