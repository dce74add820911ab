/*
 * Fuzzes the error-table loader (explain_db_parse(): the record format
 * of assets/errors-java.txt and errors-smtp.txt, regular expressions
 * included) and runs a database that loads over a fixed log and a few
 * replies, so the matcher meets fuzzer-made patterns.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "explain.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const char sample[] =
    "javax.mail.MessagingException: Could not connect to SMTP host: "
    "mail.example.com, port: 465;\n"
    "  nested exception is:\n"
    "\tjavax.net.ssl.SSLException: Unsupported or unrecognized SSL "
    "message\n"
    "Caused by: sun.security.validator.ValidatorException: PKIX path "
    "building failed\n"
    "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication "
    "is disabled for the Tenant.\n";

static struct explain_result res;

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct explain_db *db;
	struct sw_error err = { 0 };
	size_t i, n;

	if ((db = explain_db_new()) == NULL)
		return 0;
	(void)explain_db_parse(db, "fuzz", (const char *)data, size, &err);
	n = explain_db_count(db);
	for (i = 0; i < n; i++) {
		const struct explain_entry *e = explain_db_entry(db, i);

		if (e == NULL || explain_db_find(db, e->id) == NULL)
			abort();
		(void)explain_step_title(e->step);
		(void)explain_step_token(e->step);
	}
	sw_error_clear(&err);
	/* The same bytes as an enhanced status code registry. */
	(void)explain_db_parse_enh(db, "fuzz-enh", (const char *)data, size,
	    &err);
	sw_error_clear(&err);
	(void)explain_text(db, sample, sizeof(sample) - 1, &res, &err);
	for (i = 0; i < res.n; i++)
		if (res.hits[i].enh.detail != NULL &&
		    res.hits[i].enh.detail[0] == '\0')
			abort();
	(void)explain_reply(db, 535, "5.7.8", "Authentication failed");
	(void)explain_reply(db, 454, "4.7.0", "TLS not available");
	(void)explain_reply(db, 421, NULL, NULL);
	explain_db_free(db);
	return 0;
}
