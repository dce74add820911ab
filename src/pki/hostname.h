/*
 * Host-name matching the way a Java mail client checks the server's
 * identity when mail.smtp.ssl.checkserveridentity is true (JavaMail
 * 1.6.2: off by default; Angus Mail 1.1+: on by default).  Both end up
 * in the JDK's HostnameChecker with the LDAP rules (RFC 2830/6125):
 *
 *  - a host name is compared with the subjectAltName dNSName entries;
 *    the subject CN is used only when there is no dNSName entry at all;
 *  - an IP address (v4 or v6, brackets allowed) is compared with the
 *    iPAddress entries only, as binary addresses (an IPv4-mapped IPv6
 *    address counts as the IPv4 address, as Java's InetAddress has
 *    it), never with names or the CN;
 *  - a wildcard counts only as the whole left-most label ("*.a.b"), and
 *    covers exactly one label: "*.example.com" matches
 *    "mail.example.com", not "a.b.example.com" nor "example.com";
 *    "*", "*.", "*.com" (a wildcard over a single label) and partial
 *    labels such as "f*o.example.com" never match (RFC 6125 §6.4.3
 *    lets a client refuse them; refusing is the safe prediction);
 *  - ASCII letters compare case-blind; other bytes exactly (no IDNA:
 *    give internationalised names in their xn-- form);
 *  - a host name ending in '.' never matches: the JDK refuses it as a
 *    server name before comparing.
 *
 * Pure: no I/O, no allocation, no globals.
 */
#ifndef SW_HOSTNAME_H
#define SW_HOSTNAME_H

#include <stddef.h>

/* An iPAddress entry of a certificate: 4 or 16 bytes. */
struct host_ip {
	size_t		len;
	unsigned char	addr[16];
};

/* What a certificate says it is; the arrays are the caller's. */
struct host_ids {
	const char *const	*dns;		/* dNSName entries */
	size_t			 ndns;
	const struct host_ip	*ips;		/* iPAddress entries */
	size_t			 nips;
	const char		*cn;		/* most specific CN; NULL */
};

enum host_match {
	HOST_MATCH,		/* the name is in the certificate */
	HOST_MISMATCH,		/* it is not */
	HOST_BAD_NAME		/* the host itself is unusable ("", "a.") */
};

/*
 * 1 when the certificate name pattern (a dNSName or CN) covers host
 * under the rules above, else 0.  host is a DNS name, not an address.
 */
int		hostname_pattern_match(const char *pattern, const char *host);

/*
 * 1 when text is an IPv4 or IPv6 literal ("[::1]" too); the binary
 * address goes to ip when ip is not NULL.
 */
int		hostname_parse_ip(const char *text, struct host_ip *ip);

/*
 * Checks host against ids.  *matched (may be NULL) gets the entry that
 * matched, a pointer into ids, or NULL; why (may be NULL, cap bytes)
 * gets a one-sentence explanation in the words of the JDK's message
 * ("No subject alternative DNS name matching mail.example.com found.").
 */
enum host_match	hostname_check(const char *host, const struct host_ids *ids,
		    const char **matched, char *why, size_t cap);

/*
 * 1 when name is a host name that may become a settings value although
 * it came from the server (a certificate's dNSName): dot-separated
 * labels of ASCII letters, digits and '-' (not first or last in a
 * label), 1-63 bytes each, 253 at most in all, no trailing dot, and a
 * last label that is not all digits (that is an address).  Anything
 * else is 0: a wildcard, "${...}" (Spring would expand it), quotes,
 * '#', '=', ':', '\\', '_', blanks, control and non-ASCII bytes.
 */
int		hostname_valid(const char *name);

#endif
