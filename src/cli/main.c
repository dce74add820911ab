/*
 * smtpwiz: argv → the wizard, `check` or `explain`.  Nothing more.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui.h"
#include "cli.h"
#include "opts.h"
#include "explain.h"
#include "secret.h"
#include "tls.h"
#include "version.h"

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
	struct option longopts[OPTS_MAX];
	char shortopts[16];
	struct tui_args a = { 0 };
	struct sw_error e = { 0 };
	enum mail_lib lib;
	const char *pwfile = NULL, *spfile = NULL;
	int c, taken;

	a.no_color = getenv("NO_COLOR") != NULL;
	opterr = 0;
	opts_getopt(OPT_WIZARD, longopts, shortopts, sizeof(shortopts));
	while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		if ((taken = opts_probe_arg(&a.opt, c, optarg, &e)) < 0) {
			fprintf(stderr, "smtpwiz: %s\n", sw_error_text(&e));
			return EXIT_USAGE;
		}
		if (taken)
			continue;
		switch (c) {
		case 'L': a.load = optarg; break;
		case 'a': a.ascii = 1; break;
		case 'n': a.no_color = 1; break;
		case 'D': a.demo_port = atoi(optarg); break;
		case 'H': a.java_home = optarg; break;
		case 'I': a.java_pid = strtol(optarg, NULL, 10); break;
		case 'u': a.user = optarg; break;
		case 'W': pwfile = optarg; break;
		case 'P': a.storepass = optarg; break;
		case 'Q': spfile = optarg; break;
		case 'k': a.socks = optarg; break;
		case 'x': a.proxy = optarg; break;
		case 'M':
			/* Checked here: the wizard needs a terminal first. */
			if (settings_lib_parse(optarg, &lib, &e) != SW_OK) {
				fprintf(stderr, "smtpwiz: %s\n",
				    sw_error_text(&e));
				return EXIT_USAGE;
			}
			a.mail_lib = optarg;
			break;
		case 'Z': a.mail_jar = optarg; break;
		case 'G': a.java_log = optarg; break;
		case 'Y': a.confirm_with_java = 1; break;
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
		opts_usage(stdout);
		return 0;
	}
	return wizard(argc, argv);
}
