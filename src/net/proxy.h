/*
 * Connecting through the proxy Java would go through: a SOCKS5 proxy
 * (mail.smtp.socks.host/port; RFC 1928, with RFC 1929 user name and
 * password as Java takes them from java.net.socks.username/password) or
 * an HTTP proxy tunnelling with CONNECT (mail.smtp.proxy.host/port/
 * user/password, Basic authentication as JavaMail's SocketFetcher
 * sends it).  JavaMail prefers proxy.host when both are set.
 *
 * proxy_dial() replaces net_connect() for every connection of every
 * step and of the verification; with no proxy it is net_connect().  A
 * failure of the proxy itself returns SW_EPROXY with Java's own
 * exception text as the message ("java.net.SocketException: SOCKS:
 * Connection refused"), so step 1 and the verification can quote it.
 * Credentials never leave this file except towards the proxy.
 */
#ifndef SW_PROXY_H
#define SW_PROXY_H

#include <stdint.h>

#include "err.h"
#include "net.h"

enum proxy_kind { PROXY_NONE, PROXY_SOCKS, PROXY_HTTP };

struct proxy {
	enum proxy_kind	 kind;
	char		 host[256];
	unsigned	 port;
	char		 user[256];	/* "" none */
	const char	*password;	/* NULL none; the caller owns it */
};

/* "SOCKS5" "HTTP" "none". */
const char	*proxy_kind_name(enum proxy_kind);

/*
 * Resolves host as Java would with a proxy in between: the local
 * resolver first; when it fails and px is a proxy, one pseudo address
 * (family AF_UNSPEC, text = host) that proxy_dial() hands to the proxy
 * by name.  Errors: SW_ERESOLVE (no proxy and no address).
 */
enum sw_err	 proxy_resolve(const struct proxy *px, const char *host,
		    unsigned port, struct net_addr *out, size_t *count,
		    struct sw_error *err);

/*
 * Connects to addr (port included) directly (px NULL or PROXY_NONE)
 * or through px: resolves and connects to the proxy, then asks it for
 * addr -- SOCKS by address (by name for a pseudo address), HTTP
 * CONNECT by name (JavaMail sends the host name; name may be NULL:
 * addr's text).  *fd is then the tunnel, ready for SMTP or TLS.
 * Errors: net_connect()'s for a direct connection; SW_EPROXY for any
 * failure of the proxy (the message is Java's exception text),
 * SW_ECANCEL, SW_ETIMEOUT (no answer from the proxy in time).
 */
enum sw_err	 proxy_dial(const struct proxy *px, const char *name,
		    const struct net_addr *addr, int64_t deadline,
		    int cancel_fd, int *fd, struct sw_error *err);

#endif
