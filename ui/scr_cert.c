/*
 * Step 2: certificates.  The server's chain, checked the way the Java
 * runtime will check it.
 *
 * The shared step screen shows whatever findings the engine returns;
 * the data view is what report_data_text() writes for the step
 * (stepv_data_generic).  The trust store fields are wizard options:
 * the engine checks against them, the block never holds them.
 */
#include "step_view.h"

static const struct field cert_fields[] = {
	{ .label = "trust",	.key = "mail.smtp.ssl.trust", .kind = FK_TEXT,
	  .hint = "hosts whose certificate is trusted without checking; "
	      "\"*\" turns checking off (only for a test)" },
	{ .label = "check name", .key = "mail.smtp.ssl.checkserveridentity",
	  .kind = FK_BOOL },
	{ .label = "Java",	.kind = FK_JAVA,
	  .hint = "the Java runtime the application runs on: its cacerts "
	      "and certpath limits decide" },
	{ .label = "CA file",	.kind = FK_OPTION, .opt = OPT_CAFILE,
	  .unset = "(Java's cacerts)",
	  .hint = "CA certificates (PEM) to trust instead of the Java "
	      "runtime's cacerts, e.g. your company CA" },
	{ .label = "truststore", .kind = FK_OPTION, .opt = OPT_TRUSTSTORE,
	  .unset = "(none)",
	  .hint = "the JKS or PKCS12 file Java really uses (cacerts, or "
	      "-Djavax.net.ssl.trustStore)" },
	{ .label = "store pass", .kind = FK_OPT_SECRET, .opt = OPT_STOREPASS,
	  .unset = "(changeit)",
	  .hint = "the trust store's password, typed hidden; empty keeps "
	      "it (default changeit)" },
};

static const struct step_view cert_view = {
	.step = STEP_CERTIFICATES,
	.fields = cert_fields,
	.nfields = sizeof(cert_fields) / sizeof(cert_fields[0]),
	.data = NULL,		/* stepv_data_generic() */
};

STEPV_OPS(cert, cert_view)

const struct screen scr_cert = {
	.name = "2 Certs",
	.help = "help/step2.txt",
	.step = STEP_CERTIFICATES,
	.enter = cert_enter,
	.key = cert_key,
	.event = cert_event,
	.offers = cert_offers,
	.draw = cert_draw,
};
