/*
 * The result: the settings as a .properties block, ready to paste,
 * with the verdict of each step above it.  s saves it (0600, via a
 * temporary file and rename), y puts it on the clipboard, and quitting
 * prints it so that it stays in the terminal's scroll-back.
 */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "draw.h"
#include "screen.h"

#define BLOCK_TOP	(BODY_TOP + 3)

static int
block_rows(void)
{
	return BODY_BOTTOM() - BLOCK_TOP + 1;
}

/* The block is rebuilt on entry: settings only change on other screens. */
static int
result_enter(struct app *a)
{
	char *text = block_render(a);

	tb_clear(&a->block);
	if (text != NULL)
		tb_add_text(&a->block, text);
	else
		tb_add(&a->block, "# (out of memory)");
	free(text);
	a->result_top = 0;
	return UI_REDRAW;
}

static int
result_scroll(struct app *a, long by)
{
	long n = (long)tb_count(&a->block), page = block_rows();
	long last = n > page ? n - page : 0, top = (long)a->result_top + by;

	a->result_top = (size_t)(top < 0 ? 0 : top > last ? last : top);
	return UI_REDRAW;
}

/* Never suggest overwriting the loaded file: it may hold the password. */
static int
result_save(struct app *a)
{
	char path[600];

	if (a->save_path[0] != '\0')
		snprintf(path, sizeof(path), "%s", a->save_path);
	else if (a->load_path[0] != '\0')
		snprintf(path, sizeof(path), "%s.new", a->load_path);
	else
		snprintf(path, sizeof(path), "mail.properties");
	return app_edit(a, EDIT_SAVE_PATH, NULL, "Save the block to:", path,
	    0);
}

static int
result_key(struct app *a, enum action act, int ch)
{
	(void)ch;
	switch (act) {
	case ACT_UP:	return result_scroll(a, -1);
	case ACT_DOWN:	return result_scroll(a, 1);
	case ACT_PGUP:	return result_scroll(a, -block_rows());
	case ACT_PGDN:	return result_scroll(a, block_rows());
	case ACT_HOME:	return result_scroll(a, -100000);
	case ACT_END:	return result_scroll(a, 100000);
	case ACT_SAVE:	return result_save(a);
	case ACT_COPY:	return block_copy(a);
	case ACT_NEXT:
		app_msg(a, ROLE_INFO, "This is the last screen: %s quits and "
		    "prints the block", keys_name(ACT_QUIT));
		return UI_REDRAW;
	default:
		return UI_PASS;
	}
}

static unsigned
result_offers(const struct app *a)
{
	(void)a;
	return ACT_BIT(ACT_SAVE) | ACT_BIT(ACT_COPY);
}

static void
verdicts_draw(const struct app *a, int y)
{
	char item[48];
	int s, x = 0;

	x += draw_text(y, x, COLS, "Verdicts:", A_BOLD);
	for (s = 1; s <= STEP_COUNT; s++) {
		const struct step_result *r = a->st[s].res;

		snprintf(item, sizeof(item), "  %d ", s);
		x += draw_text(y, x, COLS - x, item, A_NORMAL);
		x += draw_text(y, x, COLS - x, r ? verdict_name(r->verdict) :
		    "not run", theme_attr(r ? role_of_verdict(r->verdict) :
		    ROLE_DIM));
	}
}

static void
result_draw(const struct app *a)
{
	char line[160];

	snprintf(line, sizeof(line), "Result: the settings for %s on Java %s",
	    settings_lib_name(a->set.lib), a->java);
	draw_text(BODY_TOP, 0, COLS, line, A_BOLD);
	verdicts_draw(a, BODY_TOP + 1);
	snprintf(line, sizeof(line), "mail.smtp.* block  (%s saves, %s "
	    "copies, printed when you quit)", keys_name(ACT_SAVE),
	    keys_name(ACT_COPY));
	draw_rule(BODY_TOP + 2, line);
	pane_draw(&a->block, a->result_top, BLOCK_TOP, BODY_BOTTOM(), 0);
}

const struct screen scr_result = {
	.name = "Result",
	.help = "help/result.txt",
	.step = 0,
	.enter = result_enter,
	.key = result_key,
	.offers = result_offers,
	.draw = result_draw,
};
