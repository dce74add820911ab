/*
 * The result: the settings block, ready to paste, with the verdict of
 * each step above it.  f picks the form (properties, JS7 arguments,
 * JS7 JSON, Spring Boot, JSON), w the password (left out, placeholder,
 * included: only after a yes), s saves (0600, temporary file and
 * rename), y copies with OSC 52, and quitting prints the block so that
 * it stays in the terminal's scroll-back.
 *
 * Entering the screen probes every step whose result is missing or
 * stale, so the block is the one a live check gives for these settings;
 * then the verification runs that block the way Java would
 * (app_verify.c), and its headline stands above the block.  v lets the
 * user's own Java run the block (app_java.c): its outcome stands under
 * the verification's, with whether the two agree.
 */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "draw.h"
#include "dlg.h"
#include "screen.h"
#include "w_pane.h"

#define NFORMATS	5

/* The rows above the block: 6, and one more for the real Java's
 * agreement when it ran. */
static int
block_top(const struct app *a)
{
	char l1[8], l2[8];
	enum theme_role r1, r2;

	return BODY_TOP + 5 + app_java_lines(a, l1, l2, sizeof(l1), &r1,
	    &r2);
}

static int
block_rows(const struct app *a)
{
	return BODY_BOTTOM() - block_top(a) + 1;
}

void
scr_result_rebuild(struct app *a)
{
	char *text;

	a->ver.fresh = app_verify_fresh(a);
	text = app_block_render(a);

	tb_clear(&a->block);
	tb_add_text(&a->block, text ? text : "# (out of memory)");
	free(text);
}

static int
have_host(const struct app *a)
{
	const char *h = settings_get(&a->set, "mail.smtp.host");

	return h != NULL && *h != '\0';
}

static int
result_enter(struct app *a)
{
	if (have_host(a))
		app_probe_stale(a);
	scr_result_rebuild(a);
	a->result_top = 0;
	return UI_REDRAW;
}

/* Every finished step may change the block. */
static int
result_event(struct app *a, const struct engine_event *ev)
{
	(void)ev;
	scr_result_rebuild(a);
	return UI_REDRAW;
}

static int
result_scroll(struct app *a, long by)
{
	long last = (long)pane_last_top(&a->block, block_rows(a));
	long top = (long)a->result_top + by;

	a->result_top = (size_t)(top < 0 ? 0 : top > last ? last : top);
	return UI_REDRAW;
}

/* By wrapped rows: the verdict's long header lines are never skipped. */
static int
result_page(struct app *a, int dir)
{
	size_t top = pane_page(&a->block, a->result_top, block_rows(a), dir);

	return result_scroll(a, (long)top - (long)a->result_top);
}

/* Never suggest overwriting the loaded file: it may hold the password. */
static int
result_save(struct app *a)
{
	static const char *const names[NFORMATS] = {
		[BLOCK_PROPERTIES] = "mail.properties",
		[BLOCK_JS7] = "mail-js7-arguments.txt",
		[BLOCK_JS7_JSON] = "mail-js7-jobresource.json",
		[BLOCK_SPRING] = "application-mail.properties",
		[BLOCK_JSON] = "mail.json",
	};
	char path[600];

	if (a->save_path[0] != '\0')
		snprintf(path, sizeof(path), "%s", a->save_path);
	else if (a->load_path[0] != '\0' && a->fmt == BLOCK_PROPERTIES)
		snprintf(path, sizeof(path), "%s.new", a->load_path);
	else
		snprintf(path, sizeof(path), "%s", names[a->fmt]);
	return app_edit(a, EDIT_SAVE_PATH, NULL, "Save the block to:", path,
	    0);
}

static int
result_format(struct app *a)
{
	a->fmt = (enum block_format)((a->fmt + 1) % NFORMATS);
	a->save_path[0] = '\0';		/* a name for the old form */
	scr_result_rebuild(a);
	a->result_top = 0;
	app_msg(a, ROLE_INFO, "Form: %s", app_block_format_title(a->fmt));
	return UI_REDRAW;
}

/* Left out -> placeholder -> included (after a yes) -> left out. */
static int
result_password(struct app *a)
{
	if (a->pw == PW_OMIT)
		a->pw = PW_PLACEHOLDER;
	else if (a->pw == PW_INCLUDE)
		a->pw = PW_OMIT;
	else if (app_password(a) == NULL) {
		a->pw = PW_OMIT;
		app_msg(a, ROLE_INFO, "No password is set (step 5), so there "
		    "is none to include: password left out");
	} else {
		confirm_ask(a, CONFIRM_PASSWORD);
		return UI_REDRAW;
	}
	scr_result_rebuild(a);
	if (a->msg[0] == '\0')
		app_msg(a, ROLE_INFO, "Password: %s", app_block_pw_title(a->pw));
	return UI_REDRAW;
}

/* c: stops the probes this screen queued, and the one running. */
static int
result_cancel(struct app *a)
{
	if (!app_any_busy(a))
		return UI_PASS;
	app_cancel_all(a);
	app_msg(a, ROLE_INFO, "Cancelling...");
	return UI_REDRAW;
}

static int
result_key(struct app *a, enum action act, int ch)
{
	(void)ch;
	switch (act) {
	case ACT_UP:	return result_scroll(a, -1);
	case ACT_DOWN:	return result_scroll(a, 1);
	case ACT_PGUP:	return result_page(a, -1);
	case ACT_PGDN:	return result_page(a, 1);
	case ACT_HOME:	return result_scroll(a, -100000);
	case ACT_END:	return result_scroll(a, 100000);
	case ACT_SAVE:	return result_save(a);
	case ACT_COPY:	return app_block_copy(a);
	case ACT_FORMAT: case ACT_TOGGLE: return result_format(a);
	case ACT_PASSWORD: return result_password(a);
	case ACT_JAVA:	return app_java_request(a);
	case ACT_PROBE:
		app_probe_stale(a);
		app_verify_retry(a);
		return UI_REDRAW;
	case ACT_CANCEL: case ACT_ESC:
		return result_cancel(a);
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
	unsigned o = ACT_BIT(ACT_SAVE) | ACT_BIT(ACT_COPY) |
	    ACT_BIT(ACT_FORMAT) | ACT_BIT(ACT_PASSWORD);
	int s;

	if (a->nundo > 0)
		o |= ACT_BIT(ACT_UNDO);
	if (a->jc.job == 0 && a->rt_sel >= 0)
		o |= ACT_BIT(ACT_JAVA);
	if (app_any_busy(a))
		return o | ACT_BIT(ACT_CANCEL);
	for (s = 1; s <= STEP_COUNT; s++)
		if (!app_fresh(a, s))
			return o | ACT_BIT(ACT_PROBE);
	return a->ver.fresh ? o : o | ACT_BIT(ACT_PROBE);
}

/* "Steps: 1 pass 2 fail ..." with what is running or stale. */
static void
verdicts_draw(const struct app *a, int y)
{
	char item[48];
	int s, x = 0, stale = 0, busy = 0;

	x += draw_text(y, x, COLS, "Steps:", A_BOLD);
	for (s = 1; s <= STEP_COUNT; s++) {
		const struct step_result *r = a->st[s].res;
		const char *what = app_step_busy(a, s) ? theme_spinner(a->tick) :
		    r == NULL ? "not run" : app_stale(a, s) ? "stale" :
		    verdict_name(r->verdict);

		stale |= app_stale(a, s) && !app_step_busy(a, s);
		busy |= app_step_busy(a, s);
		snprintf(item, sizeof(item), "  %d ", s);
		x += draw_text(y, x, COLS - x, item, A_NORMAL);
		x += draw_text(y, x, COLS - x, what, theme_attr(r &&
		    app_fresh(a, s) ? draw_role_of_verdict(r->verdict) :
		    ROLE_DIM));
	}
	if (busy)
		draw_text(y, x, COLS - x, "   probing...", theme_attr(ROLE_DIM));
	else if (stale)
		draw_text(y, x, COLS - x, "   (r: probe the stale ones)",
		    theme_attr(ROLE_WARN));
}

/* "Label (k):  [chosen]  other  other" */
static void
choice_draw(int y, const char *label, int n, int cur,
    const char *(*title)(int))
{
	char item[48];
	int i, x = 16;

	draw_text(y, 0, x, label, A_BOLD);
	for (i = 0; i < n && x < COLS; i++) {
		snprintf(item, sizeof(item), i == cur ? "[%s]" : " %s ",
		    title(i));
		x += draw_text(y, x, COLS - x, item, i == cur ?
		    theme_attr(ROLE_SELECT) : theme_attr(ROLE_DIM)) + 1;
	}
}

static const char *
fmt_title(int i)
{
	return app_block_format_title((enum block_format)i);
}

static const char *
pw_title(int i)
{
	return app_block_pw_title((enum block_password)i);
}

/* The real Java's line(s) from row y; returns how many. */
static int
java_draw(const struct app *a, int y)
{
	char l1[1400], l2[600];
	enum theme_role r1, r2;
	int n, x = 0;

	n = app_java_lines(a, l1, l2, sizeof(l2), &r1, &r2);
	if (a->jc.job != 0)
		x = draw_text(y, 0, 2, theme_spinner(a->tick),
		    theme_attr(ROLE_KEY)) + 1;
	draw_text(y, x, COLS - x, l1, theme_attr(r1) | (r1 == ROLE_DIM ? 0 :
	    A_BOLD));
	if (n == 2)
		draw_text(y + 1, 0, COLS, l2, theme_attr(r2) |
		    (r2 == ROLE_DIM ? 0 : A_BOLD));
	return n;
}

static void
result_draw(const struct app *a)
{
	char line[1200], java[OPT_MAX + 64];
	enum theme_role role;
	int x = 0, y;

	if (app_java_from_log(a))
		snprintf(line, sizeof(line), "Result: the settings for %s on "
		    "%s", settings_lib_name(a->set.lib),
		    app_java_file_name(a, java, sizeof(java)));
	else
		snprintf(line, sizeof(line), "Result: the settings for %s on "
		    "Java %s", settings_lib_name(a->set.lib), a->java);
	draw_text(BODY_TOP, 0, COLS, line, A_BOLD);
	verdicts_draw(a, BODY_TOP + 1);
	app_verify_headline(a, line, sizeof(line), &role);
	if (a->ver.job != 0)
		x = draw_text(BODY_TOP + 2, 0, 2, theme_spinner(a->tick),
		    theme_attr(ROLE_KEY)) + 1;
	draw_text(BODY_TOP + 2, x, COLS - x, line, theme_attr(role) |
	    (role == ROLE_DIM ? 0 : A_BOLD));
	y = BODY_TOP + 3 + java_draw(a, BODY_TOP + 3);
	choice_draw(y, "Form      (f)", NFORMATS, a->fmt, fmt_title);
	choice_draw(y + 1, "Password  (w)", 3, a->pw, pw_title);
	if (a->pw == PW_INCLUDE)
		snprintf(line, sizeof(line), "the block (password shown as "
		    "********; saved, copied and printed for real)");
	else
		snprintf(line, sizeof(line), "the block  (%s saves, %s "
		    "copies, printed when you quit)", keys_name(ACT_SAVE),
		    keys_name(ACT_COPY));
	draw_rule(y + 2, line);
	pane_draw_wrapped(&a->block, a->result_top, y + 3, BODY_BOTTOM());
}

const struct screen scr_result = {
	.name = "Result",
	.help = "help/result.txt",
	.step = 0,
	.enter = result_enter,
	.key = result_key,
	.event = result_event,
	.offers = result_offers,
	.draw = result_draw,
};
