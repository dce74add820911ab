/*
 * What a recognised provider (provider.h) means for step 1 and step 5:
 * findings that say what it requires, and, for one whose passwords are
 * ending, the OAuth2 settings as a choice (an opt-in finding: a token
 * is not a password, so it is never applied by itself).  Private to
 * the probes.
 */
#ifndef SW_PROVIDER_JUDGE_H
#define SW_PROVIDER_JUDGE_H

#include "probe.h"

/*
 * Step 1: recognises the provider by r->d.conn's host and greeting,
 * records it in r->d.conn.provider*, and adds "provider" (what it
 * requires) and "provider-port" (the settings use a port or mode it
 * takes no logins on).  An unreadable asset only skips this.
 */
void	provider_judge_conn(struct step_result *r, const struct probe_env *);

/*
 * Step 5: for the provider step 1 recognised (env->prev[0]), adds
 * "provider-auth": its login form, whether passwords work, and, where
 * it wants OAuth2 and Java would not use XOAUTH2, the OAuth2 settings
 * as an opt-in suggestion.  java_mech: the mechanism Java would use
 * ("" when unknown).
 */
void	provider_judge_auth(struct step_result *r, const struct probe_env *,
	    const char *java_mech);

#endif
