/*
 * Trust-anchor sets and the path a Java PKIX validator would build from
 * the chain a server sent to one of those anchors (the rules are at the
 * top of x509.h).  Certificates are parsed and compared with x509.c's
 * helpers (x509_int.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "x509_int.h"

/* ---- trust anchors ------------------------------------------------------ */

struct anchor {
	mbedtls_x509_crt	*crt;
	unsigned char		 sha256[32];
	char			 label[128];
	int			 jdk;
};

struct x509_anchors {
	struct anchor	*a;
	size_t		 n, cap, skipped;
};

struct x509_anchors *
x509_anchors_new(void)
{
	return calloc(1, sizeof(struct x509_anchors));
}

void
x509_anchors_free(struct x509_anchors *s)
{
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; i < s->n; i++)
		free_crt(s->a[i].crt);
	free(s->a);
	free(s);
}

size_t
x509_anchors_count(const struct x509_anchors *s)
{
	return s ? s->n : 0;
}

size_t
x509_anchors_skipped(const struct x509_anchors *s)
{
	return s ? s->skipped : 0;
}

int
x509_anchors_has(const struct x509_anchors *s, const unsigned char sha256[32],
    const char **label)
{
	size_t i;

	for (i = 0; s != NULL && i < s->n; i++)
		if (memcmp(s->a[i].sha256, sha256, 32) == 0) {
			if (label != NULL)
				*label = s->a[i].label;
			return 1;
		}
	return 0;
}

enum sw_err
x509_anchors_add(struct x509_anchors *s, const unsigned char *der,
    size_t len, const char *label, int jdk, struct sw_error *err)
{
	struct sw_error e = { 0 };
	unsigned char fp[32];
	mbedtls_x509_crt *crt;
	struct anchor *a;
	enum sw_err rc;

	if ((rc = x509_sha256(der, len, fp, err)) != SW_OK)
		return rc;
	if (x509_anchors_has(s, fp, NULL))
		return SW_OK;
	if ((rc = x509_parse_crt(der, len, &crt, &e)) != SW_OK) {
		if (rc == SW_ENOMEM)
			return sw_fail(err, rc, "out of memory");
		s->skipped++;
		return SW_OK;
	}
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 64;

		if ((a = realloc(s->a, cap * sizeof(*a))) == NULL) {
			free_crt(crt);
			return sw_fail(err, SW_ENOMEM, "out of memory");
		}
		s->a = a;
		s->cap = cap;
	}
	a = &s->a[s->n++];
	a->crt = crt;
	memcpy(a->sha256, fp, 32);
	snprintf(a->label, sizeof(a->label), "%s", label ? label : "");
	a->jdk = jdk;
	return SW_OK;
}

/* ---- path building ------------------------------------------------------ */

struct sent {
	mbedtls_x509_crt	*crt[CHAIN_MAX];
	unsigned char		 fp[CHAIN_MAX][32];
	size_t			 n;
};

static void
take_anchor(struct x509_path *out, const struct anchor *a)
{
	out->trusted = 1;
	x509_fill_info(a->crt, &out->anchor);
	memcpy(out->anchor.sha256, a->sha256, 32);
	snprintf(out->anchor_label, sizeof(out->anchor_label), "%s",
	    a->label);
	out->anchor_jdk = a->jdk;
}

/* An anchor that is cur itself (Java trusts a sent anchor as is). */
static const struct anchor *
anchor_equal(const struct x509_anchors *s, const unsigned char fp[32])
{
	size_t i;

	for (i = 0; s != NULL && i < s->n; i++)
		if (memcmp(s->a[i].sha256, fp, 32) == 0)
			return &s->a[i];
	return NULL;
}

static const struct anchor *
anchor_issuer(const struct x509_anchors *s, const mbedtls_x509_crt *cur)
{
	size_t i;

	for (i = 0; s != NULL && i < s->n; i++)
		if (x509_same_name(cur, s->a[i].crt) &&
		    x509_signed_by(cur, s->a[i].crt))
			return &s->a[i];
	return NULL;
}

static int
sent_issuer(const struct sent *st, const mbedtls_x509_crt *cur,
    const int *used)
{
	size_t i;

	for (i = 0; i < st->n; i++)
		if (st->crt[i] != NULL && !used[i] && st->crt[i] != cur &&
		    x509_same_name(cur, st->crt[i]) &&
		    x509_signed_by(cur, st->crt[i]))
			return (int)i;
	return -1;
}

static void
walk(const struct sent *st, const struct x509_anchors *anchors,
    struct x509_path *out)
{
	int used[CHAIN_MAX] = { 0 };
	const struct anchor *a;
	int cur = 0, next;
	size_t i;

	out->idx[out->len++] = 0;
	used[0] = 1;
	for (;;) {
		mbedtls_x509_crt *c = st->crt[cur];

		if ((a = anchor_equal(anchors, st->fp[cur])) != NULL) {
			take_anchor(out, a);
			out->anchor_sent = 1;
			break;
		}
		if ((a = anchor_issuer(anchors, c)) != NULL) {
			take_anchor(out, a);
			break;
		}
		if (x509_same_name(c, c) && x509_signed_by(c, c)) {
			out->top_self_signed = 1;
			break;
		}
		next = sent_issuer(st, c, used);
		if (next < 0 || out->len >= CHAIN_MAX) {
			x509_dn_text(&c->issuer, out->missing_issuer,
			    sizeof(out->missing_issuer));
			break;
		}
		if (!X509_PRIV(st->crt[next], ca_istrue) && out->not_ca < 0)
			out->not_ca = (int)out->len;
		used[next] = 1;
		out->idx[out->len++] = next;
		cur = next;
	}
	out->ordered = 1;
	for (i = 0; i < out->len; i++)
		if (out->idx[i] != (int)i)
			out->ordered = 0;
	for (i = 0; i < st->n; i++) {
		if (used[i])
			continue;
		/* The root sent along with a chain that ends at it. */
		if (out->trusted && !out->anchor_sent &&
		    memcmp(st->fp[i], out->anchor.sha256, 32) == 0)
			continue;
		out->unused++;
		/* An unrelated certificate before the path's end. */
		if ((int)i < out->idx[out->len - 1])
			out->ordered = 0;
	}
}

enum sw_err
x509_build_path(const unsigned char *const *der, const size_t *len, size_t n,
    const struct x509_anchors *anchors, struct x509_path *out,
    struct sw_error *err)
{
	struct sent st;
	enum sw_err rc = SW_OK;
	size_t i;

	memset(out, 0, sizeof(*out));
	memset(&st, 0, sizeof(st));
	out->not_ca = -1;
	if (n == 0)
		return sw_fail(err, SW_EUSAGE, "no certificate to check");
	if (n > CHAIN_MAX)
		n = CHAIN_MAX;
	out->nsent = st.n = n;
	for (i = 0; i < n && rc == SW_OK; i++) {
		struct sw_error e = { 0 };

		if ((rc = x509_sha256(der[i], len[i], st.fp[i], err)) != SW_OK)
			break;
		rc = x509_parse_crt(der[i], len[i], &st.crt[i], &e);
		out->parsed[i] = rc == SW_OK;
		if (rc == SW_ENOMEM)
			sw_fail(err, rc, "out of memory");
		else if (rc != SW_OK && i == 0)
			sw_fail(err, rc, "the server's certificate: %s",
			    sw_error_text(&e));
		else
			rc = SW_OK;
	}
	if (rc == SW_OK)
		walk(&st, anchors, out);
	for (i = 0; i < n; i++)
		free_crt(st.crt[i]);
	return rc;
}
