/*
 * Step 4: cipher suites.  The suites the server accepts and the one
 * Java would pick.
 *
 * The shared step screen shows whatever findings the engine returns;
 * the data view is what report_data_text() writes for the step
 * (stepv_data_generic).
 */
#include "step_view.h"

static const struct field ciphers_fields[] = {
	{ .label = "suites",	.key = "mail.smtp.ssl.ciphersuites",
	  .kind = FK_TEXT,
	  .hint = "IANA names separated by spaces; leave empty to let Java "
	      "choose (the usual right answer)" },
	STEPV_FIELD_JAVA_TLS,
	STEPV_FIELD_JAVA_SECURITY,
};

static const struct step_view ciphers_view = {
	.step = STEP_CIPHER,
	.fields = ciphers_fields,
	.nfields = sizeof(ciphers_fields) / sizeof(ciphers_fields[0]),
	.data = NULL,		/* stepv_data_generic() */
};

const struct screen scr_cipher = {
	.name = "4 Ciphers",
	.help = "help/step4.txt",
	.step = STEP_CIPHER,
	.view = &ciphers_view,
};
