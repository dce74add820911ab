/*
 * Engine events applied to a step's state (step_state.h): the UI
 * thread's bookkeeping, without the screen.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "step_state.h"

void
step_state_result(struct step_state *st, struct engine_event *ev,
    uint64_t sig)
{
	free(st->res);
	st->res = ev->res;
	ev->res = NULL;
	st->res_sig = sig;
	st->nresults++;
	st->elapsed_ms = ev->elapsed_ms;
	st->finished_at = time(NULL);
	st->error[0] = '\0';
}

/* A finished job: its result replaces the step's, unless it failed. */
static void
job_done(struct step_state *st, struct engine_event *ev)
{
	st->job = 0;
	st->cancelling = 0;
	st->progress[0] = '\0';
	if (ev->rc == SW_OK)
		step_state_result(st, ev, st->job_sig);
	else if (ev->rc == SW_ECANCEL)
		snprintf(st->error, sizeof(st->error), "Cancelled after %.1f s",
		    (double)ev->elapsed_ms / 1000);
	else
		snprintf(st->error, sizeof(st->error), "The probe could not "
		    "run: %s", sw_error_text(&ev->err));
}

/*
 * Steps 3 and 4 send many hellos; the sweep's transcript lines end with
 * the answers so far and the total its plan expects ("12:00:00.000 --
 * sweep #12 ... (35 ms) [23/70]", from the first "sweep plan: ...
 * [0/74]"): the progress line's counts.
 */
static void
count_hello(struct step_state *st, const char *text)
{
	const char *sw = strstr(text, "-- sweep ");	/* after the time */
	const char *br = strrchr(text, '[');
	unsigned done, total;
	char end;

	if (sw == NULL || sw - text > 20 || br == NULL ||
	    sscanf(br, "[%u/%u%c", &done, &total, &end) != 3 || end != ']' ||
	    total > 100000)
		return;
	st->answers = done;
	st->hellos = total > done ? total : done;
}

void
step_state_event(struct step_state *st, struct engine_event *ev)
{
	if (ev->job != st->job)
		return;
	switch (ev->kind) {
	case EV_TRANSCRIPT:
		count_hello(st, ev->text);
		break;
	case EV_PROGRESS:
		snprintf(st->progress, sizeof(st->progress), "%s", ev->text);
		break;
	case EV_DONE:
		job_done(st, ev);
		break;
	}
}
