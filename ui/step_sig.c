/*
 * Fingerprints of a probe's inputs (step_sig.h).
 */
#include "step_sig.h"

#define FNV_OFFSET	0xcbf29ce484222325ULL

/* FNV-1a, 64 bits: a fingerprint, not a defence. */
static uint64_t
fnv(uint64_t h, const char *s)
{
	for (; s != NULL && *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	return (h ^ 0xff) * 0x100000001b3ULL;	/* ends the field */
}

/* Settings and library; step 5's own keys only for step 5 (s 0: all). */
static uint64_t
settings_sig(uint64_t h, const struct settings *set, enum step s)
{
	size_t i, n = props_count(set->p);

	h = fnv(h, settings_lib_name(set->lib));
	for (i = 0; i < n; i++) {
		const char *k = props_key(set->p, i);

		if (s != 0 && s != STEP_AUTH && settings_step5_only(k))
			continue;
		h = fnv(fnv(h, k), props_value(set->p, i));
	}
	return h;
}

uint64_t
step_sig(const struct step_inputs *in, enum step s)
{
	uint64_t h = settings_sig(FNV_OFFSET, in->set, s);
	int o;

	for (o = 0; o < OPT_COUNT; o++)
		h = fnv(h, wiz_opt_read_by(o, s) ? in->opt[o] : NULL);
	if (s == STEP_CONN)
		return fnv(h, in->discover ? "discover" : "");
	h = fnv(fnv(h, in->java), in->runtime);
	if (s == STEP_AUTH) {
		h = fnv(h, in->password);
		h = fnv(h, in->plaintext_ok ? "clear" : "");
	}
	return h;
}

uint64_t
step_sig_verify(const struct step_inputs *in, const struct settings *final)
{
	uint64_t h = settings_sig(FNV_OFFSET, final, 0);
	int o;

	h = fnv(fnv(h, in->java), in->runtime);
	for (o = 0; o < OPT_COUNT; o++)
		h = fnv(h, in->opt[o]);
	return fnv(h, in->plaintext_ok ? "clear" : "");
}

int
step_sig_stale(const struct step_state *st, uint64_t sig)
{
	return st->res != NULL && st->res_sig != sig;
}

int
step_sig_fresh(const struct step_state *st, uint64_t sig)
{
	return st->res != NULL && st->res_sig == sig;
}
