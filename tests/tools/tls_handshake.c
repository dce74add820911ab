/*
 * tls_handshake -- runs one tls_start() against a server and prints what
 * it found, one key=value per line, for tests/integration/test_tls.py.
 *
 *   tls_handshake HOST PORT [--starttls] [--smtp] [--sni NAME]
 *                 [--min V] [--max V] [--suite IANA_ID_HEX]... [--timeout S]
 *                 [--cancel-after MS]
 *   tls_handshake --version-info
 *
 * --starttls reads the greeting, sends EHLO and STARTTLS first (minimal
 * line I/O, not the real SMTP client); --smtp (implied by --starttls)
 * checks the protected channel afterwards: reads the greeting over TLS in
 * implicit mode, sends EHLO, prints the reply code as tls_ehlo=, QUITs.
 * --cancel-after makes the cancel fd readable MS ms after the start.
 * SNI defaults to HOST.  Exit status 0 on a completed handshake, 1 when
 * it failed, 64 for usage errors.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "link.h"
#include "net.h"
#include "tls.h"

#define MAX_SUITES	64

struct opts {
	const char	*host;
	unsigned	 port;
	int		 starttls, smtp;
	int		 timeout;
	int		 cancel_after;	/* ms; 0: never */
	int		 cancel[2];	/* pipe: [0] is the cancel fd */
	uint16_t	 suites[MAX_SUITES];
	struct tls_params params;
};

static void
usage(void)
{
	fprintf(stderr, "usage: tls_handshake HOST PORT [--starttls] [--smtp] "
	    "[--sni NAME] [--min V] [--max V] [--suite HEX]... "
	    "[--timeout S] [--cancel-after MS]\n"
	    "       tls_handshake --version-info\n");
	exit(64);
}

static int
version_info(void)
{
	uint16_t lo, hi;

	tls_library_range(&lo, &hi);
	printf("library=%s\nmin=%s\nmax=%s\n", tls_library_version(),
	    tls_version_name(lo), tls_version_name(hi));
	return 0;
}

static uint16_t
parse_version(const char *s)
{
	uint16_t v = tls_version_parse(s);

	if (v == 0) {
		fprintf(stderr, "tls_handshake: unknown version '%s' (SSLv3, "
		    "TLSv1, TLSv1.1, TLSv1.2, TLSv1.3)\n", s);
		exit(64);
	}
	return v;
}

static void
parse_option(struct opts *o, char **argv, int argc, int *i)
{
	const char *opt = argv[*i];
	const char *arg = *i + 1 < argc ? argv[*i + 1] : NULL;

	if (strcmp(opt, "--starttls") == 0) {
		o->starttls = o->smtp = 1;
		return;
	}
	if (strcmp(opt, "--smtp") == 0) {
		o->smtp = 1;
		return;
	}
	if (arg == NULL)
		usage();
	(*i)++;
	if (strcmp(opt, "--sni") == 0)
		o->params.sni = arg;
	else if (strcmp(opt, "--min") == 0)
		o->params.min_version = parse_version(arg);
	else if (strcmp(opt, "--max") == 0)
		o->params.max_version = parse_version(arg);
	else if (strcmp(opt, "--timeout") == 0)
		o->timeout = atoi(arg);
	else if (strcmp(opt, "--cancel-after") == 0)
		o->cancel_after = atoi(arg);
	else if (strcmp(opt, "--suite") == 0 && o->params.nsuites < MAX_SUITES)
		o->suites[o->params.nsuites++] =
		    (uint16_t)strtoul(arg, NULL, 16);
	else
		usage();
}

static void
parse_args(struct opts *o, int argc, char **argv)
{
	int i;

	memset(o, 0, sizeof(*o));
	o->timeout = 10;
	if (argc < 3)
		usage();
	o->host = argv[1];
	o->port = (unsigned)atoi(argv[2]);
	o->params.sni = o->host;
	for (i = 3; i < argc; i++)
		parse_option(o, argv, argc, &i);
	if (o->params.nsuites > 0)
		o->params.suites = o->suites;
}

/* Reads a whole reply (RFC 5321 §4.2); *code is its number. */
static enum sw_err
read_reply(struct link *c, int *code, struct sw_error *err)
{
	char line[1024];
	size_t len;
	enum sw_err rc;

	do {
		if ((rc = link_read_line(c, line, sizeof(line), &len, err)))
			return rc;
		*code = atoi(line);
	} while (len >= 4 && line[3] == '-');
	return SW_OK;
}

static enum sw_err
command(struct link *c, const char *cmd, int want, struct sw_error *err)
{
	int code;
	enum sw_err rc;

	if ((rc = link_write(c, cmd, strlen(cmd), err)) != SW_OK ||
	    (rc = read_reply(c, &code, err)) != SW_OK)
		return rc;
	if (code != want)
		return sw_fail(err, SW_EPROTO, "%.*s answered %d", (int)
		    strcspn(cmd, "\r"), cmd, code);
	return SW_OK;
}

static enum sw_err
starttls(struct link *c, struct sw_error *err)
{
	int code;
	enum sw_err rc;

	if ((rc = read_reply(c, &code, err)) != SW_OK)
		return rc;
	if (code != 220)
		return sw_fail(err, SW_EPROTO, "greeting %d", code);
	if ((rc = command(c, "EHLO tls-handshake.test\r\n", 250, err)))
		return rc;
	return command(c, "STARTTLS\r\n", 220, err);
}

/* Uses the protected channel both ways: EHLO over TLS, then QUIT. */
static void
smtp_after(struct link *c, int implicit)
{
	struct sw_error err = { 0 };
	int code = 0;

	if (implicit && read_reply(c, &code, &err) != SW_OK) {
		printf("tls_error=%s\n", sw_error_text(&err));
		return;
	}
	if (link_write(c, "EHLO tls-handshake.test\r\n", 25, &err) != SW_OK ||
	    read_reply(c, &code, &err) != SW_OK) {
		printf("tls_error=%s\n", sw_error_text(&err));
		return;
	}
	printf("tls_ehlo=%d\n", code);
	(void)command(c, "QUIT\r\n", 221, &err);
}

static void
print_info(const struct tls_info *info)
{
	printf("version=%s\n", info->version ?
	    tls_version_name(info->version) : "");
	printf("suite=%s\nsuite_id=0x%04x\n", info->suite_name, info->suite);
	printf("chain=%zu\n", info->nchain);
	printf("verify_flags=0x%08x\n", (unsigned)info->verify_flags);
	printf("failure=%s\nalert=%d\n", tls_failure_name(info->failure),
	    info->alert);
}

static void
log_note(void *arg, enum link_dir dir, const char *text, size_t len)
{
	(void)arg;
	if (dir == LINK_NOTE)
		printf("note=%.*s\n", (int)len, text);
}

/* Plays the UI's part: writes the cancel pipe after a while. */
static void *
canceller(void *arg)
{
	struct opts *o = arg;
	struct timespec ts;

	ts.tv_sec = o->cancel_after / 1000;
	ts.tv_nsec = (long)(o->cancel_after % 1000) * 1000000;
	nanosleep(&ts, NULL);
	if (write(o->cancel[1], "x", 1) != 1)
		perror("tls_handshake: cancel pipe");
	return NULL;
}

static void
start_canceller(struct opts *o)
{
	pthread_t t;

	o->cancel[0] = o->cancel[1] = -1;
	if (o->cancel_after <= 0)
		return;
	if (pipe(o->cancel) != 0 ||
	    pthread_create(&t, NULL, canceller, o) != 0) {
		perror("tls_handshake: canceller");
		exit(2);
	}
	pthread_detach(t);
}

static enum sw_err
connect_to(const struct opts *o, struct link *c, struct sw_error *err)
{
	struct net_addr addrs[NET_ADDR_MAX];
	size_t n;
	int fd;
	enum sw_err rc;

	if ((rc = net_resolve(o->host, o->port, addrs, &n, err)) != SW_OK ||
	    (rc = net_connect(&addrs[0], net_deadline(o->timeout * 1000),
	    o->cancel[0], &fd, err)) != SW_OK)
		return rc;
	link_init_plain(c, fd, o->cancel[0]);
	c->deadline = net_deadline(o->timeout * 1000);
	c->log = log_note;
	return SW_OK;
}

int
main(int argc, char **argv)
{
	struct opts o;
	struct link c;
	struct tls_info info;
	struct sw_error err = { 0 };
	enum sw_err rc;

	if (argc == 2 && strcmp(argv[1], "--version-info") == 0)
		return version_info();
	parse_args(&o, argc, argv);
	memset(&info, 0, sizeof(info));
	c.fd = -1;
	c.ops = NULL;
	start_canceller(&o);
	rc = connect_to(&o, &c, &err);
	if (rc == SW_OK && o.starttls)
		rc = starttls(&c, &err);
	if (rc == SW_OK) {	/* info is meaningful only after tls_start */
		rc = tls_start(&c, &o.params, &info, &err);
		print_info(&info);
	}
	if (rc != SW_OK)
		printf("error=%s\ncode=%s\n", sw_error_text(&err),
		    sw_strerror(rc));
	else if (o.smtp)
		smtp_after(&c, !o.starttls);
	tls_info_free(&info);
	link_close(&c);
	return rc == SW_OK ? 0 : 1;
}
