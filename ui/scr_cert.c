/*
 * Step 2: certificates.  The server's chain, checked the way the Java
 * runtime will check it.
 *
 * The shared step screen shows whatever findings the engine returns;
 * the data view is the step's part of the text report
 * (stepv_data_generic) until this step gets a view of its own.
 */
#include "step_view.h"

static const struct field cert_fields[] = {
	{ .label = "trust",	.key = "mail.smtp.ssl.trust", .kind = FK_TEXT,
	  .hint = "hosts whose certificate is trusted without checking; "
	      "\"*\" turns checking off (only for a test)" },
	{ .label = "check name", .key = "mail.smtp.ssl.checkserveridentity",
	  .kind = FK_BOOL },
	{ .label = "Java",	.kind = FK_JAVA,
	  .hint = "the Java runtime the application runs on: its defaults "
	      "decide what it may negotiate" },
};

static const struct step_view cert_view = {
	.step = STEP_CERTIFICATES,
	.fields = cert_fields,
	.nfields = sizeof(cert_fields) / sizeof(cert_fields[0]),
	.data = NULL,		/* stepv_data_generic() */
};

static int
cert_enter(struct app *a)
{
	return stepv_enter(a, &cert_view);
}

static int
cert_key(struct app *a, enum action act, int ch)
{
	return stepv_key(a, &cert_view, act, ch);
}

static int
cert_event(struct app *a, const struct engine_event *ev)
{
	return stepv_event(a, &cert_view, ev);
}

static unsigned
cert_offers(const struct app *a)
{
	return stepv_offers(a, &cert_view);
}

static void
cert_draw(const struct app *a)
{
	stepv_draw(a, &cert_view);
}

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
