/*
 * Step 2's result as text (the batch report) and as the JSON "data"
 * object of the JSON contract (README, "JSON for scripts").
 */
#include <stdio.h>

#include "json.h"
#include "probe.h"

static const char *const problem_names[CERT_PROBLEM_COUNT] = {
	"expired", "not-yet-valid", "expiring-soon", "self-signed",
	"untrusted", "incomplete-chain", "hostname-mismatch", "weak-key",
	"weak-signature", "java-certpath",
};

const char *
cert_problem_name(unsigned i)
{
	return i < CERT_PROBLEM_COUNT ? problem_names[i] : "?";
}

static const char *
mode_word(int mode)
{
	return smtp_mode_name((enum smtp_mode)mode);
}

static void
text_entry(FILE *f, size_t i, const struct cert_entry *e)
{
	size_t k;

	fprintf(f, "  [%zu] %-13s%s\n", i, e->role, e->subject);
	if (!e->parsed) {
		fprintf(f, "      %-13s%s  %s\n", "key", e->key, e->signature);
		fprintf(f, "      %-13s%s\n", "SHA-256", e->sha256);
		return;
	}
	fprintf(f, "      %-13s%s\n", "issuer", e->issuer);
	if (e->nsan > 0) {
		fprintf(f, "      %-13s", "SANs");
		for (k = 0; k < e->nsan; k++)
			fprintf(f, "%s%s", k ? " " : "", e->san[k]);
		if (e->san_more)
			fprintf(f, " (+%zu more)", e->san_more);
		fputc('\n', f);
	}
	fprintf(f, "      %-13s%s .. %s (%s%ld days %s)\n", "valid",
	    e->not_before, e->not_after, e->days_left < 0 ? "expired " : "",
	    e->days_left < 0 ? -e->days_left : e->days_left,
	    e->days_left < 0 ? "ago" : "left");
	fprintf(f, "      %-13s%s, signed %s\n", "key", e->key, e->signature);
	fprintf(f, "      %-13s%s\n", "SHA-256", e->sha256);
}

void
cert_data_text(FILE *f, const struct step_result *r)
{
	const struct cert_data *d = &r->d.cert;
	size_t i;
	unsigned b;
	int first = 1;

	fprintf(f, "  %-12s%s port %u, %s%s%s\n", "server", d->host, d->port,
	    mode_word(d->mode), d->tls[0] ? ", " : "", d->tls);
	if (d->server_versions[0] != '\0')
		fprintf(f, "  %-12sserver accepts %s; this build can do %s\n",
		    "versions", d->server_versions, d->build_versions);
	if (d->store_kind[0] != '\0')
		fprintf(f, "  %-12s%s %s (%zu certificate%s%s%s)\n",
		    "trust store", d->store_what, d->store_path,
		    d->store_certs, d->store_certs == 1 ? "" : "s",
		    d->store_integrity[0] ? ", integrity " : "",
		    d->store_integrity);
	if (d->java_cacerts[0] != '\0')
		fprintf(f, "  %-12s%s (%s%s%s)\n", "Java reads",
		    d->java_cacerts, d->java_source,
		    d->java_version[0] ? ", Java " : "",
		    d->java_version);
	if (d->store_not_java)
		fprintf(f, "  %-12sno Java runtime found: the system bundle, "
		    "which Java does not read\n", "");
	if (d->store_needs_java_setting)
		fprintf(f, "  %-12s%s\n", "Java needs", d->store_java_setting);
	if (!d->available) {
		fprintf(f, "  %-12s(no certificates could be read)\n", "chain");
		return;
	}
	fprintf(f, "  %-12s%zu certificate(s) via %s%s\n", "chain",
	    d->nchain + d->chain_more, d->source,
	    d->ordered ? "" : ", out of order");
	if (d->chain_more > 0)
		fprintf(f, "  %-12schain longer than %d: first %zu shown\n", "",
		    CHAIN_MAX, d->nchain);
	for (i = 0; i < d->nchain; i++)
		text_entry(f, i, &d->chain[i]);
	fprintf(f, "  %-12s%s%s%s\n", "trusted", tri_name(d->trusted),
	    d->anchor[0] ? " -- anchor: " : "", d->anchor);
	fprintf(f, "  %-12s%s: %s (%s: checkserveridentity %s)\n",
	    "host name", tri_name(d->hostname_match), d->hostname_why,
	    d->mail_lib, d->checks_identity ? "on" : "off");
	fprintf(f, "  %-12s", "problems");
	for (b = 0; b < CERT_PROBLEM_COUNT; b++)
		if (d->problems & (1u << b)) {
			fprintf(f, "%s%s", first ? "" : ", ",
			    cert_problem_name(b));
			first = 0;
		}
	fprintf(f, "%s\n", first ? "none" : "");
	fprintf(f, "  %-12sJava %s: %s\n", "verdict", d->java_profile,
	    d->java_accepts ? "accepts this chain" : "refuses this chain");
	if (d->saved_chain[0] != '\0')
		fprintf(f, "  %-12s%s%s%s\n", "saved", d->saved_chain,
		    d->saved_ca[0] ? ", CA: " : "", d->saved_ca);
	if (d->keytool[0] != '\0')
		fprintf(f, "  %-12s%s\n", "import", d->keytool);
}

static void
json_entry(struct json *j, const struct cert_entry *e)
{
	size_t k;

	json_open(j, NULL, '{');
	json_str(j, "subject", e->subject);
	json_str(j, "issuer", e->parsed ? e->issuer : NULL);
	json_open(j, "san", '[');
	for (k = 0; k < e->nsan; k++)
		json_str(j, NULL, e->san[k]);
	json_close(j, ']');
	json_str(j, "not_before", e->parsed ? e->not_before : NULL);
	json_str(j, "not_after", e->parsed ? e->not_after : NULL);
	json_int(j, "days_left", e->days_left);
	json_str(j, "key", e->key);
	json_str(j, "signature", e->signature);
	json_str(j, "sha256", e->sha256);
	json_str(j, "role", e->role);
	json_bool(j, "ca", e->ca);
	json_bool(j, "self_signed", e->self_signed);
	json_int(j, "path_position", e->path_pos);
	json_close(j, '}');
}

void
cert_data_json(struct json *j, const struct step_result *r)
{
	const struct cert_data *d = &r->d.cert;
	size_t i;
	unsigned b;

	json_open(j, "chain", '[');
	for (i = 0; i < d->nchain; i++)
		json_entry(j, &d->chain[i]);
	json_close(j, ']');
	if (d->available) {
		json_tri(j, "trusted", d->trusted);
		json_tri(j, "hostname_match", d->hostname_match);
	} else {
		json_null(j, "trusted");
		json_null(j, "hostname_match");
	}
	json_open(j, "problems", '[');
	for (b = 0; b < CERT_PROBLEM_COUNT; b++)
		if (d->problems & (1u << b))
			json_str(j, NULL, cert_problem_name(b));
	json_close(j, ']');
	if (d->available)
		json_bool(j, "java_accepts", d->java_accepts);
	else
		json_null(j, "java_accepts");
	json_str(j, "host", d->host);
	json_str(j, "tls", d->tls[0] ? d->tls : NULL);
	json_str(j, "source", d->source[0] ? d->source : NULL);
	json_str(j, "server_versions", d->server_versions[0] ?
	    d->server_versions : NULL);
	json_str(j, "build_versions", d->build_versions[0] ?
	    d->build_versions : NULL);
	json_bool(j, "ordered", d->available ? d->ordered : 1);
	json_int(j, "chain_dropped", (long long)d->chain_more);
	json_str(j, "anchor", d->anchor[0] ? d->anchor : NULL);
	json_str(j, "anchor_alias", d->anchor_alias[0] ? d->anchor_alias :
	    NULL);
	json_str(j, "missing_issuer", d->missing_issuer[0] ?
	    d->missing_issuer : NULL);
	json_str(j, "hostname_detail", d->hostname_why[0] ? d->hostname_why :
	    NULL);
	json_bool(j, "checkserveridentity", d->checks_identity);
	json_str(j, "mail_library", d->mail_lib);
	json_str(j, "java_profile", d->java_profile);
	json_str(j, "certpath_rules", d->certpath_rules);
	json_open(j, "trust_store", '{');
	json_str(j, "kind", d->store_kind[0] ? d->store_kind : "none");
	json_str(j, "path", d->store_path[0] ? d->store_path : NULL);
	json_str(j, "description", d->store_what[0] ? d->store_what : NULL);
	json_int(j, "certificates", (long long)d->store_certs);
	json_str(j, "integrity", d->store_integrity[0] ? d->store_integrity :
	    NULL);
	json_str(j, "error", d->store_error[0] ? d->store_error : NULL);
	json_bool(j, "java_default", d->store_java_default);
	json_bool(j, "not_java", d->store_not_java);
	json_bool(j, "needs_java_setting", d->store_needs_java_setting);
	json_str(j, "java_setting", d->store_java_setting[0] ?
	    d->store_java_setting : NULL);
	json_close(j, '}');
	json_str(j, "java_cacerts", d->java_cacerts[0] ? d->java_cacerts :
	    NULL);
	json_str(j, "java_source", d->java_source[0] ? d->java_source : NULL);
	json_str(j, "java_home", d->java_home[0] ? d->java_home : NULL);
	json_str(j, "java_version", d->java_version[0] ? d->java_version :
	    NULL);
	json_bool(j, "java_jssecacerts", d->java_jsse);
	json_open(j, "saved", '{');
	json_str(j, "chain", d->saved_chain[0] ? d->saved_chain : NULL);
	json_str(j, "ca", d->saved_ca[0] ? d->saved_ca : NULL);
	json_close(j, '}');
	json_str(j, "keytool", d->keytool[0] ? d->keytool : NULL);
}
