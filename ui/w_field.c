/*
 * Fields and the line editor.  Values are read from the settings each
 * time they are drawn, so a field can never show a stale copy.
 */
#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "draw.h"
#include "javart.h"
#include "app.h"
#include "w_field.h"

/*
 * Which Java is judged: the runtime read ("Java 17.0.15 (java on PATH)
 * /usr/lib/jvm/...": the source first, so a narrow field keeps it) or
 * a built-in profile.
 */
static void
java_value(const struct app *a, char *buf, size_t cap)
{
	const struct javart *rt;

	if (a->rt_sel < 0 && app_java_from_log(a)) {
		app_java_file_name(a, buf, cap);
		return;
	}
	if (a->rt_sel < 0) {
		snprintf(buf, cap, "Java %s (built-in profile)", a->java);
		return;
	}
	rt = &a->rts[a->rt_sel];
	if (rt->pid > 0)
		snprintf(buf, cap, "Java %s (process %ld, %s) %s", rt->version[0] ?
		    rt->version : "?", (long)rt->pid, rt->name, rt->home);
	else
		snprintf(buf, cap, "Java %s (%s) %s", rt->version[0] ?
		    rt->version : "?", rt->source, rt->home);
}

void
field_editor_draw(const struct editor *ed, int y)
{
	char shown[sizeof(ed->buf)];
	int x, w, cw;
	unsigned attr = theme_attr(ROLE_EDIT);
	size_t start = 0, i;

	if (ed->secret) {
		/* Not even one * per key: the length is a secret too. */
		draw_line(y, 0, COLS, "", A_NORMAL);
		x = draw_text(y, 0, COLS / 2, ed->title,
		    theme_attr(ROLE_HEAD)) + 1;
		x += draw_text(y, x, COLS - x, ed->len ? "(typed, hidden)" :
		    "(type it; nothing is shown)", theme_attr(ROLE_DIM)) + 1;
		mvaddch(y, x, ' ' | A_REVERSE);
		(void)i;
		return;
	} else
		memcpy(shown, ed->buf, ed->len + 1);
	draw_line(y, 0, COLS, "", A_NORMAL);
	x = draw_text(y, 0, COLS / 2, ed->title, theme_attr(ROLE_HEAD)) + 1;
	w = COLS - x - 1;
	/* Scroll so that the cursor stays visible. */
	while (draw_text_width(shown + start, ed->cur - start) >= w)
		start = editor_next_char(shown, ed->len, start);
	draw_line(y, x, w, shown + start, attr);
	cw = draw_text_width(shown + start, ed->cur - start);
	if (ed->cur < ed->len)
		mvchgat(y, x + cw, 1, A_REVERSE, 0, NULL);
	else
		mvaddch(y, x + cw, ' ' | A_REVERSE);
}

void
field_value(const struct app *a, const struct field *f, char *buf,
    size_t cap)
{
	const char *v = f->key ? settings_get(&a->set, f->key) : NULL;
	const char *eff = f->key ? settings_effective(&a->set, f->key) : NULL;

	switch (f->kind) {
	case FK_MODE:
		snprintf(buf, cap, "%s",
		    smtp_mode_name(settings_mode(&a->set)));
		return;
	case FK_JAVA:
		java_value(a, buf, cap);
		return;
	case FK_DISCOVER:
		snprintf(buf, cap, "%s", a->discover ? "yes" : "no");
		return;
	case FK_LOAD:
		snprintf(buf, cap, "%s", a->load_path[0] ? a->load_path :
		    "(none)");
		return;
	case FK_SECRET:		/* step 5's password: a->pass */
		snprintf(buf, cap, "%s", app_password(a) ? "(set, hidden)" :
		    "(not set)");
		return;
	case FK_OPT_SECRET:
		snprintf(buf, cap, "%s", app_opt(a, f->opt) ? "(set, hidden)" :
		    f->unset ? f->unset : "(not set)");
		return;
	case FK_OPTION:
		snprintf(buf, cap, "%s", app_opt(a, f->opt) ? app_opt(a,
		    f->opt) : f->unset ? f->unset : "(not set)");
		return;
	case FK_ACTION:
		snprintf(buf, cap, "%s", f->unset ? f->unset : "");
		return;
	default:
		break;
	}
	if (v != NULL)
		snprintf(buf, cap, "%s", v);
	else if (f->unset != NULL)
		snprintf(buf, cap, "%s", f->unset);
	else if (f->kind == FK_MS)
		snprintf(buf, cap, "(unset: waits forever)");
	else if (eff != NULL)
		snprintf(buf, cap, "(default %s)", eff);
	else
		snprintf(buf, cap, "(not set)");
}

void
field_hint(const struct field *f, char *buf, size_t cap)
{
	const struct settings_key *k = f->key ? settings_key_info(f->key) :
	    NULL;

	if (f->hint != NULL)
		snprintf(buf, cap, "%s%s%s", f->key ? f->key : "",
		    f->key ? ": " : "", f->hint);
	else if (k != NULL && k->desc != NULL)
		snprintf(buf, cap, "%s: %s", f->key, k->desc);
	else
		snprintf(buf, cap, "%s", f->key ? f->key : "");
}

int
field_draw_grid(const struct app *a, const struct field *f, int n, int sel,
    int y)
{
	int i, colw = COLS / 2, x;
	unsigned attr;
	char val[256];

	for (i = 0; i < n; i++) {
		x = (i % 2) * colw;
		attr = i == sel ? theme_attr(ROLE_SELECT) : A_NORMAL;
		field_value(a, &f[i], val, sizeof(val));
		draw_text(y + i / 2, x, 1, i == sel ?
		    theme_glyph(GL_POINTER) : " ", theme_attr(ROLE_KEY));
		draw_line(y + i / 2, x + 2, 11, f[i].label,
		    theme_attr(ROLE_DIM) | (i == sel ? A_BOLD : 0));
		draw_line(y + i / 2, x + 13, colw - 14, val, attr);
	}
	return (n + 1) / 2;
}
