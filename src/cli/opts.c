/*
 * The table of options (opts.h) and what is made from it: the getopt
 * tables of the wizard and of check, and the --help text.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "javaprof.h"
#include "opts.h"
#include "probe.h"

#define C	OPT_CHECK
#define W	OPT_WIZARD
#define B	OPT_BOTH
#define HID	OPT_HIDDEN
#define SH	OPT_SHORT
/* The probe_opts field an option sets (opt_def.field). */
#define PO(f)	(offsetof(struct probe_opts, f) + 1)

static const struct opt_def opts[] = {
	{ NULL, 0, NULL, 0, "check: what to test", 0 },
	{ "steps", 's', "N|N-M", C, "steps to run, 1-5 (default: all)", 0 },
	{ "mode", 'm', "plain|starttls|ssl", C,
	    "the connection type the settings use", 0 },
	{ "port", 'p', "N", C, "port (or HOST:PORT)", 0 },
	{ "load", 'L', "FILE", B,
	    "mail.smtp.* settings from a .properties file", 0 },
	{ "set", 'S', "KEY=VALUE", C, "one mail.smtp.* setting (repeatable)",
	    0 },
	{ "discover", 'd', NULL, C, "also try ports 587, 465, 25 and 2525", 0 },
	{ "timeout", 't', "S", C,
	    "wait at most S seconds for each answer (30)", 0 },
	{ "connect-timeout", 'c', "S", C,
	    "wait at most S seconds to connect (10)", 0 },
	{ "concurrency", 'N', "N", C, "parallel connections in steps 3-4", 0 },
	{ "exhaustive", 'E', NULL, B, "steps 3-4: a hello for every answer, "
	    "nothing\ninferred (slower; the literal scan)", PO(exhaustive) },

	{ NULL, 0, NULL, 0, "check: trust and Java", 0 },
	{ "cafile", 'C', "FILE", B, "trust these CA certificates (PEM)",
	    PO(cafile) },
	{ "truststore", 'T', "FILE", B, "a Java trust store (JKS or PKCS12)",
	    PO(truststore) },
	{ "storepass-file", 'Q', "FILE", B, "its password (default changeit; "
	    "also\nSMTPWIZ_STOREPASS; --storepass P works, but\nother users "
	    "can read it in the process list)", 0 },
	{ "storepass", 'P', "P", B | HID, NULL, 0 },
	{ "save-chain", 'K', "FILE", B,
	    "write the server's certificate chain (PEM)", PO(save_chain) },
	{ "java-home", 'H', "DIR", B, "the Java runtime the application runs "
	    "on\n(default: JAVA_HOME, else java on PATH)", 0 },
	{ "java-pid", 'I', "PID", B, "the runtime of that running Java "
	    "process, with\nits system properties (java.security, trust "
	    "store)", 0 },
	{ "list-java", 'X', NULL, C,
	    "the runtimes found and the running Java processes", 0 },
	{ "java", 'j', "V", B | OPT_PROFILES, "a built-in profile instead "
	    "(default:\nthe one of the runtime's version, else 17),\nor a "
	    "profile file from explain --profile-out", PO(java) },
	{ "java-from-debug-log", 'G', "LOG", B, "the Java that wrote LOG\n"
	    "(javax.net.debug=ssl): its real offer", 0 },
	{ "java-security", 'J', "FILE", B,
	    "judge with this java.security instead", PO(java_security) },
	{ "confirm-with-java", 'Y', NULL, B,
	    "let that runtime itself run the block\n(the wizard: v on the "
	    "result screen)", 0 },
	{ "mail-jar", 'Z', "FILE", B,
	    "... with this JavaMail/Jakarta Mail jar", 0 },
	{ "mail-lib", 'M', "javamail|angus", B,
	    "JavaMail 1.6 (JS7) or Jakarta/Angus 2.x", 0 },

	{ NULL, 0, NULL, 0, "check: login and test mail", 0 },
	{ "user", 'u', "NAME", B, "log in as NAME (password: a prompt,\n"
	    "--password-file or SMTPWIZ_PASSWORD; never\non the command "
	    "line)", 0 },
	{ "password-file", 'W', "FILE", B, "the password, from FILE", 0 },
	{ "allow-plaintext-auth", 'A', NULL, C,
	    "send credentials over an unencrypted link",
	    PO(allow_plaintext_auth) },
	{ "mail-from", 'F', "ADDR", B, "send a test message from ADDR",
	    PO(mail_from) },
	{ "rcpt-to", 'R', "ADDR", B, "... to ADDR", PO(rcpt_to) },

	{ NULL, 0, NULL, 0,
	    "check: OAuth2 (XOAUTH2): a token fetched as the application does",
	    0 },
	{ "oauth2-client-id", OPT_OAUTH2_CLIENT_ID, "ID", C,
	    "the application's client id", 0 },
	{ "oauth2-tenant", OPT_OAUTH2_TENANT, "T", C,
	    "Microsoft Entra ID's directory (tenant) id", 0 },
	{ "oauth2-client-secret-file", OPT_OAUTH2_SECRET_FILE, "FILE", C,
	    "its secret (also\nSMTPWIZ_OAUTH2_CLIENT_SECRET or a prompt)", 0 },
	{ "oauth2-refresh-token-file", OPT_OAUTH2_REFRESH_FILE, "FILE", C,
	    "the refresh-token grant (also\nSMTPWIZ_OAUTH2_REFRESH_TOKEN); "
	    "else client\ncredentials (scope outlook.office365.com/.default)",
	    0 },
	{ "oauth2-token-url", OPT_OAUTH2_URL, "URL", C, "another token "
	    "endpoint (default: Entra ID's\nfor the tenant, Google's for a "
	    "Gmail host)", 0 },
	{ "oauth2-scope", OPT_OAUTH2_SCOPE, "S", C, "the scopes to ask for",
	    0 },
	{ "oauth2-flow", OPT_OAUTH2_FLOW, "client-credentials|refresh-token",
	    C, "the grant (default: refresh-token when a\nrefresh token is "
	    "given)", 0 },

	{ NULL, 0, NULL, 0, "check: the proxy Java goes through (every step "
	    "and the verification)", 0 },
	{ "socks", 'k', "[USER@]HOST[:PORT]", B,
	    "SOCKS5: mail.smtp.socks.host/port", 0 },
	{ "proxy", 'x', "[USER@]HOST[:PORT]", B, "HTTP CONNECT: "
	    "mail.smtp.proxy.*\n(password: SMTPWIZ_PROXY_PASSWORD; the wizard\n"
	    "also takes it, and the SOCKS user, on step 1)", 0 },

	{ NULL, 0, NULL, 0, "check: output", 0 },
	{ "format", 'f', "F", C, "text, json (report) or properties, js7,\n"
	    "js7-json, spring (the settings block)", 0 },
	{ "output", 'o', "FILE", C | SH,
	    "write to FILE (atomically; - is stdout)", 0 },
	{ "block-password", 'B', "omit|placeholder|include", C,
	    "password in the block", 0 },
	{ "log", 'l', "FILE", C,
	    "the SMTP transcript, passwords redacted (0600)", 0 },
	{ "no-color", 'n', NULL, B,
	    "no colours (also: NO_COLOR in the environment)", 0 },
	{ "verbose", 'v', NULL, C | SH, "progress on stderr", 0 },
	{ "help", 'h', NULL, C | SH | HID, NULL, 0 },

	/* The wizard's heading: the options it shares are listed under it. */
	{ NULL, 0, NULL, W, "wizard: HOST[:PORT] starts step 1 at once; as for "
	    "check (--storepass P\n  works too, but is visible to other "
	    "users):", 0 },
	{ "ascii", 'a', NULL, W, "no line-drawing glyphs", 0 },
	{ "demo-port", 'D', "PORT", W | HID, NULL, 0 },
};

#undef C
#undef W
#undef B
#undef HID
#undef SH
#undef PO

#define OPTS_COUNT	(sizeof(opts) / sizeof(opts[0]))

/* The values checked before they are stored (opts_probe_arg()). */
static const struct {
	int		 id;
	enum sw_err    (*check)(const char *arg, struct sw_error *);
} checks[] = {
	{ 'j', javaprof_check_arg },
};

/* The check of option id's value; SW_OK when it has none. */
static enum sw_err
check_arg(int id, const char *arg, struct sw_error *err)
{
	size_t i;

	for (i = 0; i < sizeof(checks) / sizeof(checks[0]); i++)
		if (checks[i].id == id)
			return checks[i].check(arg, err);
	return SW_OK;
}

const struct opt_def *
opts_table(size_t *n)
{
	*n = OPTS_COUNT;
	return opts;
}

int
opts_probe_arg(struct probe_opts *o, int id, const char *arg,
    struct sw_error *err)
{
	struct sw_error why = { 0 };
	size_t i;

	for (i = 0; i < OPTS_COUNT; i++) {
		const struct opt_def *d = &opts[i];
		char *f;

		if (d->name == NULL || d->id != id || d->field == 0)
			continue;
		if (check_arg(id, arg, &why) != SW_OK) {
			sw_fail(err, why.code, "--%s %s", d->name,
			    sw_error_text(&why));
			return -1;
		}
		f = (char *)o + d->field - 1;
		if (d->arg != NULL)
			memcpy(f, &arg, sizeof(arg));
		else
			*(int *)(void *)f = 1;
		return 1;
	}
	return 0;
}

void
opts_getopt(unsigned where, struct option *out, char *shortopts, size_t cap)
{
	size_t i, n = 0, s = 0;

	if (cap > 0)
		s = (size_t)snprintf(shortopts, cap, "+:");
	for (i = 0; i < OPTS_COUNT && n < OPTS_MAX - 1; i++) {
		const struct opt_def *d = &opts[i];

		if (d->name == NULL || !(d->where & where))
			continue;
		out[n].name = d->name;
		out[n].has_arg = d->arg ? required_argument : no_argument;
		out[n].flag = NULL;
		out[n].val = d->id;
		n++;
		if ((d->where & OPT_SHORT) && s + 3 < cap) {
			shortopts[s++] = (char)d->id;
			if (d->arg != NULL)
				shortopts[s++] = ':';
			shortopts[s] = '\0';
		}
	}
	memset(&out[n], 0, sizeof(out[n]));
}

#define HELP_COL	25	/* where the help of an option starts */

/* "  -o, --output FILE      write ..." and the lines under it. */
static void
usage_option(FILE *f, const struct opt_def *d)
{
	const char *p = d->help, *arg = d->arg;
	char list[64];
	int len;

	if ((d->where & OPT_SHORT) && d->id < 0x100)
		len = fprintf(f, "  -%c, --%s", d->id, d->name);
	else
		len = fprintf(f, "  --%s", d->name);
	if (d->where & OPT_PROFILES)
		arg = javaprof_list(list, sizeof(list), "|");
	if (arg != NULL)
		len += fprintf(f, " %s", arg);
	if (len + 3 + (int)strcspn(p, "\n") > 78)	/* under it */
		fprintf(f, "\n%*s", HELP_COL, "");
	else
		fprintf(f, "%*s", len < HELP_COL - 1 ? HELP_COL - len : 3, "");
	for (;;) {
		size_t n = strcspn(p, "\n");

		fprintf(f, "%.*s\n", (int)n, p);
		if (p[n] == '\0')
			break;
		p += n + 1;
		fprintf(f, "%*s", HELP_COL, "");
	}
}

/* The options the wizard shares with check, wrapped: "  --load, ...". */
static void
usage_shared(FILE *f)
{
	size_t i;
	int col = 0;

	for (i = 0; i < OPTS_COUNT; i++) {
		const struct opt_def *d = &opts[i];
		int w = d->name ? (int)strlen(d->name) + 4 : 0;

		if (d->name == NULL || d->where & OPT_HIDDEN ||
		    (d->where & OPT_BOTH) != OPT_BOTH)
			continue;
		if (col > 0 && col + w > 76) {
			fputs(",\n", f);
			col = 0;
		}
		col += fprintf(f, "%s--%s", col == 0 ? "  " : ", ", d->name);
	}
	fputc('\n', f);
}

void
opts_usage(FILE *f)
{
	size_t i;

	fputs("usage: smtpwiz [options] [HOST[:PORT]]        the wizard\n"
	    "       smtpwiz check [options] HOST[:PORT]    the checks "
	    "without a screen\n"
	    "       smtpwiz explain TEXT | -               decode a Java or "
	    "SMTP error\n"
	    "       smtpwiz --version | --help\n", f);
	for (i = 0; i < OPTS_COUNT; i++) {
		const struct opt_def *d = &opts[i];

		if (d->name == NULL && d->where == OPT_WIZARD) {
			fprintf(f, "\n%s\n", d->help);
			usage_shared(f);
		} else if (d->name == NULL)
			fprintf(f, "%s%s\n", i == 0 ? "\n" : "", d->help);
		else if (!(d->where & OPT_HIDDEN))
			usage_option(f, d);
	}
	fputs("\nExit status of check: the number of the first failing step "
	    "(1-5),\n0 when none failed, 64 for a usage error.\n", f);
}
