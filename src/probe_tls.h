/*
 * Steps 3 and 4: TLS protocol versions and cipher suites — the data
 * the steps produce.  (The probes are being built; until then the
 * steps report themselves skipped.)
 */
#ifndef SW_PROBE_TLS_H
#define SW_PROBE_TLS_H

#include <stdio.h>

struct json;

struct proto_data {
	int	available;
};

struct cipher_data {
	int	available;
};

/* The step's data in the text report and in the JSON "data" object. */
void	proto_data_text(FILE *, const struct proto_data *);
void	proto_data_json(struct json *, const struct proto_data *);

/* The step's data in the text report and in the JSON "data" object. */
void	cipher_data_text(FILE *, const struct cipher_data *);
void	cipher_data_json(struct json *, const struct cipher_data *);

#endif
