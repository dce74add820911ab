/*
 * The engine's face: one call runs one step of the diagnosis against
 * the live server and fills a step_result with findings (a stable id,
 * a severity, a message in plain words, the mail.smtp.* settings that
 * fix it) and the step's typed data.  The UI and batch mode include
 * this, settings.h, report.h and explain.h, and nothing else of src/.
 *
 * probe_step() blocks: the TUI calls it on its worker thread, batch
 * mode directly.  It is re-entrant and uses no globals; every wait
 * inside honours env->cancel_fd and the timeouts in env.  A probe that
 * completes returns SW_OK even when the server is broken: a refused
 * connection or a 421 greeting is a finding.  An error code means the
 * probe itself could not run (cancelled, out of memory).
 */
#ifndef SW_PROBE_H
#define SW_PROBE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "err.h"
#include "net.h"
#include "settings.h"
#include "smtp.h"
#include "tri.h"

enum step {
	STEP_CONN = 1,
	STEP_CERT,
	STEP_PROTO,
	STEP_CIPHER,
	STEP_AUTH,
};
#define STEP_COUNT 5

enum verdict { VERDICT_SKIPPED, VERDICT_PASS, VERDICT_WARN, VERDICT_FAIL };
enum severity { SEV_INFO, SEV_WARN, SEV_FAIL };

/* How a port speaks SMTP. */
enum smtp_mode { MODE_UNKNOWN, MODE_PLAIN, MODE_STARTTLS, MODE_SSL };

#define FINDING_SUGGEST_MAX	6
#define STEP_FINDINGS_MAX	24

struct suggestion {
	char	key[64];		/* "mail.smtp.ssl.enable" */
	char	value[192];		/* "" means: remove the key */
};

struct finding {
	char			id[40];		/* stable: "ssl-on-starttls-port" */
	enum severity		sev;
	char			message[1536];	/* plain words, sanitised */
	int			optin;		/* a last resort: applied only
						   when the user chooses it */
	size_t			nsuggest;
	struct suggestion	suggest[FINDING_SUGGEST_MAX];
};

#include "conn.h"
#include "cert.h"
#include "proto.h"
#include "cipher.h"
#include "auth.h"

/*
 * The connection type a later step (2-5) used, and where it came from:
 * step 1's result, or a step 1 that probe_step() ran first because the
 * step ran without it (TARGET_DETECTED; later steps of the same run
 * reuse that instead of asking the server again).
 */
enum target_source { TARGET_NONE, TARGET_STEP1, TARGET_DETECTED };

struct target_info {
	enum target_source	source;
	char			host[256];
	unsigned		port;
	enum smtp_mode		mode;		/* MODE_UNKNOWN: no SMTP */
	char			addr[64];	/* the address it answered on */
	char			why[192];	/* MODE_UNKNOWN: what failed */
};

struct step_result {
	enum step	step;
	enum verdict	verdict;
	char		skip_reason[256];
	size_t		nfindings;
	struct finding	findings[STEP_FINDINGS_MAX];
	union {
		struct conn_data	conn;		/* step 1 */
		struct cert_data	cert;		/* step 2 */
		struct proto_data	proto;		/* step 3 */
		struct cipher_data	ciphers;	/* step 4 */
		struct auth_data	auth;		/* step 5 */
	} d;
	struct target_info target;	/* steps 2-5: the target probed */
};

/* Progress and transcript, delivered on the probing thread. */
enum probe_note_kind { NOTE_PROGRESS, NOTE_SENT, NOTE_RECEIVED, NOTE_TLS };

struct probe_note {
	enum probe_note_kind	kind;
	const char		*text;		/* not sanitised; owned by caller */
	size_t			len;
};

/*
 * Contract the wizard relies on to keep results current: steps 1-4 read
 * no credentials (the keys settings_step5_only() names: the
 * SETTINGS_STEP5 column of settings_keys.c's table; and
 * opt.password/mail_from/rcpt_to); only step 5 does.
 *
 * What the user told us beyond the mail.smtp.* settings.  Strings are
 * owned by the caller and outlive the probe.
 */
struct javart;
struct oauth2_request;
struct secret;

struct probe_opts {
	const char	*cafile;	/* --cafile PEM; NULL: system bundle */
	const char	*truststore;	/* --truststore JKS/PKCS12 */
	const char	*storepass;	/* its password; NULL: "changeit" */
	const char	*save_chain;	/* step 2: write the chain here (PEM) */
	const char	*java;		/* profile "8u202" … "21"; "17" */
	const char	*java_security;	/* --java-security FILE */
	const struct javart *runtime;	/* the user's Java runtime read
					   (javart.h): its java.security,
					   cacerts and trust store; NULL:
					   the profile's own */
	int		 concurrency;	/* parallel connections, steps 3-4 */
	int		 exhaustive;	/* steps 3-4: no inference, every
					   answer from a hello of its own */
	const char	*password;	/* step 5; never printed */
	int		 allow_plaintext_auth;
	const char	*mail_from;	/* step 5 test mail; NULL: none */
	const char	*rcpt_to;
	/* The proxy's credentials beyond mail.smtp.proxy.*: the SOCKS
	   user (Java: java.net.socks.username) and the password of
	   either proxy (never printed). */
	const char	*socks_user;
	const char	*proxy_password;
	/* Step 5 logs in with an OAuth2 access token fetched with this
	   request (oauth2.h) into oauth2_token (the caller's, cleared by
	   the caller) instead of a password; NULL: no such flow. */
	const struct oauth2_request *oauth2;
	struct secret	*oauth2_token;
};

/*
 * A copy of src in dst whose strings and runtime are dst's own (free
 * with probe_opts_free()).  The secrets (storepass, password,
 * proxy_password, oauth2_token) and the oauth2 request are not copied:
 * they are NULL in dst, for the caller to point at secrets of its own
 * (locked struct secret memory, secret.h).  Errors: SW_ENOMEM (dst is
 * then empty).
 */
enum sw_err	probe_opts_dup(struct probe_opts *dst,
		    const struct probe_opts *src, struct sw_error *);

/* Frees what probe_opts_dup() made and zeroes o.  NULL-safe. */
void		probe_opts_free(struct probe_opts *o);

struct probe_env {
	const struct settings	*set;		/* read-only during the probe */
	struct probe_opts	 opt;
	const struct step_result *prev[STEP_COUNT]; /* earlier steps, or NULL */
	int			 cancel_fd;	/* readable => stop; -1: none */
	int			 connect_timeout_ms;
	int			 read_timeout_ms;	/* per wait */
	int			 discover;	/* step 1: also 25/465/587/2525 */
	const struct target_info *target; /* set by probe_step() only: the
					   step 1 in prev[] was run for
					   this step (found out first) */
	void		       (*note)(void *, const struct probe_note *);
	void			*arg;
};

/* Hands text to env->note as a note of kind; nothing without one. */
void		probe_note(const struct probe_env *, enum probe_note_kind,
		    const char *text, size_t len);

/* Progress line for the UI or -v (printf-style, not sanitised). */
void		probe_progress(const struct probe_env *, const char *fmt, ...)
		    __attribute__((format(printf, 2, 3)));

/* Sensible defaults: 10 s connect, 30 s per read, no cancel fd. */
void		probe_env_init(struct probe_env *, const struct settings *);

/*
 * Runs step s.  The caller owns res (large: allocate it).  A step 2-5
 * run without step 1's result for the same host and port, on settings
 * that name no connection type (no ssl.enable, no starttls.enable),
 * first finds out what the port speaks as step 1 would (it runs step
 * 1) and records it in res->target; a later step (2-4) whose
 * env->prev[] holds such a result reuses it instead of asking again.
 * Errors: SW_ECANCEL, SW_ENOMEM, SW_EUSAGE (the settings name no host).
 */
enum sw_err	probe_step(enum step s, const struct probe_env *,
		    struct step_result *res, struct sw_error *);

/*
 * The table of steps (step.c): one row per step, what runs it and what
 * renders its data.  probe_step() dispatches through it, the report
 * (report.c) renders through it; a new step is a new row.
 */
struct step_def {
	enum step	 step;
	const char	*name;		/* "connection": the JSON's name */
	const char	*title;		/* "Protocol and port" */
	enum sw_err    (*probe)(const struct probe_env *,
			    struct step_result *, struct sw_error *);
	/* What the probe's data means: r's data in, its findings and
	 * verdict out, no server (the probe calls it; NULL: the judging
	 * is still inside the probe). */
	void	       (*judge)(struct step_result *,
			    const struct probe_env *);
	void	       (*text)(FILE *, const struct step_result *);
	/* The fields of the JSON "data" object (the caller opens it). */
	void	       (*json)(struct json *, const struct step_result *);
	int		 data_when_skipped;	/* JSON "data" even when the
						   step was skipped */
};

/* The row of step s; NULL when there is no such step. */
const struct step_def *step_def(enum step s);

/* One function per step: conn_probe.c, cert_probe.c, proto_probe.c … */
enum sw_err	conn_probe(const struct probe_env *,
		    struct step_result *, struct sw_error *);
enum sw_err	cert_probe(const struct probe_env *,
		    struct step_result *, struct sw_error *);
enum sw_err	proto_probe(const struct probe_env *,
		    struct step_result *, struct sw_error *);
enum sw_err	cipher_probe(const struct probe_env *,
		    struct step_result *, struct sw_error *);
enum sw_err	auth_probe(const struct probe_env *,
		    struct step_result *, struct sw_error *);
/*
 * The pure judges, one per step (<step>_judge.c): the facts its probe
 * recorded in r->d in, findings and verdict out, no server, no files;
 * each probe calls its own at the end, the table names it.
 */
void		conn_judge(struct step_result *, const struct probe_env *);
void		cert_judge(struct step_result *, const struct probe_env *);
void		proto_judge(struct step_result *, const struct probe_env *);
void		cipher_judge(struct step_result *, const struct probe_env *);
void		auth_judge(struct step_result *, const struct probe_env *);

/*
 * The target as later steps should use it: host, port and the mode step
 * 1 detected (probe_step() runs one first when the caller has none),
 * falling back to the configured one.  Returns 0 when step 1 found
 * nothing to talk to, with *why set.
 */
int		probe_target(const struct probe_env *, char *host, size_t cap,
		    unsigned *port, enum smtp_mode *mode, const char **why);

/* Helpers for probes and reports. */
const char	*step_name(enum step);		/* "connection" … */
const char	*step_title(enum step);		/* "Protocol and port" … */
const char	*verdict_name(enum verdict);
const char	*severity_name(enum severity);
const char	*smtp_mode_name(enum smtp_mode);	/* "plain" "starttls" "ssl" */
enum smtp_mode	 smtp_mode_parse(const char *);		/* MODE_UNKNOWN if bad */

/* The mode the settings ask for (ssl.enable, starttls.enable). */
enum smtp_mode	 settings_mode(const struct settings *);

/*
 * The target the settings name, worked out here for every step and
 * front end: mail.smtp.host ("" when unset), the port Java uses
 * (mail.smtp.port, else its default) and settings_mode().
 */
struct settings_target {
	char		host[256];
	unsigned	port;
	enum smtp_mode	mode;
};
void		 settings_target(const struct settings *,
		    struct settings_target *);

/*
 * Is s1 (a step 1 result, or NULL) about host:port?  Later steps build
 * on step 1 only while it describes the same target.
 */
int		 step1_same_target(const struct step_result *s1,
		    const char *host, unsigned port);

/*
 * Adds a finding to r and returns it so the caller can add
 * suggestions; the verdict follows the worst severity.  When r is full
 * the finding is dropped and NULL returned (finding_suggest accepts
 * NULL).
 */
struct finding	*result_add(struct step_result *r, const char *id,
		    enum severity, const char *fmt, ...)
		    __attribute__((format(printf, 4, 5)));
void		 finding_suggest(struct finding *, const char *key,
		    const char *value);
const struct finding *result_find(const struct step_result *,
		    const char *id);

#endif
