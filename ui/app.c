/*
 * The wizard's model operations: changing settings (with the settings
 * model's own checks and messages), starting and cancelling probes,
 * taking the engine's events, opening the editor and the viewers.
 * Screens call these from key() and event(); nothing here draws.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assets.h"
#include "screen.h"
#include "secret.h"

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

const char *
app_password(const struct app *a)
{
	return secret_held(&a->pass) ? a->pass.buf : NULL;
}

/*
 * The password lives in a->pass alone: the settings would keep a
 * second copy, in memory that is neither locked nor left out of a
 * core file, and hand it to every copy of the settings made.
 */
int
app_take_password(struct app *a)
{
	const char *v = settings_get(&a->set, "mail.smtp.password");
	struct sw_error e = { 0 };
	int rc = 0;

	if (v == NULL)
		return 0;
	if (secret_set(&a->pass, v, &e) != SW_OK) {
		app_msg(a, ROLE_FAIL, "%s", sw_error_text(&e));
		rc = -1;
	}
	settings_unset(&a->set, "mail.smtp.password");	/* wipes it */
	return rc;
}

/* A secret typed (NULL: removed) into s, the old one wiped. */
static int
app_set_secret(struct app *a, struct secret *s, const char *name,
    const char *value)
{
	struct sw_error e = { 0 };

	if (value == NULL)
		secret_clear(s);
	else if (secret_set(s, value, &e) != SW_OK) {
		app_msg(a, ROLE_FAIL, "%s", sw_error_text(&e));
		return UI_REDRAW;
	}
	app_changed(a);
	app_msg(a, ROLE_INFO, value ? "%s set (not shown)" : "%s removed",
	    name);
	return UI_REDRAW;
}

/* Sets or (value NULL) removes key, saying what happened. */
int
app_set(struct app *a, const char *key, const char *value)
{
	struct sw_error e = { 0 };

	if (strcmp(key, "mail.smtp.password") == 0) {
		settings_unset(&a->set, key);
		return app_set_secret(a, &a->pass, key, value);
	}
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
	if (app_take_password(a) < 0)
		return UI_REDRAW;
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

/*
 * A field's reaction applied: the settings, an option, a file loaded
 * or the editor opened (field_react.c decided which).
 */
int
app_field_apply(struct app *a, const struct field *f,
    struct field_reaction r)
{
	char title[96];
	const char *v;

	switch (r.kind) {
	case FR_NONE:
		return UI_REDRAW;
	case FR_SET:
		return app_set(a, r.key, r.value);
	case FR_MODE:
		return app_set_mode(a, r.mode);
	case FR_OPT:
		return app_set_opt(a, r.opt, r.value);
	case FR_LOAD:
		return app_load(a, r.value);
	case FR_JAVA:
		return app_java_cycle(a);
	case FR_DISCOVER:
		a->discover = !a->discover;
		app_changed(a);
		return UI_REDRAW;
	case FR_ACTION:
		return f->action(a);
	case FR_EDIT:
		break;
	}
	if (f->key != NULL)
		snprintf(title, sizeof(title), "%s =", f->key);
	else
		snprintf(title, sizeof(title), "%s:", f->label);
	if (f->kind == FK_LOAD)
		v = a->load_path;
	else if (f->kind == FK_OPTION)
		v = app_opt(a, f->opt);
	else if (r.secret)
		v = "";
	else
		v = settings_get(&a->set, f->key);
	return app_edit(a, EDIT_FIELD, f, title, v, r.secret);
}

int
app_field_activate(struct app *a, const struct field *f)
{
	return app_field_apply(a, f, field_react_activate(f, &a->set));
}

int
app_field_commit(struct app *a, const struct field *f, const char *text)
{
	return app_field_apply(a, f, field_react_commit(f, text));
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
		ACT_ENTER, ACT_TOGGLE, ACT_UP, ACT_DOWN, ACT_HOME, ACT_END,
		ACT_NEXT, ACT_BACK, ACT_STEP, ACT_START, ACT_RESULT, ACT_ESC,
		ACT_PROBE, ACT_CANCEL, ACT_APPLY, ACT_UNDO, ACT_DATA, ACT_SAVE,
		ACT_COPY, ACT_SEARCH, ACT_FORMAT, ACT_PASSWORD, ACT_JAVA,
		ACT_EXPLAIN,
		ACT_HELP, ACT_TRANSCRIPT, ACT_QUIT,
	};
	char keys[96];
	size_t i;

	tb_add(tb, "");
	tb_add(tb, "Keys");
	for (i = 0; i < sizeof(order) / sizeof(order[0]); i++)
		tb_addf(tb, "  %-24s %s", keys_all_names(order[i], keys,
		    sizeof(keys)), keys_label(order[i]));
	tb_add(tb, "  Ctrl-C                   leave at once (the terminal is "
	    "restored)");
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
 * Raw bytes for the terminal (OSC 52, mode 2004).  The loop writes them
 * after the next doupdate(), never in the middle of curses output.
 */
void
app_term_out(struct app *a, const char *bytes)
{
	size_t have = a->term_out ? strlen(a->term_out) : 0;
	char *n = realloc(a->term_out, have + strlen(bytes) + 1);

	if (n == NULL)
		return;
	memcpy(n + have, bytes, strlen(bytes) + 1);
	a->term_out = n;
}

const char *
app_opt(const struct app *a, enum wiz_opt o)
{
	if (o == OPT_STOREPASS)
		return secret_held(&a->storepass) ? a->storepass.buf : NULL;
	if (o == OPT_PROXY_PASS)
		return secret_held(&a->proxypass) ? a->proxypass.buf : NULL;
	return a->opt[o][0] != '\0' ? a->opt[o] : NULL;
}



int
app_set_opt(struct app *a, enum wiz_opt o, const char *value)
{

	if (o == OPT_STOREPASS)
		return app_set_secret(a, &a->storepass, wiz_opt_name(o),
		    value);
	if (o == OPT_PROXY_PASS)
		return app_set_secret(a, &a->proxypass, wiz_opt_name(o),
		    value);
	if (value != NULL && strlen(value) >= sizeof(a->opt[o])) {
		app_msg(a, ROLE_FAIL, "%s: too long (at most %zu bytes)",
		    wiz_opt_name(o), sizeof(a->opt[o]) - 1);
		return UI_REDRAW;
	}
	explicit_bzero(a->opt[o], sizeof(a->opt[o]));
	if (value != NULL)
		snprintf(a->opt[o], sizeof(a->opt[o]), "%s", value);
	app_changed(a);
	if (value == NULL)
		app_msg(a, ROLE_INFO, "%s cleared", wiz_opt_name(o));
	else
		app_msg(a, ROLE_INFO, "%s: %s", wiz_opt_name(o), value);
	return UI_REDRAW;
}

/* "host:port" as the probes will use them. */
void
app_target(const struct app *a, char *buf, size_t cap)
{
	struct settings_target t;

	settings_target(&a->set, &t);
	snprintf(buf, cap, "%s:%u", t.host, t.port);
}

/* Which runtime is judged with, for the fingerprints. */
static const char *
app_runtime_key(const struct app *a, char *buf, size_t cap)
{
	if (a->rt_sel < 0)
		return "";
	snprintf(buf, cap, "%ld:%.200s", (long)a->rts[a->rt_sel].pid,
	    a->rts[a->rt_sel].home);
	return buf;
}

/* What the probes run with now, for the fingerprints (step_sig.h). */
static void
app_inputs(const struct app *a, struct step_inputs *in, char *rt,
    size_t cap)
{
	char target[300];
	int o;

	in->set = &a->set;
	in->java = a->java;
	in->runtime = app_runtime_key(a, rt, cap);
	for (o = 0; o < OPT_COUNT; o++)
		in->opt[o] = app_opt(a, o);
	in->password = app_password(a);
	app_target(a, target, sizeof(target));
	in->plaintext_ok = strcmp(a->plaintext_ok, target) == 0;
	in->discover = a->discover;
}

uint64_t
app_sig(const struct app *a, enum step s)
{
	struct step_inputs in;
	char rt[300];

	app_inputs(a, &in, rt, sizeof(rt));
	return step_sig(&in, s);
}

uint64_t
app_verify_sig(const struct app *a, const struct settings *final)
{
	struct step_inputs in;
	char rt[300];

	app_inputs(a, &in, rt, sizeof(rt));
	return step_sig_verify(&in, final);
}

/*
 * Earlier results a step may build on (step 1's detected mode, step 3's
 * versions).  They count only while they describe the same target: the
 * engine takes the port from step 1 and the host from the settings.
 */
static void
prev_results(const struct app *a, enum step s, struct engine_opts *o)
{
	struct settings_target t;
	int i;

	settings_target(&a->set, &t);
	if (!step1_same_target(a->st[STEP_CONN].res, t.host, t.port))
		return;
	for (i = 1; i < (int)s; i++)
		o->prev[i - 1] = a->st[i].res;
}

/* The run-time options of a job for step s (the verification: 0). */
void
app_fill_opts(const struct app *a, enum step s, struct engine_opts *o)
{
	char target[300];
	int i;

	o->discover = a->discover;
	o->opt.exhaustive = a->args != NULL && a->args->opt.exhaustive;
	o->opt.java = a->java[0] != '\0' ? a->java : NULL;
	o->opt.runtime = a->rt_sel >= 0 ? &a->rts[a->rt_sel] : NULL;
	for (i = 0; i < OPT_COUNT; i++)
		wiz_opt_to(&o->opt, i, app_opt(a, i));
	/* The job copies a secret: only the jobs that read it get it. */
	if (wiz_opt_read_by(OPT_STOREPASS, s) || s == ENGINE_VERIFY)
		o->opt.storepass = app_opt(a, OPT_STOREPASS);
	if (s == STEP_AUTH || s == ENGINE_VERIFY)
		o->opt.password = app_password(a);
	/* Every connection goes through the proxy. */
	o->opt.proxy_password = app_opt(a, OPT_PROXY_PASS);
	if (s == STEP_CERT && a->chain_path[0] != '\0')
		o->opt.save_chain = a->chain_path;
	app_target(a, target, sizeof(target));
	o->opt.allow_plaintext_auth = strcmp(a->plaintext_ok, target) == 0;
	/* The verification reads steps 3-4 to tell whether what this
	 * build cannot offer of Java's offer mattered. */
	if (s >= 1 && s <= STEP_COUNT)
		prev_results(a, s, o);
	else if (s == ENGINE_VERIFY)
		prev_results(a, STEP_COUNT + 1, o);
}

static void
start_job(struct app *a, enum step s)
{
	struct step_state *st = &a->st[s];
	struct engine_opts o;
	struct sw_error e = { 0 };

	memset(&o, 0, sizeof(o));
	app_fill_opts(a, s, &o);
	st->queued = 0;
	st->moved = 0;
	st->cancelling = 0;
	st->hellos = st->answers = 0;
	st->error[0] = '\0';
	if (engine_start(a->eng, s, &a->set, &o, &st->job, &e) != SW_OK)
		snprintf(st->error, sizeof(st->error), "%s",
		    sw_error_text(&e));
	if (st->job == 0)
		return;
	st->job_sig = app_sig(a, s);
	st->started_ms = net_now_ms();
	snprintf(st->progress, sizeof(st->progress), "starting");
	tb_addf(&a->transcript, "==== step %d: %s ====", s, step_title(s));
}

/*
 * The running job, if any (a step, a trial or the verification), is
 * told to stop; its EV_DONE still comes.
 */
static void
cancel_running(struct app *a)
{
	int i;

	for (i = 1; i <= STEP_COUNT; i++)
		if (a->st[i].job != 0)
			a->st[i].cancelling = 1;
	if (a->trial.job != 0)
		a->trial.cancelling = 1;
	if (a->ver.job != 0)
		a->ver.cancelling = 1;
	if (a->jc.job != 0)
		a->jc.cancelling = 1;
	engine_cancel(a->eng);
}

/* c on the result screen, and a trial's turn: stop what runs. */
void
app_cancel_all(struct app *a)
{
	int s;

	for (s = 1; s <= STEP_COUNT; s++)
		a->st[s].queued = 0;
	a->jc.wanted = 0;
	if (a->trial.active && a->trial.job == 0) {
		a->trial.active = a->trial.queued = 0;
		settings_free(&a->trial.set);
		app_msg(a, ROLE_INFO, "%s: not applied (cancelled before its "
		    "probe)", a->trial.what);
	}
	if (engine_busy(a->eng))
		cancel_running(a);
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
		cancel_running(a);
		a->st[s].queued = 1;
		return;
	}
	start_job(a, s);
}

/*
 * Every step whose result is missing or stale, in order, one after the
 * other (a later step builds on the earlier ones).  A probe already
 * running with the current settings is left to finish.
 */
void
app_probe_stale(struct app *a)
{
	int s;

	for (s = 1; s <= STEP_COUNT; s++)
		if (!app_fresh(a, s) && !(a->st[s].job != 0 &&
		    !a->st[s].cancelling && a->st[s].job_sig == app_sig(a, s)))
			a->st[s].queued = 1;
	app_kick(a);
}

void
app_cancel(struct app *a, enum step s)
{
	struct step_state *st = &a->st[s];
	int i, trying = a->trial.job != 0;

	if (a->trial.active) {
		app_cancel_all(a);
		if (trying)
			app_msg(a, ROLE_INFO, "Cancelling the trial of %s...",
			    a->trial.what);
		return;
	}
	if (st->queued) {
		for (i = 1; i <= STEP_COUNT; i++)
			a->st[i].queued = 0;
		app_msg(a, ROLE_INFO, "Probe cancelled");
	}
	if (st->job != 0) {
		cancel_running(a);
		app_msg(a, ROLE_INFO, "Cancelling the probe...");
	}
}

int
app_step_busy(const struct app *a, enum step s)
{
	return a->st[s].job != 0 || a->st[s].queued;
}

/* A result is on its way: queued, or running and not being cancelled. */
int
app_step_pending(const struct app *a, enum step s)
{
	return a->st[s].queued || (a->st[s].job != 0 && !a->st[s].cancelling);
}

int
app_any_busy(const struct app *a)
{
	int s;

	for (s = 1; s <= STEP_COUNT; s++)
		if (app_step_busy(a, s))
			return 1;
	return a->trial.active || a->ver.job != 0 || a->jc.job != 0 ||
	    a->jc.wanted;
}

int
app_stale(const struct app *a, enum step s)
{
	return step_sig_stale(&a->st[s], app_sig(a, s));
}

int
app_fresh(const struct app *a, enum step s)
{
	return step_sig_fresh(&a->st[s], app_sig(a, s));
}

void
app_event(struct app *a, struct engine_event *ev)
{
	if (app_trial_event(a, ev))
		return;
	if (ev->step == ENGINE_VERIFY) {
		app_verify_event(a, ev);
		return;
	}
	if (ev->step == ENGINE_CONFIRM) {
		app_java_event(a, ev);
		return;
	}
	if (ev->step < 1 || ev->step > STEP_COUNT) {
		if (ev->text != NULL)
			tb_add(&a->transcript, ev->text);
		return;
	}
	if (ev->kind == EV_TRANSCRIPT)
		tb_add(&a->transcript, ev->text);
	step_state_event(&a->st[ev->step], ev);
}

/*
 * Starts what waited for the engine: a fix on trial first (the user is
 * waiting for its answer), then the queued steps in order, then the
 * verification once every step is fresh, then the user's Java (v).
 */
void
app_kick(struct app *a)
{
	int i;

	if (engine_busy(a->eng))
		return;
	if (a->trial.queued) {
		app_trial_kick(a);
		return;
	}
	for (i = 1; i <= STEP_COUNT; i++)
		if (a->st[i].queued) {
			start_job(a, i);
			return;
		}
	app_verify_kick(a);
	app_java_kick(a);
}
