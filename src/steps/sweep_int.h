/*
 * What the sweep's parts share: sweep_plan.c (the pure plan, the
 * classification of answers), sweep_pace.c (the pacing the plan keeps)
 * and sweep_run.c (the poll() runner).  Not part of the engine API:
 * callers include sweep.h.
 */
#ifndef SW_SWEEP_INT_H
#define SW_SWEEP_INT_H

#include <stdint.h>

#define SWEEP_CONN_MAX	64	/* hard bound on --concurrency */

/*
 * The pacing state the plan keeps (sweep_pace.c): the bound on our
 * connections in flight and what the server's refusals taught about
 * its own limit.  Pure: times are the plan's `now`.
 */
struct sweep_pace {
	int		 concurrency;	/* the configured bound */
	int		 backoff_ms;
	int		 limit;		/* the bound now */
	int		 min_limit;	/* lowest bound reached */
	int		 ok_streak;	/* answers since the last cut */
	int64_t		 last_cut;
	int		 server_limit;	/* its limit; 0: none seen */
	int64_t		 hold_ms;	/* a slot stays taken after a close */
	int64_t		 hold_lo, hold_hi;	/* proven bounds; 0: none */
	int64_t		 closed[SWEEP_CONN_MAX];	/* recent closes */
	int		 nclosed;	/* ring position */
};

void	pace_init(struct sweep_pace *, int concurrency, int backoff_ms);
/* Starts paced to an earlier sweep's findings (server_limit > 0). */
void	pace_seed(struct sweep_pace *, int64_t now, int server_limit,
	    int64_t hold_ms);
/* 1 when another connection may start now, with inflight of ours open;
 * else 0, *wake_ms lowered to when a held slot frees (if one does). */
int	pace_gate(const struct sweep_pace *, int inflight, int64_t now,
	    int64_t *wake_ms);
/* Our closed connections the server may still count at now. */
int	pace_held(const struct sweep_pace *, int64_t now, int64_t *free_at);
/* One of ours closed (answered, or died after the hello). */
void	pace_close(struct sweep_pace *, int64_t now);
/* A probe started at started with open of ours open was refused (421,
 * connection refused or reset before the hello).  1: our own
 * connections explain it (the limit and hold learnt); 0: they do not
 * (the bound was halved). */
int	pace_refused(struct sweep_pace *, int64_t now, int64_t started,
	    int open);
/* Such a probe got an answer from the TLS layer. */
void	pace_answered(struct sweep_pace *, int64_t started, int open);
/* When the attempt-th try (attempt >= 2) may start; paced: the refusal
 * was explained (pace_refused() returned 1). */
int64_t	pace_retry_at(const struct sweep_pace *, int64_t now, int attempt,
	    int paced);

#endif
