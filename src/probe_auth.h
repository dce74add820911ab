/*
 * Step 5: authentication — the data the step produces.  (The probe is
 * being built; until then the step reports itself skipped.)
 */
#ifndef SW_PROBE_AUTH_H
#define SW_PROBE_AUTH_H

#include <stdio.h>

struct json;

struct auth_data {
	int	available;
};

/* The step's data in the text report and in the JSON "data" object. */
void	auth_data_text(FILE *, const struct auth_data *);
void	auth_data_json(struct json *, const struct auth_data *);

#endif
