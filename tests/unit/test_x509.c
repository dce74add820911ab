/*
 * Certificates: what x509_info_parse() reads from the test bed's PKI
 * (tests/servers/mkpki.sh, made at test time in $BUILD/test-pki under the
 * same lock as the Python tests), Java-style path building (any order,
 * intermediate anchors, the leaf itself as anchor, missing issuers),
 * PEM both ways, truncated DER, and certpath.c with the profiles' rules.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "certpath.h"
#include "javaprof.h"
#include "suites.h"
#include "x509.h"
#include "tap.h"

static char pki[512];

/* $BUILD/test-pki, made (or remade when two days old) under its lock. */
static int
pki_dir(void)
{
	const char *build = getenv("BUILD") ? getenv("BUILD") : "build";
	char done[600], lock[600], cmd[1400];
	struct stat st;
	int fd, rc = 0;

	snprintf(pki, sizeof(pki), "%s/test-pki", build);
	snprintf(done, sizeof(done), "%s/.done", pki);
	snprintf(lock, sizeof(lock), "%s.lock", pki);
	mkdir(build, 0755);
	if ((fd = open(lock, O_WRONLY | O_CREAT, 0644)) < 0)
		return -1;
	flock(fd, LOCK_EX);
	if (stat(done, &st) != 0 || time(NULL) - st.st_mtime > 2 * 86400) {
		unlink(done);
		snprintf(cmd, sizeof(cmd), "bash tests/servers/mkpki.sh '%s' "
		    ">/dev/null 2>&1", pki);
		rc = system(cmd) == 0 ? 0 : -1;
	}
	close(fd);
	return rc;
}

struct der {
	unsigned char	*p[4];
	size_t		 len[4];
	size_t		 n;
};

static enum sw_err
keep(void *arg, const unsigned char *der, size_t len)
{
	struct der *d = arg;

	if (d->n < 4) {
		d->p[d->n] = malloc(len);
		memcpy(d->p[d->n], der, len);
		d->len[d->n++] = len;
	}
	return SW_OK;
}

/* The first certificate of PKI file name (DER, malloc'ed). */
static unsigned char *
load(const char *name, size_t *len)
{
	char path[700], *text;
	struct der d = { { 0 }, { 0 }, 0 };
	size_t i;
	FILE *f;
	long n;

	snprintf(path, sizeof(path), "%s/%s", pki, name);
	if ((f = fopen(path, "r")) == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	text = malloc((size_t)n + 1);
	if (fread(text, 1, (size_t)n, f) != (size_t)n)
		n = 0;
	fclose(f);
	x509_pem_each(text, (size_t)n, keep, &d, NULL, NULL);
	free(text);
	for (i = 1; i < d.n; i++)
		free(d.p[i]);
	*len = d.n ? d.len[0] : 0;
	return d.n ? d.p[0] : NULL;
}

struct set {
	const char	*names[6];
	unsigned char	*der[6];
	size_t		 len[6];
	size_t		 n;
};

static void
set_load(struct set *s, const char *const *names)
{
	memset(s, 0, sizeof(*s));
	for (; *names != NULL; names++) {
		s->names[s->n] = *names;
		s->der[s->n] = load(*names, &s->len[s->n]);
		s->n++;
	}
}

static void
set_free(struct set *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		free(s->der[i]);
}

static struct x509_anchors *
anchors_of(const char *const *names)
{
	struct x509_anchors *a = x509_anchors_new();
	struct set s;
	size_t i;

	set_load(&s, names);
	for (i = 0; i < s.n; i++)
		x509_anchors_add(a, s.der[i], s.len[i], s.names[i], 0, NULL);
	set_free(&s);
	return a;
}

/* ---- one certificate --------------------------------------------------- */

static void
test_info(void)
{
	struct x509_info *c = malloc(sizeof(*c));
	unsigned char *der;
	size_t len;
	char fp[96];

	der = load("leaf.pem", &len);
	CHECK(der != NULL);
	CHECK_INT(x509_info_parse(der, len, c, NULL), SW_OK);
	CHECK(strstr(c->subject, "CN=localhost") == c->subject);
	CHECK(strstr(c->subject, "O=smtpwiz test bed") != NULL);
	CHECK_STR(c->cn, "localhost");
	CHECK(strstr(c->issuer, "CN=smtpwiz Test Intermediate CA") != NULL);
	CHECK_INT(c->ndns, 2);
	CHECK_STR(c->dns[0], "localhost");
	CHECK_INT(c->nips, 2);
	CHECK(c->ips[0].len == 4 && c->ips[0].addr[0] == 127);
	CHECK(c->ips[1].len == 16 && c->ips[1].addr[15] == 1);
	CHECK_INT(c->key, X509_KEY_RSA);
	CHECK_INT(c->key_bits, 2048);
	CHECK_STR(c->key_text, "RSA 2048");
	CHECK_STR(c->signature, "sha256WithRSAEncryption");
	CHECK_INT(c->sig_md, X509_MD_SHA256);
	CHECK(!c->is_ca && !c->self_signed && !c->self_issued);
	CHECK(c->server_auth_ok);
	CHECK_INT(c->version, 3);
	CHECK(c->not_before < time(NULL) && c->not_after > time(NULL));
	x509_fingerprint_text(c->sha256, fp);
	CHECK_INT(strlen(fp), 95);
	CHECK(fp[2] == ':');
	free(der);

	der = load("root.pem", &len);
	CHECK_INT(x509_info_parse(der, len, c, NULL), SW_OK);
	CHECK(c->is_ca && c->self_signed && c->self_issued && c->key_cert_sign);
	free(der);

	der = load("ecdsa.pem", &len);
	CHECK_INT(x509_info_parse(der, len, c, NULL), SW_OK);
	CHECK_STR(c->key_text, "EC 256 secp256r1");
	CHECK_STR(c->curve, "secp256r1");
	free(der);

	der = load("weakkey.pem", &len);
	CHECK_INT(x509_info_parse(der, len, c, NULL), SW_OK);
	CHECK_INT(c->key_bits, 1024);
	free(der);

	der = load("sha1.pem", &len);
	CHECK_INT(x509_info_parse(der, len, c, NULL), SW_OK);
	CHECK_STR(c->signature, "sha1WithRSAEncryption");
	CHECK_INT(c->sig_md, X509_MD_SHA1);
	free(der);

	der = load("selfsigned.pem", &len);
	CHECK_INT(x509_info_parse(der, len, c, NULL), SW_OK);
	CHECK(c->self_signed && !c->is_ca);
	free(der);

	der = load("wrongname.pem", &len);
	CHECK_INT(x509_info_parse(der, len, c, NULL), SW_OK);
	CHECK_INT(c->ndns, 1);
	CHECK_STR(c->dns[0], "wrong.example.invalid");
	CHECK_INT(c->nips, 0);
	free(der);

	{
		char t[24];

		x509_time_text(0, t);
		CHECK_STR(t, "1970-01-01T00:00:00Z");
	}
	free(c);
}

/* Every prefix of a certificate: an error, never a crash. */
static void
test_truncated(void)
{
	struct x509_info *c = malloc(sizeof(*c));
	unsigned char *der, *copy;
	size_t len, cut, errors = 0;

	der = load("leaf.pem", &len);
	if (der == NULL) {
		CHECK(!"leaf.pem");
		free(c);
		return;
	}
	for (cut = 0; cut < len; cut++) {
		copy = malloc(cut ? cut : 1);
		memcpy(copy, der, cut);
		errors += x509_info_parse(copy, cut, c, NULL) == SW_EFILE;
		free(copy);
	}
	CHECK_INT(errors, len);
	free(der);
	free(c);
}

/* ---- paths -------------------------------------------------------------- */

static struct x509_path *
path(const char *const *sent, const char *const *anchors)
{
	struct x509_path *p = calloc(1, sizeof(*p));
	struct x509_anchors *a = anchors_of(anchors);
	struct set s;

	set_load(&s, sent);
	if (x509_build_path((const unsigned char *const *)s.der, s.len, s.n, a,
	    p, NULL) != SW_OK)
		p->nsent = 999;
	set_free(&s);
	x509_anchors_free(a);
	return p;
}

static void
test_paths(void)
{
	static const char *const root[] = { "root.pem", NULL };
	static const char *const inter[] = { "inter.pem", NULL };
	static const char *const none[] = { NULL };
	static const char *const self[] = { "selfsigned.pem", NULL };
	static const char *const good[] = { "leaf.pem", "inter.pem", NULL };
	static const char *const leaf[] = { "leaf.pem", NULL };
	static const char *const full[] = { "leaf.pem", "inter.pem", "root.pem",
		NULL };
	static const char *const reversed[] = { "leaf.pem", "root.pem",
		"inter.pem", NULL };
	static const char *const extra[] = { "leaf.pem", "inter.pem",
		"expired.pem", NULL };
	static const char *const ss[] = { "selfsigned.pem", NULL };
	struct x509_path *p;

	p = path(good, root);
	CHECK(p->trusted && p->len == 2 && p->ordered && p->unused == 0);
	CHECK(p->idx[0] == 0 && p->idx[1] == 1);
	CHECK(strstr(p->anchor.subject, "smtpwiz Test Root CA") != NULL);
	CHECK_STR(p->anchor_label, "root.pem");
	CHECK(!p->anchor_sent && p->not_ca < 0);
	free(p);

	p = path(leaf, root);		/* the intermediate missing */
	CHECK(!p->trusted && p->len == 1 && !p->top_self_signed);
	CHECK(strstr(p->missing_issuer, "Intermediate CA") != NULL);
	free(p);

	p = path(leaf, inter);		/* an intermediate as anchor */
	CHECK(p->trusted && p->len == 1);
	CHECK(strstr(p->anchor.subject, "Intermediate") != NULL);
	free(p);

	p = path(good, none);
	CHECK(!p->trusted && p->len == 2);
	CHECK(strstr(p->missing_issuer, "Test Root CA") != NULL);
	free(p);

	p = path(full, root);		/* the root sent along: fine */
	CHECK(p->trusted && p->len == 2 && p->unused == 0 && p->ordered);
	free(p);

	p = path(full, none);		/* untrusted, ends at the sent root */
	CHECK(!p->trusted && p->len == 3 && p->top_self_signed);
	free(p);

	p = path(reversed, root);	/* Java sorts them out */
	CHECK(p->trusted && p->len == 2 && !p->ordered);
	CHECK(p->idx[1] == 2);
	free(p);

	p = path(extra, root);
	CHECK(p->trusted && p->unused == 1 && p->ordered);
	free(p);

	p = path(ss, none);
	CHECK(!p->trusted && p->top_self_signed && p->len == 1);
	free(p);

	p = path(ss, self);		/* the leaf itself is the anchor */
	CHECK(p->trusted && p->anchor_sent && p->len == 1);
	free(p);

	p = path(good, self);		/* an unrelated anchor */
	CHECK(!p->trusted);
	free(p);

	{
		struct x509_path q;

		CHECK_INT(x509_build_path(NULL, NULL, 0, NULL, &q, NULL),
		    SW_EUSAGE);
	}
}

/* ---- PEM ------------------------------------------------------------- */

static enum sw_err
count(void *arg, const unsigned char *der, size_t len)
{
	(void)der;
	(void)len;
	(*(size_t *)arg)++;
	return SW_OK;
}

static void
test_pem(void)
{
	static const char *const names[] = { "leaf.pem", "inter.pem", NULL };
	const char *junk = "text\n-----BEGIN CERTIFICATE-----\n!!!!\n"
	    "-----END CERTIFICATE-----\n-----BEGIN RSA PRIVATE KEY-----\nAAAA\n"
	    "-----END RSA PRIVATE KEY-----\n";
	struct set s;
	char *pem;
	size_t plen, n = 0, found, bad;

	set_load(&s, names);
	CHECK_INT(x509_pem((const unsigned char *const *)s.der, s.len, 2, &pem,
	    &plen, NULL), SW_OK);
	CHECK(strncmp(pem, "-----BEGIN CERTIFICATE-----\n", 28) == 0);
	CHECK(strlen(pem) == plen);
	CHECK(strchr(pem, '\n')[65] == '\n');	/* 64-column lines */
	CHECK_INT(x509_pem_each(pem, plen, count, &n, &found, &bad), SW_OK);
	CHECK_INT(n, 2);
	CHECK_INT(bad, 0);
	free(pem);
	n = 0;
	CHECK_INT(x509_pem_each(junk, strlen(junk), count, &n, &found, &bad),
	    SW_OK);
	CHECK_INT(n, 0);
	CHECK_INT(bad, 1);
	set_free(&s);
}

/* ---- certpath: the profiles' rules ------------------------------------ */

static struct suites *reg;
static char last[512];	/* the first issue's text */

/* java: a built-in profile, its rules from assets/java; NULL: none. */
static size_t
issues(const char *java, const struct x509_info *c, int jdk, int *fatal)
{
	const struct x509_info *certs[1] = { c };
	struct certpath_issue out[CERTPATH_ISSUES_MAX];
	struct javaprof *jp = NULL;
	size_t n, i;

	if (java != NULL && javaprof_load(reg, java, &jp, NULL) != SW_OK) {
		CHECK(!"profile loads");
		return 0;
	}
	n = certpath_check(certpath_profile(java ? java : "17"), jp, certs,
	    1, NULL, jdk, out, CERTPATH_ISSUES_MAX);
	javaprof_free(jp);
	*fatal = 0;
	last[0] = '\0';
	for (i = 0; i < n; i++)
		*fatal |= out[i].fatal;
	if (n > 0)
		snprintf(last, sizeof(last), "%s", out[0].text);
	return n;
}

static void
test_certpath(void)
{
	const char *const *names;
	struct x509_info c;
	size_t i, nn;
	int fatal;

	setenv("SMTPWIZ_ASSETS", "assets", 0);
	if (suites_load(&reg, NULL) != SW_OK) {
		CHECK(!"suites load");
		return;
	}
	CHECK(certpath_profile("17") != NULL);
	CHECK(certpath_profile("8") == certpath_profile("8u291"));
	CHECK(certpath_profile("9") == NULL);
	/* Every built-in profile has its runtime name and title here. */
	names = javaprof_names(&nn);
	for (i = 0; i < nn; i++)
		CHECK(certpath_profile(names[i]) != NULL &&
		    strcmp(certpath_profile(names[i])->name, names[i]) == 0);

	memset(&c, 0, sizeof(c));
	c.key = X509_KEY_RSA;
	c.key_bits = 2048;
	c.sig_md = X509_MD_SHA256;
	snprintf(c.signature, sizeof(c.signature), "sha256WithRSAEncryption");
	CHECK_INT(issues("17", &c, 0, &fatal), 0);
	c.key_bits = 1024;
	CHECK(issues("17", &c, 0, &fatal) == 1 && !fatal);
	CHECK(strstr(last, "Java 17 accepts it (its limit is 1024 bits)") !=
	    NULL);
	/* Without the profile's rules: smtpwiz's own warning, no verdict. */
	CHECK(issues(NULL, &c, 0, &fatal) == 1 && !fatal);
	CHECK(strstr(last, "accepts") == NULL);
	c.key_bits = 512;
	CHECK(issues("8u202", &c, 0, &fatal) == 1 && fatal);
	c.key_bits = 2048;
	c.sig_md = X509_MD_MD5;
	CHECK(issues("21", &c, 0, &fatal) == 1 && fatal);
	CHECK(strstr(last, "jdk.certpath.disabledAlgorithms: MD5") != NULL);
	CHECK(issues(NULL, &c, 0, &fatal) == 1 && !fatal);
	c.sig_md = X509_MD_SHA1;
	CHECK(issues("17", &c, 0, &fatal) == 1 && !fatal);
	CHECK(issues("17", &c, 1, &fatal) == 1 && fatal);
	CHECK(issues("17", &c, -1, &fatal) == 1 && !fatal);
	c.sig_md = X509_MD_SHA256;
	c.key = X509_KEY_EC;
	c.key_bits = 256;
	snprintf(c.curve, sizeof(c.curve), "secp256k1");
	CHECK_INT(issues("8u202", &c, 0, &fatal), 0);
	CHECK(issues("11", &c, 0, &fatal) == 1 && fatal);
	CHECK(issues("17", &c, 0, &fatal) == 1 && fatal);
	CHECK(strstr(last, "can no longer verify") != NULL);
	CHECK(issues("11", &c, 0, &fatal) == 1 && fatal);
	CHECK(strstr(last, "disables (jdk.disabled.namedCurves)") != NULL);
	snprintf(c.curve, sizeof(c.curve), "secp384r1");
	c.key_bits = 384;
	CHECK_INT(issues("17", &c, 0, &fatal), 0);
	c.key_bits = 192;
	snprintf(c.curve, sizeof(c.curve), "secp192r1");
	CHECK(issues("8u202", &c, 0, &fatal) == 1 && fatal);

	{
		char sig[32];

		snprintf(c.signature, sizeof(c.signature), "ecdsa-with-SHA1");
		c.sig_md = X509_MD_SHA1;
		certpath_java_sig(&c, sig, sizeof(sig));
		CHECK_STR(sig, "SHA1withECDSA");
		snprintf(c.signature, sizeof(c.signature),
		    "md5WithRSAEncryption");
		c.sig_md = X509_MD_MD5;
		certpath_java_sig(&c, sig, sizeof(sig));
		CHECK_STR(sig, "MD5withRSA");
		snprintf(c.signature, sizeof(c.signature), "rsassaPss with "
		    "SHA-256");
		certpath_java_sig(&c, sig, sizeof(sig));
		CHECK_STR(sig, "RSASSA-PSS");
	}
	suites_free(reg);
}

int
main(void)
{
	if (pki_dir() != 0) {
		printf("1..0 # SKIP cannot make the test PKI "
		    "(tests/servers/mkpki.sh, openssl)\n");
		return 77;
	}
	test_info();
	test_truncated();
	test_paths();
	test_pem();
	test_certpath();
	return tap_done();
}
