/*
 * The wizard's model: struct app, what it holds (each step's probe, the
 * modal open, the fixes, the verification, the user's Java), the UI_*
 * reactions handlers return, and the app_* operations of app.c,
 * app_life.c, app_fix.c, app_verify.c, app_java.c and app_block.c.
 * Everything here lives on the UI thread.
 */
#ifndef SW_UI_APP_H
#define SW_UI_APP_H

#include <stdint.h>
#include <time.h>

#include "engine.h"
#include "explain.h"
#include "field_react.h"
#include "keys.h"
#include "probe.h"
#include "report.h"
#include "secret.h"
#include "settings.h"
#include "step_sig.h"
#include "step_state.h"
#include "theme.h"
#include "tui.h"
#include "w_field.h"
#include "w_view.h"
#include "wiz_opt.h"

struct screen;

/* Reactions. */
#define APP_RUNTIMES	6	/* Java runtimes the Start screen offers */

#define UI_NONE		0x00
#define UI_REDRAW	0x01
#define UI_NEXT		0x02	/* to the next screen */
#define UI_BACK		0x04	/* to the previous screen */
#define UI_PROBE	0x08	/* (re)probe this screen's step */
#define UI_QUIT		0x10
#define UI_CANCEL	0x20	/* stop this screen's probe */
#define UI_PASS		0x40	/* not mine: let the global keys have it */
#define UI_GOTO		0x80	/* to screen app.goto_screen */

enum modal_kind {
	MODAL_NONE,
	MODAL_EDIT,		/* the line editor */
	MODAL_VIEW,		/* help or transcript */
	MODAL_CONFIRM,		/* a yes/no question (dlg_confirm.c) */
	MODAL_EXPLAIN		/* the error decoder (dlg_explain.c) */
};

/* What a finished line edit is for. */
enum edit_purpose { EDIT_FIELD, EDIT_SAVE_PATH, EDIT_SEARCH, EDIT_CHAIN_PATH };

/* What a yes/no question decides; bits, so several may wait. */
#define CONFIRM_PLAINTEXT	0x1	/* step 5: AUTH without TLS */
#define CONFIRM_PASSWORD	0x2	/* the real password in the block */
#define CONFIRM_OPTIN		0x4	/* a fix the engine leaves to the user */
#define CONFIRM_OVERWRITE	0x8	/* s: the file exists (over_path) */


/* An applied fix that u takes back: the settings from before it. */
#define UNDO_MAX	16
struct undo {
	struct settings	 set;
	char		 what[48];	/* the finding's id */
};

/*
 * A fix that changes where to connect (host, port, connection type) is
 * tried on a copy first: step 1 probes the copy, and only when it
 * reaches an SMTP server does the copy become the settings.
 */
struct trial {
	int		 active;	/* set holds a fix being tried */
	int		 queued;	/* waits for the engine */
	int		 cancelling;
	unsigned	 job;
	struct settings	 set;		/* the settings with the fix */
	char		 what[48];	/* the finding's id */
	char		 target[300];	/* "host:port" it probes */
};

/* The verification of the final block (src/verify.h). */
struct verify_state {
	struct verify_result	*res;		/* last finished; NULL: none */
	uint64_t		 res_sig;	/* app_verify_sig() of it */
	uint64_t		 failed_sig;	/* a run that could not finish */
	unsigned		 job;
	uint64_t		 job_sig;
	int			 cancelling;
	int			 fresh;		/* res is of the block shown,
						   see scr_result_rebuild() */
	char			 progress[256];	/* sanitised */
	char			 error[300];
	int64_t			 started_ms;
};

/*
 * The block run by the user's own Java (v on the result screen,
 * src/confirm.h), after the verification of the same block.
 */
struct javaconf_state {
	struct confirm_result	*res;		/* last finished; NULL: none */
	uint64_t		 res_sig;	/* app_verify_sig() of its block */
	int			 res_own;	/* smtpwiz's outcome then: 1 it
						   works, 0 it fails */
	char			 res_basis[16];	/* "verification" or "steps" */
	int			 wanted;	/* v: run once the verification
						   of the block is fresh */
	int			 automatic;	/* --confirm-with-java: after
						   every new verification */
	unsigned		 job;
	uint64_t		 job_sig;
	int			 cancelling;
	char			 progress[256];
	char			 error[300];
	int64_t			 started_ms;
};

struct dlg_explain;

struct app {
	const struct tui_args	*args;
	struct settings		 set;
	unsigned		 gen;		/* bumped on every change */
	char			 java[OPT_MAX];	/* Java profile: "17", or
						   a profile file */
	char			 java_log[OPT_MAX]; /* the profile file of
						   --java-from-debug-log or
						   --java FILE ("": none) */
	int			 java_file_user; /* java_log is --java's
						   FILE: the user's, kept;
						   0: ours, unlinked at the
						   end */
	struct javart		 rts[APP_RUNTIMES]; /* runtimes found: the
						   named or default one, then
						   running Java processes */
	size_t			 nrt;
	int			 rt_sel;	/* index into rts; -1: the
						   built-in profile java */
	int			 discover;	/* step 1: try other ports */
	char			 opt[OPT_COUNT][OPT_MAX];
	/* "host:port" the user let step 5 log in without TLS at. */
	char			 plaintext_ok[300];
	/*
	 * The secrets, one copy each, in locked pages of their own with
	 * core dumps off while held (src/secret.h); never in the settings
	 * or the options.  A job gets its own copy for its run.
	 */
	struct secret		 pass;		/* mail.smtp.password */
	struct secret		 storepass;	/* the trust store's */
	struct secret		 proxypass;	/* the proxy's */
	int			 ed_locked;	/* mlock(&ed) worked */
	char			 load_path[512];
	struct engine		*eng;
	size_t			 cur;		/* index into the screen list */
	struct step_state	 st[STEP_COUNT + 1];	/* by enum step */
	int			 start_sel;
	size_t			 result_top;
	struct textbuf		 block;		/* the result block's lines */
	enum block_format	 fmt;		/* result: the form chosen */
	enum block_password	 pw;		/* result: the password */
	struct textbuf		 transcript;
	struct textbuf		 help;
	enum modal_kind		 modal;
	struct editor		 ed;
	enum edit_purpose	 ed_purpose;
	enum modal_kind		 ed_return;	/* EDIT_SEARCH: back to it */
	char			 query[96];	/* the last / search */
	struct textbuf		 detail;	/* Enter on a finding */
	char			 chain_path[512];	/* s on step 2: the
						   next probe saves here */
	char			 copied[1200];	/* y: printed on quit too */
	char			 over_path[512];	/* CONFIRM_OVERWRITE's */
	enum edit_purpose	 over_purpose;	/* EDIT_SAVE_PATH or _CHAIN_ */
	int			 over_ok;	/* the user said y for it */
	const struct field	*ed_field;
	struct viewer		 view;
	unsigned		 confirm;	/* CONFIRM_* shown now */
	unsigned		 confirm_wait;	/* CONFIRM_* to ask next */
	struct finding		 optin;		/* CONFIRM_OPTIN's fix */
	struct dlg_explain	*ex;		/* MODAL_EXPLAIN's state */
	struct explain_db	*xdb;		/* loaded on first use */
	size_t			 goto_screen;	/* for UI_GOTO */
	char			 save_path[512];
	char			 msg[300];	/* the message line */
	enum theme_role		 msg_role;
	char			*term_out;	/* raw bytes for the terminal
						   after the next draw: OSC 52,
						   bracketed paste on/off */
	int			 paste_on;	/* mode 2004 is on */
	int			 pasting;	/* inside a bracketed paste */
	unsigned		 tick;		/* spinner */
	int			 dirty;
	struct undo		 undo[UNDO_MAX];	/* oldest first */
	int			 nundo;
	struct trial		 trial;
	struct verify_state	 ver;
	struct javaconf_state	 jc;
};

/* app_life.c: making and freeing the model. */
struct app	*app_new(const struct tui_args *);	/* NULL: no memory */
int		 app_args(struct app *, const struct tui_args *); /* -1 */
void		 app_free(struct app *);

/* app.c: the model's operations, shared by the screens. */
void		app_msg(struct app *, enum theme_role, const char *fmt, ...)
		    __attribute__((format(printf, 3, 4)));
void		app_changed(struct app *);	/* settings changed */
/* The login password (mail.smtp.password) or NULL: a->pass's text. */
const char	*app_password(const struct app *);
/* Moves a mail.smtp.password from the settings (a loaded file) into
 * a->pass, the settings' copy wiped; -1 (message set) on failure. */
int		app_take_password(struct app *);
int		app_set(struct app *, const char *key, const char *value);
int		app_set_mode(struct app *, enum smtp_mode);
int		app_load(struct app *, const char *path);
/* A field's reaction (field_react.h) applied; returns UI_* reactions. */
int		app_field_apply(struct app *, const struct field *,
		    struct field_reaction);
/* Enter/Space on a field: cycles a choice or opens the editor. */
int		app_field_activate(struct app *, const struct field *);
/* The editor's text for field f. */
int		app_field_commit(struct app *, const struct field *,
		    const char *text);
int		app_edit(struct app *, enum edit_purpose, const struct field *,
		    const char *title, const char *initial, int secret);
int		app_view(struct app *, struct textbuf *, const char *title,
		    int follow);
int		app_help(struct app *, const struct screen *);
/* tui.c */
int		tui_search_ask(struct app *, const char *where);
/* scr_cert.c */
int		scr_cert_chain_save(struct app *, const char *path);
int		stepv_search(struct app *, enum step, int dir);	/* step_view.c */
int		app_block_copy_text(struct app *, const char *what,
		    const char *text);			/* app_block.c */
void		app_term_out(struct app *, const char *bytes);
void		app_probe(struct app *, enum step);
void		app_probe_stale(struct app *);
void		app_cancel(struct app *, enum step);
int		app_step_busy(const struct app *, enum step);
int		app_step_pending(const struct app *, enum step);
int		app_any_busy(const struct app *);
int		app_stale(const struct app *, enum step);
int		app_fresh(const struct app *, enum step);
uint64_t	app_sig(const struct app *, enum step);
void		app_event(struct app *, struct engine_event *);
void		app_kick(struct app *);
const char	*app_opt(const struct app *, enum wiz_opt);
/* Option o as p holds it (NULL: none; always for a secret). */
int		app_set_opt(struct app *, enum wiz_opt, const char *value);
void		app_target(const struct app *, char *buf, size_t cap);
void		app_fill_opts(const struct app *, enum step,
		    struct engine_opts *);
void		app_cancel_all(struct app *);
uint64_t	app_verify_sig(const struct app *, const struct settings *);

/*
 * app_fix.c: applying a finding's fix, with undo.  app_apply() changes
 * the settings at once (UI_PROBE: the caller re-probes), or, for a fix
 * that moves the target, starts a trial and changes them only when it
 * reaches a server.  app_undo() restores the settings from before the
 * last applied fix.  app_trial_event() takes the trial's events (1: it
 * was one of them).  app_undo_push() snapshots the settings before a
 * fix applied elsewhere (the error decoder); -1 when out of memory.
 */
int		app_apply(struct app *, const struct finding *);
int		app_undo(struct app *);
int		app_undo_push(struct app *, const char *what);
void		app_undo_drop(struct app *);
int		app_trial_event(struct app *, struct engine_event *);
void		app_trial_kick(struct app *);
void		app_fix_free(struct app *);
int		app_moves_target(const char *key);

/*
 * app_verify.c: the verification of the final block on the worker,
 * the exit status (check's rule) and what quitting prints.
 * app_verify_kick() starts it when the engine is idle and every step
 * has a fresh result; app_verify_event() takes its events.
 */
void		app_verify_kick(struct app *);
void		app_verify_event(struct app *, struct engine_event *);
int		app_verify_fresh(const struct app *);
void		app_verify_headline(const struct app *, char *buf,
		    size_t cap, enum theme_role *role);
void		app_verify_retry(struct app *);
char		*app_verify_quit_text(const struct app *, int *status);
void		app_verify_free(struct app *);

/*
 * app_java.c: v on the result screen -- the block through the user's
 * own Java on the worker, once the verification of the same block is
 * fresh; its outcome against smtpwiz's, the lines the result screen
 * and quitting show, and the exit status it decides.
 */
int		app_java_request(struct app *);
int		app_java_cycle(struct app *);	/* the Java field, Enter */
int		app_java_from_log(const struct app *);	/* the profile is
						   a file: --java-from-debug-
						   log's or --java FILE */
/* What that file's Java is called: "the Java of LOG (its debug log)",
 * "the Java profile in FILE"; returns buf. */
const char     *app_java_file_name(const struct app *, char *buf,
		    size_t cap);
void		app_java_kick(struct app *);
void		app_java_event(struct app *, struct engine_event *);
int		app_java_fresh(const struct app *);
int		app_java_lines(const struct app *, char *l1, char *l2,
		    size_t cap, enum theme_role *r1, enum theme_role *r2);
void		app_java_free(struct app *);

/*
 * app_block.c: the settings block (block.h) from the settings and the
 * fresh step results, in the chosen form.  app_block_render() shows a real
 * password as a mask; app_block_final() is what is saved, copied and
 * printed.  Both malloc'ed (NULL: out of memory).
 */
char		*app_block_render(const struct app *);
void		 scr_result_rebuild(struct app *);	/* scr_result.c */
char		*app_block_final(const struct app *, int *has_secret,
		    int *verified);
int		 app_block_final_settings(const struct app *, struct settings *);
int		 app_block_save(struct app *, const char *path);
int		 app_block_copy(struct app *);
const char	*app_block_format_title(enum block_format);
const char	*app_block_pw_title(enum block_password);

#endif
