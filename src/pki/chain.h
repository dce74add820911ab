/*
 * The one limit on a server's certificate chain: how many certificates
 * are kept from a handshake or a Certificate message, analysed, put on
 * the path and shown.  One constant, so no copy can be longer than the
 * array it lands in; a longer chain is reported as "chain longer than
 * CHAIN_MAX: first CHAIN_MAX shown" (smtpwiz.1, LIMITS).
 */
#ifndef SW_CHAIN_H
#define SW_CHAIN_H

#define CHAIN_MAX	16		/* certificates per chain */

#endif
