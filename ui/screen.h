/*
 * The screen contract (the model is app.h, the dialogs dlg.h).  A
 * screen is an ops table (tmux's window modes, with designated
 * initializers).  key() and
 * event() only change the model and *return what should happen* as
 * UI_* reactions (htop's HandlerResult); tui.c acts on them.  Only
 * draw() calls curses, and it reads the model without changing it.
 *
 * Everything here lives on the UI thread.
 */
#ifndef SW_UI_SCREEN_H
#define SW_UI_SCREEN_H

#include "app.h"

struct step_view;

/*
 * A screen: a step screen names its view and step_view.c runs it (its
 * own ops are NULL); the others bring their ops.  Called through
 * screen_enter() ... screen_draw() (screen.c), which pick one.
 */
struct screen {
	const char	*name;		/* breadcrumb: "Port" */
	const char	*help;		/* "help/step1.txt"; NULL: none */
	enum step	 step;		/* 0: not a probing step */
	const char	*enter_label;	/* status line; NULL: "edit" */
	const struct step_view *view;	/* a step screen's fields and data */
	int		(*enter)(struct app *);
	int		(*key)(struct app *, enum action, int ch);
	int		(*event)(struct app *, const struct engine_event *);
	unsigned	(*offers)(const struct app *);	/* ACT_BIT()s */
	void		(*draw)(const struct app *);
};

extern const struct screen scr_start, scr_conn, scr_cert, scr_proto,
    scr_cipher, scr_auth, scr_result;

/* screen.c: a screen's operations, its own or its view's (UI_*). */
int		screen_enter(struct app *, const struct screen *);
int		screen_key(struct app *, const struct screen *, enum action,
		    int ch);
int		screen_event(struct app *, const struct screen *,
		    const struct engine_event *);
unsigned	screen_offers(const struct app *, const struct screen *);
void		screen_draw(const struct app *, const struct screen *);

void		scr_start_init(struct app *);

#endif
