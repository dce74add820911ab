/*
 * Step 2: certificates and trust — the data the step produces.
 * (The probe is being built; until then the step reports itself
 * skipped.)
 */
#ifndef SW_PROBE_CERT_H
#define SW_PROBE_CERT_H

#include <stdio.h>

struct json;

struct cert_data {
	int	available;
};

/* The step's data in the text report and in the JSON "data" object. */
void	cert_data_text(FILE *, const struct cert_data *);
void	cert_data_json(struct json *, const struct cert_data *);

#endif
