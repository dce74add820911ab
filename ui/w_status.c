/*
 * The title row, the key line and the too-small notice.
 */
#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "draw.h"
#include "dlg.h"
#include "w_status.h"

void
status_title(const struct app *a, const struct screen *const *screens,
    size_t nscreens)
{
	unsigned attr = theme_attr(ROLE_TITLE);
	int x;
	size_t i;
	char item[32];

	draw_line(0, 0, COLS, "", attr);
	x = draw_text(0, 0, COLS, " smtpwiz ", attr | A_BOLD) + 1;
	for (i = 0; i < nscreens; i++) {
		snprintf(item, sizeof(item), i == a->cur ? "[%s]" : " %s ",
		    screens[i]->name);
		x += draw_text(0, x, COLS - x, item, i == a->cur ?
		    attr | A_BOLD | A_UNDERLINE : attr);
	}
}

/* One "key label" item; returns the columns used (0: did not fit). */
static int
status_item(int x, int room, const char *key, const char *label)
{
	int need = (int)strlen(key) + 1 + draw_text_width(label, strlen(label));

	if (need > room)
		return 0;
	x += draw_text(LINES - 1, x, room, key, theme_attr(ROLE_KEY));
	x += draw_text(LINES - 1, x, room, " ", A_NORMAL);
	draw_text(LINES - 1, x, room, label, A_NORMAL);
	return need + 2;
}

void
status_keys(const struct app *a, const struct screen *s)
{
	static const enum action global[] = {
		ACT_NEXT, ACT_BACK, ACT_HELP, ACT_TRANSCRIPT, ACT_EXPLAIN
	};
	unsigned offers = screen_offers(a, s);
	int x = 0, quit_w = 8, i;
	const char *label;

	if (a->modal == MODAL_EDIT) {
		/* The editor reads raw keys: they are not table actions. */
		draw_text(LINES - 1, 0, COLS, "Enter accept   Esc cancel   "
		    "Ctrl-U clear   Left/Right/Home/End move", A_NORMAL);
		return;
	}
	if (a->modal == MODAL_CONFIRM) {
		status_item(x, COLS - x, "y", "yes   any other key: no");
		return;
	}
	if (a->modal == MODAL_EXPLAIN) {
		draw_text(LINES - 1, 0, COLS, dlg_explain_keys(a), A_NORMAL);
		return;
	}
	if (a->modal == MODAL_VIEW) {
		x += status_item(x, COLS - x, "Up/Down PgUp/PgDn", "scroll");
		x += status_item(x, COLS - x, "/", "search");
		x += status_item(x, COLS - x, "n/N", "next/prev");
		x += status_item(x, COLS - x, "Esc", "close");
		status_item(x, COLS - x, "Left/Right", "sideways");
		return;
	}
	for (i = ACT_NONE + 1; i < ACT_COUNT; i++) {
		if (!(offers & ACT_BIT(i)))
			continue;
		label = i == ACT_ENTER && s->enter_label ? s->enter_label :
		    keys_label(i);
		x += status_item(x, COLS - x - quit_w, keys_name(i), label);
	}
	for (i = 0; i < (int)(sizeof(global) / sizeof(global[0])); i++)
		/* The last screen has no next one: room for its own keys. */
		if (global[i] != ACT_NEXT || s != &scr_result)
			x += status_item(x, COLS - x - quit_w, keys_name(global[i]),
		    keys_label(global[i]));
	status_item(x, COLS - x, keys_name(ACT_QUIT), keys_label(ACT_QUIT));
}

void
status_too_small(int min_cols, int min_lines)
{
	char line[96];
	int y = LINES / 2 - 1;

	snprintf(line, sizeof(line), "smtpwiz needs at least %dx%d; this "
	    "terminal is %dx%d.", min_cols, min_lines, COLS, LINES);
	draw_wrapped(y > 0 ? y : 0, 1, COLS - 2, 2, line, 0, A_BOLD);
	draw_wrapped(y + 2, 1, COLS - 2, 2, "Please make the window larger "
	    "(q quits).", 0, A_NORMAL);
}

