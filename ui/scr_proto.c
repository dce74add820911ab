/*
 * Step 3: TLS protocol version.  Which versions the server accepts,
 * and the one to write down.
 *
 * The shared step screen shows whatever findings the engine returns;
 * the data view is what report_data_text() writes for the step
 * (stepv_data_generic).
 */
#include "step_view.h"

static const struct field proto_fields[] = {
	{ .label = "protocols",	.key = "mail.smtp.ssl.protocols",
	  .kind = FK_TEXT,
	  .hint = "one version, e.g. TLSv1.2; several are separated by "
	      "spaces, never commas" },
	STEPV_FIELD_JAVA_TLS,
	STEPV_FIELD_JAVA_SECURITY,
};

static const struct step_view proto_view = {
	.step = STEP_PROTO,
	.fields = proto_fields,
	.nfields = sizeof(proto_fields) / sizeof(proto_fields[0]),
	.data = NULL,		/* stepv_data_generic() */
};

const struct screen scr_proto = {
	.name = "3 TLS",
	.help = "help/step3.txt",
	.step = STEP_PROTO,
	.view = &proto_view,
};
