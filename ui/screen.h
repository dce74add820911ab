/*
 * The wizard's model and the screen contract.  A screen is an ops table
 * (tmux's window modes, with designated initializers).  key() and
 * event() only change the model and *return what should happen* as
 * UI_* reactions (htop's HandlerResult); tui.c acts on them.  Only
 * draw() calls curses, and it reads the model without changing it.
 *
 * Everything here lives on the UI thread.
 */
#ifndef SW_UI_SCREEN_H
#define SW_UI_SCREEN_H

#include <stdint.h>
#include <time.h>

#include "engine.h"
#include "keys.h"
#include "probe.h"
#include "settings.h"
#include "theme.h"
#include "tui.h"
#include "w_field.h"
#include "w_view.h"

/* Reactions. */
#define UI_NONE		0x00
#define UI_REDRAW	0x01
#define UI_NEXT		0x02	/* to the next screen */
#define UI_BACK		0x04	/* to the previous screen */
#define UI_PROBE	0x08	/* (re)probe this screen's step */
#define UI_QUIT		0x10
#define UI_CANCEL	0x20	/* stop this screen's probe */
#define UI_PASS		0x40	/* not mine: let the global keys have it */

/* What one step screen knows about its probe. */
struct step_state {
	struct step_result	*res;		/* last finished; NULL: none */
	unsigned		 res_gen;	/* app.gen it was probed with */
	unsigned		 job;		/* running job id, 0: none */
	unsigned		 job_gen;
	int			 queued;	/* waits for the engine */
	char			 progress[256];	/* sanitised */
	char			 error[300];	/* the probe could not run */
	int64_t			 started_ms;
	int64_t			 elapsed_ms;	/* of the last finished run */
	time_t			 finished_at;
	struct textbuf		 data;		/* the data view's lines */
	int			 sel;		/* fields, then findings */
	int			 moved;		/* sel moved while probing */
	unsigned		 nresults;	/* results received so far */
	int			 show_data;	/* lower pane: data view */
	size_t			 data_top;
};

enum modal_kind { MODAL_NONE, MODAL_EDIT, MODAL_VIEW };

/* What a finished line edit is for. */
enum edit_purpose { EDIT_FIELD, EDIT_SAVE_PATH };

struct app {
	const struct tui_args	*args;
	struct settings		 set;
	unsigned		 gen;		/* bumped on every change */
	char			 java[16];	/* Java profile: "17" */
	int			 discover;	/* step 1: try other ports */
	char			 load_path[512];
	struct engine		*eng;
	size_t			 cur;		/* index into the screen list */
	struct step_state	 st[STEP_COUNT + 1];	/* by enum step */
	int			 start_sel;
	size_t			 result_top;
	struct textbuf		 block;		/* the result block's lines */
	struct textbuf		 transcript;
	struct textbuf		 help;
	enum modal_kind		 modal;
	struct editor		 ed;
	enum edit_purpose	 ed_purpose;
	const struct field	*ed_field;
	struct viewer		 view;
	char			 save_path[512];
	char			 msg[300];	/* the message line */
	enum theme_role		 msg_role;
	char			*osc52;		/* clipboard, after a draw */
	unsigned		 tick;		/* spinner */
	int			 dirty;
};

struct screen {
	const char	*name;		/* breadcrumb: "Port" */
	const char	*help;		/* "help/step1.txt"; NULL: none */
	enum step	 step;		/* 0: not a probing step */
	const char	*enter_label;	/* status line; NULL: "edit" */
	int		(*enter)(struct app *);
	int		(*key)(struct app *, enum action, int ch);
	int		(*event)(struct app *, const struct engine_event *);
	unsigned	(*offers)(const struct app *);	/* ACT_BIT()s */
	void		(*draw)(const struct app *);
};

extern const struct screen scr_start, scr_conn, scr_cert, scr_proto,
    scr_ciphers, scr_auth, scr_result;

void		scr_start_init(struct app *);

/* app.c: the model's operations, shared by the screens. */
void		app_msg(struct app *, enum theme_role, const char *fmt, ...)
		    __attribute__((format(printf, 3, 4)));
void		app_changed(struct app *);	/* settings changed */
int		app_set(struct app *, const char *key, const char *value);
int		app_set_mode(struct app *, enum smtp_mode);
int		app_apply(struct app *, const struct finding *);
int		app_load(struct app *, const char *path);
int		app_edit(struct app *, enum edit_purpose, const struct field *,
		    const char *title, const char *initial, int secret);
int		app_view(struct app *, struct textbuf *, const char *title,
		    int follow);
int		app_help(struct app *, const struct screen *);
void		app_probe(struct app *, enum step);
void		app_cancel(struct app *, enum step);
int		app_step_busy(const struct app *, enum step);
int		app_stale(const struct app *, enum step);
void		app_event(struct app *, struct engine_event *);
void		app_kick(struct app *);

/* block.c: the settings as a properties block (malloc'ed, no password). */
char		*block_render(const struct app *);
int		 block_save(struct app *, const char *path);
int		 block_copy(struct app *);

#endif
