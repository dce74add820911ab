/*
 * What the judges' table-driven tests (test_judge.c, test_judge_auth.c)
 * ask of a step result: its finding ids, a suggestion, a message's
 * words; and settings from "key=value key=value".
 */
#ifndef SW_JUDGEUTIL_H
#define SW_JUDGEUTIL_H

#include <stdio.h>
#include <string.h>

#include "probe.h"
#include "settings.h"

/* The ids of r's findings, space-separated. */
static inline const char *
judge_ids(const struct step_result *r, char *buf, size_t cap)
{
	size_t i, o = 0;

	buf[0] = '\0';
	for (i = 0; i < r->nfindings && o < cap; i++)
		o += (size_t)snprintf(buf + o, cap - o, "%s%s", i ? " " : "",
		    r->findings[i].id);
	return buf;
}

/* The finding spec ("id:rest") names, with *rest after the ':'. */
static inline const struct finding *
judge_finding(const struct step_result *r, const char *spec,
    const char **rest)
{
	const char *colon = strchr(spec, ':');
	char id[64];

	if (colon == NULL)
		colon = spec + strlen(spec);
	snprintf(id, sizeof(id), "%.*s", (int)(colon - spec), spec);
	*rest = *colon != '\0' ? colon + 1 : colon;
	return result_find(r, id);
}

/* Does the finding suggest key=value ("id:key=value")? */
static inline int
judge_suggests(const struct step_result *r, const char *spec)
{
	const char *kv, *eq;
	const struct finding *f = judge_finding(r, spec, &kv);
	size_t k;

	if ((eq = strchr(kv, '=')) == NULL)
		return 0;
	for (k = 0; f != NULL && k < f->nsuggest; k++)
		if (strlen(f->suggest[k].key) == (size_t)(eq - kv) &&
		    strncmp(f->suggest[k].key, kv, (size_t)(eq - kv)) == 0 &&
		    strcmp(f->suggest[k].value, eq + 1) == 0)
			return 1;
	return 0;
}

/* Does the finding's message hold the words ("id:words")? */
static inline int
judge_says(const struct step_result *r, const char *spec)
{
	const char *words;
	const struct finding *f = judge_finding(r, spec, &words);

	if (f != NULL && strstr(f->message, words) == NULL)
		printf("#   message: %s\n", f->message);
	return f != NULL && strstr(f->message, words) != NULL;
}

/* Sets each "key=value" of pairs (blank-separated) in set. */
static inline void
judge_settings(struct settings *set, const char *pairs)
{
	char buf[512], *p, *save = NULL, *eq;
	struct sw_error e = { 0 };

	snprintf(buf, sizeof(buf), "%s", pairs);
	for (p = strtok_r(buf, " ", &save); p; p = strtok_r(NULL, " ", &save)) {
		if ((eq = strchr(p, '=')) == NULL)
			continue;
		*eq = '\0';
		if (settings_set(set, p, eq + 1, &e) != SW_OK)
			printf("# %s\n", sw_error_text(&e));
		sw_error_clear(&e);
	}
}

#endif
