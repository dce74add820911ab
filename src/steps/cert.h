/*
 * Step 2: certificates and trust -- the data the step produces.  It
 * answers "would this Java client, with this trust store, accept this
 * server's chain?": the chain as sent, the path Java would build, the
 * trust store used, the host-name check of
 * mail.smtp.ssl.checkserveridentity, and the selected Java profile's
 * certpath limits.  Strings from the server are sanitised.
 *
 * Included by probe.h inside struct step_result: it may use probe.h's
 * enums (smtp_mode) and tri.h.
 */
#ifndef SW_CERT_H
#define SW_CERT_H

#include <stdio.h>

#include "chain.h"
#include "tri.h"

struct json;
struct step_result;

#define CERT_SAN_MAX	12		/* SAN entries shown per certificate */
#define CERT_ISSUES_MAX	16		/* certpath issues kept */

/* The problem words of the JSON contract (README), as bits. */
enum cert_problem {
	CERT_P_EXPIRED		= 1 << 0,	/* "expired" */
	CERT_P_NOT_YET_VALID	= 1 << 1,	/* "not-yet-valid" */
	CERT_P_EXPIRING_SOON	= 1 << 2,	/* "expiring-soon" */
	CERT_P_SELF_SIGNED	= 1 << 3,	/* "self-signed" */
	CERT_P_UNTRUSTED	= 1 << 4,	/* "untrusted" */
	CERT_P_INCOMPLETE	= 1 << 5,	/* "incomplete-chain" */
	CERT_P_HOSTNAME		= 1 << 6,	/* "hostname-mismatch" */
	CERT_P_WEAK_KEY		= 1 << 7,	/* "weak-key" */
	CERT_P_WEAK_SIG		= 1 << 8,	/* "weak-signature" */
	CERT_P_JAVA_CERTPATH	= 1 << 9	/* "java-certpath" */
};
#define CERT_PROBLEM_COUNT	10

/* The word of problem bit i (0 .. CERT_PROBLEM_COUNT-1). */
const char	*cert_problem_name(unsigned bit_index);

/* One certificate as the server sent it. */
struct cert_entry {
	char		subject[256];
	char		issuer[256];
	size_t		nsan, san_more;
	char		san[CERT_SAN_MAX][96];	/* "DNS:a.b", "IP:127.0.0.1" */
	char		not_before[24], not_after[24];	/* ISO 8601, UTC */
	long		days_left;		/* < 0: expired that long ago */
	char		key[48];		/* "RSA 2048",
						   "EC 256 secp256r1" */
	char		signature[48];		/* "sha256WithRSAEncryption" */
	char		sha256[96];		/* "AB:CD:..." */
	int		parsed;			/* 0: only sha256 (and key,
						   signature) are known */
	int		ca, self_signed;
	char		role[16];		/* "leaf" "intermediate" "root"
						   "unrelated" */
	int		path_pos;		/* place on Java's path; -1 */
	/* For the judge, not rendered: the validity as read (time_t). */
	long long	not_before_t, not_after_t;
};

/* A source of the trust store as loaded (truststore.h). */
#define CERT_STORE_SOURCES	2

struct cert_store_source {
	char		path[512];
	char		format[16];		/* keystores: "JKS" "PKCS12" */
	char		error[256];		/* what went wrong; "" */
	int		keystore;		/* a JKS/PKCS12 keystore */
	int		system;			/* the system's PEM bundle */
	int		integrity_bad;		/* its password check failed */
	int		loaded;			/* read, perhaps partly */
	size_t		ncerts, nbad;		/* anchors read; unreadable */
	size_t		over;			/* left out beyond the limit */
	size_t		nignored;		/* without Java's trusted-
						   certificate attribute */
};

/* How the chain was got (cert_fetch.c). */
enum cert_fetch_how {
	CERT_FETCH_HANDSHAKE,			/* the handshake completed, or
						   nothing was tried */
	CERT_FETCH_LATE,			/* it failed after the server's
						   Certificate message */
	CERT_FETCH_NO_TLS,			/* no TLS connection at all */
	CERT_FETCH_RAW				/* it failed: raw hellos asked
						   which versions work */
};

/* A rule of the Java profile's certpath limits the path breaks. */
struct cert_issue {
	int		key;			/* 1: key size or curve;
						   0: signature algorithm */
	int		fatal;			/* Java rejects the chain */
	char		text[512];
};

struct cert_data {
	int		available;		/* a chain was read */
	char		host[256];		/* the name checked */
	unsigned	port;
	int		mode;			/* enum smtp_mode */
	char		tls[128];		/* "TLSv1.3 TLS_AES_..."; "" */
	char		source[64];		/* "handshake", "raw TLSv1.1
						   hello" */
	char		server_versions[64];	/* probed when the handshake
						   failed: "TLSv1.3" */
	char		build_versions[64];	/* "TLSv1 to TLSv1.2" */
	size_t		nchain, chain_more;
	struct cert_entry chain[CHAIN_MAX];
	int		ordered;		/* sent in path order */
	enum tri	trusted, hostname_match;
	unsigned	problems;		/* enum cert_problem bits */
	int		java_accepts;		/* the step's answer */
	int		java_chain_max;		/* the judge: the chain is
						   longer than this Java
						   takes (its limit); 0 */
	/* The trust store. */
	char		store_kind[16];		/* "system" "pem" "keystore" */
	char		store_path[512];
	char		store_what[96];
	size_t		store_certs;
	char		store_integrity[16];	/* keystores: "ok" "bad" ... */
	char		store_error[256];
	int		store_java_default;	/* the runtime's cacerts, which
						   Java reads by default */
	int		store_not_java;		/* no Java runtime found: the
						   system bundle, which Java
						   never reads */
	int		store_needs_java_setting; /* Java reads the store only
						   when told (truststore.h) */
	char		store_java_setting[1024]; /* how; "" */
	char		java_cacerts[512];	/* the runtime's cacerts; "" */
	char		java_source[48];
	char		java_home[512];
	char		java_version[32];	/* its release file; "" */
	int		java_jsse;		/* java_cacerts is a
						   jssecacerts */
	char		anchor[256];		/* subject of the anchor used */
	char		anchor_alias[128];
	char		missing_issuer[256];	/* nobody sent this issuer */
	/* The host-name check as the mail library does it. */
	int		checks_identity;	/* checkserveridentity on */
	char		mail_lib[48];
	char		hostname_why[256];
	char		java_profile[16];
	char		certpath_rules[160];	/* where the limits come from */
	/* Fixes. */
	char		saved_chain[512];	/* files written; "" */
	char		saved_ca[512];
	char		keytool[768];		/* the import command; "" */
	char		keytool_copy[600];	/* before it: cp cacerts; "" */
	/*
	 * The facts the judge reads beyond those above (cert_facts.c
	 * records them from the certificates, the trust store and the
	 * profile; cert_judge() reads nothing else but the settings).  Not
	 * rendered.
	 */
	long long	now;			/* when judged (time_t) */
	size_t		npath;			/* certificates on Java's path */
	int		path[CHAIN_MAX];	/* path -> chain index */
	int		anchor_sent;		/* the last on the path is itself
						   an anchor */
	int		top_self_signed;	/* untrusted: the path ends at a
						   self-signed certificate */
	size_t		unused;			/* sent, not on the path */
	int		not_ca;			/* path index used as a CA but
						   not one; -1 */
	int		leaf_server_auth;	/* EKU absent or serverAuth */
	char		unreadable[256];	/* no path: why (the leaf
						   cannot be read); "" */
	int		host_result;		/* enum host_match (hostname.h)
						   of the full certificate, as
						   the mail library checks */
	char		advice_name[256];	/* mismatch: a certificate name
						   that resolves; "" */
	char		advice_addr[64];
	size_t		nissues;		/* certpath issues (none when
						   Java does not check) */
	struct cert_issue issues[CERT_ISSUES_MAX];
	int		ca_idx;			/* chain index of the CA to
						   import; -1 */
	int		store_fails;		/* Java cannot load the store */
	int		java_lacks_anchor;	/* the runtime's cacerts, not
						   the store judged, lacks the
						   anchor */
	char		save_error[256];	/* --save-chain failed: why */
	int		save_error_ca;		/* ... at the CA file */
	char		fix_keytool[768];	/* the import command for the CA
						   concerned (ca_idx, else the
						   anchor Java lacks); "" */
	char		fix_keytool_copy[600];
	/* The Java profile's rules: 1: the profiles could not be loaded;
	 * 2: the java.security given could not be read; why. */
	int		profile_failed;
	char		profile_error[256];
	/* The trust store's sources as loaded. */
	size_t		nsources;
	struct cert_store_source sources[CERT_STORE_SOURCES];
	int		store_password_given;	/* --storepass */
	/* Getting the chain. */
	int		fetch;			/* enum cert_fetch_how */
	char		fetch_error[256];	/* the handshake's error */
	int		raw_any;		/* raw: some version answered */
	int		raw_common;		/* ... one this build can do */
	int		raw_chain;		/* ... and sent its chain */
	char		tls_library[64];	/* "mbed TLS 3.6.2" */
};

/* The step's data in the text report and in the JSON "data" object. */
void	cert_data_text(FILE *, const struct step_result *);
void	cert_data_json(struct json *, const struct step_result *);

#endif
