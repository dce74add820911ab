/*
 * What javasec.c (java.security, its lists and the TLS suite matching)
 * and javasec_cert.c (the certificate key and signature checks) share.
 * Not part of the engine API: everything else includes javasec.h.
 */
#ifndef SW_JAVASEC_INT_H
#define SW_JAVASEC_INT_H

#include "javasec.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/* An entry that can disable a name outright: no conditions, not the
 * include marker. */
static inline int
plain(const struct javasec_entry *e)
{
	return !(e->flags & (JAVASEC_E_COND | JAVASEC_E_INCLUDE));
}

#endif
