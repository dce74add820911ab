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
	{ .label = "Java",	.kind = FK_JAVA,
	  .hint = "the Java runtime the application runs on: its defaults "
	      "decide what it may negotiate" },
	{ .label = "java.sec",	.kind = FK_OPTION, .opt = OPT_JAVA_SECURITY,
	  .unset = "(the profile's)",
	  .hint = "the runtime's java.security file: its "
	      "jdk.tls.disabledAlgorithms decides what Java may use" },
};

static const struct step_view ciphers_view = {
	.step = STEP_CIPHERS,
	.fields = ciphers_fields,
	.nfields = sizeof(ciphers_fields) / sizeof(ciphers_fields[0]),
	.data = NULL,		/* stepv_data_generic() */
};

static int
ciphers_enter(struct app *a)
{
	return stepv_enter(a, &ciphers_view);
}

static int
ciphers_key(struct app *a, enum action act, int ch)
{
	return stepv_key(a, &ciphers_view, act, ch);
}

static int
ciphers_event(struct app *a, const struct engine_event *ev)
{
	return stepv_event(a, &ciphers_view, ev);
}

static unsigned
ciphers_offers(const struct app *a)
{
	return stepv_offers(a, &ciphers_view);
}

static void
ciphers_draw(const struct app *a)
{
	stepv_draw(a, &ciphers_view);
}

const struct screen scr_ciphers = {
	.name = "4 Ciphers",
	.help = "help/step4.txt",
	.step = STEP_CIPHERS,
	.enter = ciphers_enter,
	.key = ciphers_key,
	.event = ciphers_event,
	.offers = ciphers_offers,
	.draw = ciphers_draw,
};
