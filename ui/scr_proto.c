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
	{ .label = "Java",	.kind = FK_JAVA,
	  .hint = "the Java runtime the application runs on: its defaults "
	      "decide what it may negotiate" },
	{ .label = "java.sec",	.kind = FK_OPTION, .opt = OPT_JAVA_SECURITY,
	  .unset = "(the profile's)",
	  .hint = "the runtime's java.security file: its "
	      "jdk.tls.disabledAlgorithms decides what Java may use" },
};

static const struct step_view proto_view = {
	.step = STEP_PROTOCOLS,
	.fields = proto_fields,
	.nfields = sizeof(proto_fields) / sizeof(proto_fields[0]),
	.data = NULL,		/* stepv_data_generic() */
};

static int
proto_enter(struct app *a)
{
	return stepv_enter(a, &proto_view);
}

static int
proto_key(struct app *a, enum action act, int ch)
{
	return stepv_key(a, &proto_view, act, ch);
}

static int
proto_event(struct app *a, const struct engine_event *ev)
{
	return stepv_event(a, &proto_view, ev);
}

static unsigned
proto_offers(const struct app *a)
{
	return stepv_offers(a, &proto_view);
}

static void
proto_draw(const struct app *a)
{
	stepv_draw(a, &proto_view);
}

const struct screen scr_proto = {
	.name = "3 TLS",
	.help = "help/step3.txt",
	.step = STEP_PROTOCOLS,
	.enter = proto_enter,
	.key = proto_key,
	.event = proto_event,
	.offers = proto_offers,
	.draw = proto_draw,
};
