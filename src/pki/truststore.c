/*
 * Finding and reading trust stores (see truststore.h).
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "javart.h"
#include "jks.h"
#include "truststore.h"
#include "x509_p12.h"

static const struct {
	const char	*path;
	const char	*label;
} system_bundles[] = {
	{ "/etc/ssl/certs/ca-certificates.crt", "Debian/Ubuntu" },
	{ "/etc/pki/tls/certs/ca-bundle.crt", "RHEL/Fedora" },
	{ "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem", "RHEL/Fedora" },
	{ "/etc/ssl/cert.pem", "Alpine" },
	{ "/etc/ssl/ca-bundle.pem", "SUSE" },
};

const char *
truststore_kind_name(enum truststore_kind k)
{
	switch (k) {
	case TS_SYSTEM:		return "system";
	case TS_PEM:		return "pem";
	case TS_KEYSTORE:	return "keystore";
	default:		return "none";
	}
}

const char *
truststore_system_bundle(const char **label)
{
	struct stat st;
	size_t i;

	for (i = 0; i < sizeof(system_bundles) / sizeof(system_bundles[0]);
	    i++)
		if (stat(system_bundles[i].path, &st) == 0 &&
		    S_ISREG(st.st_mode)) {
			*label = system_bundles[i].label;
			return system_bundles[i].path;
		}
	*label = NULL;
	return NULL;
}

/* A bounded string copy (snprintf cannot tell that fields differ). */
static void
copy(char *dst, size_t cap, const char *src)
{
	size_t n = strnlen(src, cap - 1);

	memmove(dst, src, n);
	dst[n] = '\0';
}

/* ---- files -------------------------------------------------------------- */

static enum sw_err
read_file(const char *path, unsigned char **out, size_t *len,
    struct sw_error *err)
{
	unsigned char *buf = NULL;
	struct stat st;
	size_t got = 0;
	ssize_t n;
	int fd;

	*out = NULL;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return sw_fail(err, SW_EFILE, "cannot open %s: %s", path,
		    strerror(errno));
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return sw_fail(err, SW_EFILE, "%s is not a regular file", path);
	}
	if (st.st_size > TRUSTSTORE_MAX_FILE) {
		close(fd);
		return sw_fail(err, SW_EFILE, "%s is larger than %d MB", path,
		    TRUSTSTORE_MAX_FILE / (1024 * 1024));
	}
	if ((buf = malloc((size_t)st.st_size + 1)) == NULL) {
		close(fd);
		return sw_fail(err, SW_ENOMEM, "out of memory");
	}
	while (got < (size_t)st.st_size &&
	    (n = read(fd, buf + got, (size_t)st.st_size - got)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			sw_fail(err, SW_EFILE, "cannot read %s: %s", path,
			    strerror(errno));
			free(buf);
			close(fd);
			return SW_EFILE;
		}
		got += (size_t)n;
	}
	close(fd);
	buf[got] = '\0';
	*out = buf;
	*len = got;
	return SW_OK;
}

struct adder {
	struct truststore		*ts;
	struct truststore_source	*src;
	int				 collect_jdk;	/* Java cacerts scan */
	struct sw_error			*err;
};

static int
jdk_alias(const char *alias)
{
	return alias != NULL && strstr(alias, " [jdk") != NULL;
}

/* Notes a certificate of the Java runtime's own cacerts. */
static enum sw_err
remember_java(struct truststore *ts, const char *alias,
    const unsigned char *der, size_t len, struct sw_error *err)
{
	struct truststore_fp *n;

	if ((n = realloc(ts->java, (ts->njava + 1) * sizeof(*n))) == NULL)
		return sw_fail(err, SW_ENOMEM, "out of memory");
	ts->java = n;
	n[ts->njava].jdk = jdk_alias(alias);
	return x509_sha256(der, len, n[ts->njava++].sha256, err);
}

/* Adds one anchor and counts it as loaded or as skipped (bad). */
static enum sw_err
add_anchor(struct adder *a, const unsigned char *der, size_t len,
    const char *label, int jdk)
{
	size_t before = x509_anchors_skipped(a->ts->anchors);
	enum sw_err rc;

	if (a->src->ncerts + a->src->nbad >= TRUSTSTORE_MAX_CERTS) {
		a->src->over++;
		return SW_OK;
	}
	rc = x509_anchors_add(a->ts->anchors, der, len, label, jdk, a->err);
	if (x509_anchors_skipped(a->ts->anchors) > before)
		a->src->nbad++;
	else
		a->src->ncerts++;
	return rc;
}

static enum sw_err
add_keystore_cert(void *arg, const char *alias, const unsigned char *der,
    size_t len, int key_entry)
{
	struct adder *a = arg;
	int note = a->ts->njava < TRUSTSTORE_MAX_CERTS;	/* enough noted */
	enum sw_err rc;

	(void)key_entry;
	if (a->collect_jdk)
		return note ? remember_java(a->ts, alias, der, len, a->err) :
		    SW_OK;
	if (a->src->is_java && note && (rc = remember_java(a->ts, alias, der,
	    len, a->err)) != SW_OK)
		return rc;
	return add_anchor(a, der, len, alias, jdk_alias(alias));
}

static enum sw_err
add_pem_cert(void *arg, const unsigned char *der, size_t len)
{
	struct adder *a = arg;

	return add_anchor(a, der, len, a->src->path, 0);
}

static enum sw_err
load_keystore(struct truststore *ts, struct truststore_source *src,
    const char *path, const unsigned char *data, size_t len,
    const char *password, struct sw_error *err)
{
	struct adder a = { ts, src, 0, err };
	struct sw_error e = { 0 };
	enum sw_err rc;

	if (jks_sniff(data, len))
		rc = jks_read(data, len, password, add_keystore_cert, &a,
		    &src->ks, &e);
	else if (x509_p12_sniff(data, len))
		rc = x509_p12_read(data, len, password, add_keystore_cert, &a,
		    &src->ks, &e);
	else {
		copy(src->what, sizeof(src->what), "file");
		snprintf(src->error, sizeof(src->error), "%s is neither a JKS "
		    "nor a PKCS12 keystore (a PEM file goes with --cafile)",
		    path);
		return SW_OK;
	}
	snprintf(src->what, sizeof(src->what), "%s keystore",
	    src->ks.format[0] ? src->ks.format : "Java");
	src->loaded = src->ncerts > 0 || rc == SW_OK;
	if (rc == SW_ENOMEM)
		return sw_fail(err, rc, "out of memory");
	if (rc != SW_OK)
		copy(src->error, sizeof(src->error), sw_error_text(&e));
	return SW_OK;
}

static enum sw_err
load_pem(struct truststore *ts, struct truststore_source *src,
    const char *path, const unsigned char *data, size_t len,
    struct sw_error *err)
{
	struct adder a = { ts, src, 0, err };
	size_t found = 0, bad = 0;
	enum sw_err rc;

	if (len > 0 && data[0] == 0x30) {	/* one DER certificate */
		rc = add_pem_cert(&a, data, len);
		src->loaded = src->ncerts > 0;
		if (!src->loaded)
			snprintf(src->error, sizeof(src->error), "%s is not a "
			    "certificate smtpwiz can read", path);
		return rc;
	}
	rc = x509_pem_each((const char *)data, len, add_pem_cert, &a, &found,
	    &bad);
	src->nbad += bad;
	src->loaded = 1;
	if (found == 0 && bad == 0)
		snprintf(src->error, sizeof(src->error), "%s holds no PEM "
		    "certificate (-----BEGIN CERTIFICATE-----)", path);
	else if (src->nbad > 0)
		snprintf(src->error, sizeof(src->error), "%zu of the "
		    "certificates in %s could not be read", src->nbad, path);
	return rc;
}

static int
same_file(const char *a, const char *b)
{
	struct stat sa, sb;

	return stat(a, &sa) == 0 && stat(b, &sb) == 0 &&
	    sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

static enum sw_err
load_source(struct truststore *ts, enum truststore_kind kind,
    const char *path, const char *what, const char *password,
    struct sw_error *err)
{
	struct truststore_source *src = &ts->src[ts->nsrc++];
	struct sw_error e = { 0 };
	unsigned char *data;
	size_t len;
	enum sw_err rc;

	src->kind = kind;
	copy(src->path, sizeof(src->path), path);
	copy(src->what, sizeof(src->what), what);
	src->is_java = kind == TS_KEYSTORE && ts->java_cacerts[0] != '\0' &&
	    same_file(path, ts->java_cacerts);
	if ((rc = read_file(path, &data, &len, &e)) != SW_OK) {
		if (rc == SW_ENOMEM)
			return sw_fail(err, rc, "out of memory");
		snprintf(src->error, sizeof(src->error), "%s",
		    sw_error_text(&e));
		return SW_OK;
	}
	if (kind == TS_KEYSTORE)
		rc = load_keystore(ts, src, path, data, len, password, err);
	else
		rc = load_pem(ts, src, path, data, len, err);
	free(data);
	return rc;
}

/* ---- the user's Java ---------------------------------------------------- */

/* The first executable "java" on PATH, symlinks resolved. */
static int
java_on_path(char *out, size_t cap)
{
	const char *path = getenv("PATH");
	char dir[PATH_MAX], cand[PATH_MAX + 8], real[PATH_MAX];
	const char *p, *colon;

	if (path == NULL)
		return 0;
	for (p = path; *p != '\0'; p = *colon ? colon + 1 : colon) {
		size_t n;

		colon = strchr(p, ':');
		if (colon == NULL)
			colon = p + strlen(p);
		n = (size_t)(colon - p);
		if (n == 0 || n >= sizeof(dir))
			continue;
		memcpy(dir, p, n);
		dir[n] = '\0';
		snprintf(cand, sizeof(cand), "%s/java", dir);
		if (access(cand, X_OK) == 0 && realpath(cand, real) != NULL) {
			copy(out, cap, real);
			return 1;
		}
	}
	return 0;
}

/* home/lib/security/{jssecacerts,cacerts}, then the Java 8 jre/ ones. */
static int
cacerts_in(const char *home, char *cacerts, size_t cap)
{
	static const char *const rel[] = {
		"lib/security/jssecacerts", "lib/security/cacerts",
		"jre/lib/security/jssecacerts", "jre/lib/security/cacerts",
	};
	char path[PATH_MAX + 64];
	struct stat st;
	size_t i;

	for (i = 0; i < sizeof(rel) / sizeof(rel[0]); i++) {
		snprintf(path, sizeof(path), "%.*s/%s", PATH_MAX - 1, home,
		    rel[i]);
		if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
			copy(cacerts, cap, path);
			return 1;
		}
	}
	return 0;
}

int
truststore_java_cacerts(char *home, char *cacerts, char *source, size_t cap)
{
	const char *jh = getenv("JAVA_HOME");
	char bin[PATH_MAX], *slash;

	if (jh != NULL && *jh != '\0' && cacerts_in(jh, cacerts, cap)) {
		copy(home, cap, jh);
		copy(source, cap, "JAVA_HOME");
		return 1;
	}
	if (!java_on_path(bin, sizeof(bin)))
		return 0;
	/* .../bin/java -> ... */
	if ((slash = strrchr(bin, '/')) != NULL)
		*slash = '\0';
	if ((slash = strrchr(bin, '/')) != NULL)
		*slash = '\0';
	if (!cacerts_in(bin, cacerts, cap))
		return 0;
	copy(home, cap, bin);
	copy(source, cap, "java on PATH");
	return 1;
}

/* The JDK's own CAs, for the SHA-1 rule, when no keystore told us. */
static enum sw_err
scan_jdk_cacerts(struct truststore *ts, struct sw_error *err)
{
	struct truststore_source scratch;
	struct adder a = { ts, &scratch, 1, err };
	struct keystore_info info;
	struct sw_error e = { 0 };
	unsigned char *data;
	size_t len;
	enum sw_err rc;

	memset(&scratch, 0, sizeof(scratch));
	if (read_file(ts->java_cacerts, &data, &len, &e) != SW_OK)
		return SW_OK;
	/* Java reads it for this purpose without a password. */
	if (jks_sniff(data, len))
		rc = jks_read(data, len, NULL, add_keystore_cert, &a, &info,
		    &e);
	else
		rc = x509_p12_read(data, len, NULL, add_keystore_cert, &a,
		    &info, &e);
	free(data);
	if (rc == SW_ENOMEM)
		return sw_fail(err, rc, "out of memory");
	ts->java_known = rc == SW_OK;
	return SW_OK;
}

/* ---- telling Java ------------------------------------------------------ */

/* text as one word for a POSIX shell: bare when safe, else in '...'. */
static void
shell_quote(char *out, size_t cap, const char *text)
{
	static const char safe[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOP"
	    "QRSTUVWXYZ0123456789-_./:=+@,%";
	size_t o = 0;

	if (*text != '\0' && text[strspn(text, safe)] == '\0') {
		copy(out, cap, text);
		return;
	}
	out[o++] = '\'';
	for (; *text != '\0' && o + 6 < cap; text++)
		o += (size_t)snprintf(out + o, cap - o, "%s", *text == '\'' ?
		    "'\\''" : (char[]){ *text, '\0' });
	snprintf(out + o, cap - o, "'");
}

/* "root" for ".../Root CA.pem": a keytool alias from a file name. */
static void
file_alias(const char *path, char *out, size_t cap)
{
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	size_t n = strcspn(base, "."), i;

	if (n == 0 || n >= cap)
		n = 0;
	for (i = 0; i < n; i++)
		out[i] = isalnum((unsigned char)base[i]) ? (char)tolower(
		    (unsigned char)base[i]) : '-';
	out[i] = '\0';
	if (i == 0)
		copy(out, cap, "smtpwiz-ca");
}

/* Appends to ts->java_setting; a path too long for it is cut. */
static void __attribute__((format(printf, 2, 3)))
setting_add(struct truststore *ts, const char *fmt, ...)
{
	size_t used = strlen(ts->java_setting);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ts->java_setting + used, sizeof(ts->java_setting) - used,
	    fmt, ap);
	va_end(ap);
}

/*
 * ts->java_setting for a store Java does not read by itself: a PEM file
 * is imported into the keystore (the --truststore one, else the
 * runtime's cacerts); a keystore other than the runtime's is named with
 * -Djavax.net.ssl.trustStore.
 */
static void
describe_java_setting(struct truststore *ts, const struct truststore_source
    *pem, const struct truststore_source *ks)
{
	char qfile[600], qstore[600], alias[64];
	char kreal[PATH_MAX], preal[PATH_MAX];
	const char *pass = "-storepass " KEYSTORE_DEFAULT_PASSWORD;

	/* The text outlives this directory (a block's header): absolute
	 * paths. */
	if (ks != NULL && realpath(ks->path, kreal) == NULL)
		copy(kreal, sizeof(kreal), ks->path);
	if (pem != NULL && realpath(pem->path, preal) == NULL)
		copy(preal, sizeof(preal), pem->path);
	if (pem != NULL && pem->ncerts > 0) {
		if (ks != NULL)
			shell_quote(qstore, sizeof(qstore), kreal);
		else if (ts->java_cacerts[0] != '\0')
			shell_quote(qstore, sizeof(qstore), ts->java_cacerts);
		else
			copy(qstore, sizeof(qstore),
			    "\"$JAVA_HOME/lib/security/cacerts\"");
		if (ks != NULL && ts->password_given)
			pass = "-storepass:env STOREPASS";
		shell_quote(qfile, sizeof(qfile), preal);
		file_alias(pem->path, alias, sizeof(alias));
		setting_add(ts, "import %s into %s: keytool -importcert "
		    "-noprompt -alias %s -file %s -keystore %s %s",
		    pem->ncerts == 1 ? "the certificate of the PEM file" :
		    "each certificate of the PEM file (keytool takes only the "
		    "first of a file: one file and alias each)", ks != NULL ?
		    "that keystore" : ts->java_cacerts[0] ? "the Java "
		    "runtime's cacerts" : "the cacerts of the Java the "
		    "application runs on", alias, qfile, qstore, pass);
	}
	if (ks != NULL && !ks->is_java) {
		shell_quote(qstore, sizeof(qstore), kreal);
		setting_add(ts, "%sstart Java with "
		    "-Djavax.net.ssl.trustStore=%s%s", ts->java_setting[0] ?
		    ", then " : "", qstore, ts->password_given ?
		    " -Djavax.net.ssl.trustStorePassword=<its password>" :
		    strcmp(ks->ks.format, "PKCS12") == 0 ?
		    " -Djavax.net.ssl.trustStorePassword="
		    KEYSTORE_DEFAULT_PASSWORD : "");
	}
	ts->needs_java_setting = ts->java_setting[0] != '\0';
}

/* Neither --cafile nor --truststore: what Java itself would read. */
static enum sw_err
load_default(struct truststore *ts, const char *storepass,
    struct sw_error *err)
{
	const char *bundle, *label;
	char what[96];
	enum sw_err rc;

	if (ts->java_cacerts[0] != '\0') {
		ts->java_default = 1;
		rc = load_source(ts, TS_KEYSTORE, ts->java_cacerts,
		    "keystore", storepass, err);
		ts->java_cacerts_used = ts->java_known = ts->src[0].loaded;
		return rc;
	}
	ts->not_java = 1;
	if ((bundle = truststore_system_bundle(&label)) == NULL)
		return SW_OK;
	snprintf(what, sizeof(what), "system bundle (%s)", label);
	return load_source(ts, TS_SYSTEM, bundle, what, NULL, err);
}

/* The cacerts of runtime rt, as truststore_java_cacerts() finds it. */
static int
rt_cacerts(const struct javart *rt, struct truststore *ts)
{
	if (rt == NULL || !rt->found)
		return truststore_java_cacerts(ts->java_home, ts->java_cacerts,
		    ts->java_source, sizeof(ts->java_cacerts));
	if (!cacerts_in(rt->home, ts->java_cacerts, sizeof(ts->java_cacerts)))
		return 0;
	copy(ts->java_home, sizeof(ts->java_home), rt->home);
	copy(ts->java_source, sizeof(ts->java_source), rt->pid > 0 ?
	    "the running process" : rt->source);
	return 1;
}

/*
 * -Djavax.net.ssl.trustStore of the process: what Java reads, with the
 * process's own -Djavax.net.ssl.trustStorePassword unless --storepass.
 */
static enum sw_err
load_process_store(struct truststore *ts, const struct javart *rt,
    const char *storepass, struct sw_error *err)
{
	char pass[256];
	enum sw_err rc;

	if (ts->password_given || !javart_process_property(rt,
	    "javax.net.ssl.trustStorePassword", pass, sizeof(pass)))
		snprintf(pass, sizeof(pass), "%s", storepass);
	rc = load_source(ts, TS_KEYSTORE, rt->truststore, "keystore "
	    "(-Djavax.net.ssl.trustStore)", pass, err);
	explicit_bzero(pass, sizeof(pass));
	ts->java_default = 1;
	return rc;
}

enum sw_err
truststore_load(struct truststore *ts, const char *cafile,
    const char *keystore, const char *storepass, struct sw_error *err)
{
	return truststore_load_rt(ts, cafile, keystore, storepass, NULL, err);
}

enum sw_err
truststore_load_rt(struct truststore *ts, const char *cafile,
    const char *keystore, const char *storepass, const struct javart *rt,
    struct sw_error *err)
{
	const struct truststore_source *ks = NULL, *pem = NULL;
	char real[PATH_MAX];
	const char *base;
	enum sw_err rc;

	memset(ts, 0, sizeof(*ts));
	if ((ts->anchors = x509_anchors_new()) == NULL)
		return sw_fail(err, SW_ENOMEM, "out of memory");
	ts->password_given = storepass != NULL;
	if (storepass == NULL)
		storepass = KEYSTORE_DEFAULT_PASSWORD;
	if (rt_cacerts(rt, ts)) {
		copy(ts->java_cacerts_real, sizeof(ts->java_cacerts_real),
		    realpath(ts->java_cacerts, real) ? real : ts->java_cacerts);
		base = strrchr(ts->java_cacerts, '/');
		ts->java_jsse = strcmp(base ? base + 1 : ts->java_cacerts,
		    "jssecacerts") == 0;
		javart_release_version(ts->java_home, ts->java_version,
		    sizeof(ts->java_version));
	}
	if (keystore == NULL && cafile == NULL && rt != NULL &&
	    rt->truststore[0] != '\0') {
		if ((rc = load_process_store(ts, rt, storepass, err)) != SW_OK)
			return rc;
	} else if (keystore == NULL && cafile == NULL) {
		if ((rc = load_default(ts, storepass, err)) != SW_OK)
			return rc;
	} else {
		if (keystore != NULL && (rc = load_source(ts, TS_KEYSTORE,
		    keystore, "keystore", storepass, err)) != SW_OK)
			return rc;
		/* The runtime's own cacerts: its aliases were seen on
		 * loading. */
		if (keystore != NULL && ts->src[0].is_java)
			ts->java_cacerts_used = ts->java_known =
			    ts->src[0].loaded;
		if (cafile != NULL && (rc = load_source(ts, TS_PEM, cafile,
		    "PEM file", NULL, err)) != SW_OK)
			return rc;
		if (keystore != NULL)
			ks = &ts->src[0];
		if (cafile != NULL)
			pem = &ts->src[ts->nsrc - 1];
		describe_java_setting(ts, pem, ks);
	}
	if (!ts->java_known && ts->java_cacerts[0] != '\0')
		return scan_jdk_cacerts(ts, err);
	return SW_OK;
}

void
truststore_free(struct truststore *ts)
{
	if (ts == NULL)
		return;
	x509_anchors_free(ts->anchors);
	free(ts->java);
	ts->anchors = NULL;
	ts->java = NULL;
	ts->njava = 0;
}

int
truststore_is_jdk_ca(const struct truststore *ts,
    const unsigned char sha256[32])
{
	size_t i;

	for (i = 0; i < ts->njava; i++)
		if (memcmp(ts->java[i].sha256, sha256, 32) == 0 &&
		    ts->java[i].jdk)
			return 1;
	return ts->java_known ? 0 : -1;
}

int
truststore_java_has(const struct truststore *ts,
    const unsigned char sha256[32])
{
	size_t i;

	for (i = 0; i < ts->njava; i++)
		if (memcmp(ts->java[i].sha256, sha256, 32) == 0)
			return 1;
	return ts->java_known ? 0 : -1;
}
