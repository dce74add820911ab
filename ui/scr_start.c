/*
 * The start screen: where to connect (host, port, connection type),
 * which Java runtime to judge for, optionally a deployed .properties
 * file to test as it is, and the error decoder for a pasted exception.
 * Enter on "Start" (or n, Tab, Right from anywhere) goes to step 1.
 */
#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "draw.h"
#include "dlg.h"
#include "screen.h"

static const struct field start_fields[] = {
	{ .label = "Mail server host", .key = "mail.smtp.host",
	  .kind = FK_TEXT },
	{ .label = "Port",	.key = "mail.smtp.port", .kind = FK_NUMBER },
	{ .label = "Connection type", .kind = FK_MODE,
	  .hint = "plain, starttls or ssl; step 1 finds out what the port "
	      "really speaks" },
	{ .label = "Java runtime", .kind = FK_JAVA,
	  .hint = "Enter: the runtimes found (--java-home, JAVA_HOME, PATH, "
	      "running Java processes), then the built-in profiles; its "
	      "java.security and cacerts decide" },
	{ .label = "Load properties file", .kind = FK_LOAD,
	  .hint = "a deployed mail.smtp.* .properties file, tested exactly "
	      "as written" },
	{ .label = "Paste an error", .kind = FK_ACTION,
	  .action = dlg_explain_open,
	  .unset = "decode a Java exception or SMTP reply (e, anywhere)",
	  .hint = "paste the exception from the application's log: the "
	      "wizard names the cause and jumps to the step that fixes it" },
};
#define NFIELDS	 ((int)(sizeof(start_fields) / sizeof(start_fields[0])))
#define ROW_START NFIELDS		/* the Start button */

static const char intro[] =
    "smtpwiz finds out why a Java application (JavaMail, Jakarta Mail, "
    "JS7 JOC Cockpit) cannot send mail. It probes your mail server in "
    "five steps and ends with mail.smtp.* settings that work against it.";

static int
start_go(struct app *a)
{
	const char *host = settings_get(&a->set, "mail.smtp.host");

	if (host == NULL || *host == '\0') {
		a->start_sel = 0;
		app_msg(a, ROLE_WARN, "Enter the mail server's host name "
		    "first");
		return app_field_activate(a, &start_fields[0]);
	}
	return UI_NEXT;
}

static int
start_enter(struct app *a)
{
	(void)a;
	return UI_REDRAW;
}

static int
start_key(struct app *a, enum action act, int ch)
{
	(void)ch;
	switch (act) {
	case ACT_UP:
		a->start_sel = a->start_sel > 0 ? a->start_sel - 1 : 0;
		return UI_REDRAW;
	case ACT_DOWN:
		a->start_sel = a->start_sel < ROW_START ? a->start_sel + 1 :
		    ROW_START;
		return UI_REDRAW;
	case ACT_HOME: case ACT_PGUP:
		a->start_sel = 0;
		return UI_REDRAW;
	case ACT_END: case ACT_PGDN:
		a->start_sel = ROW_START;
		return UI_REDRAW;
	case ACT_ENTER:
	case ACT_TOGGLE:
		if (a->start_sel == ROW_START)
			return start_go(a);
		return app_field_activate(a, &start_fields[a->start_sel]);
	case ACT_NEXT:
		return start_go(a);
	case ACT_BACK:
		return UI_REDRAW;	/* nothing before this screen */
	default:
		return UI_PASS;
	}
}

static unsigned
start_offers(const struct app *a)
{
	(void)a;
	return ACT_BIT(ACT_ENTER);
}

static void
form_draw(const struct app *a, int y)
{
	char val[600];
	int i, sel;

	for (i = 0; i < NFIELDS; i++) {
		sel = a->start_sel == i;
		field_value(a, &start_fields[i], val, sizeof(val));
		draw_text(y + i, 1, 2, sel ? theme_glyph(GL_POINTER) : " ",
		    theme_attr(ROLE_KEY));
		draw_line(y + i, 3, 22, start_fields[i].label, sel ? A_BOLD :
		    theme_attr(ROLE_DIM));
		draw_line(y + i, 26, COLS - 28, val, sel ?
		    theme_attr(ROLE_SELECT) : A_NORMAL);
	}
	sel = a->start_sel == ROW_START;
	draw_text(y + i, 1, 2, sel ? theme_glyph(GL_POINTER) : " ",
	    theme_attr(ROLE_KEY));
	draw_text(y + i, 3, 30, "[ Start the diagnosis ]",
	    sel ? theme_attr(ROLE_SELECT) | A_BOLD : A_BOLD);
}

static void
steps_draw(const struct app *a, int y)
{
	char line[128];
	int s;

	for (s = 1; s <= STEP_COUNT && y <= BODY_BOTTOM(); s++, y++) {
		const struct step_result *r = a->st[s].res;

		snprintf(line, sizeof(line), "%d  %s", s, step_title(s));
		draw_text(y, 3, 40, line, A_NORMAL);
		if (r != NULL)
			draw_text(y, 44, 20, verdict_name(r->verdict),
			    theme_attr(draw_role_of_verdict(r->verdict)));
	}
}

static void
start_draw(const struct app *a)
{
	char hint[400];
	int y = BODY_TOP + 1;

	draw_text(y, 1, COLS - 2, "Why can't my Java application send mail?",
	    A_BOLD);
	y += 1 + draw_wrapped(y + 1, 1, COLS - 2, 3, intro, 0, A_NORMAL);
	if (a->args->demo_port > 0) {
		snprintf(hint, sizeof(hint), "Demo: a mail server on this "
		    "machine (port %d) and settings that are deliberately "
		    "wrong: SSL on a STARTTLS port, a certificate sent without "
		    "its intermediate. Enter starts; watch the wizard find and "
		    "fix them.", a->args->demo_port);
		y += draw_wrapped(y, 1, COLS - 2, 3, hint, 0,
		    theme_attr(ROLE_WARN));
	}
	draw_rule(y, "Where to connect");
	form_draw(a, ++y);
	y += NFIELDS + 2;
	if (a->start_sel < NFIELDS)
		field_hint(&start_fields[a->start_sel], hint, sizeof(hint));
	else
		snprintf(hint, sizeof(hint), "Enter starts step 1");
	draw_text(y - 1, 3, COLS - 4, hint, theme_attr(ROLE_DIM));
	draw_rule(y, "The five steps");
	steps_draw(a, y + 1);
}

const struct screen scr_start = {
	.name = "Start",
	.help = "help/start.txt",
	.step = 0,
	.enter_label = "edit/start",
	.enter = start_enter,
	.key = start_key,
	.offers = start_offers,
	.draw = start_draw,
};

/* Where the cursor starts: on Start when there is a host to start with. */
void
scr_start_init(struct app *a)
{
	const char *host = settings_get(&a->set, "mail.smtp.host");

	a->start_sel = host != NULL && *host != '\0' ? ROW_START : 0;
}
