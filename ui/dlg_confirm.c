/*
 * Yes/no questions the wizard must not decide alone: sending the
 * password over a connection without TLS, putting the real password
 * into the block, and applying a fix the engine marks as the user's
 * choice (optin: e.g. mail.smtp.ssl.trust, certificate checks off).  Only y or Y is a yes; every other key,
 * Esc and q included, is a no, so a stray key never leaks a password.
 *
 * A question that comes up while the editor or the decoder is open
 * waits (confirm_wait) until it closes; tui.c calls confirm_next()
 * after every key.
 */
#include <curses.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "draw.h"
#include "dlg.h"
#include "app.h"

struct question {
	unsigned	 what;
	const char	*ask;
	const char	*detail;
};

static const struct question questions[] = {
	{ CONFIRM_PLAINTEXT, "Send the password unencrypted? [y/N]",
	  "This connection has no TLS: the user name and password would "
	  "cross the network readable by anyone on the way. Say y only for "
	  "a test server or a network you trust; otherwise use STARTTLS or "
	  "SSL (step 1)." },
	{ CONFIRM_PASSWORD, "Put the real password into the block? [y/N]",
	  "The block is then saved, copied and printed to the terminal when "
	  "you quit, with the password in clear text. The screen shows it "
	  "masked." },
	{ CONFIRM_OPTIN, "Apply this fix? It is your choice, not a default "
	  "[y/N]", NULL },
	{ CONFIRM_OVERWRITE, "The file exists. Replace it? [y/N]", NULL },
};
#define NQUESTIONS	(sizeof(questions) / sizeof(questions[0]))

static const struct question *
question(unsigned what)
{
	size_t i;

	for (i = 0; i < NQUESTIONS; i++)
		if (questions[i].what == what)
			return &questions[i];
	return &questions[0];
}

void
confirm_ask(struct app *a, unsigned what)
{
	a->confirm_wait |= what;
	confirm_next(a);
}

/* Opens the next waiting question unless a dialog is in the way. */
void
confirm_next(struct app *a)
{
	unsigned bit;

	if (a->confirm_wait == 0 || (a->modal != MODAL_NONE &&
	    a->modal != MODAL_VIEW))
		return;
	bit = a->confirm_wait & -a->confirm_wait;	/* the lowest */
	a->confirm_wait &= ~bit;
	a->confirm = bit;
	a->modal = MODAL_CONFIRM;
}

static int
plaintext_answer(struct app *a, int yes)
{
	if (!yes) {
		app_msg(a, ROLE_WARN, "The password was not sent. Switch to "
		    "STARTTLS or SSL (step 1) so that it travels encrypted.");
		return UI_REDRAW;
	}
	app_target(a, a->plaintext_ok, sizeof(a->plaintext_ok));
	app_changed(a);
	app_msg(a, ROLE_WARN, "Step 5 logs in without TLS at %s, as you "
	    "said", a->plaintext_ok);
	app_probe(a, STEP_AUTH);
	return UI_REDRAW;
}

/* A finding whose fix only the user may choose: ask first. */
int
confirm_optin(struct app *a, const struct finding *f)
{
	a->optin = *f;
	confirm_ask(a, CONFIRM_OPTIN);
	return UI_REDRAW;
}

static int
optin_answer(struct app *a, int yes)
{
	int r = UI_REDRAW;

	if (yes)
		r = app_apply(a, &a->optin);
	else
		app_msg(a, ROLE_INFO, "%s: not applied", a->optin.id);
	memset(&a->optin, 0, sizeof(a->optin));
	return r;
}

/* What the optin question shows: the finding, then what it sets. */
static void
optin_detail(const struct finding *f, char *buf, size_t cap)
{
	size_t i, len;

	len = (size_t)snprintf(buf, cap, "%s: the wizard never applies this by "
	    "itself. It sets:", f->id);
	for (i = 0; i < f->nsuggest && len < cap; i++)
		len += (size_t)snprintf(buf + len, cap - len, " %s=%s",
		    f->suggest[i].key, f->suggest[i].value[0] ?
		    f->suggest[i].value : "(removed)");
}

static int
password_answer(struct app *a, int yes)
{
	if (yes)
		a->pw = PW_INCLUDE;
	scr_result_rebuild(a);
	app_msg(a, yes ? ROLE_WARN : ROLE_INFO, yes ? "The block now holds "
	    "the password: saved, copied and printed with it" :
	    "The password stays out of the block");
	return UI_REDRAW;
}

/*
 * Whether path may be written now: yes when it does not exist; when it
 * does, the first call asks, and after a y the old file becomes
 * path.bak.  0: not (yet); the caller tries again after the answer.
 */
int
confirm_may_write(struct app *a, enum edit_purpose purpose, const char *path)
{
	char bak[600];

	if (access(path, F_OK) != 0)
		return 1;
	if (!a->over_ok || a->over_purpose != purpose ||
	    strcmp(a->over_path, path) != 0) {
		snprintf(a->over_path, sizeof(a->over_path), "%s", path);
		a->over_purpose = purpose;
		a->over_ok = 0;
		confirm_ask(a, CONFIRM_OVERWRITE);
		return 0;
	}
	a->over_ok = 0;
	snprintf(bak, sizeof(bak), "%s.bak", path);
	if (rename(path, bak) != 0) {
		app_msg(a, ROLE_FAIL, "%s could not become %s: %s; nothing "
		    "written", path, bak, strerror(errno));
		return 0;
	}
	return 1;
}

static int
overwrite_answer(struct app *a, int yes)
{
	char path[512];

	if (!yes) {
		app_msg(a, ROLE_INFO, "%s left as it was; nothing written",
		    a->over_path);
		return UI_REDRAW;
	}
	a->over_ok = 1;
	snprintf(path, sizeof(path), "%s", a->over_path);
	return a->over_purpose == EDIT_CHAIN_PATH ?
	    scr_cert_chain_save(a, path) : app_block_save(a, path);
}

int
confirm_key(struct app *a, int ch)
{
	unsigned what = a->confirm;
	int yes = ch == 'y' || ch == 'Y';

	a->modal = MODAL_NONE;
	a->confirm = 0;
	if (what == CONFIRM_PLAINTEXT)
		return plaintext_answer(a, yes);
	if (what == CONFIRM_OPTIN)
		return optin_answer(a, yes);
	if (what == CONFIRM_OVERWRITE)
		return overwrite_answer(a, yes);
	return password_answer(a, yes);
}

void
confirm_draw(const struct app *a)
{
	const struct question *q = question(a->confirm);
	int w = COLS - 8 < 72 ? COLS - 8 : 72, rows, h, y, x = (COLS - w) / 2;
	char detail[1200];
	const char *d = q->detail;

	if (a->confirm == CONFIRM_OPTIN) {
		optin_detail(&a->optin, detail, sizeof(detail));
		d = detail;
	} else if (a->confirm == CONFIRM_OVERWRITE) {
		snprintf(detail, sizeof(detail), "%s exists. y keeps the old "
		    "file as %s.bak and writes the new one; any other key "
		    "leaves it as it is.", a->over_path, a->over_path);
		d = detail;
	}
	rows = draw_wrap_count(d, w - 4);
	if (rows > 8)
		rows = 8;
	h = rows + 6;
	y = BODY_TOP + (BODY_BOTTOM() - BODY_TOP + 1 - h) / 2;
	draw_box(y, x, h, w, theme_attr(ROLE_WARN));
	draw_text(y + 1, x + 2, w - 4, q->ask, theme_attr(ROLE_WARN));
	draw_wrapped(y + 3, x + 2, w - 4, rows, d, 0, A_NORMAL);
	draw_text(y + h - 2, x + 2, w - 4, "y: yes    any other key: no",
	    A_BOLD);
}

/* Step 5 refused to send the password in the clear: ask the user. */
void
confirm_after_auth(struct app *a, const struct step_result *r)
{
	char target[300];

	if (r == NULL || r->step != STEP_AUTH ||
	    r->d.auth.result != AUTH_REFUSED_PLAINTEXT)
		return;
	app_target(a, target, sizeof(target));
	if (strcmp(a->plaintext_ok, target) != 0)
		confirm_ask(a, CONFIRM_PLAINTEXT);
}
