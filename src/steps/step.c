/*
 * The table of steps: each step once, with its names, its probe, its
 * judge and its renderers (probe.h, struct step_def).
 */
#include "probe.h"

static const struct step_def steps[STEP_COUNT + 1] = {
	[STEP_CONNECTION] = { STEP_CONNECTION, "connection",
	    "Protocol and port", probe_connection, conn_judge,
	    conn_data_text, conn_data_json, 0 },
	[STEP_CERTIFICATES] = { STEP_CERTIFICATES, "certificates",
	    "Certificates", probe_certificates, cert_judge, cert_data_text,
	    cert_data_json, 0 },
	[STEP_PROTOCOLS] = { STEP_PROTOCOLS, "protocols",
	    "TLS protocol version", probe_protocols, proto_judge,
	    proto_data_text, proto_data_json, 0 },
	[STEP_CIPHERS] = { STEP_CIPHERS, "ciphers", "Cipher suites",
	    probe_ciphers, cipher_judge, cipher_data_text, cipher_data_json,
	    0 },
	/* Step 5's data says "skipped" and why: scripts read its result. */
	[STEP_AUTH] = { STEP_AUTH, "authentication", "Authentication",
	    probe_auth, auth_judge, auth_data_text, auth_data_json, 1 },
};

const struct step_def *
step_def(enum step s)
{
	return s >= 1 && s <= STEP_COUNT ? &steps[s] : NULL;
}

const char *
step_name(enum step s)
{
	return s >= 1 && s <= STEP_COUNT ? steps[s].name : "?";
}

const char *
step_title(enum step s)
{
	return s >= 1 && s <= STEP_COUNT ? steps[s].title : "?";
}
