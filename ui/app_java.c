/*
 * v on the result screen: the block through the user's own Java, as
 * `check --confirm-with-java` runs it (src/confirm.h).  It runs on the
 * worker like a probe, so the screen never waits for the JVM; the
 * password goes to the Java process on a pipe, never its argv or
 * environment.  It waits for the verification of the same block, so
 * that the two can be set side by side: the real Java's outcome heads
 * the screen under smtpwiz's, a disagreement is said in so many words,
 * and the real Java's outcome decides the exit status (check's rule).
 * With --confirm-with-java (or --mail-jar) it runs by itself after
 * every verification of a new block.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "confirm.h"
#include "javaprof.h"
#include "javart.h"
#include "net.h"
#include "app.h"
#include "verify.h"

static const struct javart *
runtime(const struct app *a)
{
	return a->rt_sel >= 0 && (size_t)a->rt_sel < a->nrt ?
	    &a->rts[a->rt_sel] : NULL;
}

int
app_java_from_log(const struct app *a)
{
	return a->java_log[0] != '\0' && strcmp(a->java, a->java_log) == 0;
}

const char *
app_java_file_name(const struct app *a, char *buf, size_t cap)
{
	if (a->java_file_user || a->args == NULL || a->args->java_log == NULL)
		snprintf(buf, cap, "the Java profile in %s", a->java_log);
	else
		snprintf(buf, cap, "the Java of %s (its debug log)",
		    a->args->java_log);
	return buf;
}

/* The last run is of the block shown, and that block is verified now. */
int
app_java_fresh(const struct app *a)
{
	return a->jc.res != NULL && a->ver.res != NULL &&
	    app_verify_fresh(a) && a->jc.res_sig == a->ver.res_sig;
}

/* Why the user's Java cannot run the block; NULL: it can. */
static const char *
cannot_run(const struct app *a)
{
	const struct javart *rt = runtime(a);

	if (rt == NULL)
		return "no Java runtime is chosen: pick one in the Start "
		    "screen's Java field (0), or start with --java-home";
	if (rt->java[0] == '\0')
		return "the runtime chosen has no bin/java to run";
	return NULL;
}

int
app_java_request(struct app *a)
{
	const char *why = cannot_run(a);

	if (a->jc.job != 0) {
		app_msg(a, ROLE_INFO, "Your Java is still running the block "
		    "(%s cancels)", keys_name(ACT_CANCEL));
		return UI_REDRAW;
	}
	if (why != NULL) {
		app_msg(a, ROLE_WARN, "Your Java cannot run the block: %s",
		    why);
		return UI_REDRAW;
	}
	a->jc.wanted = 1;
	a->jc.error[0] = '\0';
	app_probe_stale(a);		/* then the verification, then Java */
	if (!app_verify_fresh(a))
		app_msg(a, ROLE_INFO, "Your Java runs the block once smtpwiz "
		    "has verified it");
	return UI_REDRAW;
}

/*
 * When the engine is idle and the verification of the block shown is
 * fresh: a run that v asked for, or with --confirm-with-java one for a
 * block not yet run.
 */
void
app_java_kick(struct app *a)
{
	struct javaconf_state *jc = &a->jc;
	struct engine_opts o;
	struct settings fin;
	struct sw_error e = { 0 };

	if (jc->job != 0 || engine_busy(a->eng) || !app_verify_fresh(a) ||
	    a->ver.res == NULL)
		return;
	if (!jc->wanted && !(jc->automatic && cannot_run(a) == NULL &&
	    jc->job_sig != a->ver.res_sig))
		return;
	jc->wanted = 0;
	if (cannot_run(a) != NULL || app_block_final_settings(a, &fin) < 0)
		return;
	memset(&o, 0, sizeof(o));
	app_fill_opts(a, ENGINE_CONFIRM, &o);
	if (a->args != NULL)
		o.mail_jar = a->args->mail_jar;
	if (a->ver.res->from[0] != '\0')	/* the verification's MAIL FROM */
		o.opt.mail_from = a->ver.res->from;
	jc->job_sig = a->ver.res_sig;
	jc->cancelling = 0;
	if (engine_start_confirm(a->eng, &fin, &o, &jc->job, &e) != SW_OK) {
		snprintf(jc->error, sizeof(jc->error), "could not start: %s",
		    sw_error_text(&e));
		jc->job = 0;
	} else {
		jc->started_ms = net_now_ms();
		snprintf(jc->progress, sizeof(jc->progress), "starting");
		tb_add(&a->transcript, "==== your Java runs the block "
		    "(MailConfirm, as --confirm-with-java) ====");
	}
	explicit_bzero(&o, sizeof(o));
	settings_free(&fin);		/* wipes the password */
}

/* smtpwiz's own outcome for the block, as check compares it. */
static void
own_outcome(struct app *a)
{
	struct report rep;
	const char *basis;
	int s;

	memset(&rep, 0, sizeof(rep));
	for (s = 1; s <= STEP_COUNT; s++)
		rep.steps[s - 1] = app_fresh(a, s) ? a->st[s].res : NULL;
	rep.verify = app_verify_fresh(a) ? a->ver.res : NULL;
	a->jc.res_own = report_own_outcome(&rep, &basis);
	snprintf(a->jc.res_basis, sizeof(a->jc.res_basis), "%s", basis);
}

static void
done(struct app *a, struct engine_event *ev)
{
	struct javaconf_state *jc = &a->jc;
	struct confirm_result *c;

	jc->job = 0;
	jc->progress[0] = '\0';
	if (ev->rc != SW_OK) {
		if (ev->rc == SW_ECANCEL)
			snprintf(jc->error, sizeof(jc->error), "was cancelled "
			    "after %.1f s", (double)ev->elapsed_ms / 1000);
		else
			snprintf(jc->error, sizeof(jc->error), "could not run: "
			    "%s", sw_error_text(&ev->err));
		jc->cancelling = 0;
		return;
	}
	free(jc->res);
	jc->res = c = ev->cres;
	ev->cres = NULL;
	jc->res_sig = jc->job_sig;
	jc->error[0] = '\0';
	own_outcome(a);
	tb_addf(&a->transcript, "your Java: %s%s%s", confirm_outcome_name(
	    c->result), c->exception[0] ? ": " : "", c->exception[0] ?
	    c->exception : c->detail);
	if (c->result != CONFIRM_NOT_RUN && a->jc.res_own != (c->result ==
	    CONFIRM_OK))
		app_msg(a, ROLE_FAIL, "Your Java and smtpwiz disagree: your "
		    "Java's outcome counts (%s: its exception in full)",
		    keys_name(ACT_TRANSCRIPT));
	else
		app_msg(a, ROLE_INFO, "Your Java has run the block (%s: the "
		    "transcript)", keys_name(ACT_TRANSCRIPT));
}

void
app_java_event(struct app *a, struct engine_event *ev)
{
	if (ev->kind == EV_TRANSCRIPT) {
		tb_add(&a->transcript, ev->text);
		return;
	}
	if (ev->job != a->jc.job)
		return;
	if (ev->kind == EV_PROGRESS)
		snprintf(a->jc.progress, sizeof(a->jc.progress), "%s",
		    ev->text);
	else
		done(a, ev);
}

/*
 * The lines on the real Java for the result screen and for quitting:
 * l1 its outcome, l2 (when it ran) whether smtpwiz agrees.  Returns how
 * many lines are set (1 or 2).
 */
int
app_java_lines(const struct app *a, char *l1, char *l2, size_t cap,
    enum theme_role *r1, enum theme_role *r2)
{
	const struct javaconf_state *jc = &a->jc;
	const struct confirm_result *c = jc->res;
	const struct javart *rt = runtime(a);
	int agree;

	*r1 = *r2 = ROLE_DIM;
	l2[0] = '\0';
	if (jc->job != 0) {
		*r1 = ROLE_KEY;
		snprintf(l1, cap, "Your Java: %s (%.1f s)", jc->progress,
		    (double)(net_now_ms() - jc->started_ms) / 1000);
	} else if (jc->wanted)
		snprintf(l1, cap, "Your Java runs the block once smtpwiz has "
		    "verified it");
	else if (jc->error[0] != '\0') {
		*r1 = ROLE_WARN;
		snprintf(l1, cap, "Your Java: the run %s (%s: again)",
		    jc->error, keys_name(ACT_JAVA));
	} else if (c != NULL && app_java_fresh(a) &&
	    c->result == CONFIRM_NOT_RUN) {
		*r1 = ROLE_WARN;
		snprintf(l1, cap, "Your Java could not run the block: %s",
		    c->detail);
	} else if (c != NULL && app_java_fresh(a)) {
		if (c->result == CONFIRM_OK) {
			*r1 = ROLE_PASS;
			snprintf(l1, cap, "Your Java CONFIRMED the block: Java "
			    "%s, %s", c->java, c->lib);
		} else {
			/* The innermost cause says most in one line. */
			const char *cause = strrchr(c->exception, '<');

			cause = cause != NULL && cause[1] == '-' ? cause + 2 :
			    c->exception;
			cause += strspn(cause, " ");
			*r1 = ROLE_FAIL;
			if (c->step != 0)
				snprintf(l1, cap, "Your Java FAILED with the "
				    "block (step %d, %s): %s", c->step,
				    step_title(c->step), cause);
			else
				snprintf(l1, cap, "Your Java FAILED with the "
				    "block: %s", cause);
		}
		agree = jc->res_own == (c->result == CONFIRM_OK);
		*r2 = agree ? ROLE_DIM : ROLE_FAIL;
		if (agree)
			snprintf(l2, cap, "  It agrees with smtpwiz's %s.",
			    jc->res_basis);
		else
			snprintf(l2, cap, "  It DISAGREES with smtpwiz's %s "
			    "(%s): your Java's outcome decides the exit "
			    "status.", jc->res_basis, jc->res_own ?
			    "it works" : "it fails");
		return 2;
	} else if (c != NULL)
		snprintf(l1, cap, "Your Java: its last run was of an earlier "
		    "block (%s: run this one)", keys_name(ACT_JAVA));
	else if (rt != NULL && rt->java[0] != '\0')
		snprintf(l1, cap, "Your Java: %s lets Java %s at %s run this "
		    "block", keys_name(ACT_JAVA), rt->version, rt->home);
	else
		snprintf(l1, cap, "Your Java: none to run the block (the "
		    "Start screen's Java field, or --java-home)");
	return 1;
}

void
app_java_free(struct app *a)
{
	free(a->jc.res);
	a->jc.res = NULL;
}

/*
 * The Java field: the runtimes found, then the profile of
 * --java-from-debug-log, then the built-in profiles, round.
 */
int
app_java_cycle(struct app *a)
{
	const char *const *names;
	size_t i, n, nlog, pos, total;

	names = javaprof_names(&n);
	nlog = a->java_log[0] != '\0';
	total = a->nrt + nlog + n;
	if (a->rt_sel >= 0)
		pos = (size_t)a->rt_sel;
	else if (app_java_from_log(a))
		pos = a->nrt;
	else {
		for (i = 0; i < n; i++)
			if (strcmp(a->java, names[i]) == 0)
				break;
		/* not a built-in one: the next is the first built-in */
		pos = (a->nrt + nlog + (i < n ? i : total - 1)) % total;
	}
	pos = (pos + 1) % total;
	a->rt_sel = pos < a->nrt ? (int)pos : -1;
	if (pos < a->nrt)
		snprintf(a->java, sizeof(a->java), "%s", a->rts[pos].profile);
	else if (pos < a->nrt + nlog)
		snprintf(a->java, sizeof(a->java), "%s", a->java_log);
	else
		snprintf(a->java, sizeof(a->java), "%s",
		    names[pos - a->nrt - nlog]);
	app_changed(a);		/* steps 2-4 judge for this runtime */
	return UI_REDRAW;
}
