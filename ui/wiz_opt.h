/*
 * The wizard's options: what the engine needs beyond the mail.smtp.*
 * keys (struct probe_opts), each once, with the name its messages use,
 * the probe_opts field it fills and the steps that read it.  Shown as
 * fields on the screens of those steps.  No curses, no app
 * (tests/unit/test_ui_model.c).
 */
#ifndef SW_UI_WIZ_OPT_H
#define SW_UI_WIZ_OPT_H

#include "probe.h"

enum wiz_opt {
	OPT_CAFILE,		/* step 2: CA certificates, PEM */
	OPT_TRUSTSTORE,		/* step 2: a JKS or PKCS12 trust store */
	OPT_STOREPASS,		/* its password (a secret) */
	OPT_JAVA_SECURITY,	/* steps 2-4: the runtime's java.security */
	OPT_MAIL_FROM,		/* step 5: test message sender */
	OPT_RCPT_TO,		/* and recipient */
	OPT_SOCKS_USER,		/* every step: the SOCKS login (Java:
				   java.net.socks.username) */
	OPT_PROXY_PASS,		/* the proxy's password (a secret): SOCKS
				   or HTTP, whichever is set */
	OPT_COUNT
};
#define OPT_MAX		512

/* "trust store password": what messages call option o. */
const char	*wiz_opt_name(enum wiz_opt o);

/* 1 when step s's probe reads option o (its result goes stale when o
 * changes, and only its jobs get a copy of a secret one). */
int		 wiz_opt_read_by(enum wiz_opt o, enum step s);

/* 1 when o is a secret, held apart from the other options. */
int		 wiz_opt_secret(enum wiz_opt o);

/* Option o's value in p (NULL: unset); secrets are never read here. */
const char	*wiz_opt_in(const struct probe_opts *p, enum wiz_opt o);

/* Sets option o's field of p to v (not for secrets: a no-op). */
void		 wiz_opt_to(struct probe_opts *p, enum wiz_opt o,
		    const char *v);

#endif
