/*
 * --discover: step 1 on ports 587, 465, 25 and 2525 at once, one
 * thread each, and a suggestion of the best one the server offers.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conn_int.h"
#include "sanitize.h"
#include "session.h"

static const unsigned discover_ports[] = { 587, 465, 25, 2525 };

struct discover_job {
	const struct probe_env	*env;
	const char		*host;
	struct discover_result	*out;
};

/* Thread body: a quiet step 1 on one port. */
static void *
discover_one(void *arg)
{
	struct discover_job *job = arg;
	struct step_result *r = calloc(1, sizeof(*r));
	struct probe_env env = *job->env;
	struct sw_error e = { 0 };
	struct conn_data *d;
	const char *src;

	if (r == NULL)
		return NULL;
	env.note = NULL;
	env.discover = 0;
	d = &r->d.conn;
	snprintf(d->host, sizeof(d->host), "%s", job->host);
	d->port = job->out->port;
	d->configured_mode = MODE_UNKNOWN;
	session_ehlo_name(env.set, d->ehlo_name, sizeof(d->ehlo_name), &src);
	conn_observe(&env, r, &e);
	job->out->mode = d->detected_mode;
	job->out->reachable = d->used_addr != NULL;
	sanitize_str(d->greeting, job->out->greeting,
	    sizeof(job->out->greeting), 0);
	if (r->nfindings > 0)
		snprintf(job->out->error, sizeof(job->out->error), "%s",
		    r->findings[0].id);
	free(r);
	return NULL;
}

/* Ranks a working port: 587 STARTTLS first, then 465, then others. */
static int
discover_rank(const struct discover_result *dr)
{
	if (dr->mode == MODE_STARTTLS)
		return dr->port == 587 ? 5 : 3;
	if (dr->mode == MODE_SSL)
		return 4;
	return dr->mode == MODE_PLAIN ? 1 : 0;
}

void
conn_discover(const struct probe_env *env, struct step_result *r)
{
	struct conn_data *d = &r->d.conn;
	struct discover_job jobs[4];
	pthread_t tid[4];
	int started[4] = { 0 };
	size_t i, best = 0;
	struct finding *f;
	char port[8];

	probe_progress(env, "trying ports 587, 465, 25 and 2525");
	d->ndiscover = 4;
	for (i = 0; i < 4; i++) {
		d->discover[i].port = discover_ports[i];
		jobs[i] = (struct discover_job){ env, d->host, &d->discover[i] };
		started[i] = pthread_create(&tid[i], NULL, discover_one,
		    &jobs[i]) == 0;
		if (!started[i])
			discover_one(&jobs[i]);
	}
	for (i = 0; i < 4; i++)
		if (started[i])
			pthread_join(tid[i], NULL);
	for (i = 1; i < 4; i++)
		if (discover_rank(&d->discover[i]) >
		    discover_rank(&d->discover[best]))
			best = i;
	if (discover_rank(&d->discover[best]) == 0 ||
	    (d->discover[best].port == d->port &&
	    d->discover[best].mode == d->detected_mode))
		return;
	snprintf(port, sizeof(port), "%u", d->discover[best].port);
	f = result_add(r, "better-port", SEV_INFO, "Port %u answers with "
	    "%s; it is the best choice this server offers.",
	    d->discover[best].port, smtp_mode_name(d->discover[best].mode));
	finding_suggest(f, "mail.smtp.port", port);
	conn_suggest_mode(f, d->discover[best].mode);
	/* The probed port works: switching is the user's call. */
	if (f != NULL && d->detected_mode != MODE_UNKNOWN)
		f->optin = 1;
}
