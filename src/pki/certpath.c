/*
 * Java's certificate path limits per profile (see certpath.h).
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "certpath.h"
#include "javaprof.h"

/* The runtimes' names and titles; their rules are in assets/java. */
static const struct certpath_profile profiles[] = {
	{ "8u202", "Java 8u202" },
	{ "8u291", "Java 8u291" },
	{ "11", "Java 11" },
	{ "17", "Java 17" },
	{ "21", "Java 21" },
};

const struct certpath_profile *
certpath_profile(const char *java)
{
	size_t i;

	if (java == NULL)
		return NULL;
	if (strcmp(java, "8") == 0 || strcmp(java, "8u301") == 0 ||
	    strcmp(java, "8u292") == 0)
		java = "8u291";
	for (i = 0; i < sizeof(profiles) / sizeof(profiles[0]); i++)
		if (strcmp(profiles[i].name, java) == 0)
			return &profiles[i];
	return NULL;
}

/* Does a runtime of this version enforce a chain limit at all? */
static int
chain_limited(const char *profile, int major, int update)
{
	if (major <= 0)		/* a built-in profile: 8u202 predates it */
		return profile == NULL || strcmp(profile, "8u202") != 0;
	if (major >= 15)
		return 1;
	switch (major) {
	case 8:  return update >= 261;
	case 11: return update >= 8;
	case 13: return update >= 4;
	case 14: return update >= 2;
	default: return 0;	/* 7 and older, 9, 10 */
	}
}

/* A -D value Java would take: a whole number >= 0; else -1. */
static int
chain_prop(const char *v)
{
	long n = 0;

	if (v == NULL || *v == '\0')
		return -1;
	for (; *v != '\0'; v++) {
		if (*v < '0' || *v > '9' || n > 100000000)
			return -1;
		n = n * 10 + (*v - '0');
	}
	return (int)n;
}

void
certpath_chain_limit(const char *profile, int major, int update,
    const char *global, const char *client, struct certpath_chain_limit *out)
{
	int g = chain_prop(global), c = chain_prop(client);

	memset(out, 0, sizeof(*out));
	if (!(out->limited = chain_limited(profile, major, update)))
		return;
	out->max = CERTPATH_JAVA_CHAIN_DEFAULT;
	out->property = "jdk.tls.maxCertificateChainLength";
	if (major >= 22) {
		out->property = "jdk.tls.client.maxInboundCertificateChainLength";
		if (c >= 0) {
			out->max = c;
			out->from_property = 1;
			return;
		}
	}
	if (g >= 0) {
		out->max = g;
		out->from_property = 1;
		if (major >= 22)	/* the one set is the one to change */
			out->property = "jdk.tls.maxCertificateChainLength";
	}
}

static struct certpath_issue *
add(struct certpath_issue *out, size_t cap, size_t *n, int cert, int fatal,
    int kind)
{
	struct certpath_issue *i;

	if (*n >= cap)
		return NULL;
	i = &out[(*n)++];
	memset(i, 0, sizeof(*i));
	i->cert = cert;
	i->fatal = fatal;
	i->kind = kind;
	return i;
}

static const char *
who(int cert, char *buf, size_t cap)
{
	if (cert < 0)
		snprintf(buf, cap, "the trust anchor");
	else if (cert == 0)
		snprintf(buf, cap, "the server certificate");
	else
		snprintf(buf, cap, "certificate %d of the chain", cert);
	return buf;
}

void
certpath_java_sig(const struct x509_info *c, char *out, size_t cap)
{
	const char *alg = NULL, *md;

	out[0] = '\0';
	if (strncmp(c->signature, "rsassaPss", 9) == 0) {
		snprintf(out, cap, "RSASSA-PSS");
		return;
	}
	if (strcmp(c->signature, "Ed25519") == 0 ||
	    strcmp(c->signature, "Ed448") == 0) {
		snprintf(out, cap, "%s", c->signature);
		return;
	}
	if (strstr(c->signature, "RSA") != NULL)
		alg = "RSA";
	else if (strncmp(c->signature, "ecdsa", 5) == 0)
		alg = "ECDSA";
	else if (strncmp(c->signature, "dsa", 3) == 0)
		alg = "DSA";
	switch (c->sig_md) {
	case X509_MD_MD2:	md = "MD2"; break;
	case X509_MD_MD5:	md = "MD5"; break;
	case X509_MD_SHA1:	md = "SHA1"; break;
	case X509_MD_SHA224:	md = "SHA224"; break;
	case X509_MD_SHA256:	md = "SHA256"; break;
	case X509_MD_SHA384:	md = "SHA384"; break;
	case X509_MD_SHA512:	md = "SHA512"; break;
	default:		md = NULL; break;
	}
	if (alg != NULL && md != NULL)
		snprintf(out, cap, "%swith%s", md, alg);
}

/* Is curve in jp's jdk.disabled.namedCurves, and that list in use? */
static int
curve_disabled(const struct javaprof *jp, const char *curve)
{
	const char *cp = javaprof_property(jp,
	    "jdk.certpath.disabledAlgorithms");
	const char *list = javaprof_property(jp, "jdk.disabled.namedCurves");
	const char *s;
	size_t n = strlen(curve);

	if (strcasestr(cp, "include jdk.disabled.namedCurves") == NULL)
		return 0;
	for (s = list; (s = strcasestr(s, curve)) != NULL; s += n)
		if ((s == list || s[-1] == ' ' || s[-1] == ',') &&
		    (s[n] == '\0' || s[n] == ',' || s[n] == ' '))
			return 1;
	return 0;
}

static void
check_key(const struct certpath_profile *p, const struct javaprof *jp,
    const struct x509_info *c, int cert, struct certpath_issue *out,
    size_t cap, size_t *n)
{
	struct certpath_issue *i;
	unsigned min;
	char w[48], why[256], accepts[96] = "";

	who(cert, w, sizeof(w));
	if (jp != NULL && c->key_bits != 0 && (c->key == X509_KEY_RSA ||
	    c->key == X509_KEY_DSA || c->key == X509_KEY_EC) &&
	    !javaprof_certpath_check(jp, x509_key_name(c->key), c->key_bits,
	    NULL, 0, why, sizeof(why))) {
		if ((i = add(out, cap, n, cert, 1, CERTPATH_KEY)) != NULL)
			snprintf(i->text, sizeof(i->text), "%s has a %u-bit %s "
			    "key; %s rejects it (%s).", w, c->key_bits,
			    x509_key_name(c->key), p->title, why);
		return;
	}
	if ((c->key == X509_KEY_RSA || c->key == X509_KEY_DSA) &&
	    c->key_bits != 0 && c->key_bits < 2048) {
		min = jp ? javaprof_certpath_key_min(jp,
		    x509_key_name(c->key)) : 0;
		if (jp != NULL)
			snprintf(accepts, sizeof(accepts), "%s accepts it",
			    p->title);
		if (min != 0)
			snprintf(accepts + strlen(accepts), sizeof(accepts) -
			    strlen(accepts), " (its limit is %u bits)", min);
		if ((i = add(out, cap, n, cert, 0, CERTPATH_KEY)) != NULL)
			snprintf(i->text, sizeof(i->text), "%s has a %u-bit %s "
			    "key: %s%skeys below 2048 bits are considered "
			    "breakable; the server should get a new key.", w,
			    c->key_bits, x509_key_name(c->key), accepts,
			    jp ? ", but " : "");
		return;
	}
	if (jp == NULL || c->key != X509_KEY_EC || c->curve[0] == '\0' ||
	    (javaprof_curve_verifiable(jp, c->curve) &&
	    !curve_disabled(jp, c->curve)))
		return;
	if ((i = add(out, cap, n, cert, 1, CERTPATH_KEY)) == NULL)
		return;
	if (javaprof_curve_verifiable(jp, c->curve))
		snprintf(i->text, sizeof(i->text), "%s has an EC key on curve "
		    "%s, which %s disables (jdk.disabled.namedCurves).", w,
		    c->curve, p->title);
	else
		snprintf(i->text, sizeof(i->text), "%s has an EC key on curve "
		    "%s, which %s can no longer verify (the JDK implements "
		    "only P-256, P-384 and P-521 since JDK 16).", w, c->curve,
		    p->title);
}

static void
check_sig(const struct certpath_profile *p, const struct javaprof *jp,
    const struct x509_info *c, int cert, int anchor_jdk,
    struct certpath_issue *out, size_t cap, size_t *n)
{
	struct certpath_issue *i;
	char w[48], sig[32], why[256];

	who(cert, w, sizeof(w));
	certpath_java_sig(c, sig, sizeof(sig));
	if (jp != NULL && sig[0] != '\0' && !javaprof_certpath_check(jp,
	    NULL, 0, sig, anchor_jdk == 1, why, sizeof(why))) {
		if ((i = add(out, cap, n, cert, 1, CERTPATH_SIGNATURE)) != NULL)
			snprintf(i->text, sizeof(i->text), "%s is signed with "
			    "%s; %s rejects it (%s).", w, sig, p->title, why);
		return;
	}
	if (c->sig_md == X509_MD_MD2 || c->sig_md == X509_MD_MD5) {
		/* Allowed by the user's java.security, still forgeable. */
		if ((i = add(out, cap, n, cert, 0, CERTPATH_SIGNATURE)) != NULL)
			snprintf(i->text, sizeof(i->text), "%s is signed with "
			    "%s (%s): %ssuch signatures can be forged.", w,
			    x509_md_name(c->sig_md), c->signature, jp ?
			    "this Java's settings allow it, but " : "");
		return;
	}
	if (c->sig_md != X509_MD_SHA1)
		return;
	if ((i = add(out, cap, n, cert, 0, CERTPATH_SIGNATURE)) == NULL)
		return;
	snprintf(i->text, sizeof(i->text), "%s is signed with SHA-1 "
	    "(%s). SHA-1 signatures can be forged. %s rejects them "
	    "only in chains that end at a CA the JDK itself ships "
	    "(\"SHA1 jdkCA & usage TLSServer\")%s; the server should "
	    "get a certificate signed with SHA-256.", w, c->signature,
	    p->title, anchor_jdk == 0 ? ", which this one does not" :
	    "");
}

size_t
certpath_check(const struct certpath_profile *p, const struct javaprof *jp,
    const struct x509_info *const *certs, size_t n,
    const struct x509_info *anchor, int anchor_jdk,
    struct certpath_issue *out, size_t cap)
{
	size_t i, count = 0;

	for (i = 0; i < n; i++) {
		/* A self-signed top is the anchor-to-be: not its signature. */
		if (!(anchor == NULL && i + 1 == n && certs[i]->self_signed))
			check_sig(p, jp, certs[i], (int)i, anchor_jdk, out,
			    cap, &count);
		check_key(p, jp, certs[i], (int)i, out, cap, &count);
	}
	if (anchor != NULL)
		check_key(p, jp, anchor, -1, out, cap, &count);
	return count;
}
