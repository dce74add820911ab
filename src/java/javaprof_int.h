/*
 * What javaprof.c (profiles and the ClientHello a profile sends) and
 * javaneg.c (negotiation, reasons and advice) share: the profile itself
 * and the small questions both ask of it.  Not part of the engine API:
 * everything else includes javaprof.h.
 */
#ifndef SW_JAVAPROF_INT_H
#define SW_JAVAPROF_INT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "javaprof.h"
#include "javasec.h"
#include "suites.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))
#define VBIT(v)		(1u << ((v) - SUITE_SSL3))

struct javaprof {
	const struct suites	*reg;
	struct javasec		*sec;		/* the profile file */
	char			 name[16], title[128], secfile[64];
	char			 curves[128];	/* profile.certpath.curves */
	char			 path[256];	/* loaded from a file; "" */
	char			 source[300];	/* of the jdk.* keys */
	unsigned		 tls_line;	/* of JAVASEC_TLS there; 0 */
	int			 legacy, wildcards;
	unsigned		 known, client;	/* VBIT() sets */
	size_t			 ndef, nsup, ngroups;
	uint16_t		 def[JAVAPROF_SUITES_MAX];
	uint16_t		 sup[JAVAPROF_SUITES_MAX];
	uint16_t		 groups[JAVAPROF_GROUPS_MAX];
	struct javasec_list	 tls, cert;
};

static inline unsigned
mode(const struct javaprof *p)
{
	return (p->wildcards ? JAVASEC_M_WILDCARDS : 0) |
	    (p->legacy ? JAVASEC_M_LEGACY_JSSE : 0);
}

static inline int
vok(uint16_t v)
{
	return v >= SUITE_SSL3 && v <= SUITE_TLS13;
}

static inline int
in_ids(const uint16_t *ids, size_t n, uint16_t id)
{
	while (n-- > 0)
		if (ids[n] == id)
			return 1;
	return 0;
}

/* The JDK's CipherSuite.supportedProtocols: the registry's range, but
 * single DES ends at TLS 1.1 (PROTOCOLS_TO_11). */
static inline int
java_usable(const struct suite *s, uint16_t v)
{
	if (strcmp(s->enc, "DES_CBC") == 0 && v > SUITE_TLS11)
		return 0;
	return suite_usable_at(s, v);
}

/* Active suite: not a signalling value, not disabled. */
static inline const struct suite *
suite_ok(const struct javaprof *p, uint16_t id)
{
	const struct suite *s = suites_by_id(p->reg, id);

	if (s == NULL || (s->flags & SUITE_F_SCSV) ||
	    javasec_match_suite(&p->tls, s, mode(p), NULL, 0) != 0)
		return NULL;
	return s;
}

/* Enabled protocols from the setting or the defaults, as a VBIT set;
 * the first word the runtime does not know goes to o->bad_setting. */
unsigned	javaprof_enabled_versions(const struct javaprof *p,
		    const struct javaprof_client *c, struct javaprof_offer *o);

/* Enabled suites from the setting or the defaults, into ids (room for
 * JAVAPROF_SUITES_MAX); returns how many. */
size_t		javaprof_enabled_suites(const struct javaprof *p,
		    const struct javaprof_client *c, struct javaprof_offer *o,
		    uint16_t *ids);

#endif
