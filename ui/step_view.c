/*
 * The shared step screen.  Rows, top to bottom: the step's title and
 * verdict; its settings as fields; a hint on the selected row; the
 * probe's status (spinner and progress while it runs); then one pane
 * that shows either the findings or the data the step collected.
 *
 * One selection runs over the fields and then the findings, so Up and
 * Down reach everything, and when a probe finishes the selection jumps
 * to the finding most worth fixing: "a" applies it at once.
 */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "draw.h"
#include "dlg.h"
#include "report.h"
#include "step_view.h"
#include "w_pane.h"

static int
nfindings(const struct app *a, const struct step_view *v)
{
	const struct step_result *r = a->st[v->step].res;

	return r != NULL ? (int)r->nfindings : 0;
}

/* The fields shown now: the step's own, or those shown() picks. */
static const struct field *
fl(const struct app *a, const struct step_view *v, int *n)
{
	if (v->shown != NULL)
		return v->shown(a, n);
	*n = v->nfields;
	return v->fields;
}

static int
nf(const struct app *a, const struct step_view *v)
{
	int n;

	(void)fl(a, v, &n);
	return n;
}

static const struct finding *
selected_finding(const struct app *a, const struct step_view *v)
{
	int i = a->st[v->step].sel - nf(a, v);

	if (i < 0 || i >= nfindings(a, v))
		return NULL;
	return &a->st[v->step].res->findings[i];
}

/* 1 when every setting the finding suggests is already so. */
static int
fix_in_effect(const struct app *a, const struct finding *f)
{
	const char *v;
	size_t i;

	for (i = 0; i < f->nsuggest; i++) {
		v = settings_get(&a->set, f->suggest[i].key);
		if (f->suggest[i].value[0] == '\0' ? v != NULL :
		    v == NULL || strcmp(v, f->suggest[i].value) != 0)
			return 0;
	}
	return 1;
}

/* Rows of the layout; see the file comment. */
static int
fields_rows(const struct app *a, const struct step_view *v)
{
	return (nf(a, v) + 1) / 2;
}

static int
pane_top(const struct app *a, const struct step_view *v)
{
	return BODY_TOP + 2 + fields_rows(a, v) + 3;
}

static int
pane_rows(const struct app *a, const struct step_view *v)
{
	int n = BODY_BOTTOM() - pane_top(a, v) + 1;

	return n > 1 ? n : 1;
}

/*
 * The finding most worth fixing: worst severity first, and among equals
 * one whose fix is not yet in effect.
 */
static int
best_finding(const struct app *a, const struct step_result *r)
{
	int i, best = -1, score, best_score = -1;

	for (i = 0; i < (int)r->nfindings; i++) {
		score = (int)r->findings[i].sev * 2 +
		    !fix_in_effect(a, &r->findings[i]);
		if (score > best_score) {
			best = i;
			best_score = score;
		}
	}
	return best;
}

/*
 * Until a step has a view of its own, its data is what the engine
 * writes for the wizard (report_data_text()): whatever the engine
 * learns to collect appears here without a change to the UI.  The text
 * comes from sanitised results; draw_text() guards the rest.
 */
void
stepv_data_generic(const struct step_result *r, struct textbuf *tb)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (f == NULL) {
		tb_add(tb, "(out of memory)");
		return;
	}
	report_data_text(f, r);
	fclose(f);
	if (len == 0 && r->skip_reason[0] != '\0')
		tb_addf(tb, "Skipped: %s", r->skip_reason);
	else if (len == 0)
		tb_add(tb, "(this step collected no data)");
	else
		tb_add_text(tb, text);
	free(text);
}

int
stepv_enter(struct app *a, const struct step_view *v)
{
	const struct step_state *st = &a->st[v->step];

	if (app_step_pending(a, v->step))
		return UI_REDRAW;
	if (st->res == NULL || app_stale(a, v->step))
		return UI_REDRAW | UI_PROBE;
	return UI_REDRAW;
}

/* A finished probe: the data view and the selection follow it. */
static int
event_update(struct app *a, const struct step_view *v,
    const struct engine_event *ev)
{
	struct step_state *st = &a->st[v->step];
	int best;

	if (ev->kind != EV_DONE || ev->rc != SW_OK || st->res == NULL)
		return UI_REDRAW;
	tb_clear(&st->data);
	(v->data ? v->data : stepv_data_generic)(st->res, &st->data);
	st->data_top = 0;
	/*
	 * Jump to the finding worth fixing, unless the user is among the
	 * fields: then a field was just edited, or the cursor moved there
	 * while the first probe ran.
	 */
	if (st->sel < nf(a, v) && (st->nresults > 1 || st->moved))
		return UI_REDRAW;
	if ((best = best_finding(a, st->res)) >= 0)
		st->sel = nf(a, v) + best;
	else if (st->sel >= nf(a, v))
		st->sel = 0;
	return UI_REDRAW;
}

int
stepv_event(struct app *a, const struct step_view *v,
    const struct engine_event *ev)
{
	int r = event_update(a, v, ev);

	if (v->after_event != NULL)
		v->after_event(a, ev);
	return r;
}

static void
data_scroll(struct step_state *st, long by, int page)
{
	long top = (long)st->data_top + by;
	long last = (long)pane_last_top(&st->data, page);

	st->data_top = (size_t)(top < 0 ? 0 : top > last ? last : top);
}

static int
move_sel(struct app *a, const struct step_view *v, int by)
{
	struct step_state *st = &a->st[v->step];
	int n = nf(a, v) + nfindings(a, v), sel = st->sel + by;

	if (st->show_data) {
		data_scroll(st, by, pane_rows(a, v));
		return UI_REDRAW;
	}
	st->sel = sel < 0 ? 0 : sel >= n ? n - 1 : sel;
	st->moved = app_step_busy(a, v->step);
	return UI_REDRAW;
}

static int
apply_selected(struct app *a, const struct step_view *v)
{
	const struct finding *f = selected_finding(a, v);

	if (f == NULL) {
		app_msg(a, ROLE_WARN, "Select a finding first (Down), then "
		    "press %s to apply its fix", keys_name(ACT_APPLY));
		return UI_REDRAW;
	}
	if (f->nsuggest == 0) {
		app_msg(a, ROLE_WARN, "%s suggests no setting to change",
		    f->id);
		return UI_REDRAW;
	}
	if (fix_in_effect(a, f)) {
		app_msg(a, ROLE_INFO, "The settings %s suggests are in effect "
		    "already", f->id);
		return UI_REDRAW;
	}
	if (f->optin)
		return confirm_optin(a, f);
	return app_apply(a, f);
}

/* Moves the data view to the next (dir > 0) or previous match. */
int
stepv_search(struct app *a, enum step s, int dir)
{
	struct step_state *st = &a->st[s];
	size_t n = tb_count(&st->data), from, hit;

	st->show_data = 1;
	from = dir == 0 ? st->data_top : dir > 0 ? st->data_top + 1 :
	    st->data_top + n - 1;
	if ((hit = tb_find(&st->data, a->query, n ? from % n : 0,
	    dir < 0 ? -1 : 1)) == 0) {
		app_msg(a, ROLE_WARN, a->query[0] ? "Not found: %s" :
		    "Nothing to find yet: / searches", a->query);
		return UI_REDRAW;
	}
	st->data_top = hit - 1;
	app_msg(a, ROLE_INFO, "\"%s\" in line %zu of %zu  (n next, N "
	    "previous)", a->query, hit, n);
	return UI_REDRAW;
}

/* Esc: out of the data view, else stop the probe, else up to Start. */
static int
step_escape(struct app *a, const struct step_view *v)
{
	struct step_state *st = &a->st[v->step];

	if (st->show_data) {
		st->show_data = 0;
		return UI_REDRAW;
	}
	if (app_step_busy(a, v->step) || a->trial.active)
		return UI_CANCEL;
	a->goto_screen = 0;
	return UI_GOTO | UI_REDRAW;
}

int
stepv_key(struct app *a, const struct step_view *v, enum action act, int ch)
{
	struct step_state *st = &a->st[v->step];
	int page = pane_rows(a, v), n;
	const struct field *fields = fl(a, v, &n);

	if (st->show_data && (ch == 'n' || ch == 'N'))
		return stepv_search(a, v->step, ch == 'n' ? 1 : -1);
	switch (act) {
	case ACT_UP:	return move_sel(a, v, -1);
	case ACT_DOWN:	return move_sel(a, v, 1);
	case ACT_PGUP:	return move_sel(a, v, st->show_data ? -page : -3);
	case ACT_PGDN:	return move_sel(a, v, st->show_data ? page : 3);
	case ACT_HOME:	return move_sel(a, v, -100000);
	case ACT_END:	return move_sel(a, v, 100000);
	case ACT_ENTER:
	case ACT_TOGGLE:
		if (st->sel < n)
			return app_field_activate(a, &fields[st->sel]);
		if (selected_finding(a, v) != NULL)
			return finding_open(a, selected_finding(a, v),
			    &a->st[v->step].data);
		return UI_REDRAW;
	case ACT_APPLY:	return apply_selected(a, v);
	case ACT_COPY:	return finding_copy(a, selected_finding(a, v));
	case ACT_SAVE:
		return v->save != NULL ? v->save(a) : UI_PASS;
	case ACT_SEARCH:
		st->show_data = 1;
		return tui_search_ask(a, "the data");
	case ACT_PROBE:	return UI_PROBE;
	case ACT_DATA:
		st->show_data = !st->show_data;
		return UI_REDRAW;
	case ACT_ESC:
		return step_escape(a, v);
	case ACT_CANCEL:
		if (app_step_busy(a, v->step) || a->trial.active)
			return UI_CANCEL;
		if (st->show_data) {
			st->show_data = 0;
			return UI_REDRAW;
		}
		return UI_PASS;
	default:
		return UI_PASS;
	}
}

unsigned
stepv_offers(const struct app *a, const struct step_view *v)
{
	const struct finding *f = selected_finding(a, v);
	unsigned o = ACT_BIT(ACT_DATA);

	if (a->st[v->step].sel < nf(a, v))
		o |= ACT_BIT(ACT_ENTER);
	if (f != NULL && f->nsuggest > 0 && !fix_in_effect(a, f))
		o |= ACT_BIT(ACT_APPLY);
	if (f != NULL)
		o |= ACT_BIT(ACT_COPY);
	if (v->save != NULL && a->st[v->step].res != NULL)
		o |= ACT_BIT(ACT_SAVE);
	if (a->nundo > 0)
		o |= ACT_BIT(ACT_UNDO);
	o |= app_step_busy(a, v->step) || a->trial.active ?
	    ACT_BIT(ACT_CANCEL) : ACT_BIT(ACT_PROBE);
	return o;
}

/* "fix: ssl.enable=false starttls.enable=true" for a finding. */
static void
fix_text(const struct finding *f, char *buf, size_t cap)
{
	size_t i, len;

	len = (size_t)snprintf(buf, cap, f->optin ? "only if you choose:" :
	    "fix:");
	for (i = 0; i < f->nsuggest && len < cap; i++) {
		const struct suggestion *s = &f->suggest[i];

		if (s->value[0] == '\0')
			len += (size_t)snprintf(buf + len, cap - len,
			    " remove %s", s->key);
		else
			len += (size_t)snprintf(buf + len, cap - len, " %s=%s",
			    s->key, s->value);
	}
}

static int
finding_rows(const struct app *a, const struct finding *f, int w)
{
	char fix[1024];
	int rows = 1 + draw_wrap_count(f->message, w);

	if (f->nsuggest > 0 && fix_in_effect(a, f))
		rows++;
	else if (f->nsuggest > 0) {
		fix_text(f, fix, sizeof(fix));
		rows += draw_wrap_count(fix, w);
	}
	return rows;
}

/* Draws one finding from row y, at most maxrows; returns rows used. */
static int
finding_draw(const struct app *a, const struct finding *f, int sel, int y,
    int maxrows)
{
	int done = fix_in_effect(a, f);
	static const char *const tags[] = { "INFO", "WARN", "FAIL" };
	int w = COLS - 8, rows = 1;
	enum theme_role role = draw_role_of_severity(f->sev);
	char fix[1024];

	draw_text(y, 0, 2, sel ? theme_glyph(GL_POINTER) : " ",
	    theme_attr(ROLE_KEY));
	draw_text(y, 2, 4, tags[f->sev], theme_attr(role));
	draw_line(y, 7, w, f->id, sel ? theme_attr(ROLE_SELECT) : A_BOLD);
	if (rows < maxrows)
		rows += draw_wrapped(y + rows, 7, w, maxrows - rows,
		    f->message, 0, A_NORMAL);
	if (f->nsuggest > 0 && rows < maxrows) {
		fix_text(f, fix, sizeof(fix));
		if (done)
			snprintf(fix, sizeof(fix), "fix: in effect already");
		rows += draw_wrapped(y + rows, 7, w, maxrows - rows, fix, 4,
		    done ? theme_attr(ROLE_DIM) : theme_attr(ROLE_PASS) |
		    (sel ? A_BOLD : 0));
	}
	return rows;
}

/* The first finding to draw so that the selected one is on screen. */
static int
first_shown(const struct app *a, const struct step_result *r, int sel,
    int h, int w)
{
	int first = 0, total, i;

	if (sel < 0)
		return 0;
	for (;;) {
		for (total = 0, i = first; i <= sel; i++)
			total += finding_rows(a, &r->findings[i], w);
		if (total <= h || first == sel)
			return first;
		first++;
	}
}

/* "▲ 2 more (Up)" on row y; nothing when n is 0. */
static void
more_draw(int y, enum theme_glyph g, int n, const char *key)
{
	char line[64];

	if (n <= 0)
		return;
	snprintf(line, sizeof(line), "%s %d more (%s)", theme_glyph(g), n, key);
	draw_text(y, COLS - 22, 22, line, theme_attr(ROLE_DIM));
}

static void
findings_draw(const struct app *a, const struct step_view *v, int y0)
{
	const struct step_state *st = &a->st[v->step];
	const struct step_result *r = st->res;
	int y = y0, i, first, h = pane_rows(a, v), sel = st->sel - nf(a, v);
	int n, need = 0, w = COLS - 8, cut = 0;

	if (r == NULL) {
		draw_text(y, 2, COLS - 4, app_step_busy(a, v->step) ?
		    "The probe is running; its findings appear here." :
		    "No result yet.", theme_attr(ROLE_DIM));
		return;
	}
	n = (int)r->nfindings;
	if (n == 0) {
		draw_wrapped(y, 2, COLS - 4, h, r->skip_reason[0] ?
		    r->skip_reason : "No findings: nothing to change here.",
		    0, theme_attr(ROLE_DIM));
		return;
	}
	/*
	 * When not everything fits, the last row says how many findings
	 * are below, and the first (once some are above) how many above
	 * (ASCII ^ and v on vt100).  A finding cut off counts as below.
	 */
	first = first_shown(a, r, sel, h, w);
	for (i = 0; i < n; i++)
		need += finding_rows(a, &r->findings[i], w);
	if (need > h && h > 2) {
		h--;
		if ((first = first_shown(a, r, sel, h, w)) > 0) {
			h--;
			y0++;
			y++;
			first = first_shown(a, r, sel, h, w);
		}
	}
	for (i = first; i < n && y < y0 + h; i++) {
		cut = finding_rows(a, &r->findings[i], w) > y0 + h - y;
		y += finding_draw(a, &r->findings[i], i == sel, y, y0 + h - y);
	}
	more_draw(y0 - 1, GL_UP, first, "Up");	/* nothing when 0 */
	more_draw(y0 + h, GL_DOWN, n - i + cut, "Down");
}

/*
 * "Probing: 12.3 s, 23 of 70 hellos: cipher suites: ...": the time and
 * the counts first (70: the total the sweep plans now), so that 80
 * columns cut only the detail.
 */
static void
progress_text(const struct step_state *st, char *line, size_t cap)
{
	char count[64] = "";

	if (st->queued) {
		snprintf(line, cap, "Waiting for the previous probe to "
		    "stop...");
		return;
	}
	if (st->hellos > 0)
		snprintf(count, sizeof(count), ", %u of %u hellos",
		    st->answers, st->hellos);
	snprintf(line, cap, "Probing: %.1f s%s: %s", (double)(net_now_ms() -
	    st->started_ms) / 1000, count, st->progress);
}

static void
status_draw(const struct app *a, const struct step_view *v, int y)
{
	const struct step_state *st = &a->st[v->step];
	char line[400], when[16];
	int x;

	if (a->trial.active) {
		x = draw_text(y, 0, 2, theme_spinner(a->tick),
		    theme_attr(ROLE_KEY)) + 1;
		snprintf(line, sizeof(line), "Trying %s: step 1 probes %s "
		    "before the settings change", a->trial.what,
		    a->trial.target);
		draw_text(y, x, COLS - x, line, A_BOLD);
		return;
	}
	if (app_step_busy(a, v->step)) {
		x = draw_text(y, 0, 2, theme_spinner(a->tick),
		    theme_attr(ROLE_KEY)) + 1;
		progress_text(st, line, sizeof(line));
		draw_text(y, x, COLS - x, line, A_BOLD);
		return;
	}
	if (st->error[0] != '\0') {
		snprintf(line, sizeof(line), "%s%s", st->error, st->res ?
		    "; the result below is the previous one" : "");
		draw_text(y, 0, COLS, line, theme_attr(ROLE_WARN));
	} else if (app_stale(a, v->step)) {
		snprintf(line, sizeof(line), "The settings changed since this "
		    "result: %s probes again", keys_name(ACT_PROBE));
		draw_text(y, 0, COLS, line, theme_attr(ROLE_WARN));
	} else if (st->res != NULL) {
		strftime(when, sizeof(when), "%H:%M:%S",
		    localtime(&st->finished_at));
		snprintf(line, sizeof(line), "Probed at %s in %.1f s: %zu "
		    "finding%s", when, (double)st->elapsed_ms / 1000,
		    st->res->nfindings, st->res->nfindings == 1 ? "" : "s");
		draw_text(y, 0, COLS, line, theme_attr(ROLE_DIM));
	} else
		draw_text(y, 0, COLS, "Not probed yet", theme_attr(ROLE_DIM));
}

static void
header_draw(const struct app *a, const struct step_view *v)
{
	const struct step_result *r = a->st[v->step].res;
	char line[128];
	const char *verdict = r ? verdict_name(r->verdict) : "not probed";

	snprintf(line, sizeof(line), "Step %d of %d: %s", v->step,
	    STEP_COUNT, step_title(v->step));
	draw_text(BODY_TOP, 0, COLS - 20, line, A_BOLD);
	snprintf(line, sizeof(line), "verdict: %s", verdict);
	draw_text(BODY_TOP, COLS - (int)strlen(line) - 1, (int)strlen(line),
	    line, theme_attr(r ? draw_role_of_verdict(r->verdict) : ROLE_DIM));
}

void
stepv_draw(const struct app *a, const struct step_view *v)
{
	const struct step_state *st = &a->st[v->step];
	const struct finding *f = selected_finding(a, v);
	int y = BODY_TOP + 2 + fields_rows(a, v), n;
	const struct field *fields = fl(a, v, &n);
	char hint[400];

	header_draw(a, v);
	draw_rule(BODY_TOP + 1, "Settings this step decides");
	field_draw_grid(a, fields, n, st->sel < n ? st->sel : -1,
	    BODY_TOP + 2);
	if (st->sel < n)
		field_hint(&fields[st->sel], hint, sizeof(hint));
	else
		snprintf(hint, sizeof(hint), "%s", !f || !f->nsuggest ||
		    fix_in_effect(a, f) ? "" : f->optin ? "a asks before it "
		    "applies this fix: it is your choice, not a default" :
		    "a applies the selected fix and probes again; Enter shows "
		    "all of it");
	draw_text(y, 2, COLS - 2, hint, theme_attr(ROLE_DIM));
	status_draw(a, v, y + 1);
	if (st->show_data) {
		draw_rule(y + 2, "What the server said  (d: findings)");
		pane_draw_wrapped(&st->data, st->data_top, pane_top(a, v),
		    BODY_BOTTOM());
		return;
	}
	snprintf(hint, sizeof(hint), "Findings (%d)  (d: data)",
	    nfindings(a, v));
	draw_rule(y + 2, hint);
	findings_draw(a, v, pane_top(a, v));
}
