/*
 * Fingerprints of what a probe runs with.  A step's result is stale when
 * the fingerprint it was probed with differs from the one its inputs
 * give now; each step's takes only what that step reads (the settings'
 * step-5 column, wiz_opt.c's steps), so typing a password leaves the
 * certificate step alone.  No curses, no app
 * (tests/unit/test_ui_model.c).
 */
#ifndef SW_UI_STEP_SIG_H
#define SW_UI_STEP_SIG_H

#include <stdint.h>

#include "settings.h"
#include "step_state.h"
#include "wiz_opt.h"

/* Everything a probe or the verification runs with. */
struct step_inputs {
	const struct settings	*set;
	const char		*java;		/* the profile; "" */
	const char		*runtime;	/* "pid:home"; "" */
	const char		*opt[OPT_COUNT];	/* NULL: unset */
	const char		*password;	/* NULL: none */
	int			 plaintext_ok;	/* AUTH without TLS allowed
						   for this target */
	int			 discover;	/* step 1 also tries the
						   other ports */
};

/* The fingerprint of what step s reads of in. */
uint64_t	step_sig(const struct step_inputs *in, enum step s);

/* The verification's: the final settings (the block as Java reads it,
 * password included) and every option of in. */
uint64_t	step_sig_verify(const struct step_inputs *in,
		    const struct settings *final);

/* st holds a result probed with other inputs than those of sig. */
int		step_sig_stale(const struct step_state *st, uint64_t sig);
/* st holds a result probed with exactly those. */
int		step_sig_fresh(const struct step_state *st, uint64_t sig);

#endif
