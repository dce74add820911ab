/*
 * A step's findings: adding one (the verdict follows the worst
 * severity), its suggested settings, finding one by id.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "probe.h"

static enum verdict
worse(enum verdict v, enum severity s)
{
	if (s == SEV_FAIL)
		return VERDICT_FAIL;
	if (s == SEV_WARN && v != VERDICT_FAIL)
		return VERDICT_WARN;
	return v == VERDICT_SKIPPED ? VERDICT_PASS : v;
}

struct finding *
result_add(struct step_result *r, const char *id, enum severity sev,
    const char *fmt, ...)
{
	struct finding *f;
	va_list ap;

	r->verdict = worse(r->verdict, sev);
	if (r->nfindings >= STEP_FINDINGS_MAX)
		return NULL;
	f = &r->findings[r->nfindings++];
	memset(f, 0, sizeof(*f));
	snprintf(f->id, sizeof(f->id), "%s", id);
	f->sev = sev;
	va_start(ap, fmt);
	vsnprintf(f->message, sizeof(f->message), fmt, ap);
	va_end(ap);
	return f;
}

void
finding_suggest(struct finding *f, const char *key, const char *value)
{
	struct suggestion *s;

	if (f == NULL || f->nsuggest >= FINDING_SUGGEST_MAX)
		return;
	s = &f->suggest[f->nsuggest++];
	snprintf(s->key, sizeof(s->key), "%s", key);
	snprintf(s->value, sizeof(s->value), "%s", value);
}

const struct finding *
result_find(const struct step_result *r, const char *id)
{
	size_t i;

	for (i = 0; i < r->nfindings; i++)
		if (strcmp(r->findings[i].id, id) == 0)
			return &r->findings[i];
	return NULL;
}
