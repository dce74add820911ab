/*
 * Step 2: certificates.  The server's chain, checked the way the Java
 * runtime will check it.
 *
 * The shared step screen shows whatever findings the engine returns;
 * the data view is what report_data_text() writes for the step
 * (stepv_data_generic).  The trust store fields are wizard options:
 * the engine checks against them, the block never holds them.
 */
#include <stdio.h>
#include <string.h>

#include "dlg.h"
#include "step_view.h"

/* s: where to save the chain, asked in the editor. */
static int
cert_save(struct app *a)
{
	const char *host = settings_get(&a->set, "mail.smtp.host");
	char name[300];

	snprintf(name, sizeof(name), "%s-chain.pem", host ? host : "server");
	return app_edit(a, EDIT_CHAIN_PATH, NULL, "Save the chain (PEM) to",
	    a->chain_path[0] ? a->chain_path : name, 0);
}

/*
 * The chain is the server's, so step 2 fetches it again and writes it
 * (and its CA as FILE-ca.pem) as check --save-chain does; the keytool
 * command then names the file.
 */
int
scr_cert_chain_save(struct app *a, const char *path)
{
	if (path[0] == '\0')
		return UI_REDRAW;
	if (!confirm_may_write(a, EDIT_CHAIN_PATH, path))
		return UI_REDRAW;
	snprintf(a->chain_path, sizeof(a->chain_path), "%s", path);
	app_msg(a, ROLE_INFO, "Fetching the chain again to save it to %s...",
	    path);
	app_probe(a, STEP_CERT);
	return UI_REDRAW;
}

/* After the probe that saved it: say so, and save no more. */
static void
cert_after(struct app *a, const struct engine_event *ev)
{
	const struct step_result *r = a->st[STEP_CERT].res;

	if (ev->kind != EV_DONE || a->chain_path[0] == '\0')
		return;
	if (ev->rc == SW_OK && r != NULL && r->d.cert.saved_chain[0])
		app_msg(a, ROLE_PASS, "Chain saved to %s%s%s", r->d.cert.saved_chain,
		    r->d.cert.saved_ca[0] ? ", its CA to " : "",
		    r->d.cert.saved_ca);
	else if (ev->rc == SW_OK)
		app_msg(a, ROLE_WARN, "The chain was not saved: see the "
		    "findings");
	a->chain_path[0] = '\0';
}

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
	.step = STEP_CERT,
	.fields = cert_fields,
	.nfields = sizeof(cert_fields) / sizeof(cert_fields[0]),
	.data = NULL,		/* stepv_data_generic() */
	.save = cert_save,
	.after_event = cert_after,
};

const struct screen scr_cert = {
	.name = "2 Certs",
	.help = "help/step2.txt",
	.step = STEP_CERT,
	.view = &cert_view,
};
