/*
 * Step 1's pieces, shared by conn_probe.c (talking to the port),
 * conn_judge.c (what it means) and conn_discover.c (other ports).
 * Private to those files.
 */
#ifndef SW_CONN_INT_H
#define SW_CONN_INT_H

#include "probe.h"

#define SLOW_GREETING_MS	2000	/* a greeting slower than this is a finding */

/*
 * Talks to r->d.conn's host and port and fills r->d.conn, adding
 * findings for what breaks on the way.
 * Errors: SW_ECANCEL.
 */
enum sw_err	conn_observe(const struct probe_env *, struct step_result *r,
		    struct sw_error *);

/* Probes the usual ports in parallel and suggests the best. */
void		conn_discover(const struct probe_env *, struct step_result *r);

/* The three mail.smtp.* settings that select mode m, as suggestions. */
void		conn_suggest_mode(struct finding *f, enum smtp_mode m);

#endif
