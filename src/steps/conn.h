/*
 * Step 1: protocol and port -- the data the step produces: the
 * addresses the host name resolved to and what connecting to each
 * gave, the greeting, EHLO before and after STARTTLS, the connection
 * type detected against the one configured, --discover's ports, the
 * provider recognised and the proxy used.  Strings from the server are
 * sanitised.  (The transport the steps talk over is src/net/link.h.)
 *
 * Included by probe.h inside struct step_result: it may use probe.h's
 * enums (smtp_mode) and tri.h.
 */
#ifndef SW_CONN_H
#define SW_CONN_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "err.h"
#include "net.h"
#include "smtp.h"
#include "tri.h"

struct json;
struct step_result;

/* One resolved address and what connecting to it gave. */
struct addr_result {
	char		text[64];
	int		family;
	enum sw_err	status;			/* SW_OK: connected */
	int64_t		connect_ms;
	char		error[320];
};

/* One port of --discover. */
struct discover_result {
	unsigned	port;
	enum smtp_mode	mode;
	int		reachable;
	char		greeting[160];		/* first line, sanitised */
	char		error[160];
};

/* Step 1: protocol and port. */
struct conn_data {
	char			host[256];
	unsigned		port;
	enum smtp_mode		configured_mode;	/* from the settings */
	enum smtp_mode		detected_mode;
	size_t			naddrs;
	struct addr_result	addrs[NET_ADDR_MAX];
	const char		*used_addr;		/* into addrs[] */
	int			greeting_code;
	char			greeting[1024];		/* sanitised, '\n'-joined */
	int64_t			greeting_ms;		/* since connect */
	int			tls_sniffed;		/* ClientHello sent */
	char			ehlo_name[256];		/* what we said in EHLO */
	char			ehlo_name_source[48];
	int			ehlo_code;
	char			ehlo[4096];		/* sanitised EHLO lines */
	size_t			nehlo;
	struct smtp_caps	caps;			/* before TLS */
	enum tri		starttls_offered;
	int			starttls_code;		/* reply to STARTTLS */
	enum tri		tls_ok;			/* handshake completed */
	char			tls_summary[128];	/* "TLSv1.3 TLS_AES_..." */
	char			tls_error[256];
	struct smtp_caps	caps_tls;		/* after TLS */
	char			ehlo_tls[4096];
	size_t			nehlo_tls;
	size_t			ndiscover;
	struct discover_result	discover[4];
	/* assets/providers.txt: the service this is, "" when none. */
	char			provider[32];		/* its id: "gmail" */
	char			provider_name[96];
	char			provider_by[16];	/* "host name" "greeting" */
	/* The proxy every connection went through, "" none. */
	char			proxy_kind[8];		/* "SOCKS5" "HTTP" */
	char			proxy[272];		/* "host:port" */
};

/* Step 1's data as text (the batch report) and JSON (conn_render.c). */
void	conn_data_text(FILE *, const struct step_result *);
void	conn_data_json(struct json *, const struct step_result *);

#endif
