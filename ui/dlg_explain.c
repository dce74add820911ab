/*
 * The error decoder as a dialog: paste the Java exception or the
 * server's reply (a whole stack trace or log), see what each known
 * error in it means, and jump to the step that addresses it -- with
 * its settings applied, when the entry names some.
 *
 * Pasting: where the terminal supports bracketed paste (mode 2004,
 * switched on by tui.c for the whole session) the text is decoded as
 * soon as the paste ends, and a paste on any screen opens this dialog
 * with it.  Everywhere else lines are typed or pasted until Ctrl-D or
 * F10; the screen says both.  The text may hold any
 * bytes: it is only drawn through draw_text(), which shows control
 * bytes as '?', and the decoder takes anything.
 *
 * The decoder's tables are loaded on first use (a local file read, no
 * network), and decoding runs on the UI thread: it is a text search.
 */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "draw.h"
#include "dlg.h"
#include "paste_buf.h"
#include "app.h"

#define LIST_ROWS	6		/* hits shown at once */

struct dlg_explain {
	int			 listing;	/* 0: the paste area */
	struct paste_buf	 pb;		/* the paste area's text */
	int			 sel;
	struct explain_result	 res;
	char			 error[300];
};

int
dlg_explain_open(struct app *a)
{
	if (a->ex == NULL && (a->ex = calloc(1, sizeof(*a->ex))) == NULL) {
		app_msg(a, ROLE_FAIL, "out of memory");
		return UI_REDRAW;
	}
	paste_buf_clear(&a->ex->pb);
	a->ex->listing = 0;
	a->ex->error[0] = '\0';
	a->modal = MODAL_EXPLAIN;
	return UI_REDRAW;
}

static int
dlg_explain_close(struct app *a)
{
	paste_buf_clear(&a->ex->pb);
	a->modal = MODAL_NONE;
	return UI_REDRAW;
}

void
dlg_explain_free(struct app *a)
{
	if (a->ex != NULL) {
		paste_buf_free(&a->ex->pb);
		free(a->ex);
		a->ex = NULL;
	}
	explain_db_free(a->xdb);
	a->xdb = NULL;
}

static int
decode(struct app *a)
{
	struct dlg_explain *x = a->ex;
	struct sw_error e = { 0 };

	memset(&x->res, 0, sizeof(x->res));
	x->error[0] = '\0';
	x->sel = 0;
	x->listing = 1;
	if (a->xdb == NULL && explain_db_load(&a->xdb, NULL, &e) != SW_OK)
		snprintf(x->error, sizeof(x->error), "%s", sw_error_text(&e));
	else if (explain_text(a->xdb, x->pb.text ? x->pb.text : "", x->pb.len,
	    &x->res, &e) != SW_OK)
		snprintf(x->error, sizeof(x->error), "%s", sw_error_text(&e));
	return UI_REDRAW;
}

/* One key while the paste area is open. */
static int
paste_key(struct app *a, int ch)
{
	switch (paste_buf_key(&a->ex->pb, ch)) {
	case PASTE_DECODE:
		return decode(a);
	case PASTE_CANCEL:
		return dlg_explain_close(a);
	case PASTE_NONE:
		return UI_NONE;
	default:
		return UI_REDRAW;
	}
}

/* The step screen that addresses an entry: its first step of 1-5. */
static int
entry_step(const struct explain_entry *en)
{
	int s;

	if (en->step >= 1 && en->step <= STEP_COUNT)
		return en->step;
	for (s = 1; s <= STEP_COUNT; s++)
		if (en->steps & (1u << s))
			return s;
	return en->step == EXPLAIN_STEP_NET ? STEP_CONN : 0;
}

static int
set_already(const struct app *a, const struct explain_set *es)
{
	const char *v = settings_get(&a->set, es->key);

	return es->value[0] == '\0' ? v == NULL : v != NULL &&
	    strcmp(v, es->value) == 0;
}

static int
jump(struct app *a, int apply)
{
	const struct explain_hit *h = &a->ex->res.hits[a->ex->sel];
	const struct explain_entry *en = h->entry;
	int s = entry_step(en);
	unsigned gen;
	size_t i;

	if (apply && en->nset == 0) {
		app_msg(a, ROLE_WARN, "%s names no setting to change; Enter "
		    "goes to its step", en->id);
		return UI_REDRAW;
	}
	gen = a->gen;
	if (apply && app_undo_push(a, en->id) < 0)
		apply = 0;	/* out of memory: no change without its undo */
	for (i = 0; apply && i < en->nset; i++)
		if (!set_already(a, &en->set[i]))
			app_set(a, en->set[i].key, en->set[i].value[0] ?
			    en->set[i].value : NULL);
	if (apply && a->gen == gen)
		app_undo_drop(a);	/* nothing changed: nothing to undo */
	dlg_explain_close(a);
	if (apply && a->gen == gen)
		app_msg(a, ROLE_INFO, "The settings %s names are in effect "
		    "already", en->id);
	else if (apply && a->msg_role != ROLE_FAIL)
		app_msg(a, ROLE_PASS, "Applied the settings for %s%s", en->id,
		    s ? "; the step probes again" : "");
	else if (!apply)
		app_msg(a, ROLE_INFO, "%s: %s", en->id, en->title);
	if (s == 0)
		return UI_REDRAW;
	a->goto_screen = (size_t)s;
	return UI_GOTO | UI_REDRAW;
}

static int
list_key(struct app *a, int ch)
{
	struct dlg_explain *x = a->ex;
	int n = (int)x->res.n;

	switch (keys_action(ch)) {
	case ACT_UP:
		x->sel = x->sel > 0 ? x->sel - 1 : 0;
		return UI_REDRAW;
	case ACT_DOWN:
		x->sel = x->sel + 1 < n ? x->sel + 1 : x->sel;
		return UI_REDRAW;
	case ACT_ENTER:
		return n > 0 ? jump(a, 0) : UI_NONE;
	case ACT_APPLY:
		return n > 0 ? jump(a, 1) : UI_NONE;
	case ACT_EXPLAIN:
		x->listing = 0;		/* back to the text, to edit it */
		return UI_REDRAW;
	case ACT_CANCEL: case ACT_ESC: case ACT_QUIT:
		return dlg_explain_close(a);
	default:
		if (ch != KEY_BACKSPACE && ch != 127)
			return UI_NONE;
		x->listing = 0;		/* Backspace: back to the text too */
		return UI_REDRAW;
	}
}

int
dlg_explain_key(struct app *a, int ch)
{
	return a->ex->listing ? list_key(a, ch) : paste_key(a, ch);
}

/* ------------------------------------------------------------------ */
/* Drawing                                                             */

static void
paste_draw(const struct app *a)
{
	const struct paste_buf *x = &a->ex->pb;
	char line[400];
	int y0 = BODY_TOP + 4, h = BODY_BOTTOM() - y0 + 1, rows = h - 2, n, i;
	int col;
	size_t start[64];

	draw_rule(BODY_TOP, "Paste an error message");
	draw_wrapped(BODY_TOP + 1, 1, COLS - 2, 2, "Paste the Java exception, "
	    "the log lines or the server's reply (a whole stack trace is "
	    "fine), or type it. Then press Ctrl-D or F10 to decode it.", 0,
	    A_NORMAL);
	draw_text(BODY_TOP + 3, 1, COLS - 2, a->paste_on ? "Bracketed paste "
	    "is on: a paste is decoded as soon as it ends. Esc cancels." :
	    "Enter starts a new line; Esc cancels.", theme_attr(ROLE_DIM));
	draw_box(y0, 0, h, COLS, theme_attr(ROLE_DIM));
	snprintf(line, sizeof(line), " %zu line%s, %zu bytes%s%s ",
	    x->lines + (x->len > 0), x->lines + (x->len > 0) == 1 ? "" : "s",
	    x->len, x->cut ? " (cut at 1 MiB)" : "", x->in_paste ?
	    ", pasting..." : "");
	draw_text(y0, 2, COLS - 4, line, theme_attr(ROLE_HEAD));
	if (rows > 64)
		rows = 64;
	n = x->len > 0 ? paste_buf_last_lines(x, start, rows) : 0;
	line[0] = '\0';
	for (i = 0; i < n; i++) {
		paste_buf_line(x, start[i], line, sizeof(line));
		draw_text(y0 + 1 + i, 2, COLS - 4, line, A_NORMAL);
	}
	/* Where the next character goes. */
	i = n > 0 ? n - 1 : 0;
	col = 2 + draw_text_width(line, strlen(line));
	draw_text(y0 + 1 + i, col < COLS - 3 ? col : COLS - 3, 1, "_", A_BOLD);
}

static void
hit_label(const struct explain_hit *h, char *buf, size_t cap)
{
	int s = entry_step(h->entry);

	if (s > 0)
		snprintf(buf, cap, "step %d  %s", s, h->entry->title);
	else
		snprintf(buf, cap, "%-6s  %s", explain_step_token(
		    h->entry->step), h->entry->title);
}

/* The selected hit: cause, fix, settings, the line it was seen in. */
static void
detail_draw(const struct explain_hit *h, int y)
{
	const struct explain_entry *en = h->entry;
	char set[600];
	size_t i, len = 0;
	int bottom = BODY_BOTTOM();

	snprintf(set, sizeof(set), "%s%s", explain_step_title(en->step),
	    !h->temporary ? "" : en->no_retry ? "   (4xx, but retrying "
	    "alone will not help)" : "   (temporary: retry later, send at "
	    "a lower rate)");
	draw_text(y, 1, COLS - 2, set, A_BOLD);
	set[0] = '\0';
	for (i = 0; i < en->nset && len < sizeof(set); i++)
		len += (size_t)snprintf(set + len, sizeof(set) - len, "%s%s=%s",
		    i ? "  " : "", en->set[i].key, en->set[i].value);
	y += 1 + draw_wrapped(y + 1, 1, COLS - 2, 4 < bottom - y ? 4 :
	    bottom - y, en->cause, 0, A_NORMAL);
	if (y <= bottom)
		y += draw_wrapped(y, 1, COLS - 2, bottom - y - 1 > 1 ?
		    bottom - y - 1 : 1, en->fix, 5, theme_attr(ROLE_PASS));
	if (set[0] != '\0' && y <= bottom)
		y += draw_wrapped(y, 1, COLS - 2, 1, set, 0,
		    theme_attr(ROLE_KEY));
	if (h->match[0] != '\0' && y <= bottom) {
		snprintf(set, sizeof(set), "seen: %s", h->match);
		draw_text(y, 1, COLS - 2, set, theme_attr(ROLE_DIM));
	}
}

static void
list_draw(const struct app *a)
{
	const struct dlg_explain *x = a->ex;
	char line[400];
	int i, first, y = BODY_TOP + 1;

	snprintf(line, sizeof(line), "Decoded: %zu known error%s, %s",
	    x->res.n, x->res.n == 1 ? "" : "s", x->res.incidents > 1 ?
	    "the latest incident first" : "the root cause first");
	draw_rule(BODY_TOP, line);
	if (x->error[0] != '\0' || x->res.n == 0) {
		draw_wrapped(y, 1, COLS - 2, 4, x->error[0] ? x->error :
		    "Nothing in the text matches a known error. Paste the "
		    "whole exception with its \"Caused by:\" lines, or the "
		    "server's reply with its code (535 5.7.8 ...).", 0,
		    theme_attr(x->error[0] ? ROLE_FAIL : ROLE_WARN));
		return;
	}
	first = x->sel >= LIST_ROWS ? x->sel - LIST_ROWS + 1 : 0;
	for (i = first; i < (int)x->res.n && i < first + LIST_ROWS; i++, y++) {
		hit_label(&x->res.hits[i], line, sizeof(line));
		draw_text(y, 0, 2, i == x->sel ? theme_glyph(GL_POINTER) : " ",
		    theme_attr(ROLE_KEY));
		draw_line(y, 2, COLS - 2, line, i == x->sel ?
		    theme_attr(ROLE_SELECT) : A_NORMAL);
	}
	draw_rule(y, x->res.hits[x->sel].entry->id);
	detail_draw(&x->res.hits[x->sel], y + 1);
}

void
dlg_explain_draw(const struct app *a)
{
	int y;

	for (y = BODY_TOP; y <= BODY_BOTTOM(); y++)
		draw_line(y, 0, COLS, "", A_NORMAL);
	if (a->ex->listing)
		list_draw(a);
	else
		paste_draw(a);
}

const char *
dlg_explain_keys(const struct app *a)
{
	if (a->ex->listing)
		return "Enter go to its step   a apply its settings and go   "
		    "e edit the text   Esc close";
	return "Ctrl-D or F10 decode   Enter new line   Ctrl-U clear   "
	    "Esc cancel";
}
