/*
 * smtpwiz: argv → the wizard, `check` or `explain`.  Nothing more.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui.h"
#include "cli.h"
#include "explain.h"
#include "secret.h"
#include "tls.h"
#include "version.h"

const char smtpwiz_usage[] =
"usage: smtpwiz [options] [HOST[:PORT]]        the wizard\n"
"       smtpwiz check [options] HOST[:PORT]    the checks without a screen\n"
"       smtpwiz explain TEXT | -               decode a Java or SMTP error\n"
"       smtpwiz --version | --help\n"
"\n"
"check: what to test\n"
"  --steps N|N-M          steps to run, 1-5 (default: all)\n"
"  --mode plain|starttls|ssl   the connection type the settings use\n"
"  --port N               port (or HOST:PORT)\n"
"  --load FILE            mail.smtp.* settings from a .properties file\n"
"  --set KEY=VALUE        one mail.smtp.* setting (repeatable)\n"
"  --discover             also try ports 587, 465, 25 and 2525\n"
"  --timeout S            wait at most S seconds for each answer (30)\n"
"  --connect-timeout S    wait at most S seconds to connect (10)\n"
"  --concurrency N        parallel connections in steps 3-4\n"
"  --exhaustive           steps 3-4: a hello for every answer, nothing\n"
"                         inferred (slower; the literal scan)\n"
"check: trust and Java\n"
"  --cafile FILE          trust these CA certificates (PEM)\n"
"  --truststore FILE      a Java trust store (JKS or PKCS12)\n"
"  --storepass-file FILE  its password (default changeit; also\n"
"                         SMTPWIZ_STOREPASS; --storepass P works, but\n"
"                         other users can read it in the process list)\n"
"  --save-chain FILE      write the server's certificate chain (PEM)\n"
"  --java-home DIR        the Java runtime the application runs on\n"
"                         (default: JAVA_HOME, else java on PATH)\n"
"  --java-pid PID         the runtime of that running Java process, with\n"
"                         its system properties (java.security, trust store)\n"
"  --list-java            the runtimes found and the running Java processes\n"
"  --java 8u202|8u291|11|17|21   a built-in profile instead (default:\n"
"                         the one of the runtime's version, else 17),\n"
"                         or a profile file from explain --profile-out\n"
"  --java-from-debug-log LOG   the Java that wrote LOG\n"
"                         (javax.net.debug=ssl): its real offer\n"
"  --java-security FILE   judge with this java.security instead\n"
"  --confirm-with-java    let that runtime itself run the block\n"
"  --mail-jar FILE        ... with this JavaMail/Jakarta Mail jar\n"
"  --mail-lib javamail|angus   JavaMail 1.6 (JS7) or Jakarta/Angus 2.x\n"
"check: login and test mail\n"
"  --user NAME            log in as NAME (password: prompt, file or\n"
"  --password-file FILE     SMTPWIZ_PASSWORD; never on the command line)\n"
"  --allow-plaintext-auth   send credentials over an unencrypted link\n"
"check: OAuth2 (XOAUTH2): a token fetched as the application does\n"
"  --oauth2-client-id ID  the application's client id\n"
"  --oauth2-tenant T      Microsoft Entra ID's directory (tenant) id\n"
"  --oauth2-client-secret-file FILE   its secret (also\n"
"                         SMTPWIZ_OAUTH2_CLIENT_SECRET or a prompt)\n"
"  --oauth2-refresh-token-file FILE   the refresh-token grant (also\n"
"                         SMTPWIZ_OAUTH2_REFRESH_TOKEN); else client\n"
"                         credentials (scope outlook.office365.com/.default)\n"
"  --oauth2-token-url URL   another token endpoint (default: Entra ID's\n"
"                         for the tenant, Google's for a Gmail host)\n"
"  --oauth2-scope S       --oauth2-flow client-credentials|refresh-token\n"
"  --mail-from ADDR --rcpt-to ADDR   send a test message\n"
"check: the proxy Java goes through (every step and the verification)\n"
"  --socks [USER@]HOST[:PORT]   SOCKS5: mail.smtp.socks.host/port\n"
"  --proxy [USER@]HOST[:PORT]   HTTP CONNECT: mail.smtp.proxy.*\n"
"                         (password: SMTPWIZ_PROXY_PASSWORD)\n"
"check: output\n"
"  --format F             text, json (report) or properties, js7,\n"
"                         js7-json, spring (the settings block)\n"
"  -o, --output FILE      write to FILE (atomically; - is stdout)\n"
"  --block-password omit|placeholder|include   password in the block\n"
"  --log FILE             the SMTP transcript, passwords redacted (0600)\n"
"  --no-color             no colours (also: NO_COLOR in the environment)\n"
"  -v, --verbose          progress on stderr\n"
"\n"
"wizard: --load FILE, --java-home DIR, --java-pid PID, --java V, --ascii,\n"
"  --no-color, and --cafile,\n"
"  --truststore, --storepass-file (SMTPWIZ_STOREPASS; --storepass P is\n"
"  visible to other users), --save-chain, --java-security, --user\n"
"  (asks for the password), --password-file, --mail-from, --rcpt-to,\n"
"  --socks, --proxy, --exhaustive as for check; with HOST[:PORT] step 1\n"
"  starts at once\n"
"\n"
"Exit status of check: the number of the first failing step (1-5),\n"
"0 when none failed, 64 for a usage error.\n";

static int
print_version(void)
{
	uint16_t lo, hi;

	tls_library_range(&lo, &hi);
	printf("smtpwiz %s\n%s: completes handshakes with %s to %s\n",
	    SMTPWIZ_VERSION, tls_library_version(), tls_version_name(lo),
	    tls_version_name(hi));
	printf("other versions (SSLv3 to TLSv1.3) are probed with raw "
	    "ClientHellos\n");
	return 0;
}

/*
 * Runs the wizard with the password from --password-file or
 * SMTPWIZ_PASSWORD when there is one (the wizard asks for it on its
 * own screen otherwise), and the trust store's from --storepass-file
 * or SMTPWIZ_STOREPASS.  The wizard takes both secrets over (one copy
 * each, locked); whatever is left here is wiped when it ends.
 */
static int
wizard_run(struct tui_args *a, const char *pwfile, const char *spfile)
{
	struct secret sec, sp;
	struct sw_error e = { 0 };
	char warn[600], prompt[300];
	int rc = EXIT_USAGE;

	/* --user alone: ask, as check does (Enter alone: no password). */
	snprintf(prompt, sizeof(prompt), "Password for %s (Enter: none): ",
	    a->user ? a->user : "");
	secret_init(&sec);
	secret_init(&sp);
	if (secret_storepass(&sp, spfile, warn, sizeof(warn), &e) != SW_OK)
		goto out;
	if (warn[0] != '\0')
		fprintf(stderr, "smtpwiz: warning: %s\n", warn);
	if (secret_obtain(&sec, pwfile, a->user ? prompt : NULL, warn,
	    sizeof(warn), &e) != SW_OK)
		goto out;
	if (warn[0] != '\0')
		fprintf(stderr, "smtpwiz: warning: %s\n", warn);
	a->password = &sec;
	a->storepass_sec = &sp;
	rc = tui_main(a);
out:
	if (e.code != SW_OK)
		fprintf(stderr, "smtpwiz: %s\n", sw_error_text(&e));
	a->password = a->storepass_sec = NULL;
	secret_clear(&sec);
	secret_clear(&sp);
	return rc;
}

static int
wizard(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "load",	   required_argument, NULL, 'L' },
		{ "java",	   required_argument, NULL, 'j' },
		{ "ascii",	   no_argument,       NULL, 'a' },
		{ "no-color",	   no_argument,       NULL, 'n' },
		{ "demo-port",	   required_argument, NULL, 'D' },
		{ "cafile",	   required_argument, NULL, 'C' },
		{ "truststore",	   required_argument, NULL, 'T' },
		{ "java-security", required_argument, NULL, 'J' },
		{ "java-home",	   required_argument, NULL, 'H' },
		{ "java-pid",	   required_argument, NULL, 'I' },
		{ "user",	   required_argument, NULL, 'u' },
		{ "password-file", required_argument, NULL, 'W' },
		{ "mail-from",	   required_argument, NULL, 'F' },
		{ "rcpt-to",	   required_argument, NULL, 'R' },
		{ "storepass",	   required_argument, NULL, 'P' },
		{ "storepass-file", required_argument, NULL, 'Q' },
		{ "save-chain",	   required_argument, NULL, 'K' },
		{ "socks",	   required_argument, NULL, 'k' },
		{ "proxy",	   required_argument, NULL, 'x' },
		{ "exhaustive",	   no_argument,       NULL, 'E' },
		{ NULL,		   0,		      NULL, 0 }
	};
	struct tui_args a = { 0 };
	const char *pwfile = NULL, *spfile = NULL;
	int c;

	a.no_color = getenv("NO_COLOR") != NULL;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:", longopts, NULL)) != -1) {
		switch (c) {
		case 'L': a.load = optarg; break;
		case 'j': a.java = optarg; break;
		case 'a': a.ascii = 1; break;
		case 'n': a.no_color = 1; break;
		case 'D': a.demo_port = atoi(optarg); break;
		case 'C': a.cafile = optarg; break;
		case 'T': a.truststore = optarg; break;
		case 'J': a.java_security = optarg; break;
		case 'H': a.java_home = optarg; break;
		case 'I': a.java_pid = strtol(optarg, NULL, 10); break;
		case 'u': a.user = optarg; break;
		case 'W': pwfile = optarg; break;
		case 'F': a.mail_from = optarg; break;
		case 'R': a.rcpt_to = optarg; break;
		case 'P': a.storepass = optarg; break;
		case 'Q': spfile = optarg; break;
		case 'K': a.save_chain = optarg; break;
		case 'k': a.socks = optarg; break;
		case 'x': a.proxy = optarg; break;
		case 'E': a.exhaustive = 1; break;
		default:
			fprintf(stderr, "smtpwiz: unknown option or missing "
			    "value: \"%s\" (see smtpwiz --help)\n",
			    argv[optind - 1]);
			return EXIT_USAGE;
		}
	}
	if (optind < argc - 1) {
		fprintf(stderr, "smtpwiz: one target only (see smtpwiz "
		    "--help)\n");
		return EXIT_USAGE;
	}
	a.target = optind < argc ? argv[optind] : NULL;
	return wizard_run(&a, pwfile, spfile);
}

int
main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "explain") == 0)
		return cmd_explain(argc - 1, argv + 1);
	if (argc > 1 && strcmp(argv[1], "check") == 0)
		return cmd_check(argc - 1, argv + 1);
	if (argc > 1 && (strcmp(argv[1], "--version") == 0 ||
	    strcmp(argv[1], "-V") == 0))
		return print_version();
	if (argc > 1 && (strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0)) {
		fputs(smtpwiz_usage, stdout);
		return 0;
	}
	return wizard(argc, argv);
}
