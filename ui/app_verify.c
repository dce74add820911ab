/*
 * The verification in the wizard: once every step has a fresh result,
 * the final block (what Java will read) runs on the worker like a
 * probe, in one session the way the mail library would (src/verify.h);
 * again after every change of a setting or of a step's result.  Its
 * outcome heads the result screen, decides the block's header and the
 * exit status (check's rule: 0 only when verified end to end), and is
 * printed with the steps' verdicts when the wizard quits.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "confirm.h"
#include "javart.h"
#include "report.h"
#include "app.h"
#include "verify.h"

static int
steps_fresh(const struct app *a)
{
	int s;

	for (s = 1; s <= STEP_COUNT; s++)
		if (!app_fresh(a, s) || a->st[s].queued)
			return 0;
	return 1;
}

/* The fingerprint of the final settings now; 0 when there is no block. */
static uint64_t
final_sig(const struct app *a)
{
	struct settings fin;
	uint64_t sig;

	if (app_block_final_settings(a, &fin) < 0)
		return 0;
	sig = app_verify_sig(a, &fin);
	settings_free(&fin);		/* wipes the password */
	return sig;
}

/* The verification's result is of the block as it is now. */
int
app_verify_fresh(const struct app *a)
{
	return a->ver.res != NULL && steps_fresh(a) &&
	    final_sig(a) == a->ver.res_sig;
}

void
app_verify_kick(struct app *a)
{
	struct verify_state *v = &a->ver;
	struct engine_opts o;
	struct settings fin;
	struct sw_error e = { 0 };
	uint64_t sig;

	if (v->job != 0 || a->trial.active || engine_busy(a->eng) ||
	    !steps_fresh(a) || app_block_final_settings(a, &fin) < 0)
		return;
	sig = app_verify_sig(a, &fin);
	if ((v->res != NULL && v->res_sig == sig) || v->failed_sig == sig) {
		settings_free(&fin);
		return;
	}
	memset(&o, 0, sizeof(o));
	app_fill_opts(a, ENGINE_VERIFY, &o);
	v->error[0] = '\0';
	v->cancelling = 0;
	if (engine_start_verify(a->eng, &fin, &o, &v->job, &e) != SW_OK) {
		snprintf(v->error, sizeof(v->error), "%s", sw_error_text(&e));
		v->failed_sig = sig;
	} else {
		v->job_sig = sig;
		v->started_ms = net_now_ms();
		snprintf(v->progress, sizeof(v->progress), "starting");
		tb_add(&a->transcript, "==== the verification: the final "
		    "settings as Java runs them ====");
	}
	explicit_bzero(&o, sizeof(o));
	settings_free(&fin);
}

/* r on the result screen: a verification that could not run, again. */
void
app_verify_retry(struct app *a)
{
	a->ver.failed_sig = 0;
	app_kick(a);
}

void
app_verify_event(struct app *a, struct engine_event *ev)
{
	struct verify_state *v = &a->ver;

	if (ev->kind == EV_TRANSCRIPT || ev->job != v->job) {
		if (ev->text != NULL && ev->kind == EV_TRANSCRIPT)
			tb_add(&a->transcript, ev->text);
		return;
	}
	if (ev->kind == EV_PROGRESS) {
		snprintf(v->progress, sizeof(v->progress), "%s", ev->text);
		return;
	}
	v->job = 0;
	v->progress[0] = '\0';
	if (ev->rc == SW_OK) {
		free(v->res);
		v->res = ev->vres;
		ev->vres = NULL;
		v->res_sig = v->job_sig;
		v->failed_sig = 0;
		return;
	}
	/* Not again by itself (r asks): a cancel came from the user. */
	v->failed_sig = v->job_sig;
	if (ev->rc == SW_ECANCEL)
		snprintf(v->error, sizeof(v->error), "cancelled after %.1f s",
		    (double)ev->elapsed_ms / 1000);
	else
		snprintf(v->error, sizeof(v->error), "it could not run: %s",
		    sw_error_text(&ev->err));
	v->cancelling = 0;
}

/* One line on the verification; fresh: v->res is of the block now. */
static void
headline(const struct app *a, int fresh, char *buf, size_t cap,
    enum theme_role *role)
{
	const struct verify_state *v = &a->ver;

	*role = ROLE_DIM;
	if (v->job != 0) {
		*role = ROLE_KEY;
		snprintf(buf, cap, "Verifying the block as Java runs it: %s "
		    "(%.1f s)", v->progress, (double)(net_now_ms() -
		    v->started_ms) / 1000);
	} else if (fresh) {
		verify_headline(v->res, buf, cap);
		*role = v->res->result == VERIFY_VERIFIED ? ROLE_PASS :
		    v->res->result == VERIFY_FAILED ? ROLE_FAIL : ROLE_WARN;
	} else if (!steps_fresh(a))
		snprintf(buf, cap, "NOT VERIFIED: the verification runs once "
		    "every step has a result for these settings");
	else if (v->error[0] != '\0') {
		*role = ROLE_WARN;
		snprintf(buf, cap, "NOT VERIFIED: the verification %s (%s: "
		    "again)", v->error, keys_name(ACT_PROBE));
	} else
		snprintf(buf, cap, "NOT VERIFIED: the verification has not "
		    "run yet");
}

/*
 * For the result screen.  Reads a->ver.fresh, which scr_result_rebuild()
 * keeps, so that drawing builds no block.
 */
void
app_verify_headline(const struct app *a, char *buf, size_t cap,
    enum theme_role *role)
{
	headline(a, a->ver.fresh, buf, cap, role);
}

/*
 * check's rule: 0 only when the block was verified end to end; else
 * the first failing step, the step the verification names, the first
 * step that could not be checked, or 1 — never 0.
 */
static int
exit_status(const struct app *a, int verified)
{
	struct report rep;
	int s, rc;

	memset(&rep, 0, sizeof(rep));
	for (s = 1; s <= STEP_COUNT; s++)
		rep.steps[s - 1] = app_fresh(a, s) ? a->st[s].res : NULL;
	rep.verify = app_verify_fresh(a) ? a->ver.res : NULL;
	/* The user's own Java decides when it ran (v). */
	rep.confirm = app_java_fresh(a) ? a->jc.res : NULL;
	if ((rc = report_exit_status(&rep)) != 0)
		return rc;
	if (verified || (rep.confirm != NULL &&
	    rep.confirm->result == CONFIRM_OK))
		return 0;
	/* check's rule alone would say 0: the verification did not run. */
	for (s = 1; s <= STEP_COUNT; s++)
		if (!app_fresh(a, s))
			return s;
	return 1;
}

/* The first line of s, at most max bytes, cut on a character. */
static void
first_line(const char *s, char *buf, size_t max)
{
	size_t n = strcspn(s, "\n");

	if (n >= max) {
		n = max - 4;
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;		/* not inside a UTF-8 sequence */
		snprintf(buf, max, "%.*s...", (int)n, s);
	} else
		snprintf(buf, max, "%.*s", (int)n, s);
}

/* "Step 2 Certificates: FAIL — the chain ...". */
static void
step_line(FILE *f, const struct app *a, enum step s)
{
	const struct step_result *r = a->st[s].res;
	const char *dash = theme_utf8() ? "\u2014" : "-";
	char word[16], why[240];
	size_t i, k;

	fprintf(f, "Step %d %s: ", s, step_title(s));
	if (r == NULL || !app_fresh(a, s)) {
		fprintf(f, "NOT CHECKED %s %s\n", dash, r == NULL ? "it did "
		    "not run" : "the settings changed after its probe");
		return;
	}
	snprintf(word, sizeof(word), "%s", verdict_name(r->verdict));
	for (k = 0; word[k] != '\0'; k++)
		word[k] = (char)(word[k] >= 'a' && word[k] <= 'z' ?
		    word[k] - 32 : word[k]);
	why[0] = '\0';
	for (i = 0; i < r->nfindings && why[0] == '\0'; i++)
		if ((r->verdict == VERDICT_FAIL && r->findings[i].sev ==
		    SEV_FAIL) || (r->verdict == VERDICT_WARN &&
		    r->findings[i].sev == SEV_WARN))
			first_line(r->findings[i].message, why, sizeof(why));
	if (r->verdict == VERDICT_SKIPPED && r->skip_reason[0] != '\0')
		first_line(r->skip_reason, why, sizeof(why));
	if (why[0] != '\0')
		fprintf(f, "%s %s %s\n", word, dash, why);
	else
		fprintf(f, "%s\n", word);
}

/* Whether anything was ever probed (or is being probed). */
static int
probed_any(const struct app *a)
{
	int s;

	for (s = 1; s <= STEP_COUNT; s++)
		if (a->st[s].res != NULL || app_step_busy(a, s) ||
		    a->st[s].error[0] != '\0')
			return 1;
	return a->trial.active || a->ver.res != NULL || a->ver.job != 0;
}

/*
 * What quitting prints: every step's verdict, the verification's line,
 * then the block (its header says whether it was verified).  *status
 * gets the exit status.  NULL: out of memory.
 */
char *
app_verify_quit_text(const struct app *a, int *status)
{
	char *out = NULL, *block = NULL, head[1200], l2[1200];
	size_t len = 0;
	int verified = 0, s;
	enum theme_role role;
	FILE *f;

	*status = exit_status(a, 0);
	if (!probed_any(a))
		return strdup("smtpwiz: left before the first probe; nothing "
		    "was checked.\n");
	if ((f = open_memstream(&out, &len)) == NULL)
		return NULL;
	block = app_block_final(a, NULL, &verified);
	*status = exit_status(a, verified);
	for (s = 1; s <= STEP_COUNT; s++)
		step_line(f, a, s);
	if (a->rt_sel >= 0) {
		javart_describe(&a->rts[a->rt_sel], head, sizeof(head));
		fprintf(f, "Java: %s, profile %s\n", head, a->java);
	} else if (app_java_from_log(a) && !a->java_file_user)
		fprintf(f, "Java: the one that wrote %s (its offer, from the "
		    "debug log)\n", a->args->java_log);
	else if (app_java_from_log(a))
		fprintf(f, "Java: the profile in %s (no runtime read)\n",
		    a->java_log);
	else
		fprintf(f, "Java: the built-in profile %s (no runtime read)\n",
		    a->java);
	if (a->ver.job != 0)
		snprintf(head, sizeof(head), "NOT VERIFIED: the wizard was left "
		    "before the verification finished");
	else
		headline(a, app_verify_fresh(a), head, sizeof(head), &role);
	fprintf(f, "Verification: %s\n", head);
	if (a->jc.job != 0)
		fprintf(f, "Your Java: the wizard was left before it "
		    "finished\n");
	else if (a->jc.res != NULL) {
		if (app_java_lines(a, head, l2, sizeof(head), &role,
		    &role) == 2)
			fprintf(f, "%s\n%s\n", head, l2);
		else
			fprintf(f, "%s\n", head);
	}
	fprintf(f, "\n%s", block ? block : "");
	if (a->copied[0] != '\0')
		fprintf(f, "\nCopied (y):\n%s%s", a->copied,
		    a->copied[strlen(a->copied) - 1] == '\n' ? "" : "\n");
	fclose(f);
	if (block != NULL) {
		explicit_bzero(block, strlen(block));
		free(block);
	}
	return out;
}

void
app_verify_free(struct app *a)
{
	free(a->ver.res);
	a->ver.res = NULL;
}
