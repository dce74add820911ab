/*
 * Keys on a field turned into reactions (field_react.h): pure, the
 * settings read, never changed.
 */
#include <string.h>

#include "field_react.h"

struct field_reaction
field_react_activate(const struct field *f, const struct settings *set)
{
	struct field_reaction r = { .kind = FR_EDIT };
	const char *v;

	switch (f->kind) {
	case FK_MODE:
		r.kind = FR_MODE;
		r.mode = settings_mode(set) % 3 + 1;
		return r;
	case FK_JAVA:
		r.kind = FR_JAVA;
		return r;
	case FK_DISCOVER:
		r.kind = FR_DISCOVER;
		return r;
	case FK_BOOL:		/* unset → true → false → unset */
		v = settings_get(set, f->key);
		r.kind = FR_SET;
		r.key = f->key;
		r.value = v == NULL ? "true" : strcmp(v, "true") == 0 ?
		    "false" : NULL;
		return r;
	case FK_ACTION:
		r.kind = FR_ACTION;
		return r;
	default:
		break;
	}
	r.secret = f->kind == FK_SECRET || f->kind == FK_OPT_SECRET;
	return r;
}

struct field_reaction
field_react_commit(const struct field *f, const char *text)
{
	struct field_reaction r = { .kind = FR_NONE };

	if (f->kind == FK_LOAD) {
		if (text[0] != '\0') {
			r.kind = FR_LOAD;
			r.value = text;
		}
		return r;
	}
	/* An empty secret keeps the old one: the field never showed it. */
	if ((f->kind == FK_SECRET || f->kind == FK_OPT_SECRET) &&
	    text[0] == '\0')
		return r;
	r.value = text[0] ? text : NULL;
	if (f->kind == FK_OPTION || f->kind == FK_OPT_SECRET) {
		r.kind = FR_OPT;
		r.opt = f->opt;
	} else {
		r.kind = FR_SET;
		r.key = f->key;
	}
	return r;
}
