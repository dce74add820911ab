/*
 * Fuzzes the raw TLS prober's parser: hello_parse() over what a server
 * answers to a ClientHello (records, alerts, ServerHello, HRR,
 * Certificate), fed whole and as a growing prefix the way the prober
 * calls it, then hello_cert() on every certificate it located.  The
 * builder gets a spec made from the same bytes: hello_build() must
 * refuse or fit, never overrun.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hello.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static struct hello_reply reply;	/* 64 KiB: off the stack */
static unsigned char out[HELLO_BUILD_MAX];

static void
check_certs(const struct hello_reply *r, size_t size)
{
	const unsigned char *der;
	size_t i, len;
	volatile unsigned char sink = 0;

	for (i = 0; i < r->ncerts + 1; i++) {
		der = hello_cert(r, i, &len);
		if (der == NULL)
			continue;
		if (len > 0)
			sink ^= der[0] ^ der[len - 1];	/* must be in hs */
	}
	if (r->consumed > size || r->hs_len > HELLO_HS_MAX)
		abort();
	(void)sink;
}

static void
build(const uint8_t *data, size_t size)
{
	struct hello_spec spec;
	uint16_t suites[64], groups[8];
	char sni[300];
	size_t i, n, len, cap;
	struct sw_error err = { 0 };

	if (size < 4)
		return;
	memset(&spec, 0, sizeof(spec));
	spec.version = (uint16_t)(0x02ff + data[0] % 7);
	n = data[1] % 65;
	for (i = 0; i < n; i++)
		suites[i] = (uint16_t)(data[(2 + i) % size] << 8 |
		    data[(3 + i) % size]);
	spec.suites = suites;
	spec.nsuites = n;
	n = data[2] % 9;
	for (i = 0; i < n; i++)
		groups[i] = (uint16_t)(0x17 + data[(5 + i) % size] % 0x110);
	spec.groups = n ? groups : NULL;
	spec.ngroups = n;
	n = data[3] % sizeof(sni);
	if (n > size - 4)
		n = size - 4;
	memcpy(sni, data + 4, n);
	sni[n] = '\0';
	spec.sni = sni;
	memcpy(spec.random, data, size < 32 ? size : 32);
	cap = data[3] & 1 ? sizeof(out) : 64 + data[2];
	if (hello_build(&spec, out, cap, &len, &err) == SW_OK && len > cap)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	enum hello_kind k;
	size_t cut;

	/* The prober calls it with everything read so far, growing. */
	cut = size > 7 ? size / 3 : size;
	k = hello_parse(data, cut, &reply);
	check_certs(&reply, cut);
	if (k != HELLO_NEED_MORE && k != HELLO_SERVER_HELLO &&
	    k != HELLO_RETRY && k != HELLO_ALERT && k != HELLO_NOT_TLS &&
	    k != HELLO_MALFORMED)
		abort();
	k = hello_parse(data, size, &reply);
	check_certs(&reply, size);
	(void)hello_kind_name(k);
	(void)hello_alert_name(reply.alert_desc);
	(void)hello_version_name(reply.version);
	build(data, size);
	return 0;
}
