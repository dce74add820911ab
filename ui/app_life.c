/*
 * The model's beginning and end: a new app with its buffers and engine,
 * the command line's target, settings file, options and credentials
 * (checked before the screen is taken over, so errors go to stderr),
 * and freeing it all with the secrets wiped.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "debuglog.h"
#include "target.h"
#include "javaprof.h"
#include "javart.h"
#include "app.h"
#include "dlg.h"
#include "secret.h"

/*
 * The secrets main.c read are moved, not copied: the struct (buffer,
 * lock, guard) changes hands and main.c's is left empty.  --storepass
 * from argv (visible in ps(1) anyway) loses to --storepass-file and
 * SMTPWIZ_STOREPASS, as in check.
 */
static void
take_secret(struct secret *to, struct secret *from)
{
	if (from == NULL || !secret_held(from))
		return;
	secret_clear(to);
	*to = *from;
	secret_init(from);
}

static int
app_args_secrets(struct app *a, const struct tui_args *args)
{
	struct sw_error e = { 0 };

	take_secret(&a->pass, args->password);
	take_secret(&a->storepass, args->storepass_sec);
	if (args->storepass != NULL && !secret_held(&a->storepass) &&
	    secret_set(&a->storepass, args->storepass, &e) != SW_OK)
		return fprintf(stderr, "smtpwiz: --storepass: %s\n",
		    sw_error_text(&e)), -1;
	return 0;
}

/* Options and credentials from the command line. */
static int
app_args_opts(struct app *a, const struct tui_args *args)
{
	struct sw_error e = { 0 };
	char puser[256];	/* --proxy USER@ goes to the settings */
	const char *v;
	int i;

	for (i = 0; i < OPT_COUNT; i++)
		if ((v = wiz_opt_in(&args->opt, (enum wiz_opt)i)) != NULL)
			snprintf(a->opt[i], OPT_MAX, "%s", v);
	if (args->opt.save_chain != NULL)
		snprintf(a->chain_path, sizeof(a->chain_path), "%s",
		    args->opt.save_chain);
	/* --socks USER@: the SOCKS login, a wizard option like in check;
	 * --proxy USER@ lands in mail.smtp.proxy.user. */
	if ((args->socks != NULL && settings_proxy_arg(&a->set, 1,
	    args->socks, a->opt[OPT_SOCKS_USER], OPT_MAX, &e) != SW_OK) ||
	    (args->proxy != NULL && settings_proxy_arg(&a->set, 0,
	    args->proxy, puser, sizeof(puser), &e) != SW_OK))
		return fprintf(stderr, "smtpwiz: %s\n", sw_error_text(&e)), -1;
	/* The proxy's password from SMTPWIZ_PROXY_PASSWORD, held (and the
	 * variable wiped) like the others; the wizard's field may set it. */
	if (secret_from_env(&a->proxypass, PROXY_PASSWORD_ENV, &e) != SW_OK)
		return fprintf(stderr, "smtpwiz: %s: %s\n", PROXY_PASSWORD_ENV,
		    sw_error_text(&e)), -1;
	if (args->user != NULL && settings_set(&a->set, "mail.smtp.user",
	    args->user, &e) > SW_OK)
		return fprintf(stderr, "smtpwiz: %s\n", sw_error_text(&e)), -1;
	return app_args_secrets(a, args);
}

/*
 * The Java runtimes to offer: the one named (--java-home, --java-pid)
 * or found (JAVA_HOME, PATH), then the running Java processes.  The
 * first is judged with unless --java alone names a built-in profile.
 */
static int
app_runtimes(struct app *a, const struct tui_args *args)
{
	struct sw_error e = { 0 };
	size_t i, n;

	a->rt_sel = -1;
	if (javart_find(&a->rts[0], args->java_home, (pid_t)args->java_pid,
	    &e) != SW_OK)
		return fprintf(stderr, "smtpwiz: %s\n", sw_error_text(&e)), -1;
	a->nrt = a->rts[0].found;
	n = a->nrt + javart_processes(&a->rts[a->nrt], APP_RUNTIMES - a->nrt);
	for (i = a->nrt; i < n; i++)	/* the named process only once */
		if (a->nrt == 0 || a->rts[i].pid != a->rts[0].pid) {
			if (i != a->nrt)
				a->rts[a->nrt] = a->rts[i];
			a->nrt++;
		}
	/* --java and --java-from-debug-log name the offer to judge. */
	if (a->nrt > 0 && ((args->opt.java == NULL && args->java_log == NULL) ||
	    args->java_home != NULL || args->java_pid > 0)) {
		a->rt_sel = 0;
		if (args->opt.java == NULL && args->java_log == NULL)
			snprintf(a->java, sizeof(a->java), "%s",
			    a->rts[0].profile);
	}
	return 0;
}

/* The command line, checked before the screen is taken over. */
int
app_args(struct app *a, const struct tui_args *args)
{
	struct sw_error e = { 0 };
	char host[256], port[16];
	unsigned p;

	if (app_args_opts(a, args) < 0)
		return -1;
	if (args->mail_lib != NULL &&
	    settings_lib_parse(args->mail_lib, &a->set.lib, &e) != SW_OK)
		return fprintf(stderr, "smtpwiz: %s\n", sw_error_text(&e)), -1;
	a->jc.automatic = args->confirm_with_java || args->mail_jar != NULL;
	snprintf(a->java, sizeof(a->java), "%s",
	    args->opt.java ? args->opt.java : JAVAPROF_DEFAULT);
	/* The offer that Java made, as check's --java-from-debug-log. */
	if (args->java_log != NULL) {
		if (debuglog_profile_file(args->java_log, a->java_log,
		    sizeof(a->java_log), &e) != SW_OK) {
			a->java_log[0] = '\0';
			return fprintf(stderr, "smtpwiz: --java-from-debug-log: "
			    "%s\n", sw_error_text(&e)), -1;
		}
		snprintf(a->java, sizeof(a->java), "%s", a->java_log);
	} else if (strchr(a->java, '/') != NULL) {
		/* --java FILE: a profile of the user's, kept in the cycle */
		snprintf(a->java_log, sizeof(a->java_log), "%s", a->java);
		a->java_file_user = 1;
	}
	if (app_runtimes(a, args) < 0)
		return -1;
	if (args->load != NULL && settings_load(&a->set, args->load,
	    &e) != SW_OK)
		return fprintf(stderr, "smtpwiz: %s\n", sw_error_text(&e)), -1;
	if (args->load != NULL)
		snprintf(a->load_path, sizeof(a->load_path), "%s", args->load);
	if (app_take_password(a) < 0)
		return fprintf(stderr, "smtpwiz: %s\n", a->msg), -1;
	if (args->target == NULL)
		return 0;
	if (cli_parse_target(args->target, host, sizeof(host), &p,
	    &e) != SW_OK ||
	    settings_set(&a->set, "mail.smtp.host", host, &e) > SW_OK)
		return fprintf(stderr, "smtpwiz: %s\n", sw_error_text(&e)), -1;
	snprintf(port, sizeof(port), "%u", p);
	if (p != 0 && settings_set(&a->set, "mail.smtp.port", port,
	    &e) > SW_OK)
		return fprintf(stderr, "smtpwiz: %s\n", sw_error_text(&e)), -1;
	return 0;
}

struct app *
app_new(const struct tui_args *args)
{
	struct app *a = calloc(1, sizeof(*a));
	struct sw_error e = { 0 };
	int s;

	if (a == NULL || settings_init(&a->set, MAIL_LIB_JAVAMAIL16) != SW_OK) {
		free(a);
		fprintf(stderr, "smtpwiz: out of memory\n");
		return NULL;
	}
	a->args = args;
	secret_init(&a->pass);
	secret_init(&a->storepass);
	secret_init(&a->proxypass);
	/* The editor holds a password while it is typed. */
	a->ed_locked = mlock(&a->ed, sizeof(a->ed)) == 0;
	tb_init(&a->transcript, 20000);
	tb_init(&a->help, 2000);
	tb_init(&a->detail, 2000);
	tb_init(&a->block, 2000);
	for (s = 1; s <= STEP_COUNT; s++)
		tb_init(&a->st[s].data, 2000);
	if (engine_open(&a->eng, &e) != SW_OK)
		fprintf(stderr, "smtpwiz: %s\n", sw_error_text(&e));
	return a;
}

void
app_free(struct app *a)
{
	int s;

	if (a == NULL)
		return;
	engine_close(a->eng, -1);	/* cancels and joins the worker */
	app_fix_free(a);
	app_verify_free(a);
	app_java_free(a);
	if (a->java_log[0] != '\0' && !a->java_file_user)
		unlink(a->java_log);
	for (s = 1; s <= STEP_COUNT; s++) {
		free(a->st[s].res);
		tb_free(&a->st[s].data);
	}
	tb_free(&a->transcript);
	tb_free(&a->help);
	tb_free(&a->detail);
	explicit_bzero(a->copied, sizeof(a->copied));
	tb_free(&a->block);
	dlg_explain_free(a);
	free(a->term_out);
	explicit_bzero(&a->ed, sizeof(a->ed));	/* a password being typed */
	if (a->ed_locked)
		(void)munlock(&a->ed, sizeof(a->ed));
	settings_free(&a->set);
	secret_clear(&a->pass);			/* core dumps as before */
	secret_clear(&a->storepass);
	secret_clear(&a->proxypass);
	free(a);
}

