/*
 * The table of options (opts.h) and what is made from it: the getopt
 * tables of the wizard and of check, and the --help text.
 */
#include <stdio.h>
#include <string.h>

#include "javaprof.h"
#include "opts.h"

#define C	OPT_CHECK
#define W	OPT_WIZARD
#define B	OPT_BOTH
#define HID	OPT_HIDDEN
#define SH	OPT_SHORT

static const struct opt_def opts[] = {
	{ NULL, 0, NULL, 0, "check: what to test" },
	{ "steps", 's', "N|N-M", C, "steps to run, 1-5 (default: all)" },
	{ "mode", 'm', "plain|starttls|ssl", C,
	    "the connection type the settings use" },
	{ "port", 'p', "N", C, "port (or HOST:PORT)" },
	{ "load", 'L', "FILE", B,
	    "mail.smtp.* settings from a .properties file" },
	{ "set", 'S', "KEY=VALUE", C, "one mail.smtp.* setting (repeatable)" },
	{ "discover", 'd', NULL, C, "also try ports 587, 465, 25 and 2525" },
	{ "timeout", 't', "S", C,
	    "wait at most S seconds for each answer (30)" },
	{ "connect-timeout", 'c', "S", C,
	    "wait at most S seconds to connect (10)" },
	{ "concurrency", 'N', "N", C, "parallel connections in steps 3-4" },
	{ "exhaustive", 'E', NULL, B, "steps 3-4: a hello for every answer, "
	    "nothing\ninferred (slower; the literal scan)" },

	{ NULL, 0, NULL, 0, "check: trust and Java" },
	{ "cafile", 'C', "FILE", B, "trust these CA certificates (PEM)" },
	{ "truststore", 'T', "FILE", B, "a Java trust store (JKS or PKCS12)" },
	{ "storepass-file", 'Q', "FILE", B, "its password (default changeit; "
	    "also\nSMTPWIZ_STOREPASS; --storepass P works, but\nother users "
	    "can read it in the process list)" },
	{ "storepass", 'P', "P", B | HID, NULL },
	{ "save-chain", 'K', "FILE", B,
	    "write the server's certificate chain (PEM)" },
	{ "java-home", 'H', "DIR", B, "the Java runtime the application runs "
	    "on\n(default: JAVA_HOME, else java on PATH)" },
	{ "java-pid", 'I', "PID", B, "the runtime of that running Java "
	    "process, with\nits system properties (java.security, trust "
	    "store)" },
	{ "list-java", 'X', NULL, C,
	    "the runtimes found and the running Java processes" },
	{ "java", 'j', "V", B | OPT_PROFILES, "a built-in profile instead "
	    "(default:\nthe one of the runtime's version, else 17),\nor a "
	    "profile file from explain --profile-out" },
	{ "java-from-debug-log", 'G', "LOG", B, "the Java that wrote LOG\n"
	    "(javax.net.debug=ssl): its real offer" },
	{ "java-security", 'J', "FILE", B,
	    "judge with this java.security instead" },
	{ "confirm-with-java", 'Y', NULL, B,
	    "let that runtime itself run the block\n(the wizard: v on the "
	    "result screen)" },
	{ "mail-jar", 'Z', "FILE", B,
	    "... with this JavaMail/Jakarta Mail jar" },
	{ "mail-lib", 'M', "javamail|angus", B,
	    "JavaMail 1.6 (JS7) or Jakarta/Angus 2.x" },

	{ NULL, 0, NULL, 0, "check: login and test mail" },
	{ "user", 'u', "NAME", B, "log in as NAME (password: a prompt,\n"
	    "--password-file or SMTPWIZ_PASSWORD; never\non the command "
	    "line)" },
	{ "password-file", 'W', "FILE", B, "the password, from FILE" },
	{ "allow-plaintext-auth", 'A', NULL, C,
	    "send credentials over an unencrypted link" },
	{ "mail-from", 'F', "ADDR", B, "send a test message from ADDR" },
	{ "rcpt-to", 'R', "ADDR", B, "... to ADDR" },

	{ NULL, 0, NULL, 0,
	    "check: OAuth2 (XOAUTH2): a token fetched as the application does" },
	{ "oauth2-client-id", OPT_OAUTH2_CLIENT_ID, "ID", C,
	    "the application's client id" },
	{ "oauth2-tenant", OPT_OAUTH2_TENANT, "T", C,
	    "Microsoft Entra ID's directory (tenant) id" },
	{ "oauth2-client-secret-file", OPT_OAUTH2_SECRET_FILE, "FILE", C,
	    "its secret (also\nSMTPWIZ_OAUTH2_CLIENT_SECRET or a prompt)" },
	{ "oauth2-refresh-token-file", OPT_OAUTH2_REFRESH_FILE, "FILE", C,
	    "the refresh-token grant (also\nSMTPWIZ_OAUTH2_REFRESH_TOKEN); "
	    "else client\ncredentials (scope outlook.office365.com/.default)" },
	{ "oauth2-token-url", OPT_OAUTH2_URL, "URL", C, "another token "
	    "endpoint (default: Entra ID's\nfor the tenant, Google's for a "
	    "Gmail host)" },
	{ "oauth2-scope", OPT_OAUTH2_SCOPE, "S", C, "the scopes to ask for" },
	{ "oauth2-flow", OPT_OAUTH2_FLOW, "client-credentials|refresh-token",
	    C, "the grant (default: refresh-token when a\nrefresh token is "
	    "given)" },

	{ NULL, 0, NULL, 0, "check: the proxy Java goes through (every step "
	    "and the verification)" },
	{ "socks", 'k', "[USER@]HOST[:PORT]", B,
	    "SOCKS5: mail.smtp.socks.host/port" },
	{ "proxy", 'x', "[USER@]HOST[:PORT]", B, "HTTP CONNECT: "
	    "mail.smtp.proxy.*\n(password: SMTPWIZ_PROXY_PASSWORD; the wizard\n"
	    "also takes it, and the SOCKS user, on step 1)" },

	{ NULL, 0, NULL, 0, "check: output" },
	{ "format", 'f', "F", C, "text, json (report) or properties, js7,\n"
	    "js7-json, spring (the settings block)" },
	{ "output", 'o', "FILE", C | SH,
	    "write to FILE (atomically; - is stdout)" },
	{ "block-password", 'B', "omit|placeholder|include", C,
	    "password in the block" },
	{ "log", 'l', "FILE", C,
	    "the SMTP transcript, passwords redacted (0600)" },
	{ "no-color", 'n', NULL, B,
	    "no colours (also: NO_COLOR in the environment)" },
	{ "verbose", 'v', NULL, C | SH, "progress on stderr" },
	{ "help", 'h', NULL, C | SH | HID, NULL },

	/* The wizard's heading: the options it shares are listed under it. */
	{ NULL, 0, NULL, W, "wizard: HOST[:PORT] starts step 1 at once; as for "
	    "check (--storepass P\n  works too, but is visible to other "
	    "users):" },
	{ "ascii", 'a', NULL, W, "no line-drawing glyphs" },
	{ "demo-port", 'D', "PORT", W | HID, NULL },
};

#undef C
#undef W
#undef B
#undef HID
#undef SH

#define OPTS_COUNT	(sizeof(opts) / sizeof(opts[0]))

const struct opt_def *
opts_table(size_t *n)
{
	*n = OPTS_COUNT;
	return opts;
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
