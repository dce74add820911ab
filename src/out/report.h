/*
 * The batch report: the steps' results as readable text or as the JSON
 * of the README's "JSON for scripts" (a stable contract: fields are
 * added, never renamed; tests/data/report/json-paths.txt lists them and
 * test_report_json.py checks it).
 * Everything server-provided in a step_result is sanitised already;
 * the JSON writer escapes the rest.
 */
#ifndef SW_REPORT_H
#define SW_REPORT_H

#include <stdio.h>

#include "block.h"
#include "probe.h"
#include "verify.h"

struct json;

struct javart;
struct confirm_result;

struct report {
	const char		*host;
	unsigned		 port;
	enum smtp_mode		 mode;		/* configured; without step 1: probed */
	int			 mode_probed;	/* mode is the probed one */
	const char		*java_profile;	/* "17" */
	const struct javart	*runtime;	/* the Java runtime read, or
						   NULL: none found */
	int			 runtime_used;	/* its java.security and store
						   judged (0: --java chose a
						   built-in profile alone) */
	const struct settings	*set;
	const struct step_result *steps[STEP_COUNT];	/* NULL: not run */
	const struct step_result *settings;	/* Java's reading of the
						   user's settings (findings
						   only); NULL: none */
	const struct block	*block;		/* the settings block, or NULL;
						   never with a real password */
	const struct verify_result *verify;	/* the block run as Java would;
						   NULL: not run (see below) */
	const char		*verify_skipped; /* why not, when NULL */
	const struct confirm_result *confirm;	/* --confirm-with-java; NULL:
						   not asked.  When it ran,
						   the real Java's outcome
						   decides the exit status */
};

/* Text for people; color adds ANSI colours to verdicts. */
void	report_text(FILE *, const struct report *, int color);

/* One step's data (not its findings) as text, for the wizard's views. */
void	report_data_text(FILE *, const struct step_result *);

/*
 * Which Java runtime was read, from where, and what it was started
 * with, as text lines (each with prefix) and as the report's
 * "java_runtime" object (null when none was found).
 */
void	report_runtime_text(FILE *, const struct javart *, int used,
	    const char *profile, const char *prefix);
void	report_runtime_json(struct json *, const struct javart *, int used,
	    const char *profile);

/* The confirmation by the user's Java: a text section and the
 * report's "confirmation" object (with "agrees": smtpwiz came to the
 * same outcome, and "compared_with": by its verification, or by the
 * steps when the verification could not run). */
void	report_confirm_text(FILE *, const struct report *);
void	report_confirm_json(struct json *, const struct report *);

/*
 * What smtpwiz says of the block, to compare with the real Java's: 1
 * it works, 0 it fails; by its verification, or when that could not
 * run by the steps (none failed).  *basis: "verification" or "steps".
 */
int	report_own_outcome(const struct report *, const char **basis);

/* The JSON object of the README's "JSON for scripts". */
void	report_json(FILE *, const struct report *);

/*
 * Exit status of `smtpwiz check`: 0 when the verification verified the
 * block (failing steps then judged the settings the block corrects);
 * else the number of the first failing step, else the step the
 * verification's failure belongs to; 0 without a verification (a part
 * of the steps) only when no step failed.
 */
int	report_exit_status(const struct report *);

#endif
