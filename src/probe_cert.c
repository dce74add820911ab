/*
 * Step 2: certificates — placeholder until the probe lands: the step reports itself
 * skipped, with the reason, so reports and the wizard stay honest.
 */
#include <stdio.h>

#include "json.h"
#include "probe.h"

enum sw_err
probe_certificates(const struct probe_env *env, struct step_result *r,
    struct sw_error *err)
{
	(void)env;
	(void)err;
	r->verdict = VERDICT_SKIPPED;
	snprintf(r->skip_reason, sizeof(r->skip_reason), "the certificate "
	    "check is not available in this version");
	return SW_OK;
}

void
cert_data_text(FILE *f, const struct cert_data *d)
{
	(void)f;
	(void)d;
}

void
cert_data_json(struct json *j, const struct cert_data *d)
{
	(void)j;
	(void)d;
}
