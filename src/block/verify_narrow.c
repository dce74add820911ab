/*
 * What this build can offer of Java's offer, and whether the rest
 * matters.  The handshake offers the versions, suites and named groups
 * Java offers that this build can speak.  Whatever is left out could
 * have been the server's pick, so a handshake that fails is then "not
 * checked" -- unless steps 3 and 4, run on the same server, asked for
 * each left-out version and suite and were refused: then Java's
 * handshake fails as this one did.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "cipher.h"
#include "proto.h"
#include "suites.h"
#include "verify_int.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/* Appends sep and word to the string in buf while it fits whole. */
static void
add_word(char *buf, size_t cap, const char *sep, const char *word)
{
	size_t len = strlen(buf);

	if (len + strlen(sep) + strlen(word) < cap)
		snprintf(buf + len, cap - len, "%s%s", len ? sep : "", word);
}

/* Is id among the first n of ids, of which cap fit (a library list
 * may report more than the room it was given)? */
static int
listed(const uint16_t *ids, size_t n, size_t cap, uint16_t id)
{
	size_t i;

	for (i = 0; i < n && i < cap; i++)
		if (ids[i] == id)
			return 1;
	return 0;
}

/* Java's versions within this build's range; the rest in vmissing. */
static int
narrow_versions(struct vrun *v)
{
	uint16_t lo, hi, w;
	size_t i;

	tls_library_range(&lo, &hi);
	v->maxv = v->minv = 0;
	for (i = 0; i < v->offer.nversions; i++) {
		w = v->offer.versions[i];
		if (w < lo || w > hi) {
			v->vmissing[v->nvmissing++] = w;
			continue;
		}
		v->maxv = v->maxv ? v->maxv : w;	/* highest first */
		v->minv = w;
	}
	if (v->nvmissing > 0) {
		snprintf(v->narrowed_why, sizeof(v->narrowed_why), "Java %s "
		    "offers %s to %s; this build of smtpwiz (%s) can complete "
		    "%s to %s only", v->res->java, tls_version_name(
		    v->offer.versions[v->offer.nversions - 1]),
		    tls_version_name(v->offer.versions[0]),
		    tls_library_version(), tls_version_name(lo),
		    tls_version_name(hi));
		v->narrowed = 1;
	}
	if (v->maxv == 0)
		return verify_stop(v, VERIFY_NOT_RUN, VSTAGE_HANDSHAKE,
		    STEP_PROTO, NULL, "%s: the handshake Java would make "
		    "cannot be checked here.", v->narrowed_why);
	return GO;
}

/* Java's suites this build knows; the rest in smissing. */
static int
narrow_suites(struct vrun *v)
{
	uint16_t lib[512];
	size_t nlib, i;

	nlib = tls_library_suites(lib, NELEM(lib));
	for (i = 0; i < v->offer.nsuites; i++) {
		if (listed(lib, nlib, NELEM(lib), v->offer.suites[i])) {
			v->suites[v->nsuites++] = v->offer.suites[i];
			continue;
		}
		v->smissing[v->nsmissing++] = v->offer.suites[i];
		if (!v->narrowed) {
			v->narrowed = 1;
			snprintf(v->narrowed_why, sizeof(v->narrowed_why),
			    "Java %s offers cipher suites this build of "
			    "smtpwiz (%s) cannot", v->res->java,
			    tls_library_version());
		}
	}
	if (v->nsuites == 0)
		return verify_stop(v, VERIFY_NOT_RUN, VSTAGE_HANDSHAKE, STEP_CIPHER,
		    NULL, "%s: none of the suites Java would offer can be "
		    "offered here.", v->narrowed_why);
	return GO;
}

/* An ECDHE suite among those offered for TLS 1.2 and older. */
static int
offers_ecdhe(const struct vrun *v)
{
	const struct suite *su;
	size_t i;

	for (i = 0; i < v->nsuites; i++)
		if ((su = suites_by_id(v->reg, v->suites[i])) != NULL &&
		    (su->kx == SUITE_KX_ECDHE || su->kx == SUITE_KX_ECDH))
			return 1;
	return 0;
}

/*
 * Java's named groups that this build offers, in Java's order.  One
 * it cannot offer matters where the server could pick it: an EC group
 * for an ECDHE suite or TLS 1.3's key share, a finite-field one in TLS
 * 1.3 (Java's ffdhe entries are not used by TLS 1.2 servers for DHE).
 * Offering only Java's groups is what keeps a server limited to, say,
 * brainpool curves from passing here while Java fails.
 */
static void
narrow_groups(struct vrun *v)
{
	uint16_t java[JAVAPROF_GROUPS_MAX], lib[64];
	size_t nj, nlib, i;
	int tls13 = v->maxv >= TLS_V13, ecdhe = offers_ecdhe(v);

	nj = javaprof_groups(v->jp, java, NELEM(java));
	nj = nj > NELEM(java) ? NELEM(java) : nj;
	nlib = tls_library_groups(lib, NELEM(lib));
	for (i = 0; i < nj; i++) {
		if (listed(lib, nlib, NELEM(lib), java[i])) {
			v->groups[v->ngroups++] = java[i];
			add_word(v->res->groups, sizeof(v->res->groups), " ",
			    javaprof_group_name(java[i]));
		} else if (java[i] < 0x100 ? ecdhe || tls13 : tls13)
			add_word(v->groups_missing, sizeof(v->groups_missing),
			    ", ", javaprof_group_name(java[i]));
	}
}

int
verify_narrow(struct vrun *v)
{
	int go;

	if ((go = narrow_versions(v)) != GO || (go = narrow_suites(v)) != GO)
		return go;
	narrow_groups(v);
	return GO;
}

int
verify_groups_matter(const struct tls_info *ti)
{
	return ti->failure != TLS_FAIL_VERSION &&
	    ti->failure != TLS_FAIL_NOT_TLS &&
	    !(ti->failure == TLS_FAIL_ALERT && ti->alert == 70);
}

/* Step s's result when it probed the server this handshake talks to:
 * the host, the port and implicit TLS or STARTTLS alike. */
static const struct step_result *
same_server(const struct vrun *v, enum step s)
{
	const struct step_result *r = v->env.prev[s - 1];
	const struct tls_sweep_info *sw;
	int implicit = v->ssl || v->sf_ssl;

	if (r == NULL || strcasecmp(r->target.host, v->host) != 0 ||
	    r->target.port != v->conn_port)
		return NULL;
	if (s == STEP_PROTO && r->d.proto.available)
		sw = &r->d.proto.sweep;
	else if (s == STEP_CIPHER && r->d.ciphers.available)
		sw = &r->d.ciphers.sweep;
	else
		return NULL;
	return sw->starttls == !implicit ? r : NULL;
}

/* Did step 3 find that the server refuses version w? */
static int
version_refused(const struct step_result *s3, uint16_t w)
{
	size_t i;

	for (i = 0; s3 != NULL && i < TLS_NVERS; i++)
		if (s3->d.proto.v[i].version == w)
			return s3->d.proto.v[i].accepted == TRI_NO;
	return 0;
}

/* Did step 4 offer suite id at version w and see it refused (or the
 * version refused)?  Only a sweep that settled every suite counts. */
static int
suite_refused(const struct step_result *s4, uint16_t id, uint16_t w)
{
	const struct cipher_version *cv;
	size_t i, k;

	for (i = 0; s4 != NULL && i < TLS_NVERS; i++) {
		cv = &s4->d.ciphers.v[i];
		if (cv->version != w)
			continue;
		if (cv->accepted == TRI_NO)
			return 1;
		if (cv->accepted != TRI_YES || cv->complete != TRI_YES ||
		    cv->dropped > 0)
			return 0;
		for (k = 0; k < cv->nsuites; k++)
			if (cv->suites[k].id == id)
				return 0;
		return 1;
	}
	return 0;
}

int
verify_narrowing_matters(const struct vrun *v)
{
	const struct step_result *s3 = same_server(v, STEP_PROTO);
	const struct step_result *s4 = same_server(v, STEP_CIPHER);
	const struct suite *su;
	uint16_t w;
	size_t i, k;

	for (i = 0; i < v->nvmissing; i++)
		if (!version_refused(s3, v->vmissing[i]))
			return 1;
	for (i = 0; i < v->nsmissing; i++) {
		if ((su = suites_by_id(v->reg, v->smissing[i])) == NULL)
			return 1;
		for (k = 0; k < v->offer.nversions; k++) {
			w = v->offer.versions[k];
			if (w >= su->min_version && w <= su->max_version &&
			    !version_refused(s3, w) &&
			    !suite_refused(s4, su->id, w))
				return 1;
		}
	}
	return 0;
}
