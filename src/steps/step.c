/*
 * The table of steps: each step once, with its names, its probe, its
 * judge and its renderers (probe.h, struct step_def); and the names of
 * what steps answer (verdicts, severities, connection types).
 */
#include <strings.h>

#include "probe.h"

static const struct step_def steps[STEP_COUNT + 1] = {
	[STEP_CONN] = { STEP_CONN, "connection",
	    "Protocol and port", conn_probe, conn_judge,
	    conn_data_text, conn_data_json, 0 },
	[STEP_CERT] = { STEP_CERT, "certificates",
	    "Certificates", cert_probe, cert_judge, cert_data_text,
	    cert_data_json, 0 },
	[STEP_PROTO] = { STEP_PROTO, "protocols",
	    "TLS protocol version", proto_probe, proto_judge,
	    proto_data_text, proto_data_json, 0 },
	[STEP_CIPHER] = { STEP_CIPHER, "ciphers", "Cipher suites",
	    cipher_probe, cipher_judge, cipher_data_text, cipher_data_json,
	    0 },
	/* Step 5's data says "skipped" and why: scripts read its result. */
	[STEP_AUTH] = { STEP_AUTH, "authentication", "Authentication",
	    auth_probe, auth_judge, auth_data_text, auth_data_json, 1 },
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

const char *
verdict_name(enum verdict v)
{
	switch (v) {
	case VERDICT_PASS:	return "pass";
	case VERDICT_WARN:	return "warn";
	case VERDICT_FAIL:	return "fail";
	default:		return "skipped";
	}
}

const char *
severity_name(enum severity s)
{
	return s == SEV_FAIL ? "fail" : s == SEV_WARN ? "warn" : "info";
}

const char *
smtp_mode_name(enum smtp_mode m)
{
	switch (m) {
	case MODE_PLAIN:	return "plain";
	case MODE_STARTTLS:	return "starttls";
	case MODE_SSL:		return "ssl";
	default:		return "unknown";
	}
}

enum smtp_mode
smtp_mode_parse(const char *s)
{
	if (strcasecmp(s, "plain") == 0)
		return MODE_PLAIN;
	if (strcasecmp(s, "starttls") == 0)
		return MODE_STARTTLS;
	if (strcasecmp(s, "ssl") == 0 || strcasecmp(s, "tls") == 0)
		return MODE_SSL;
	return MODE_UNKNOWN;
}
