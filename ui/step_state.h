/*
 * A step screen's probe state and what engine events do to it: job
 * ids matched, the sweep's hello counts, progress, the result or the
 * error kept.  No curses and no app (tests/unit/test_ui_model.c).
 */
#ifndef SW_UI_STEP_STATE_H
#define SW_UI_STEP_STATE_H

#include <stdint.h>
#include <time.h>

#include "engine.h"
#include "w_view.h"

/* What one step screen knows about its probe. */
struct step_state {
	struct step_result	*res;		/* last finished; NULL: none */
	uint64_t		 res_sig;	/* app_sig() it was probed with */
	unsigned		 job;		/* running job id, 0: none */
	uint64_t		 job_sig;
	int			 cancelling;	/* job told to stop */
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
	unsigned		 hellos;	/* steps 3-4: the sweep's planned
					   total, re-planned as it goes */
	unsigned		 answers;	/* hellos answered so far */
	int			 show_data;	/* lower pane: data view */
	size_t			 data_top;
};

/* ev's result (SW_OK, taken from ev) becomes st's, probed with sig. */
void	step_state_result(struct step_state *, struct engine_event *,
	    uint64_t sig);
/*
 * A transcript line, a progress line or the end of a job, for the step
 * it belongs to; events of another job than st->job are ignored.
 */
void	step_state_event(struct step_state *, struct engine_event *);

#endif
