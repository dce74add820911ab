/*
 * Java's certificate path checks applied to a built chain: what the
 * JDK's TLS client holds against a server's certificates beyond trust
 * (key sizes, signature algorithms, curves), and the chain length it
 * takes.  The rules are data, not code: each runtime's
 * jdk.certpath.disabledAlgorithms, jdk.tls.disabledAlgorithms and
 * jdk.disabled.namedCurves, and the curves its JDK can verify at all
 * (profile.certpath.curves), come from its profile in assets/java
 * (javaprof.h) -- or the user's java.security (--java-security) -- and
 * are applied through javaprof_certpath_check(); this file knows only
 * the runtimes' names and titles, and how to word what the rules say.
 *
 * What the built-in profiles make Java reject:
 *  - certificates signed with MD2 or MD5 (every profile);
 *  - SHA-1 signatures when the chain ends at a CA the JDK itself ships
 *    ("SHA1 jdkCA & usage TLSServer": an alias with " [jdk" in the
 *    JDK's cacerts); the same chain ending at an imported CA passes;
 *  - RSA and DSA keys below 1024 bits, EC keys below 224 bits, the
 *    anchor's key included (it verifies the first signature);
 *  - 8u291 and 11: EC keys on jdk.disabled.namedCurves (secp256k1,
 *    brainpool, the binary sect* curves ...); 17 and 21: EC keys on any
 *    curve but P-256/384/521, which SunEC no longer implements (JDK 16,
 *    JDK-8235710).  8u202 accepts them all.
 * Warnings beyond Java (the project's own bar, in this file): RSA/DSA
 * keys below 2048 bits and SHA-1 signatures are weak even where Java
 * accepts them.  Without a loaded profile (jp NULL) only these
 * warnings are given: there are no Java rules to apply.
 *
 * Pure: no I/O, no globals but the constant table of names.
 */
#ifndef SW_CERTPATH_H
#define SW_CERTPATH_H

#include <stddef.h>

#include "x509.h"

struct javaprof;

struct certpath_profile {
	const char		*name;		/* "8u202" "8u291" "11"
						   "17" "21" */
	const char		*title;		/* "Java 17" */
};

/*
 * The profile for a --java value: "8u202", "8u291" (also "8u301", "8"),
 * "11", "17", "21"; NULL for an unknown name.
 */
const struct certpath_profile *certpath_profile(const char *java);

/*
 * How many certificates Java's TLS client takes from a server.
 * JDK-8245417 (the July 2020 updates: 8u261, 11.0.8, 14.0.2, and 15)
 * added jdk.tls.maxCertificateChainLength, default 10, for both ends;
 * JDK-8311596 (JDK 22) added jdk.tls.client.maxInboundCertificateChainLength,
 * default 10, which wins over the older one (CertificateMessage.java:
 * "The certificate chain length (N) exceeds the maximum allowed length
 * (M)").  Checked in the sources of 21u and 22+ and on 17.0.15 and 25
 * runtimes.  Older runtimes, and the 8u202 profile, take any length.
 */
#define CERTPATH_JAVA_CHAIN_DEFAULT	10

struct certpath_chain_limit {
	int		 limited;	/* 0: this Java takes any length */
	int		 max;		/* certificates it takes */
	const char	*property;	/* the one that sets it there */
	int		 from_property;	/* max came from a -D value */
};

/*
 * The limit for a runtime of version major/update (0: unknown; then
 * the profile name, "8u202" ... "21", decides) started with the -D
 * values global (jdk.tls.maxCertificateChainLength) and client
 * (jdk.tls.client.maxInboundCertificateChainLength); "" or NULL: not
 * given.  A value that is not a number >= 0 is ignored, as Java does.
 */
void		certpath_chain_limit(const char *profile, int major,
		    int update, const char *global, const char *client,
		    struct certpath_chain_limit *out);

/* One thing Java (fatal) or smtpwiz (warning) holds against a path. */
struct certpath_issue {
	int		 cert;		/* path index; -1: the trust anchor */
	int		 fatal;		/* Java rejects the chain */
	enum {
		CERTPATH_SIGNATURE,	/* MD2/MD5, SHA-1 */
		CERTPATH_KEY,		/* key size, curve */
	}		 kind;
	char		 text[512];
};

#define CERTPATH_ISSUES_MAX	16

/*
 * Checks the path certs[0..n) (leaf first; each one's signature is
 * judged unless it is the self-signed top of an untrusted path) and the
 * anchor (NULL when the chain is not trusted) against the rules of
 * jp, the loaded profile of runtime p (p names it in the texts; jp
 * NULL: only smtpwiz's own warnings).  anchor_jdk: 1 the anchor is a
 * JDK-shipped CA, 0 it is not, -1 unknown.  Returns the number of
 * issues written to out (at most cap).
 */
size_t		certpath_check(const struct certpath_profile *p,
		    const struct javaprof *jp,
		    const struct x509_info *const *certs, size_t n,
		    const struct x509_info *anchor, int anchor_jdk,
		    struct certpath_issue *out, size_t cap);

/* Java's name of a certificate's signature algorithm: "SHA256withRSA",
 * "SHA1withECDSA", "RSASSA-PSS", "Ed25519"; "" when unknown. */
void		certpath_java_sig(const struct x509_info *c, char *out,
		    size_t cap);

#endif
