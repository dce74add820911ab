/*
 * The JDK's certificate constraints: whether a key (algorithm and size)
 * or a signature algorithm of a certificate on the path is disabled by
 * a jdk.certpath.disabledAlgorithms or jdk.tls.disabledAlgorithms list,
 * with the conditions (keySize, jdkCA, denyAfter, usage) those entries
 * can carry.  javasec.c parses the lists; javaprof_certpath_check()
 * asks here.  Each function names the OpenJDK method it reproduces.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "javasec_int.h"

/* AlgorithmDecomposer.getAliases(): DH and DiffieHellman are one. */
static int
same_alg(const char *a, const char *b)
{
	int adh = !strcasecmp(a, "DH") || !strcasecmp(a, "DiffieHellman");
	int bdh = !strcasecmp(b, "DH") || !strcasecmp(b, "DiffieHellman");

	return adh ? bdh : strcasecmp(a, b) == 0;
}

static int
size_hit(enum javasec_op op, long bits, long size)
{
	switch (op) {
	case JAVASEC_LT: return bits < size;
	case JAVASEC_LE: return bits <= size;
	case JAVASEC_EQ: return bits == size;
	case JAVASEC_NE: return bits != size;
	case JAVASEC_GE: return bits >= size;
	default:	 return bits > size;
	}
}

const struct javasec_entry *
javasec_check_key(const struct javasec_list *list, const char *key_alg,
    unsigned bits)
{
	const struct javasec_entry *e;
	size_t i;

	for (i = 0; i < list->n; i++) {
		e = &list->v[i];
		if (!same_alg(e->alg, key_alg) || (e->flags & JAVASEC_E_BAD))
			continue;
		if (plain(e))
			return e;
		if ((e->flags & JAVASEC_E_COND) && e->ncond == 1 &&
		    e->cond[0].kind == JAVASEC_KEYSIZE &&
		    size_hit(e->cond[0].op, (long)bits, e->cond[0].size))
			return e;
	}
	return NULL;
}

/* The separators of AlgorithmDecomposer's pattern "with|and|(?<!padd)in"
 * (case-insensitive) at s[i]: their length, or 0. */
static size_t
sep_len(const char *s, size_t i)
{
	if (strncasecmp(s + i, "with", 4) == 0)
		return 4;
	if (strncasecmp(s + i, "and", 3) == 0)
		return 3;
	if (strncasecmp(s + i, "in", 2) == 0 &&
	    (i < 4 || strncasecmp(s + i - 4, "padd", 4) != 0))
		return 2;
	return 0;
}

/* A digest name as decomposeDigestName() writes it: "SHA-256" is
 * "SHA256". */
static void
norm_digest(const char *s, size_t n, char *out, size_t cap)
{
	snprintf(out, cap, "%.*s", (int)n, s);
	if (strncmp(out, "SHA-", 4) == 0)
		memmove(out + 3, out + 4, strlen(out + 4) + 1);
}

/* AlgorithmDecomposer.decomposeName(): "SHA1withRSA" -> SHA1, RSA. */
static size_t
sig_parts(const char *sig, char parts[][32], size_t cap)
{
	size_t n = 0, i, start = 0, len = strlen(sig), w;

	for (i = 0; i <= len; i += w ? w : 1) {
		w = i < len ? sep_len(sig, i) : 0;
		if (i < len && w == 0)
			continue;
		if (i > start && n < cap)
			norm_digest(sig + start, i - start, parts[n++], 32);
		start = i + w;
	}
	return n;
}

static int
cond_holds(const struct javasec_cond *c, int jdk_ca, int ctx, time_t now)
{
	char today[16], words[72];
	struct tm tm;

	switch (c->kind) {
	case JAVASEC_JDKCA:
		return jdk_ca;
	case JAVASEC_DENYAFTER:
		gmtime_r(&now, &tm);
		strftime(today, sizeof(today), "%Y-%m-%d", &tm);
		return strcmp(today, c->arg) > 0;
	case JAVASEC_USAGE:
		snprintf(words, sizeof(words), " %s ", c->arg);
		return strstr(words, ctx == JAVASEC_CTX_TLS_SERVER ?
		    " TLSServer " : " CertificateSignature ") != NULL;
	default:
		return 0;	/* keySize: javasec_check_key()'s job */
	}
}

/* checkAlgorithm() for a plain entry; Constraints.permits() for a
 * conditional one whose algorithm is the signature or one of its
 * parts, all conditions holding. */
static int
sig_hit(const struct javasec_entry *e, const char *sig, char parts[][32],
    size_t np, int jdk_ca, int ctx, time_t now)
{
	char alg[160];
	size_t i;
	int named;

	norm_digest(plain(e) ? e->text : e->alg, strlen(plain(e) ? e->text :
	    e->alg), alg, sizeof(alg));
	named = strcasecmp(alg, sig) == 0;
	for (i = 0; i < np; i++)
		named |= strcasecmp(alg, parts[i]) == 0;
	if (!named || plain(e))
		return named;
	if (!(e->flags & JAVASEC_E_COND) || (e->flags & JAVASEC_E_BAD))
		return 0;
	for (i = 0; i < e->ncond; i++)
		if (!cond_holds(&e->cond[i], jdk_ca, ctx, now))
			return 0;
	return 1;
}

const struct javasec_entry *
javasec_check_sig(const struct javasec_list *list, const char *sig_alg,
    int jdk_ca, int ctx, time_t now)
{
	char parts[6][32];
	size_t i, np;

	np = sig_parts(sig_alg, parts, NELEM(parts));
	for (i = 0; i < list->n; i++)
		if (sig_hit(&list->v[i], sig_alg, parts, np, jdk_ca, ctx, now))
			return &list->v[i];
	return NULL;
}
