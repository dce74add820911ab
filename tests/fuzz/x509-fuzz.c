/*
 * Fuzzes the certificate summary: x509_info_parse() over DER (what a
 * server's Certificate message or a trust store holds) and
 * x509_pem_each() over PEM text (--cafile), each found certificate
 * summarised and its fingerprint and dates formatted.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "x509.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static struct x509_info info;

/* The identity check step 2 makes with what the certificate says. */
static void
check_names(void)
{
	const char *dns[X509_DNS_MAX], *matched;
	struct host_ids ids;
	char why[256];
	size_t i;

	for (i = 0; i < info.ndns; i++)
		dns[i] = info.dns[i];
	memset(&ids, 0, sizeof(ids));
	ids.dns = dns;
	ids.ndns = info.ndns;
	ids.ips = info.ips;
	ids.nips = info.nips;
	ids.cn = info.cn[0] ? info.cn : NULL;
	(void)hostname_check("mail.example.com", &ids, &matched, why,
	    sizeof(why));
	(void)hostname_check("127.0.0.1", &ids, &matched, why, sizeof(why));
}

static void
summarise(const unsigned char *der, size_t len)
{
	struct sw_error err = { 0 };
	char fp[96], t[24];

	memset(&info, 0, sizeof(info));
	(void)x509_info_parse(der, len, &info, &err);
	x509_fingerprint_text(info.sha256, fp);
	x509_time_text(info.not_before, t);
	x509_time_text(info.not_after, t);
	if (info.ndns > X509_DNS_MAX || info.nips > X509_IP_MAX ||
	    memchr(info.subject, 0, sizeof(info.subject)) == NULL ||
	    memchr(info.cn, 0, sizeof(info.cn)) == NULL)
		abort();
	(void)x509_key_name(info.key);
	(void)x509_md_name(info.sig_md);
	check_names();
}

static enum sw_err
each(void *arg, const unsigned char *der, size_t len)
{
	(void)arg;
	summarise(der, len);
	return SW_OK;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t found = 0, bad = 0;

	summarise(data, size);
	(void)x509_pem_each((const char *)data, size, each, NULL, &found,
	    &bad);
	return 0;
}
