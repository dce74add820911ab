/*
 * The wizard's model operations: changing settings (with the settings
 * model's own checks and messages), starting and cancelling probes,
 * taking the engine's events, opening the editor and the viewers.
 * Screens call these from key() and event(); nothing here draws.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assets.h"
#include "screen.h"

void
app_msg(struct app *a, enum theme_role role, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(a->msg, sizeof(a->msg), fmt, ap);
	va_end(ap);
	a->msg_role = role;
}

void
app_changed(struct app *a)
{
	a->gen++;
}

/* Sets or (value NULL) removes key, saying what happened. */
int
app_set(struct app *a, const char *key, const char *value)
{
	struct sw_error e = { 0 };

	if (settings_set(&a->set, key, value, &e) != SW_OK) {
		app_msg(a, ROLE_FAIL, "%s", sw_error_text(&e));
		return UI_REDRAW;
	}
	app_changed(a);
	if (e.code != SW_OK)
		app_msg(a, ROLE_WARN, "%s", sw_error_text(&e));
	else if (value == NULL)
		app_msg(a, ROLE_INFO, "%s removed", key);
	else if (settings_is_secret(key))
		app_msg(a, ROLE_INFO, "%s set (not shown)", key);
	else
		app_msg(a, ROLE_INFO, "%s=%s", key, value);
	return UI_REDRAW;
}

/* The three keys that select a connection type, set together. */
int
app_set_mode(struct app *a, enum smtp_mode m)
{
	struct sw_error e = { 0 };
	int st = m == MODE_STARTTLS;

	if (settings_set(&a->set, "mail.smtp.ssl.enable",
	    m == MODE_SSL ? "true" : "false", &e) > SW_OK ||
	    settings_set(&a->set, "mail.smtp.starttls.enable",
	    st ? "true" : "false", &e) > SW_OK ||
	    settings_set(&a->set, "mail.smtp.starttls.required",
	    st ? "true" : "false", &e) > SW_OK)
		app_msg(a, ROLE_FAIL, "%s", sw_error_text(&e));
	else
		app_msg(a, ROLE_INFO, "connection type: %s",
		    smtp_mode_name(m));
	app_changed(a);
	return UI_REDRAW;
}

/* Applies a finding's suggestions; the caller re-probes. */
int
app_apply(struct app *a, const struct finding *f)
{
	struct sw_error e;
	char done[300];
	size_t i, len = 0;

	done[0] = '\0';
	for (i = 0; i < f->nsuggest; i++) {
		const struct suggestion *s = &f->suggest[i];

		sw_error_clear(&e);
		if (settings_set(&a->set, s->key, s->value[0] ? s->value :
		    NULL, &e) != SW_OK) {
			app_changed(a);
			app_msg(a, ROLE_FAIL, "%s", sw_error_text(&e));
			return UI_REDRAW;
		}
		if (len < sizeof(done))
			len += (size_t)snprintf(done + len, sizeof(done) - len,
			    "%s%s=%s", i ? " " : "", s->key + (strncmp(s->key,
			    "mail.smtp.", 10) == 0 ? 10 : 0), s->value);
	}
	app_changed(a);
	app_msg(a, ROLE_PASS, "Applied %s: %s", f->id, done);
	return UI_REDRAW | UI_PROBE;
}

static void
count_issue(void *arg, enum settings_level level, const char *key,
    const char *msg)
{
	int *n = arg;

	(void)key;
	(void)msg;
	n[level == SETTINGS_ERROR]++;
}

int
app_load(struct app *a, const char *path)
{
	struct sw_error e = { 0 };
	int issues[2] = { 0, 0 };

	if (settings_load(&a->set, path, &e) != SW_OK) {
		app_msg(a, ROLE_FAIL, "%s", sw_error_text(&e));
		return UI_REDRAW;
	}
	snprintf(a->load_path, sizeof(a->load_path), "%s", path);
	app_changed(a);
	settings_validate(&a->set, count_issue, issues);
	if (issues[0] + issues[1] > 0)
		app_msg(a, issues[1] ? ROLE_FAIL : ROLE_WARN, "Loaded %s: %d "
		    "problem(s) in the file; the steps show what they do",
		    path, issues[0] + issues[1]);
	else
		app_msg(a, ROLE_PASS, "Loaded %s", path);
	return UI_REDRAW;
}

int
app_edit(struct app *a, enum edit_purpose purpose, const struct field *f,
    const char *title, const char *initial, int secret)
{
	editor_open(&a->ed, title, initial, secret);
	a->ed_purpose = purpose;
	a->ed_field = f;
	a->modal = MODAL_EDIT;
	return UI_REDRAW;
}

int
app_view(struct app *a, struct textbuf *tb, const char *title, int follow)
{
	memset(&a->view, 0, sizeof(a->view));
	a->view.tb = tb;
	snprintf(a->view.title, sizeof(a->view.title), "%s", title);
	a->view.follow = follow;
	a->modal = MODAL_VIEW;
	return UI_REDRAW;
}

/* The keys part of every help page, from the key table. */
static void
help_keys(struct textbuf *tb)
{
	static const enum action order[] = {
		ACT_ENTER, ACT_TOGGLE, ACT_UP, ACT_DOWN, ACT_NEXT, ACT_BACK,
		ACT_PROBE, ACT_CANCEL, ACT_APPLY, ACT_DATA, ACT_SAVE, ACT_COPY,
		ACT_HELP, ACT_TRANSCRIPT, ACT_QUIT,
	};
	char keys[96];
	size_t i;

	tb_add(tb, "");
	tb_add(tb, "Keys");
	for (i = 0; i < sizeof(order) / sizeof(order[0]); i++)
		tb_addf(tb, "  %-24s %s", keys_all_names(order[i], keys,
		    sizeof(keys)), keys_label(order[i]));
}

/* The help text from assets/help/ (src/assets.h finds the directory). */
int
app_help(struct app *a, const struct screen *s)
{
	struct sw_error e = { 0 };
	char title[96], *text = NULL;
	size_t len;

	tb_clear(&a->help);
	if (s->help != NULL && assets_read(s->help, &text, &len, &e) == SW_OK)
		tb_add_text(&a->help, text);
	else if (s->help != NULL)
		tb_add_text(&a->help, sw_error_text(&e));
	free(text);
	help_keys(&a->help);
	snprintf(title, sizeof(title), "Help: %s", s->step ?
	    step_title(s->step) : s->name);
	return app_view(a, &a->help, title, 0);
}

/*
 * Earlier results a step may build on (step 1's detected mode, step 3's
 * versions).  They count only while they describe the same target: the
 * engine takes the port from step 1 and the host from the settings.
 */
static void
prev_results(const struct app *a, enum step s, struct engine_opts *o)
{
	const struct step_result *s1 = a->st[STEP_CONNECTION].res;
	const char *host = settings_get(&a->set, "mail.smtp.host");
	const char *port = settings_effective(&a->set, "mail.smtp.port");
	int i;

	if (s1 == NULL || host == NULL || port == NULL ||
	    strcmp(s1->d.conn.host, host) != 0 ||
	    s1->d.conn.port != (unsigned)strtoul(port, NULL, 10))
		return;
	for (i = 1; i < (int)s; i++)
		o->prev[i - 1] = a->st[i].res;
}

static void
start_job(struct app *a, enum step s)
{
	struct step_state *st = &a->st[s];
	struct engine_opts o = { .discover = a->discover };
	struct sw_error e = { 0 };

	snprintf(o.java, sizeof(o.java), "%s", a->java);
	prev_results(a, s, &o);

	st->queued = 0;
	st->moved = 0;
	st->error[0] = '\0';
	if (engine_start(a->eng, s, &a->set, &o, &st->job, &e) != SW_OK) {
		snprintf(st->error, sizeof(st->error), "%s",
		    sw_error_text(&e));
		return;
	}
	st->job_gen = a->gen;
	st->started_ms = net_now_ms();
	snprintf(st->progress, sizeof(st->progress), "starting");
	tb_addf(&a->transcript, "==== step %d: %s ====", s, step_title(s));
}

/*
 * The newest request wins: a running probe is cancelled and this one
 * waits for its EV_DONE (joining on the UI thread could block behind a
 * getaddrinfo() that cannot be interrupted).
 */
void
app_probe(struct app *a, enum step s)
{
	int i;

	for (i = 1; i <= STEP_COUNT; i++)
		a->st[i].queued = 0;
	if (engine_busy(a->eng)) {
		engine_cancel(a->eng);
		a->st[s].queued = 1;
		return;
	}
	start_job(a, s);
}

void
app_cancel(struct app *a, enum step s)
{
	struct step_state *st = &a->st[s];

	if (st->queued) {
		st->queued = 0;
		app_msg(a, ROLE_INFO, "Probe cancelled");
	}
	if (st->job != 0) {
		engine_cancel(a->eng);
		app_msg(a, ROLE_INFO, "Cancelling the probe...");
	}
}

int
app_step_busy(const struct app *a, enum step s)
{
	return a->st[s].job != 0 || a->st[s].queued;
}

int
app_stale(const struct app *a, enum step s)
{
	return a->st[s].res != NULL && a->st[s].res_gen != a->gen;
}

/* A finished job: its result replaces the step's, unless it failed. */
static void
job_done(struct app *a, struct engine_event *ev)
{
	struct step_state *st = &a->st[ev->step];

	st->job = 0;
	st->progress[0] = '\0';
	if (ev->rc == SW_OK) {
		free(st->res);
		st->res = ev->res;
		ev->res = NULL;
		st->res_gen = st->job_gen;
		st->nresults++;
		st->elapsed_ms = ev->elapsed_ms;
		st->finished_at = time(NULL);
	} else if (ev->rc == SW_ECANCEL)
		snprintf(st->error, sizeof(st->error), "Cancelled after %.1f s",
		    (double)ev->elapsed_ms / 1000);
	else
		snprintf(st->error, sizeof(st->error), "The probe could not "
		    "run: %s", sw_error_text(&ev->err));
}

void
app_event(struct app *a, struct engine_event *ev)
{
	struct step_state *st;

	if (ev->step < 1 || ev->step > STEP_COUNT) {
		if (ev->text != NULL)
			tb_add(&a->transcript, ev->text);
		return;
	}
	st = &a->st[ev->step];
	switch (ev->kind) {
	case EV_TRANSCRIPT:
		tb_add(&a->transcript, ev->text);
		break;
	case EV_PROGRESS:
		if (ev->job == st->job)
			snprintf(st->progress, sizeof(st->progress), "%s",
			    ev->text);
		break;
	case EV_DONE:
		if (ev->job == st->job)
			job_done(a, ev);
		break;
	}
}

/* Starts the probe that waited for the engine, if any. */
void
app_kick(struct app *a)
{
	int i;

	if (engine_busy(a->eng))
		return;
	for (i = 1; i <= STEP_COUNT; i++)
		if (a->st[i].queued) {
			start_job(a, i);
			return;
		}
}
