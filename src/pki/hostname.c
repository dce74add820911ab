/*
 * Host-name matching with the JDK's LDAP rules (see hostname.h for the
 * rules and why each one).
 */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "hostname.h"

static int
ascii_lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* Equal, ASCII letters case-blind, everything else byte for byte. */
static int
same(const char *a, const char *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (ascii_lower((unsigned char)a[i]) !=
		    ascii_lower((unsigned char)b[i]))
			return 0;
	return 1;
}

/* No empty label, no leading or trailing dot, no wildcard. */
static int
valid_name(const char *s)
{
	size_t n = strlen(s), i;

	if (n == 0 || s[0] == '.' || s[n - 1] == '.' || strchr(s, '*'))
		return 0;
	for (i = 1; i < n; i++)
		if (s[i] == '.' && s[i - 1] == '.')
			return 0;
	return 1;
}

int
hostname_valid(const char *name)
{
	size_t i, label = 0, n;
	int digits_only = 1;

	if (name == NULL || (n = strlen(name)) == 0 || n > 253)
		return 0;
	for (i = 0; i <= n; i++) {
		unsigned char c = (unsigned char)name[i];

		if (c == '.' || c == '\0') {
			/* A label ends: not empty, not over 63, no '-' last. */
			if (label == 0 || label > 63 || name[i - 1] == '-')
				return 0;
			if (c == '\0')
				break;
			label = 0;
			digits_only = 1;
			continue;
		}
		if (c == '-' && label == 0)
			return 0;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-'))
			return 0;
		digits_only &= c >= '0' && c <= '9';
		label++;
	}
	return !digits_only;
}

int
hostname_pattern_match(const char *pattern, const char *host)
{
	const char *rest, *hdot;
	size_t plen, hlen;

	if (pattern == NULL || host == NULL || !valid_name(host))
		return 0;
	plen = strlen(pattern);
	hlen = strlen(host);
	if (strchr(pattern, '*') == NULL)
		return plen == hlen && valid_name(pattern) &&
		    same(pattern, host, plen);
	/* Only "*." + at least two labels: "*.example.com". */
	if (pattern[0] != '*' || pattern[1] != '.')
		return 0;
	rest = pattern + 1;			/* ".example.com" */
	if (!valid_name(rest + 1) || strchr(rest + 1, '.') == NULL)
		return 0;
	/* The wildcard stands for exactly one non-empty label. */
	if ((hdot = strchr(host, '.')) == NULL || hdot == host)
		return 0;
	return strlen(hdot) == strlen(rest) && same(hdot, rest, strlen(rest));
}

int
hostname_parse_ip(const char *text, struct host_ip *ip)
{
	struct host_ip tmp;
	char buf[64];
	size_t n;

	if (ip == NULL)
		ip = &tmp;
	memset(ip, 0, sizeof(*ip));
	if (text == NULL)
		return 0;
	n = strlen(text);
	if (n >= 2 && text[0] == '[' && text[n - 1] == ']') {
		text++;
		n -= 2;
	}
	if (n == 0 || n >= sizeof(buf))
		return 0;
	memcpy(buf, text, n);
	buf[n] = '\0';
	if (inet_pton(AF_INET, buf, ip->addr) == 1) {
		ip->len = 4;
		return 1;
	}
	if (inet_pton(AF_INET6, buf, ip->addr) == 1) {
		ip->len = 16;
		return 1;
	}
	return 0;
}

/* Java turns an IPv4-mapped IPv6 address (::ffff:a.b.c.d) into IPv4. */
static struct host_ip
unmapped(const struct host_ip *ip)
{
	static const unsigned char prefix[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0,
		0, 0xff, 0xff };
	struct host_ip out = *ip;

	if (ip->len == 16 && memcmp(ip->addr, prefix, 12) == 0) {
		memset(&out, 0, sizeof(out));
		out.len = 4;
		memcpy(out.addr, ip->addr + 12, 4);
	}
	return out;
}

static void say(char *, size_t, const char *, ...)
    __attribute__((format(printf, 3, 4)));

static void
say(char *why, size_t cap, const char *fmt, ...)
{
	va_list ap;

	if (why == NULL || cap == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(why, cap, fmt, ap);
	va_end(ap);
}

static enum host_match
check_ip(const char *host, const struct host_ip *ip,
    const struct host_ids *ids, char *why, size_t cap)
{
	struct host_ip want = unmapped(ip), have;
	size_t i;

	for (i = 0; i < ids->nips; i++)
		if ((have = unmapped(&ids->ips[i])).len == want.len &&
		    memcmp(have.addr, want.addr, want.len) == 0) {
			say(why, cap, "The certificate lists the IP address "
			    "%s.", host);
			return HOST_MATCH;
		}
	if (ids->nips == 0 && ids->ndns == 0)
		say(why, cap, "No subject alternative names present (Java "
		    "compares an IP address only with the certificate's IP "
		    "address entries; %s is an IP address).", host);
	else
		say(why, cap, "No subject alternative names matching IP "
		    "address %s found.", host);
	return HOST_MISMATCH;
}

enum host_match
hostname_check(const char *host, const struct host_ids *ids,
    const char **matched, char *why, size_t cap)
{
	struct host_ip ip;
	size_t i, n;

	if (matched != NULL)
		*matched = NULL;
	if (host == NULL || *host == '\0') {
		say(why, cap, "No host name to check.");
		return HOST_BAD_NAME;
	}
	if (hostname_parse_ip(host, &ip))
		return check_ip(host, &ip, ids, why, cap);
	n = strlen(host);
	if (host[n - 1] == '.') {
		say(why, cap, "The host name %s ends in a dot: Java refuses it "
		    "as a server name (\"Illegal given domain name\"); write "
		    "it without the dot.", host);
		return HOST_BAD_NAME;
	}
	if (!valid_name(host)) {
		say(why, cap, "The host name %s is not a valid DNS name.",
		    host);
		return HOST_BAD_NAME;
	}
	for (i = 0; i < ids->ndns; i++)
		if (hostname_pattern_match(ids->dns[i], host)) {
			if (matched != NULL)
				*matched = ids->dns[i];
			say(why, cap, "The certificate's names cover %s.",
			    host);
			return HOST_MATCH;
		}
	if (ids->ndns > 0) {
		say(why, cap, "No subject alternative DNS name matching %s "
		    "found.", host);
		return HOST_MISMATCH;
	}
	/* RFC 6125 §6.4.4: the CN only when there is no dNSName at all. */
	if (ids->cn != NULL && hostname_pattern_match(ids->cn, host)) {
		if (matched != NULL)
			*matched = ids->cn;
		say(why, cap, "The certificate has no DNS names; its common "
		    "name (CN) covers %s.", host);
		return HOST_MATCH;
	}
	say(why, cap, "No name matching %s found.", host);
	return HOST_MISMATCH;
}
