/*
 * Applying a finding's fix, and taking it back.  Every applied fix
 * pushes the settings from before it on a stack, so u undoes the last
 * one, and u again the one before.  A fix that changes where Java
 * connects (host, port, connection type) is a claim about the network,
 * not a value to copy: it goes onto a copy of the settings, step 1
 * probes that copy, and the copy becomes the settings only when the
 * probe reached an SMTP server: a fix never invents a fact.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"

static const char *
short_key(const char *k)
{
	return strncmp(k, "mail.smtp.", 10) == 0 ? k + 10 : k;
}

/* The keys that decide where and how Java connects. */
int
app_moves_target(const char *key)
{
	static const char *const keys[] = {
		"mail.smtp.host", "mail.smtp.port", "mail.smtp.ssl.enable",
		"mail.smtp.starttls.enable", "mail.smtps.host",
		"mail.smtps.port",
	};
	size_t i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (strcmp(key, keys[i]) == 0)
			return 1;
	return 0;
}

/* Does going from one to the other change the target or the mode? */
static int
target_moved(const struct settings *from, const struct settings *to)
{
	static const char *const keys[] = { "mail.smtp.host",
	    "mail.smtp.port" };
	const char *x, *y;
	size_t i;

	for (i = 0; i < 2; i++) {
		x = settings_effective(from, keys[i]);
		y = settings_effective(to, keys[i]);
		if ((x == NULL) != (y == NULL) || (x && strcmp(x, y) != 0))
			return 1;
	}
	return settings_mode(from) != settings_mode(to);
}

/* "port=587 starttls.enable removed": what going from -> to changes. */
static void
diff_text(const struct settings *from, const struct settings *to,
    char *buf, size_t cap)
{
	size_t i, len = 0;
	const char *k, *v, *old;

	buf[0] = '\0';
	for (i = 0; i < props_count(to->p) && len < cap; i++) {
		k = props_key(to->p, i);
		v = props_value(to->p, i);
		old = settings_get(from, k);
		if (old != NULL && strcmp(old, v) == 0)
			continue;
		len += (size_t)snprintf(buf + len, cap - len, "%s%s=%s",
		    len ? ", " : "", short_key(k), settings_is_secret(k) ?
		    "(not shown)" : v);
		if (old != NULL && !settings_is_secret(k) && len < cap)
			len += (size_t)snprintf(buf + len, cap - len,
			    " (was %s)", old);
	}
	for (i = 0; i < props_count(from->p) && len < cap; i++) {
		k = props_key(from->p, i);
		if (settings_get(to, k) == NULL)
			len += (size_t)snprintf(buf + len, cap - len,
			    "%s%s removed", len ? ", " : "", short_key(k));
	}
	if (buf[0] == '\0')
		snprintf(buf, cap, "no setting differs");
}

/* Takes snap (moved in: the caller forgets it) as the newest entry. */
static void
undo_add(struct app *a, struct settings *snap, const char *what)
{
	if (a->nundo == UNDO_MAX) {	/* the oldest falls off */
		settings_free(&a->undo[0].set);
		memmove(&a->undo[0], &a->undo[1],
		    (UNDO_MAX - 1) * sizeof(a->undo[0]));
		a->nundo--;
	}
	a->undo[a->nundo].set = *snap;
	snprintf(a->undo[a->nundo].what, sizeof(a->undo[0].what), "%s",
	    what);
	a->nundo++;
	memset(snap, 0, sizeof(*snap));
}

int
app_undo_push(struct app *a, const char *what)
{
	struct settings copy;
	struct sw_error e = { 0 };

	if (settings_copy(&copy, &a->set, &e) != SW_OK)
		return -1;
	undo_add(a, &copy, what);
	return 0;
}

/* The newest entry goes: the change it was for did not happen. */
void
app_undo_drop(struct app *a)
{
	if (a->nundo > 0)
		settings_free(&a->undo[--a->nundo].set);
}

/* The settings become next (moved in); the old ones go on the stack. */
static void
settings_replace(struct app *a, struct settings *next, const char *what)
{
	undo_add(a, &a->set, what);
	a->set = *next;
	memset(next, 0, sizeof(*next));
	app_changed(a);
}

int
app_undo(struct app *a)
{
	struct undo *u;
	char diff[300];

	if (a->trial.active) {
		app_msg(a, ROLE_INFO, "Still trying %s: wait for its probe, or "
		    "%s cancels it", a->trial.what, keys_name(ACT_CANCEL));
		return UI_REDRAW;
	}
	if (a->nundo == 0) {
		app_msg(a, ROLE_INFO, "Nothing to undo: no applied fix is "
		    "left");
		return UI_REDRAW;
	}
	u = &a->undo[--a->nundo];
	diff_text(&a->set, &u->set, diff, sizeof(diff));
	settings_free(&a->set);
	a->set = u->set;
	memset(&u->set, 0, sizeof(u->set));
	app_changed(a);
	app_msg(a, ROLE_INFO, "Undid %s: %s%s", u->what, diff, a->nundo ?
	    "  (u again: the fix before it)" : "");
	return UI_REDRAW | UI_PROBE;
}

/* f's suggestions onto set; done says what they set. */
static enum sw_err
fix_onto(struct settings *set, const struct finding *f, char *done,
    size_t cap, struct sw_error *e)
{
	size_t i, len = 0;

	done[0] = '\0';
	for (i = 0; i < f->nsuggest; i++) {
		const struct suggestion *s = &f->suggest[i];

		sw_error_clear(e);
		if (settings_set(set, s->key, s->value[0] ? s->value : NULL,
		    e) != SW_OK)
			return e->code;
		if (len < cap)
			len += (size_t)snprintf(done + len, cap - len,
			    "%s%s=%s", i ? " " : "", short_key(s->key),
			    s->value);
	}
	return SW_OK;
}

static void
trial_end(struct app *a)
{
	settings_free(&a->trial.set);
	memset(&a->trial, 0, sizeof(a->trial));
}

/* next (moved in) waits for the engine; the step probe running stops. */
static int
trial_begin(struct app *a, const struct finding *f, struct settings *next)
{
	struct settings_target t;

	settings_target(next, &t);
	if (a->trial.active) {
		settings_free(next);
		app_msg(a, ROLE_WARN, "Still trying %s: wait for its probe, or "
		    "%s cancels it", a->trial.what, keys_name(ACT_CANCEL));
		return UI_REDRAW;
	}
	app_cancel_all(a);
	a->trial.active = a->trial.queued = 1;
	a->trial.set = *next;
	memset(next, 0, sizeof(*next));
	snprintf(a->trial.what, sizeof(a->trial.what), "%s", f->id);
	snprintf(a->trial.target, sizeof(a->trial.target), "%s:%u", t.host,
	    t.port);
	app_msg(a, ROLE_INFO, "Trying %s first: step 1 probes %s (%s) before "
	    "the settings change", f->id, a->trial.target,
	    smtp_mode_name(t.mode));
	app_kick(a);
	return UI_REDRAW;
}

/*
 * Applies a finding's suggestions: at once (the caller re-probes), or
 * after a trial when they move the target.
 */
int
app_apply(struct app *a, const struct finding *f)
{
	struct settings next;
	struct sw_error e = { 0 };
	char done[300];

	if (settings_copy(&next, &a->set, &e) != SW_OK) {
		app_msg(a, ROLE_FAIL, "%s", sw_error_text(&e));
		return UI_REDRAW;
	}
	if (fix_onto(&next, f, done, sizeof(done), &e) != SW_OK) {
		settings_free(&next);
		app_msg(a, ROLE_FAIL, "%s: not applied: %s", f->id,
		    sw_error_text(&e));
		return UI_REDRAW;
	}
	if (target_moved(&a->set, &next))
		return trial_begin(a, f, &next);
	settings_replace(a, &next, f->id);
	app_msg(a, ROLE_PASS, "Applied %s (%s undoes it): %s", f->id,
	    keys_name(ACT_UNDO), done);
	return UI_REDRAW | UI_PROBE;
}

void
app_trial_kick(struct app *a)
{
	struct engine_opts o;
	struct sw_error e = { 0 };

	memset(&o, 0, sizeof(o));
	app_fill_opts(a, STEP_CONN, &o);
	a->trial.queued = 0;
	if (engine_start(a->eng, STEP_CONN, &a->trial.set, &o,
	    &a->trial.job, &e) != SW_OK) {
		app_msg(a, ROLE_FAIL, "%s: not applied: its probe could not "
		    "start: %s", a->trial.what, sw_error_text(&e));
		trial_end(a);
	} else
		tb_addf(&a->transcript, "==== trying %s: step 1 on %s ====",
		    a->trial.what, a->trial.target);
	explicit_bzero(&o, sizeof(o));
}

/* Why the trial's probe does not count as reaching a server. */
static const char *
trial_why(const struct step_result *r)
{
	size_t i;

	for (i = 0; i < r->nfindings; i++)
		if (r->findings[i].sev == SEV_FAIL)
			return r->findings[i].id;
	return "no 220 greeting";
}

static void
trial_done(struct app *a, struct engine_event *ev)
{
	const struct step_result *r = ev->res;
	char diff[300];

	if (ev->rc == SW_ECANCEL)
		app_msg(a, ROLE_INFO, "%s: not applied (its probe was "
		    "cancelled); the settings stay as they were",
		    a->trial.what);
	else if (ev->rc != SW_OK || r == NULL)
		app_msg(a, ROLE_FAIL, "%s: not applied: its probe could not "
		    "run: %s", a->trial.what, sw_error_text(&ev->err));
	else if (r->d.conn.greeting_code != 220)
		app_msg(a, ROLE_FAIL, "%s: NOT applied: with it, %s does not "
		    "answer as an SMTP server (%s); the settings stay as they "
		    "were", a->trial.what, a->trial.target, trial_why(r));
	else {
		diff_text(&a->set, &a->trial.set, diff, sizeof(diff));
		settings_replace(a, &a->trial.set, a->trial.what);
		/* The trial was step 1 on exactly these settings. */
		step_state_result(&a->st[STEP_CONN], ev,
		    app_sig(a, STEP_CONN));
		app_msg(a, ROLE_PASS, "Applied %s (%s undoes it): %s answers "
		    "with it; %s", a->trial.what, keys_name(ACT_UNDO),
		    a->trial.target, diff);
	}
	trial_end(a);
}

int
app_trial_event(struct app *a, struct engine_event *ev)
{
	if (!a->trial.active || a->trial.job == 0 || ev->job != a->trial.job)
		return 0;
	if (ev->kind == EV_TRANSCRIPT)
		tb_add(&a->transcript, ev->text);
	else if (ev->kind == EV_DONE)
		trial_done(a, ev);
	return 1;
}

void
app_fix_free(struct app *a)
{
	while (a->nundo > 0)
		app_undo_drop(a);
	trial_end(a);
}
