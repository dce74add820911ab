/*
 * Step 5: authentication.  The mechanisms the server offers over the
 * secured channel and whether the credentials work.
 *
 * The shared step screen shows whatever findings the engine returns;
 * the data view is what report_data_text() writes for the step
 * (stepv_data_generic).  When the engine would not send the password
 * without TLS (refused-plaintext), the user is asked; only a y makes
 * the probe run again with allow_plaintext_auth.
 */
#include "step_view.h"
#include "dlg.h"

static const struct field auth_fields[] = {
	{ .label = "auth",	.key = "mail.smtp.auth", .kind = FK_BOOL },
	{ .label = "user",	.key = "mail.smtp.user", .kind = FK_TEXT },
	{ .label = "password",	.key = "mail.smtp.password", .kind = FK_SECRET,
	  .hint = "typed hidden; never shown, printed or copied by the "
	      "wizard" },
	{ .label = "mechanisms", .key = "mail.smtp.auth.mechanisms",
	  .kind = FK_TEXT },
	{ .label = "mail from",	.kind = FK_OPTION, .opt = OPT_MAIL_FROM,
	  .unset = "(no test mail)",
	  .hint = "with a recipient: send a real test message from this "
	      "address after logging in" },
	{ .label = "mail to",	.kind = FK_OPTION, .opt = OPT_RCPT_TO,
	  .unset = "(no test mail)",
	  .hint = "the test message's recipient (MAIL FROM / RCPT TO / "
	      "DATA, the final check)" },
};

static void
auth_after_event(struct app *a, const struct engine_event *ev)
{
	/* app_event() took ev->res when it became the step's result. */
	if (ev->kind == EV_DONE && ev->rc == SW_OK && ev->res == NULL)
		confirm_after_auth(a, a->st[STEP_AUTH].res);
}

static const struct step_view auth_view = {
	.step = STEP_AUTH,
	.fields = auth_fields,
	.nfields = sizeof(auth_fields) / sizeof(auth_fields[0]),
	.data = NULL,		/* stepv_data_generic() */
	.after_event = auth_after_event,
};

const struct screen scr_auth = {
	.name = "5 Auth",
	.help = "help/step5.txt",
	.step = STEP_AUTH,
	.view = &auth_view,
};
