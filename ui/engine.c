/*
 * The worker thread behind the wizard.  One job at a time: a private
 * copy of the settings and a step.  The probe's notes become owned
 * event copies on a list guarded by a mutex; after each push one byte
 * goes down a non-blocking notify pipe (a full pipe already means
 * "wake up", so EAGAIN is fine).  Cancelling writes to a pipe whose
 * read end is the probe's cancel_fd: every wait in net.c watches it.
 * Nothing is ever pthread_cancel()ed: the worker always runs to its
 * EV_DONE, and the UI joins it when it takes that event.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "confirm.h"
#include "engine.h"
#include "net.h"
#include "sanitize.h"
#include "secret.h"
#include "transcript.h"
#include "verify.h"

/* A probe of a hostile server may send 10 000 EHLO lines: cap the queue. */
#define QUEUE_MAX	20000

struct job {
	struct engine		*eng;
	unsigned		 id;
	enum step		 step;		/* ENGINE_VERIFY: verify_run(),
						   ENGINE_CONFIRM: confirm_run() */
	struct settings		 set;		/* the worker's own copy */
	struct engine_opts	 opts;		/* opts.opt: probe_opts_dup()'s,
						   its secrets point into pass
						   ...; prev[] into prev */
	struct secret		 pass, storepass, proxypass; /* the job's
							   copies */
	struct step_result	*prev[STEP_COUNT];	/* owned copies */
	struct engine_event	*done;		/* made by the UI: never lost */
};

struct engine {
	pthread_mutex_t		 mu;
	struct engine_event	*head, *tail;	/* under mu */
	size_t			 queued;	/* under mu */
	size_t			 dropped;	/* under mu */
	int			 notify[2];	/* worker writes, UI polls */
	int			 cancel[2];	/* UI writes, probe polls */
	pthread_t		 tid;
	int			 running;	/* UI thread only */
	unsigned		 next_id;	/* UI thread only */
	struct job		*job;		/* UI thread only */
};

static int
pipe_nb(int fds[2])
{
	if (pipe2(fds, O_CLOEXEC | O_NONBLOCK) < 0) {
		fds[0] = fds[1] = -1;
		return -1;
	}
	return 0;
}

static void
pipe_drain(int fd)
{
	char buf[64];

	while (read(fd, buf, sizeof(buf)) > 0)
		;
}

enum sw_err
engine_open(struct engine **out, struct sw_error *err)
{
	struct engine *e = calloc(1, sizeof(*e));

	*out = NULL;
	if (e == NULL)
		return sw_fail(err, SW_ENOMEM, "out of memory");
	/* Never 0 (stdin), which engine_close() would close. */
	e->notify[0] = e->notify[1] = e->cancel[0] = e->cancel[1] = -1;
	pthread_mutex_init(&e->mu, NULL);
	if (pipe_nb(e->notify) < 0 || pipe_nb(e->cancel) < 0) {
		sw_fail(err, SW_EIO, "cannot create the engine's pipes: %s",
		    strerror(errno));
		engine_close(e, -1);
		return SW_EIO;
	}
	*out = e;
	return SW_OK;
}

int
engine_notify_fd(const struct engine *e)
{
	return e->notify[0];
}

int
engine_busy(const struct engine *e)
{
	return e != NULL && e->running;
}

/* Under mu: says in the transcript that lines were left out. */
static void
note_dropped(struct engine *e)
{
	struct engine_event *ev = calloc(1, sizeof(*ev));

	if (ev == NULL || asprintf(&ev->text, "[%zu more lines not kept]",
	    e->dropped) < 0) {
		free(ev);
		return;
	}
	ev->kind = EV_TRANSCRIPT;
	e->dropped = 0;
	if (e->tail != NULL)
		e->tail->next = ev;
	else
		e->head = ev;
	e->tail = ev;
}

/* Worker side: queue one event and wake the UI. */
static void
push(struct engine *e, struct engine_event *ev)
{
	int wake;

	pthread_mutex_lock(&e->mu);
	if (ev->kind != EV_DONE && e->queued >= QUEUE_MAX) {
		e->dropped++;
		pthread_mutex_unlock(&e->mu);
		free(ev->text);
		free(ev);
		return;
	}
	if (ev->kind == EV_DONE && e->dropped > 0)
		note_dropped(e);
	if (e->tail != NULL)
		e->tail->next = ev;
	else
		e->head = ev;
	e->tail = ev;
	wake = e->queued++ == 0 || ev->kind == EV_DONE;
	pthread_mutex_unlock(&e->mu);
	/* The UI drains everything per wake-up: one byte per batch. */
	if (wake)
		(void)!write(e->notify[1], "", 1);
}

/* Worker side: queue a copy of one line of text. */
static void
push_text(struct job *j, enum engine_ev_kind kind, const char *line)
{
	struct engine_event *ev = calloc(1, sizeof(*ev));

	if (ev == NULL || (ev->text = strdup(line)) == NULL) {
		free(ev);
		return;
	}
	ev->kind = kind;
	ev->job = j->id;
	ev->step = j->step;
	push(j->eng, ev);
}

/*
 * probe_env.note: runs on the worker.  Progress goes to the transcript
 * as well, where it says what the next lines of dialogue are for.
 */
static void
job_note(void *arg, const struct probe_note *n)
{
	struct job *j = arg;
	char line[1200];

	if (n->kind == NOTE_PROGRESS) {
		sanitize(n->text, n->len, line, sizeof(line), 0);
		push_text(j, EV_PROGRESS, line);
	}
	transcript_format(n, line, sizeof(line));
	push_text(j, EV_TRANSCRIPT, line);
}

/* The user's Java runs the block; the password goes down its stdin. */
static enum sw_err
job_confirm(struct job *j, const struct probe_env *env,
    struct confirm_result *res, struct sw_error *err)
{
	struct confirm_opts co = { .rt = env->opt.runtime,
	    .mail_jar = j->opts.mail_jar, .password = env->opt.password,
	    .from = env->opt.mail_from, .to = env->opt.rcpt_to,
	    .truststore = env->opt.truststore,
	    .storepass = env->opt.storepass, .cancel_fd = env->cancel_fd,
	    .deadline_s = confirm_deadline_s(env->connect_timeout_ms,
	    env->read_timeout_ms) };
	char line[JAVART_PATH + 64];

	snprintf(line, sizeof(line), "Java %s runs the block (%s)",
	    co.rt ? co.rt->version : "?", co.rt ? co.rt->java : "no java");
	push_text(j, EV_PROGRESS, line);
	return confirm_run(&co, &j->set, j->set.lib, res, err);
}

static void *
worker(void *arg)
{
	struct job *j = arg;
	struct engine_event *ev = j->done;
	struct probe_env env;
	int64_t t0 = net_now_ms();

	probe_env_init(&env, &j->set);
	env.cancel_fd = j->eng->cancel[0];
	env.discover = j->opts.discover;
	env.opt = j->opts.opt;
	/* The verification's final settings carry the block's own. */
	if (env.opt.password == NULL)
		env.opt.password = settings_get(&j->set, "mail.smtp.password");
	memcpy(env.prev, j->opts.prev, sizeof(env.prev));
	env.note = job_note;
	env.arg = j;
	j->done = NULL;		/* from here on the queue owns it */
	if (j->step == ENGINE_VERIFY)
		ev->rc = verify_run(&env, &j->set, ev->vres, &ev->err);
	else if (j->step == ENGINE_CONFIRM)
		ev->rc = job_confirm(j, &env, ev->cres, &ev->err);
	else
		ev->rc = probe_step(j->step, &env, ev->res, &ev->err);
	if (ev->rc != SW_OK) {
		free(ev->res);
		free(ev->vres);
		free(ev->cres);
		ev->res = NULL;
		ev->vres = NULL;
		ev->cres = NULL;
	}
	ev->elapsed_ms = net_now_ms() - t0;
	push(j->eng, ev);
	return NULL;
}

/* The job's own copies of the earlier results it was given. */
static enum sw_err
copy_prev(struct job *j, const struct engine_opts *o, struct sw_error *err)
{
	int i;

	for (i = 0; i < STEP_COUNT; i++) {
		j->opts.prev[i] = NULL;
		if (o->prev[i] == NULL)
			continue;
		if ((j->prev[i] = malloc(sizeof(*j->prev[i]))) == NULL)
			return sw_fail(err, SW_ENOMEM, "out of memory");
		memcpy(j->prev[i], o->prev[i], sizeof(*j->prev[i]));
		j->opts.prev[i] = j->prev[i];
	}
	return SW_OK;
}

/* A secret of the job's own, in locked memory: *out points into it. */
static enum sw_err
job_secret(struct secret *own, const char *from, const char **out,
    struct sw_error *err)
{
	*out = NULL;
	if (from == NULL)
		return SW_OK;
	if (secret_set(own, from, err) != SW_OK)
		return err->code;
	*out = secret_held(own) ? own->buf : NULL;
	return SW_OK;
}

/* The job's own copy of opts: it outlives the UI's strings. */
static enum sw_err
job_opts(struct job *j, const struct engine_opts *opts, struct sw_error *err)
{
	j->opts.discover = opts->discover;
	if (probe_opts_dup(&j->opts.opt, &opts->opt, err) != SW_OK)
		return err->code;
	if (opts->mail_jar != NULL &&
	    (j->opts.mail_jar = strdup(opts->mail_jar)) == NULL)
		return sw_fail(err, SW_ENOMEM, "out of memory");
	if (job_secret(&j->pass, opts->opt.password, &j->opts.opt.password,
	    err) != SW_OK || job_secret(&j->storepass, opts->opt.storepass,
	    &j->opts.opt.storepass, err) != SW_OK ||
	    job_secret(&j->proxypass, opts->opt.proxy_password,
	    &j->opts.opt.proxy_password, err) != SW_OK)
		return err->code;
	return copy_prev(j, opts, err);
}

static void
job_free(struct job *j)
{
	int i;

	if (j == NULL)
		return;
	for (i = 0; i < STEP_COUNT; i++)
		free(j->prev[i]);
	settings_free(&j->set);		/* wipes the values: a password */
	probe_opts_free(&j->opts.opt);
	free((char *)j->opts.mail_jar);
	secret_clear(&j->pass);
	secret_clear(&j->storepass);
	secret_clear(&j->proxypass);
	engine_events_free(j->done);
	free(j);
}

/* The EV_DONE is made here so a worker short of memory still ends. */
static struct engine_event *
done_event(const struct job *j)
{
	struct engine_event *ev = calloc(1, sizeof(*ev));

	if (ev == NULL)
		return NULL;
	if (j->step == ENGINE_VERIFY)
		ev->vres = calloc(1, sizeof(*ev->vres));
	else if (j->step == ENGINE_CONFIRM)
		ev->cres = calloc(1, sizeof(*ev->cres));
	else
		ev->res = calloc(1, sizeof(*ev->res));
	if (ev->res == NULL && ev->vres == NULL && ev->cres == NULL) {
		free(ev);
		return NULL;
	}
	ev->kind = EV_DONE;
	ev->job = j->id;
	ev->step = j->step;
	return ev;
}

/* Blocks every signal in the worker: only the UI thread handles them. */
static int
spawn(struct engine *e, struct job *j)
{
	sigset_t all, old;
	int rc;

	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	rc = pthread_create(&e->tid, NULL, worker, j);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return rc;
}

/* One job on its own thread: step s, or the verification. */
static enum sw_err
start_job(struct engine *e, enum step s, const struct settings *set,
    const struct engine_opts *opts, unsigned *id, struct sw_error *err)
{
	struct job *j;
	int rc;

	if (e->running)
		return sw_fail(err, SW_EUSAGE, "a probe is still running");
	if ((j = calloc(1, sizeof(*j))) == NULL)
		return sw_fail(err, SW_ENOMEM, "out of memory");
	secret_init(&j->pass);
	secret_init(&j->storepass);
	secret_init(&j->proxypass);
	if (settings_copy(&j->set, set, err) != SW_OK) {
		free(j);
		return err->code;
	}
	j->eng = e;
	j->id = ++e->next_id;
	j->step = s;
	if (opts != NULL && job_opts(j, opts, err) != SW_OK) {
		job_free(j);
		return err->code;
	}
	if ((j->done = done_event(j)) == NULL) {
		job_free(j);
		return sw_fail(err, SW_ENOMEM, "out of memory");
	}
	pipe_drain(e->cancel[0]);	/* a stale cancel must not stop it */
	if ((rc = spawn(e, j)) != 0) {
		job_free(j);
		return sw_fail(err, SW_EIO, "cannot start the worker thread: "
		    "%s", strerror(rc));
	}
	e->job = j;
	e->running = 1;
	*id = j->id;
	return SW_OK;
}

enum sw_err
engine_start(struct engine *e, enum step s, const struct settings *set,
    const struct engine_opts *opts, unsigned *id, struct sw_error *err)
{
	if (s < 1 || s > STEP_COUNT)
		return sw_fail(err, SW_EUSAGE, "no step %d", (int)s);
	return start_job(e, s, set, opts, id, err);
}

enum sw_err
engine_start_verify(struct engine *e, const struct settings *final,
    const struct engine_opts *opts, unsigned *id, struct sw_error *err)
{
	return start_job(e, ENGINE_VERIFY, final, opts, id, err);
}

enum sw_err
engine_start_confirm(struct engine *e, const struct settings *final,
    const struct engine_opts *opts, unsigned *id, struct sw_error *err)
{
	return start_job(e, ENGINE_CONFIRM, final, opts, id, err);
}

void
engine_cancel(struct engine *e)
{
	if (e != NULL && e->running)
		(void)!write(e->cancel[1], "", 1);
}

static void
reap(struct engine *e)
{
	if (!e->running)
		return;
	pthread_join(e->tid, NULL);
	job_free(e->job);
	e->job = NULL;
	e->running = 0;
}

struct engine_event *
engine_take(struct engine *e)
{
	struct engine_event *list, *ev;

	pipe_drain(e->notify[0]);
	pthread_mutex_lock(&e->mu);
	list = e->head;
	e->head = e->tail = NULL;
	e->queued = 0;
	pthread_mutex_unlock(&e->mu);
	for (ev = list; ev != NULL; ev = ev->next)
		if (ev->kind == EV_DONE && e->job != NULL &&
		    ev->job == e->job->id)
			reap(e);
	return list;
}

void
engine_events_free(struct engine_event *ev)
{
	struct engine_event *next;

	for (; ev != NULL; ev = next) {
		next = ev->next;
		free(ev->text);
		free(ev->res);
		free(ev->vres);
		free(ev->cres);
		free(ev);
	}
}

static void
close_pair(int fds[2])
{
	if (fds[0] >= 0)
		close(fds[0]);
	if (fds[1] >= 0)
		close(fds[1]);
}

/* Waits up to wait_ms for the running job's EV_DONE; 1 when it came. */
static int
wait_done(struct engine *e, int wait_ms)
{
	int64_t end = net_now_ms() + wait_ms;
	struct pollfd p = { .fd = e->notify[0], .events = POLLIN };
	struct engine_event *ev;
	int done = 0;

	while (!done) {
		pthread_mutex_lock(&e->mu);
		for (ev = e->head; ev != NULL; ev = ev->next)
			done |= ev->kind == EV_DONE && ev->job == e->job->id;
		pthread_mutex_unlock(&e->mu);
		if (done || net_now_ms() >= end)
			break;
		(void)poll(&p, 1, (int)(end - net_now_ms()));
		pipe_drain(e->notify[0]);
	}
	return done;
}

void
engine_close(struct engine *e, int wait_ms)
{
	if (e == NULL)
		return;
	engine_cancel(e);
	if (e->running && wait_ms >= 0 && !wait_done(e, wait_ms)) {
		/* The worker still uses e and its job: leave both to it. */
		pthread_detach(e->tid);
		return;
	}
	reap(e);
	engine_events_free(e->head);
	close_pair(e->notify);
	close_pair(e->cancel);
	pthread_mutex_destroy(&e->mu);
	free(e);
}
