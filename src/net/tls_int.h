/*
 * What the tls*.c files share beyond tls.h: tls.c runs the handshake
 * and the ops after it, tls_setup.c builds the mbedTLS context a
 * handshake runs on (versions, suites, SNI, the bio over net.c),
 * tls_names.c turns numbers into words.  Not part of the engine API:
 * only tls*.c include it (make check-layers keeps mbedTLS there).
 */
#ifndef SW_TLS_INT_H
#define SW_TLS_INT_H

#include <stddef.h>
#include <stdint.h>

#include <mbedtls/ctr_drbg.h>
#include <mbedtls/entropy.h>
#include <mbedtls/ssl.h>
#include <mbedtls/version.h>
#include <mbedtls/x509_crt.h>

#include "link.h"
#include "err.h"
#include "tls.h"

struct tls_state {
	struct link		*c;
	mbedtls_ssl_context	 ssl;
	mbedtls_ssl_config	 conf;
	mbedtls_entropy_context	 entropy;
	mbedtls_ctr_drbg_context drbg;
	int			*suites;	/* 0-terminated; conf keeps it */
#if MBEDTLS_VERSION_NUMBER >= 0x03000000
	uint16_t		*groups;	/* 0-terminated; conf keeps it */
#else
	mbedtls_ecp_group_id	*groups;	/* ..._DP_NONE-terminated */
#endif
	struct tls_info		*info;		/* during the handshake only */
	uint16_t		 lo, hi;	/* the versions offered */
	int64_t			 started;	/* net_now_ms() at tls_start */
	/* What the transport did, for telling failures apart. */
	enum sw_err		 io_rc;		/* first failure of net_* */
	struct sw_error		 io_err;
	int			 closing;	/* close_notify: never wait */
	unsigned char		 head[64];	/* first bytes received */
	size_t			 nhead;
	/* Record boundaries in what was received, to name a bad length. */
	unsigned char		 rec_hdr[5];
	size_t			 rec_nhdr, rec_need;
	unsigned		 rec_bad;	/* first absurd length, or 0 */
};

/* The longest record body TLS allows (RFC 5246 §6.2.3: 2^14 + 2048). */
#define TLS_RECORD_MAX	(16384 + 2048)

/* ---- tls_names.c --------------------------------------------------------- */

/* mbedTLS's suite name ("TLS-ECDHE-RSA-WITH-...") as IANA's. */
void		tls_iana_name(const char *mbed, char *out, size_t cap);

/* mbedTLS's text for ret and its code, into buf; returns buf. */
const char	*tls_mbed_error(int ret, char *buf, size_t cap);

/* "TLSv1.2 only" or "TLSv1 to TLSv1.2" into buf; returns buf. */
const char	*tls_range_text(uint16_t lo, uint16_t hi, char *buf,
		    size_t cap);

/* ---- tls_setup.c --------------------------------------------------------- */

/* Process-wide set-up (PSA in 3.x), once.  Errors: SW_ETLS. */
enum sw_err	tls_global_init(struct sw_error *err);

/*
 * A client context for c with p's versions and suites, SNI and the bio
 * set, not yet started; *out is set also on failure (free it with
 * tls_state_free()).  Errors: SW_EUSAGE, SW_ETLS, SW_ENOMEM.
 */
enum sw_err	tls_state_new(struct link *c, const struct tls_params *p,
		    struct tls_info *info, struct tls_state **out,
		    struct sw_error *err);
void		tls_state_free(struct tls_state *st);

/* ---- tls.c --------------------------------------------------------------- */

/* mbedTLS's verify callback: captures the peer chain (arg: the state). */
int		tls_verify_cb(void *arg, mbedtls_x509_crt *crt, int depth,
		    uint32_t *flags);

#endif
