/*
 * Step 3 (and what step 4, cipher.h, shares with it): which TLS
 * protocol versions and cipher suites the
 * server accepts, found with raw ClientHellos (sweep.h) so that no
 * limit of the linked mbedTLS hides anything, and what each Java
 * profile would negotiate with it (javaprof.c).  Step 3 sends one hello
 * per version; step 4 enumerates the suites of every accepted version
 * and reuses step 3's answers when it ran.  The data below is what the
 * report and the wizard show; everything server-provided in it is
 * sanitised.  A fact the sweep could not observe (421, refused, reset)
 * is TRI_UNKNOWN with the reason, never TRI_NO.
 */
#ifndef SW_PROTO_H
#define SW_PROTO_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "tri.h"

struct json;
struct step_result;

#define TLS_NVERS		5	/* SSLv3 .. TLSv1.3 */
#define CIPHER_SUITES_MAX	160	/* kept per version */
#define JAVA_VERDICTS_MAX	8	/* profiles in the table */

/* How the sweep went: for the report, the wizard and `make bench`. */
struct tls_sweep_info {
	char		 addr[64];	/* the address probed */
	int		 starttls;	/* 0: implicit TLS */
	int		 mode_assumed;	/* no step 1: mode from port/settings */
	int		 mode_detected;	/* no step 1: found out first */
	int		 concurrency;	/* bound asked for */
	int		 min_concurrency; /* lowest after back-off */
	unsigned	 connections;	/* TCP connections opened */
	unsigned	 retries;	/* probes repeated after 421/refused/... */
	unsigned	 greeting_4xx, refused, resets, timeouts;
	int64_t		 elapsed_ms;
	int		 server_limit;	/* connections at once it allowed,
					   learnt from its refusals; 0: none */
	int64_t		 hold_ms;	/* it counted a closed one this long */
	int		 exhaustive;	/* --exhaustive: nothing inferred */
	unsigned	 inferred;	/* answers inferred (versions and
					   suites), no hello of their own */
};

/* What one Java profile makes of this server. */
struct java_verdict {
	char		 profile[16];	/* "8u202", "17", "custom" */
	char		 title[96];
	char		 enabled[64];	/* its client versions: "TLSv1.3 ..." */
	uint16_t	 version;	/* it would negotiate; 0: none */
	uint16_t	 suite;		/* step 4 only; 0: none / unknown */
	char		 suite_name[64];
	enum tri	 ok;		/* a handshake would work */
	char		 why[320];	/* plain words: why not, or what */
};

/* Step 3. */
struct proto_version {
	uint16_t	 version;	/* 0x0300 .. 0x0304 */
	enum tri	 accepted;
	int		 secure;	/* considered secure: 1.2 and 1.3 */
	uint16_t	 suite;		/* chosen by the version probe */
	int		 hrr;		/* TLS 1.3 answered with an HRR */
	uint16_t	 downgrade;	/* RFC 8446 sentinel in that answer */
	int		 inferred;	/* accepted/refused by inference
					   (why says from what) */
	char		 why[160];	/* for "no" and "unknown" */
};

struct proto_data {
	int			 available;
	struct tls_sweep_info	 sweep;
	struct proto_version	 v[TLS_NVERS];
	char			 java_profile[256];	/* the selected one; a path */
	char			 java_enabled[64];	/* its versions */
	char			 recommended[16];	/* "TLSv1.3"; "" none */
	size_t			 njava;
	struct java_verdict	 java[JAVA_VERDICTS_MAX];
};

/* The step's data in the text report and in the JSON "data" object. */
void	proto_data_text(FILE *, const struct step_result *);
void	proto_data_json(struct json *, const struct step_result *);

#endif
