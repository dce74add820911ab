/*
 * What the sweep's two halves share: sweep_plan.c (the pure plan, the
 * classification of answers) and sweep_run.c (the poll() runner).  Not
 * part of the engine API: callers include sweep.h.
 */
#ifndef SW_SWEEP_INT_H
#define SW_SWEEP_INT_H

#define SWEEP_CONN_MAX	64	/* hard bound on --concurrency */

#endif
