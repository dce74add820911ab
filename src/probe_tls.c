/*
 * Steps 3 and 4: protocol versions and cipher suites — placeholder until the probe lands: the step reports itself
 * skipped, with the reason, so reports and the wizard stay honest.
 */
#include <stdio.h>

#include "json.h"
#include "probe.h"

static enum sw_err
not_yet(struct step_result *r, const char *what)
{
	r->verdict = VERDICT_SKIPPED;
	snprintf(r->skip_reason, sizeof(r->skip_reason), "the %s check is "
	    "not available in this version", what);
	return SW_OK;
}

enum sw_err
probe_protocols(const struct probe_env *env, struct step_result *r,
    struct sw_error *err)
{
	(void)env;
	(void)err;
	return not_yet(r, "protocol version");
}

enum sw_err
probe_ciphers(const struct probe_env *env, struct step_result *r,
    struct sw_error *err)
{
	(void)env;
	(void)err;
	return not_yet(r, "cipher suite");
}

void
proto_data_text(FILE *f, const struct proto_data *d)
{
	(void)f;
	(void)d;
}

void
proto_data_json(struct json *j, const struct proto_data *d)
{
	(void)j;
	(void)d;
}

void
cipher_data_text(FILE *f, const struct cipher_data *d)
{
	(void)f;
	(void)d;
}

void
cipher_data_json(struct json *j, const struct cipher_data *d)
{
	(void)j;
	(void)d;
}
