/*
 * The wizard's worker: runs one probe_step() at a time on its own
 * thread so the screen never waits for the network.  What the probe
 * says (progress, transcript lines, the finished result) comes back as
 * owned events on a mutex-protected queue, and one byte on a notify
 * pipe wakes the UI's poll() (cmus job.c, smaller).
 *
 * Threads: every function here is called from the UI thread only.  The
 * worker touches nothing but its own job and the queue.
 */
#ifndef SW_UI_ENGINE_H
#define SW_UI_ENGINE_H

#include <stdint.h>

#include "javart.h"
#include "probe.h"

struct verify_result;
struct confirm_result;

/* The step of a verification job's events: not a step of the five. */
#define ENGINE_VERIFY	((enum step)0)
/* ... and of a confirmation by the user's Java (src/confirm.h). */
#define ENGINE_CONFIRM	((enum step)(STEP_COUNT + 1))

enum engine_ev_kind {
	EV_PROGRESS,		/* text: a progress line, sanitised */
	EV_TRANSCRIPT,		/* text: a transcript_format() line */
	EV_DONE			/* res (vres)/rc/err: the job finished */
};

struct engine_event {
	struct engine_event	*next;
	enum engine_ev_kind	 kind;
	unsigned		 job;		/* engine_start()'s id */
	enum step		 step;
	char			*text;		/* owned; NULL for EV_DONE */
	struct step_result	*res;		/* owned; NULL unless SW_OK */
	struct verify_result	*vres;		/* ENGINE_VERIFY's, owned;
						   NULL unless SW_OK */
	struct confirm_result	*cres;		/* ENGINE_CONFIRM's, owned;
						   NULL unless SW_OK */
	enum sw_err		 rc;		/* EV_DONE: probe_step()'s */
	struct sw_error		 err;
	int64_t			 elapsed_ms;	/* EV_DONE: run time */
};

/*
 * What one job runs with beyond its settings: the user's options as
 * the probes take them, and what the wizard adds.  The job keeps its
 * own copies: opt through probe_opts_dup(), opt's secrets (storepass,
 * password, proxy_password; NULL: none) in locked memory of its own
 * that is wiped when it ends, the prev[] results.
 */
struct engine_opts {
	struct probe_opts opt;
	int		 discover;	/* step 1: also 25/465/587/2525 */
	const char	*mail_jar;	/* confirmation: --mail-jar; NULL:
					   search */
	/* Earlier steps' results the probe may build on (NULL: none). */
	const struct step_result *prev[STEP_COUNT];
};

struct engine;

/*
 * Creates the engine: notify and cancel pipes, no thread yet.
 * Errors: SW_ENOMEM, SW_EIO (pipes).
 */
enum sw_err	 engine_open(struct engine **, struct sw_error *);

/* The fd the UI polls for POLLIN: events are waiting. */
int		 engine_notify_fd(const struct engine *);

/* 1 while a job runs (its EV_DONE not yet taken by engine_take()). */
int		 engine_busy(const struct engine *);

/*
 * Starts step s on private copies of set and of opts->prev, so the UI
 * may edit its settings and replace its results while the probe runs.
 * *job gets the id its events carry.
 * Errors: SW_EUSAGE (a job is still running: cancel it and wait for
 * its EV_DONE), SW_ENOMEM, SW_EIO (no thread).
 */
enum sw_err	 engine_start(struct engine *, enum step s,
		    const struct settings *set, const struct engine_opts *,
		    unsigned *job, struct sw_error *);

/*
 * Starts the verification (src/verify.h) of final, the settings block
 * as Java will read it, like engine_start(): on a private copy, with
 * opts' Java, trust store, password source and addresses (opts->prev
 * and discover are not read).  Its events carry step ENGINE_VERIFY and
 * its EV_DONE a vres.
 * Errors: as engine_start().
 */
enum sw_err	 engine_start_verify(struct engine *,
		    const struct settings *final, const struct engine_opts *,
		    unsigned *job, struct sw_error *);

/*
 * Starts the confirmation of final by the user's Java (confirm_run():
 * opts->opt.runtime's bin/java runs the block with the mail library, the
 * password on a pipe, never argv or the environment), like
 * engine_start_verify(); opts->opt.mail_from is the verification's MAIL
 * FROM.  Its events carry step ENGINE_CONFIRM and its EV_DONE a cres.
 * A cancel kills the Java process.
 * Errors: as engine_start().
 */
enum sw_err	 engine_start_confirm(struct engine *,
		    const struct settings *final, const struct engine_opts *,
		    unsigned *job, struct sw_error *);

/*
 * Asks the running job to stop: the probe sees env.cancel_fd readable
 * and returns SW_ECANCEL promptly.  Its EV_DONE still comes.  No-op
 * when idle.
 */
void		 engine_cancel(struct engine *);

/*
 * Drains the notify pipe and returns every queued event, oldest first
 * (NULL: none).  Taking an EV_DONE joins the finished worker, so a new
 * job may start right after.  Free the list with engine_events_free().
 */
struct engine_event *engine_take(struct engine *);

void		 engine_events_free(struct engine_event *);

/*
 * Cancels a running job and waits for it at most wait_ms (-1: as long
 * as it takes), then frees everything.  A worker still stuck after
 * that (in getaddrinfo(), which no cancel reaches) is detached and its
 * memory left to it: only for leaving the process.  NULL-safe.
 */
void		 engine_close(struct engine *, int wait_ms);

#endif
