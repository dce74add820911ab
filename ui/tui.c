/*
 * The wizard's frame: terminal set-up and restore, the one poll() loop
 * over the keyboard, the engine's notify pipe and a signal self-pipe,
 * key dispatch, reactions, and the redraw.
 *
 * Dispatch order (a modal first, as in tmux and cmus): a bracketed
 * paste first, because pasted text must never act as keys (it opens the
 * error decoder, or is typed into the open editor); then an open modal
 * (the line editor, a yes/no question, the decoder or a viewer) takes
 * every key, because a host name may contain "n" or "q"; then the
 * screen; what the screen passes on goes to the global keys.  Signals
 * never act in a handler: the handler writes the signal number to a
 * pipe and the loop acts (cmus), so curses is only ever called from
 * here, on one thread.
 */
#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <term.h>
#include <termios.h>
#include <unistd.h>

#include "target.h"
#include "draw.h"
#include "dlg.h"
#include "screen.h"
#include "w_status.h"

#define MIN_COLS	80
#define MIN_LINES	24
#define EXIT_FAIL	1

static const struct screen *const screens[] = {
	&scr_start, &scr_conn, &scr_cert, &scr_proto, &scr_cipher,
	&scr_auth, &scr_result,
};
#define NSCREENS	(sizeof(screens) / sizeof(screens[0]))

/* The only globals: what a signal handler and atexit() must reach. */
static int sig_pipe[2] = { -1, -1 };
static SCREEN *term;
static int paste_mode;		/* bracketed paste is on */
/* The crash path's: the terminal as we found it, and the bytes that
 * leave the alternate screen and show the cursor (terminfo's). */
static struct termios tio_saved;
static int tio_ok;
static char crash_seq[160];
static size_t crash_len;
#define CRASH_SIGS	5
static const int crash_sigs[CRASH_SIGS] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL,
	SIGABRT };
static struct sigaction crash_old[CRASH_SIGS];

static void
on_signal(int signo)
{
	int saved = errno;
	unsigned char b = (unsigned char)signo;

	(void)!write(sig_pipe[1], &b, 1);
	errno = saved;
}

/*
 * Installed before newterm(): with our own SIGWINCH handler ncurses
 * leaves resizing to us (resizeterm(3x)), and a Ctrl-C during start-up
 * already takes the clean path.
 */
static int
signals_install(void)
{
	static const int sigs[] = { SIGWINCH, SIGINT, SIGTERM, SIGHUP,
	    SIGQUIT, SIGTSTP, SIGCONT };
	struct sigaction sa;
	size_t i;

	if (pipe2(sig_pipe, O_CLOEXEC | O_NONBLOCK) < 0)
		return -1;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
	signal(SIGPIPE, SIG_IGN);	/* a server closing must not kill us */
	return 0;
}

/*
 * A crash (SIGSEGV, SIGABRT, ...): give the terminal back with
 * async-signal-safe calls only, then let the signal do what it did
 * before us -- the previous handler (a sanitizer's report) or the
 * default action, so a core is still written where the user allows
 * one.  A fault re-executes and faults again once the old action is
 * back; a signal sent by kill() or raise() is raised again.
 */
static void
on_crash(int signo, siginfo_t *info, void *uctx)
{
	int i;

	(void)uctx;
	(void)!write(STDOUT_FILENO, crash_seq, crash_len);
	if (tio_ok)
		(void)tcsetattr(STDIN_FILENO, TCSANOW, &tio_saved);
	for (i = 0; i < CRASH_SIGS; i++)
		if (crash_sigs[i] == signo)
			sigaction(signo, &crash_old[i], NULL);
	if (info == NULL || info->si_code <= 0 || signo == SIGABRT)
		raise(signo);
}

/* Appends terminfo capability cap to the crash sequence. */
static void
crash_add(const char *cap)
{
	char *s = tigetstr(cap);
	size_t n;

	if (s == NULL || s == (char *)-1)
		return;
	n = strlen(s);
	if (crash_len + n < sizeof(crash_seq)) {
		memcpy(crash_seq + crash_len, s, n);
		crash_len += n;
	}
}

/* After newterm(): what the crash path writes, then its handlers. */
static void
crash_install(void)
{
	struct sigaction sa;
	int i;

	crash_len = 0;
	if (paste_mode) {		/* bracketed paste off */
		memcpy(crash_seq, "\033[?2004l", 8);
		crash_len = 8;
	}
	crash_add("sgr0");
	crash_add("cnorm");
	crash_add("rmcup");
	if (crash_len + 2 <= sizeof(crash_seq)) {
		memcpy(crash_seq + crash_len, "\r\n", 2);
		crash_len += 2;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_crash;
	sa.sa_flags = SA_SIGINFO | SA_NODEFER;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < CRASH_SIGS; i++)
		sigaction(crash_sigs[i], &sa, &crash_old[i]);
}

/* atexit(): whatever path leaves the process, the terminal comes back. */
static void
terminal_restore(void)
{
	if (paste_mode)
		(void)!write(STDOUT_FILENO, "\033[?2004l", 8);
	paste_mode = 0;
	if (term != NULL && !isendwin())
		endwin();
}

static int
terminal_open(struct app *a, const struct tui_args *args)
{
	const char *t = getenv("TERM");

	tio_ok = tcgetattr(STDIN_FILENO, &tio_saved) == 0;
	if ((term = newterm(NULL, stdout, stdin)) == NULL) {
		fprintf(stderr, "smtpwiz: cannot drive terminal type \"%s\"; "
		    "try TERM=xterm, or `smtpwiz check` without a screen\n",
		    t ? t : "");
		return -1;
	}
	atexit(terminal_restore);
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	intrflush(stdscr, FALSE);
	set_escdelay(25);	/* Esc must feel instant, also over SSH */
	curs_set(0);
	keys_init();
	theme_init(!args->no_color, !args->ascii);
	if (keys_paste_supported()) {
		app_term_out(a, "\033[?2004h");	/* bracketed paste */
		a->paste_on = paste_mode = 1;
	}
	crash_install();
	return 0;
}

static void
terminal_close(void)
{
	int i;

	if (term == NULL)
		return;
	for (i = 0; i < CRASH_SIGS; i++)
		sigaction(crash_sigs[i], &crash_old[i], NULL);
	if (paste_mode)			/* bracketed paste back off */
		(void)!write(STDOUT_FILENO, "\033[?2004l", 8);
	paste_mode = 0;
	endwin();
	delscreen(term);
	term = NULL;
}

static int
too_small(void)
{
	return COLS < MIN_COLS || LINES < MIN_LINES;
}

/* ------------------------------------------------------------------ */
/* Drawing                                                             */

/*
 * The message line; a message longer than the screen is wide (what a
 * fix changed) takes the row above it too, so it is read in full.
 */
static void
msg_draw(const struct app *a)
{
	if (draw_wrap_count(a->msg, COLS - 1) < 2) {
		draw_line(LINES - 2, 0, COLS, a->msg, theme_attr(a->msg_role));
		return;
	}
	draw_line(LINES - 3, 0, COLS, "", A_NORMAL);
	draw_line(LINES - 2, 0, COLS, "", A_NORMAL);
	draw_wrapped(LINES - 3, 0, COLS - 1, 2, a->msg, 0,
	    theme_attr(a->msg_role));
}

static void
draw_all(struct app *a)
{
	erase();
	if (too_small())
		status_too_small(MIN_COLS, MIN_LINES);
	else {
		status_title(a, screens, NSCREENS);
		if (a->modal == MODAL_VIEW || (a->modal == MODAL_EDIT &&
		    a->ed_purpose == EDIT_SEARCH && a->ed_return == MODAL_VIEW))
			viewer_draw(&a->view);
		else if (a->modal == MODAL_EXPLAIN)
			dlg_explain_draw(a);
		else
			screen_draw(a, screens[a->cur]);
		if (a->modal == MODAL_CONFIRM)
			confirm_draw(a);
		if (a->modal == MODAL_EDIT)
			field_editor_draw(&a->ed, LINES - 2);
		else
			msg_draw(a);
		status_keys(a, screens[a->cur]);
	}
	wnoutrefresh(stdscr);
	doupdate();
	if (a->term_out != NULL) {
		(void)!write(STDOUT_FILENO, a->term_out, strlen(a->term_out));
		/* An OSC 52 copy may carry the password. */
		explicit_bzero(a->term_out, strlen(a->term_out));
		free(a->term_out);
		a->term_out = NULL;
	}
}

/* ------------------------------------------------------------------ */
/* Reactions and dispatch                                              */

static int
switch_to(struct app *a, size_t to)
{
	if (to >= NSCREENS || to == a->cur)
		return UI_REDRAW;
	a->cur = to;
	return screen_enter(a, screens[to]);
}

/* Acts on what a handler returned; returns 1 to quit. */
static int
react(struct app *a, int r)
{
	const struct screen *s;

	if (r & UI_QUIT)
		return 1;
	if (r & UI_GOTO)
		r |= switch_to(a, a->goto_screen) & ~(UI_NEXT | UI_BACK);
	else if (r & UI_NEXT)
		r |= switch_to(a, a->cur + 1) & ~(UI_NEXT | UI_BACK);
	else if (r & UI_BACK)
		r |= switch_to(a, a->cur > 0 ? a->cur - 1 : 0) &
		    ~(UI_NEXT | UI_BACK);
	s = screens[a->cur];
	if ((r & UI_CANCEL) && s->step)
		app_cancel(a, s->step);
	if ((r & UI_PROBE) && s->step)
		app_probe(a, s->step);
	return 0;
}

static int
go_to(struct app *a, size_t to)
{
	a->goto_screen = to < NSCREENS ? to : NSCREENS - 1;
	return UI_GOTO | UI_REDRAW;
}

static int
global_key(struct app *a, enum action act, int ch)
{
	switch (act) {
	case ACT_NEXT:		return UI_NEXT;
	case ACT_BACK:		return UI_BACK;
	case ACT_STEP:		return go_to(a, (size_t)(ch - '0'));
	case ACT_START:		return go_to(a, 0);
	case ACT_RESULT:	return go_to(a, NSCREENS - 1);
	case ACT_QUIT:		return UI_QUIT;
	case ACT_UNDO:		return app_undo(a);
	case ACT_HELP:		return app_help(a, screens[a->cur]);
	case ACT_TRANSCRIPT:	return app_view(a, &a->transcript,
				    "Transcript (passwords redacted)", 1);
	case ACT_EXPLAIN:	return dlg_explain_open(a);
	default:		return UI_NONE;
	}
}

/* / in a viewer or a step's data: what to look for, in the editor. */
int
tui_search_ask(struct app *a, const char *where)
{
	char title[64];

	a->ed_return = a->modal;
	snprintf(title, sizeof(title), "Search %s for", where);
	return app_edit(a, EDIT_SEARCH, NULL, title, "", 0);
}

static int
search_done(struct app *a, const char *text)
{
	const struct screen *s = screens[a->cur];

	/* Enter alone: the last search again (less, vi). */
	if (text[0] != '\0')
		snprintf(a->query, sizeof(a->query), "%s", text);
	text = a->query;
	if (a->modal == MODAL_VIEW) {
		a->view.hit = 0;
		if (text[0] == '\0' ||
		    viewer_search(&a->view, text, 1, viewer_rows()) ==
		    VIEW_KEPT)
			app_msg(a, ROLE_WARN, "Not found: %s", text);
		return UI_REDRAW;
	}
	if (s->step != 0)
		return stepv_search(a, s->step, 0);
	return UI_REDRAW;
}

static int
edit_key(struct app *a, int ch)
{
	int r = UI_REDRAW;
	enum edit_purpose purpose = a->ed_purpose;

	switch (editor_key(&a->ed, ch)) {
	case ED_GOING:
		return UI_REDRAW;
	case ED_COMMIT:
		a->modal = purpose == EDIT_SEARCH ? a->ed_return : MODAL_NONE;
		if (purpose == EDIT_SAVE_PATH)
			r = app_block_save(a, a->ed.buf);
		else if (purpose == EDIT_SEARCH)
			r = search_done(a, a->ed.buf);
		else if (purpose == EDIT_CHAIN_PATH)
			r = scr_cert_chain_save(a, a->ed.buf);
		else if (a->ed_field != NULL)
			r = app_field_commit(a, a->ed_field, a->ed.buf);
		break;
	case ED_ABORT:
		a->modal = purpose == EDIT_SEARCH ? a->ed_return : MODAL_NONE;
		break;
	}
	/* The buffer may have held a password. */
	explicit_bzero(a->ed.buf, sizeof(a->ed.buf));
	a->ed.len = a->ed.cur = 0;
	return r;
}

/* A key for the open viewer; -1: it closed and the key acts as usual. */
static int
view_key(struct app *a, enum action act, int ch)
{
	const struct textbuf *shown = a->view.tb;

	switch (viewer_key(&a->view, act, ch, viewer_rows())) {
	case VIEW_CLOSE:
		a->modal = MODAL_NONE;
		return UI_REDRAW;
	case VIEW_SEARCH:
		return tui_search_ask(a, "this view");
	case VIEW_NOMATCH:
		app_msg(a, ROLE_WARN, a->view.query[0] ? "No more matches of "
		    "\"%s\"" : "Nothing to find yet: / searches",
		    a->view.query);
		return UI_REDRAW;
	case VIEW_PASS:
		a->modal = MODAL_NONE;
		/* The viewer's own key toggles it: t closes the transcript. */
		if ((act == ACT_TRANSCRIPT && shown == &a->transcript) ||
		    (act == ACT_HELP && shown == &a->help))
			return UI_REDRAW;
		return -1;
	default:
		return UI_REDRAW;
	}
}

/*
 * A bracketed paste is text, never commands: on a screen it opens the
 * decoder with it, in the line editor it is typed in (its line ends
 * dropped: they would commit half of it), and it never answers a
 * yes/no question.  -1: not a paste matter, dispatch as usual.
 */
static int
paste_key(struct app *a, int ch)
{
	if (ch == KEY_PASTE_BEGIN)
		a->pasting = 1;
	else if (ch == KEY_PASTE_END)
		a->pasting = 0;
	else if (!a->pasting)
		return -1;
	if (a->modal == MODAL_CONFIRM)
		return UI_NONE;
	if (a->modal == MODAL_EDIT)
		return ch == '\r' || ch == '\n' || ch >= KEY_MIN ? UI_NONE :
		    edit_key(a, ch);
	if (a->modal != MODAL_EXPLAIN) {
		if (ch != KEY_PASTE_BEGIN)
			return UI_NONE;	/* its end, or lost: nothing to do */
		dlg_explain_open(a);
	}
	return dlg_explain_key(a, ch);
}

static int
dispatch_key(struct app *a, int ch)
{
	const struct screen *s = screens[a->cur];
	enum action act = keys_action(ch);
	int r;

	if (too_small()) {
		if (ch == KEY_PASTE_BEGIN || ch == KEY_PASTE_END)
			a->pasting = ch == KEY_PASTE_BEGIN;
		return act == ACT_QUIT && !a->pasting ? UI_QUIT : UI_NONE;
	}
	if ((r = paste_key(a, ch)) >= 0)
		return r;
	if (a->modal == MODAL_EDIT)
		return edit_key(a, ch);
	if (a->modal == MODAL_CONFIRM)
		return confirm_key(a, ch);
	if (a->modal == MODAL_EXPLAIN)
		return dlg_explain_key(a, ch);
	if (a->modal == MODAL_VIEW && (r = view_key(a, act, ch)) >= 0)
		return r;
	a->msg[0] = '\0';
	r = screen_key(a, s, act, ch);
	if (r & UI_PASS)
		r = (r & ~UI_PASS) | global_key(a, act, ch);
	return r;
}

/*
 * A setting changed on a step screen: probe again if this step reads
 * it (its fingerprint moved), unless a probe with the new settings is
 * already on its way.
 */
static int
reprobe_needed(const struct app *a, unsigned gen)
{
	enum step s = screens[a->cur]->step;
	const struct step_state *st = &a->st[s];
	uint64_t sig;

	if (a->gen == gen || a->modal != MODAL_NONE || s == 0)
		return 0;
	sig = app_sig(a, s);
	if (st->job != 0 && !st->cancelling)
		return st->job_sig != sig;
	return !st->queued && (st->res == NULL || st->res_sig != sig);
}

/*
 * The settings changed (a key, an undo, a fix kept after its trial):
 * a step screen probes again when its step reads what changed; the
 * result screen probes what went stale, then verifies the new block.
 */
static int
settings_moved(struct app *a, unsigned gen)
{
	if (screens[a->cur] == &scr_result && a->gen != gen &&
	    a->modal == MODAL_NONE) {
		app_probe_stale(a);
		scr_result_rebuild(a);
		return UI_REDRAW;
	}
	return reprobe_needed(a, gen) ? UI_PROBE : UI_NONE;
}

/* Every key waiting; returns 1 to quit. */
static int
keys_in(struct app *a)
{
	unsigned gen;
	int ch, r;

	while ((ch = getch()) != ERR) {
		gen = a->gen;
		r = dispatch_key(a, ch);
		r |= settings_moved(a, gen);
		if (react(a, r))
			return 1;
		confirm_next(a);	/* a question that waited for a dialog */
		a->dirty = 1;
	}
	return 0;
}

static void
events_in(struct app *a)
{
	struct engine_event *list = engine_take(a->eng), *ev;
	unsigned gen = a->gen;
	size_t i;

	for (ev = list; ev != NULL; ev = ev->next) {
		app_event(a, ev);
		if (ev->kind != EV_DONE)
			continue;
		/* Its step's screen, and a step-less one that is showing. */
		for (i = 0; i < NSCREENS; i++)
			if ((ev->step != ENGINE_VERIFY &&
			    screens[i]->step == ev->step) ||
			    (screens[i]->step == 0 && i == a->cur))
				screen_event(a, screens[i], ev);
	}
	engine_events_free(list);
	(void)react(a, settings_moved(a, gen));	/* a fix kept after its trial */
	app_kick(a);
	a->dirty = 1;
}

static void
resize(struct app *a)
{
	struct winsize ws;

	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 &&
	    ws.ws_col > 0)
		resizeterm(ws.ws_row, ws.ws_col);
	clearok(curscr, TRUE);	/* repaint all: the old picture is gone */
	a->dirty = 1;
}

/*
 * Back from a stop (our ^Z, or a SIGSTOP someone sent): the shell may
 * have changed the terminal modes meanwhile, so set ours again, turn
 * bracketed paste back on and repaint everything.
 */
static void
resume(struct app *a)
{
	reset_prog_mode();
	if (paste_mode)
		app_term_out(a, "\033[?2004h");
	clearok(curscr, TRUE);
	a->dirty = 1;
}

/* ^Z: give the terminal back, stop, and come back drawn. */
static void
suspend(struct app *a)
{
	struct sigaction sa, old;

	if (paste_mode)
		(void)!write(STDOUT_FILENO, "\033[?2004l", 8);
	endwin();
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTSTP, &sa, &old);
	raise(SIGTSTP);			/* stopped here until SIGCONT */
	sigaction(SIGTSTP, &old, NULL);
	resume(a);
}

/* Returns the exit status to leave with, or -1 to go on. */
static int
signals_in(struct app *a)
{
	unsigned char b[16];
	ssize_t n, i;
	int status = -1;

	while ((n = read(sig_pipe[0], b, sizeof(b))) > 0)
		for (i = 0; i < n; i++) {
			if (b[i] == SIGWINCH)
				resize(a);
			else if (b[i] == SIGTSTP)
				suspend(a);
			else if (b[i] == SIGCONT)
				resume(a);
			else
				status = 128 + b[i];
		}
	return status;
}

/* ------------------------------------------------------------------ */
/* The loop                                                            */

/*
 * One poll() for everything.  While a probe runs it wakes every 100 ms
 * for the spinner; idle, it sleeps until a key, an event or a signal.
 * Returns the exit status: 0 after q, 128+N after signal N.
 */
static int
run(struct app *a)
{
	struct pollfd pfd[3];
	int n, status = -1;

	a->dirty = 1;
	for (;;) {
		if (a->dirty) {
			draw_all(a);
			a->dirty = 0;
		}
		pfd[0] = (struct pollfd){ .fd = STDIN_FILENO,
		    .events = POLLIN };
		pfd[1] = (struct pollfd){ .fd = engine_notify_fd(a->eng),
		    .events = POLLIN };
		pfd[2] = (struct pollfd){ .fd = sig_pipe[0], .events = POLLIN };
		n = poll(pfd, 3, app_any_busy(a) ? 100 : -1);
		if (n < 0 && errno != EINTR)
			return EXIT_FAIL;
		if (pfd[2].revents & POLLIN &&
		    (status = signals_in(a)) >= 0)
			return status;
		if (pfd[1].revents & POLLIN)
			events_in(a);
		if (pfd[0].revents & POLLIN && keys_in(a))
			return 0;
		/* The terminal went away (SSH dropped): leave like SIGHUP. */
		if (pfd[0].revents & (POLLHUP | POLLERR | POLLNVAL) &&
		    !(pfd[0].revents & POLLIN))
			return 128 + SIGHUP;
		if (app_any_busy(a)) {
			a->tick = (unsigned)(net_now_ms() / 100);
			a->dirty = 1;
		}
	}
}

/* ------------------------------------------------------------------ */
/* Start-up and shut-down                                              */

int
tui_main(const struct tui_args *args)
{
	struct app *a;
	char *block = NULL;
	int status;

	setlocale(LC_ALL, "");
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr, "smtpwiz: the wizard needs a terminal; "
		    "scripts use `smtpwiz check` (see smtpwiz --help)\n");
		return EXIT_USAGE;
	}
	if ((a = app_new(args)) == NULL || a->eng == NULL) {
		app_free(a);
		return EXIT_FAIL;
	}
	if (app_args(a, args) < 0) {
		app_free(a);
		return EXIT_USAGE;
	}
	scr_start_init(a);
	if (signals_install() < 0 || terminal_open(a, args) < 0) {
		app_free(a);
		return EXIT_FAIL;
	}
	/*
	 * A target on the command line: step 1 at once (mtr, ncdu).  Not
	 * the demo of `make run`: its Start screen says what it planted.
	 */
	if (args->target != NULL && args->demo_port <= 0) {
		a->goto_screen = 1;
		(void)react(a, UI_GOTO);
	}
	status = run(a);
	/*
	 * q: the steps' verdicts, the verification and the block, into the
	 * scroll-back; the exit status is check's (0 only when verified).
	 */
	if (status == 0 && (block = app_verify_quit_text(a, &status)) == NULL)
		status = EXIT_FAIL;
	/*
	 * The terminal first: the worker never draws, and waiting for it
	 * (a resolver no cancel reaches) must not keep the screen taken.
	 */
	terminal_close();
	if (block != NULL) {
		fputs(block, stdout);
		fflush(stdout);
		explicit_bzero(block, strlen(block));
		free(block);
	}
	engine_close(a->eng, 1000);
	a->eng = NULL;
	app_free(a);
	return status;
}
