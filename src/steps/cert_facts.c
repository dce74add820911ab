/*
 * Step 2: the facts.  What the chain read (x->info), the path Java
 * would build (x->path), the trust store and the Java profile say,
 * recorded in the step's data -- the chain as sent, the path, the
 * dates, the host-name check as the mail library makes it, the
 * profile's certpath issues, the CA to import, what the runtime's
 * cacerts holds -- so that cert_judge() judges without certificates,
 * trust store or resolver.  Server text is sanitised on the way in.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hostname.h"
#include "net.h"
#include "cert_int.h"

/* ---- the chain as sent -------------------------------------------------- */

static void
fill_entry(struct cert_run *x, size_t i)
{
	const struct x509_info *c = &x->info[i];
	struct cert_entry *e = &x->d->chain[i];
	char tmp[300];
	size_t k;

	e->path_pos = -1;
	x509_fingerprint_text(c->sha256, e->sha256);
	cert_clean(e->key, sizeof(e->key), c->key_text[0] ? c->key_text :
	    "unknown");
	cert_clean(e->signature, sizeof(e->signature), c->signature[0] ?
	    c->signature : "unknown");
	if (!e->parsed) {
		snprintf(e->subject, sizeof(e->subject), "(unreadable)");
		return;
	}
	cert_clean(e->subject, sizeof(e->subject), c->subject);
	cert_clean(e->issuer, sizeof(e->issuer), c->issuer);
	for (k = 0; k < c->ndns; k++) {
		if (e->nsan >= CERT_SAN_MAX) {
			e->san_more++;
			continue;
		}
		snprintf(tmp, sizeof(tmp), "DNS:%s", c->dns[k]);
		cert_clean(e->san[e->nsan++], sizeof(e->san[0]), tmp);
	}
	for (k = 0; k < c->nips; k++) {
		char ip[64] = "?";

		if (e->nsan >= CERT_SAN_MAX) {
			e->san_more++;
			continue;
		}
		inet_ntop(c->ips[k].len == 4 ? AF_INET : AF_INET6,
		    c->ips[k].addr, ip, sizeof(ip));
		snprintf(e->san[e->nsan++], sizeof(e->san[0]), "IP:%s", ip);
	}
	e->san_more += c->dns_dropped + c->ips_dropped;
	x509_time_text(c->not_before, e->not_before);
	x509_time_text(c->not_after, e->not_after);
	e->not_before_t = (long long)c->not_before;
	e->not_after_t = (long long)c->not_after;
	e->days_left = (long)((c->not_after - x->now) / 86400);
	if (c->not_after < x->now && (x->now - c->not_after) % 86400)
		e->days_left--;
	e->ca = c->is_ca;
	e->self_signed = c->self_signed;
}

void
cert_facts_unreadable(struct cert_run *x, const char *why)
{
	size_t i;

	x->d->nchain = x->ch.n < CHAIN_MAX ? x->ch.n : CHAIN_MAX;
	for (i = 0; i < x->d->nchain; i++)
		fill_entry(x, i);
	snprintf(x->d->unreadable, sizeof(x->d->unreadable), "%s", why);
}

static void
fill_chain(struct cert_run *x)
{
	struct cert_data *d = x->d;
	const struct x509_path *p = x->path;
	size_t i;

	/* x->ch, x->path and d->chain all hold CHAIN_MAX certificates;
	 * every index is still checked against what was filled. */
	d->nchain = x->ch.n < CHAIN_MAX ? x->ch.n : CHAIN_MAX;
	for (i = 0; i < d->nchain; i++) {
		d->chain[i].parsed = p->parsed[i];
		fill_entry(x, i);
	}
	for (i = 0; i < p->len && i < CHAIN_MAX; i++) {
		struct cert_entry *e;

		if (p->idx[i] < 0 || (size_t)p->idx[i] >= d->nchain)
			continue;
		e = &d->chain[p->idx[i]];

		e->path_pos = (int)i;
		d->path[d->npath++] = p->idx[i];
		snprintf(e->role, sizeof(e->role), "%s", i == 0 ? "leaf" :
		    x->info[p->idx[i]].self_signed ? "root" : "intermediate");
	}
	for (i = 0; i < d->nchain; i++) {
		struct cert_entry *e = &d->chain[i];

		if (e->role[0] != '\0')
			continue;
		if (p->trusted && memcmp(x->info[i].sha256,
		    p->anchor.sha256, 32) == 0)
			snprintf(e->role, sizeof(e->role), "root");
		else
			snprintf(e->role, sizeof(e->role), "unrelated");
	}
	d->ordered = p->ordered;
	d->trusted = p->trusted ? TRI_YES : TRI_NO;
	if (p->trusted) {
		cert_clean(d->anchor, sizeof(d->anchor), p->anchor.subject);
		cert_clean(d->anchor_alias, sizeof(d->anchor_alias),
		    p->anchor_label);
	} else if (p->missing_issuer[0] != '\0')
		cert_clean(d->missing_issuer, sizeof(d->missing_issuer),
		    p->missing_issuer);
	d->anchor_sent = p->anchor_sent;
	d->top_self_signed = p->top_self_signed;
	d->unused = p->unused;
	d->not_ca = p->not_ca;
	d->leaf_server_auth = x->info[0].server_auth_ok;
}

/* ---- the host name ------------------------------------------------------ */

/*
 * A name of the certificate worth naming when it does not cover the
 * host: the first dNSName that is a valid host name and resolves.  A
 * SAN is server-controlled text ("${...}", quotes, '#' and worse have
 * been seen), so it is never a settings value, only advice, and only a
 * name that passes hostname_valid() and getaddrinfo() (the probes'
 * resolver; at most ADVICE_TRIES look-ups).
 */
#define ADVICE_TRIES	3

static void
advice_name(struct cert_run *x)
{
	const struct x509_info *leaf = &x->info[0];
	struct net_addr addrs[NET_ADDR_MAX];
	size_t i, n, tries = 0;

	for (i = 0; i < leaf->ndns && tries < ADVICE_TRIES; i++) {
		if (!hostname_valid(leaf->dns[i]))
			continue;
		tries++;
		if (net_resolve(leaf->dns[i], x->port, addrs, &n, NULL) !=
		    SW_OK || n == 0)
			continue;
		cert_clean(x->d->advice_name, sizeof(x->d->advice_name),
		    leaf->dns[i]);
		cert_clean(x->d->advice_addr, sizeof(x->d->advice_addr),
		    addrs[0].text);
		return;
	}
}

/* The check on the whole certificate, not the CERT_SAN_MAX shown. */
static void
host_facts(struct cert_run *x)
{
	const struct x509_info *leaf = &x->info[0];
	const char *dns[X509_DNS_MAX], *matched = NULL;
	struct host_ids ids;
	enum host_match m;
	char why[256];
	size_t i;

	for (i = 0; i < leaf->ndns; i++)
		dns[i] = leaf->dns[i];
	ids.dns = dns;
	ids.ndns = leaf->ndns;
	ids.ips = leaf->ips;
	ids.nips = leaf->nips;
	ids.cn = leaf->cn[0] ? leaf->cn : NULL;
	/*
	 * Both libraries ask the JDK's sun.security.util.HostnameChecker
	 * by reflection; from Java 16 on the module system refuses that,
	 * and their own fall-back (SocketFetcher.matchCert, Angus's
	 * MailHostnameVerifier) reads only dNSName entries, then the CN:
	 * an iPAddress entry no longer counts.
	 */
	if (atoi(x->prof->name) >= 16)
		ids.nips = 0;
	m = hostname_check(x->host, &ids, &matched, why, sizeof(why));
	if (m != HOST_MATCH && atoi(x->prof->name) >= 16 && leaf->nips > 0 &&
	    hostname_parse_ip(x->host, NULL))
		snprintf(why + strlen(why), sizeof(why) - strlen(why), " On "
		    "Java %s the mail library cannot use the JDK's own check "
		    "and reads only the DNS names and the CN: the address in "
		    "the certificate does not count; connect by name.",
		    x->prof->name);
	cert_clean(x->d->hostname_why, sizeof(x->d->hostname_why), why);
	x->d->host_result = (int)m;
	if (m == HOST_MISMATCH)
		advice_name(x);
}

/* ---- the profile's rules, the runtime's cacerts ------------------------- */

static void
certpath_facts(struct cert_run *x)
{
	const struct x509_path *p = x->path;
	const struct x509_info *c[CHAIN_MAX], *anchor = NULL;
	struct certpath_issue is[CERTPATH_ISSUES_MAX];
	size_t n = p->len, i, k;
	int jdk = -1;

	if (p->trusted && p->anchor_sent)
		n--;
	for (i = 0; i < n; i++)
		c[i] = &x->info[p->idx[i]];
	if (p->trusted) {
		anchor = &p->anchor;
		jdk = p->anchor_jdk ? 1 : truststore_is_jdk_ca(&x->ts,
		    p->anchor.sha256);
	}
	/* Java checks nothing of a trusted leaf (pinned). */
	if (p->trusted && p->anchor_sent && p->len == 1)
		return;
	n = certpath_check(x->prof, x->jp, c, n, anchor, jdk, is,
	    CERTPATH_ISSUES_MAX);
	for (k = 0; k < n && k < CERT_ISSUES_MAX; k++) {
		struct cert_issue *ci = &x->d->issues[x->d->nissues++];

		ci->key = is[k].kind == CERTPATH_KEY;
		ci->fatal = is[k].fatal;
		snprintf(ci->text, sizeof(ci->text), "%s", is[k].text);
	}
}

/* The CA a trust store lacks, among the sent certificates; -1: none. */
static int
ca_to_import(const struct x509_path *p)
{
	int top = p->idx[p->len - 1];

	if (p->trusted)
		return -1;
	if (p->top_self_signed)
		return top;		/* the root, or the self-signed leaf */
	if (p->len > 1)
		return top;		/* an intermediate: Java takes it */
	return -1;
}

void
cert_facts(struct cert_run *x)
{
	const struct x509_path *p = x->path;

	x->d->now = (long long)x->now;
	fill_chain(x);
	host_facts(x);
	certpath_facts(x);
	x->d->ca_idx = ca_to_import(p);
	x->d->java_lacks_anchor = p->trusted && !x->ts.java_cacerts_used &&
	    truststore_java_has(&x->ts, p->anchor.sha256) == 0;
}
