/*
 * An SMTP session as the probes use it: a connection wired to the
 * probe's transcript, with the dialogue steps every step needs
 * (greeting, EHLO, STARTTLS, TLS) and their per-wait timeouts.  Step 1
 * drives the pieces one by one to observe everything; steps 2 and 5
 * call session_open() + session_secure() to get a protected channel
 * the way Java would.
 */
#ifndef SW_SESSION_H
#define SW_SESSION_H

#include "link.h"
#include "net.h"
#include "proxy.h"
#include "probe.h"
#include "smtp.h"
#include "tls.h"

struct session {
	struct link		 c;
	const struct probe_env	*env;
	struct net_addr		 addr;
	int			 open;
	int			 dead;		/* an I/O error: no QUIT */
	struct smtp_reply	 reply;		/* the last reply read */
};

/*
 * The name to say in EHLO: mail.smtp.localhost when set, else this
 * host's fully qualified name (what Java would find), else its short
 * name.  *source says which ("mail.smtp.localhost", "FQDN", …).
 */
const char	*session_ehlo_name(const struct settings *, char *buf,
		    size_t cap, const char **source);

/*
 * The proxy Java would go through, from env->set (mail.smtp.proxy.*
 * first, as JavaMail, else mail.smtp.socks.*) and env->opt's
 * credentials; px->kind is PROXY_NONE without one.
 */
void		session_proxy(const struct probe_env *, struct proxy *px);

/*
 * Resolves host (proxy_resolve(): with a proxy, a name the local
 * resolver does not know goes to the proxy) and connects to addr as
 * Java would, through the proxy when there is one, within the connect
 * timeout.  Errors: those of proxy_resolve() and proxy_dial().
 */
enum sw_err	session_resolve(const struct probe_env *, const char *host,
		    unsigned port, struct net_addr *out, size_t *count,
		    struct sw_error *);
enum sw_err	session_dial(const struct probe_env *, const char *host,
		    const struct net_addr *addr, int *fd, struct sw_error *);

/* Wraps connected socket fd; transcript goes to env->note. */
void		session_attach(struct session *, const struct probe_env *,
		    int fd);

/*
 * Resolves host and connects to the first address that answers.
 * Errors: SW_ERESOLVE, SW_ECONNECT, SW_ETIMEOUT, SW_ECANCEL.
 */
enum sw_err	session_open(struct session *, const struct probe_env *,
		    const char *host, unsigned port, struct sw_error *);

/* Reads one reply into s->reply with the read timeout. */
enum sw_err	session_reply(struct session *, struct sw_error *);

/* Sends cmd and reads the reply into s->reply. */
enum sw_err	session_command(struct session *, const char *cmd,
		    struct sw_error *);

/*
 * EHLO name; on 250 fills caps (smtp_caps_parse) unless caps is NULL.
 * A non-250 reply is not an error: look at s->reply.code.
 */
enum sw_err	session_ehlo(struct session *, const char *name,
		    struct smtp_caps *caps, struct sw_error *);

/*
 * Sends STARTTLS and, on 220, runs the TLS handshake (RFC 3207): bytes
 * the server sent before the handshake are discarded and reported.  On
 * a reply other than 220, returns SW_EPROTO with the reply in s->reply.
 * Errors: as session_command, tls_start, SW_EPROTO.
 */
enum sw_err	session_starttls(struct session *, const struct tls_params *,
		    struct tls_info *, struct sw_error *);

/*
 * Brings the session to "EHLO answered over TLS" in the given mode:
 * ssl = handshake, greeting, EHLO; starttls = greeting, EHLO,
 * STARTTLS, handshake, EHLO.  caps are those after TLS.
 * Errors: as the steps above; SW_EPROTO for an unexpected reply.
 */
enum sw_err	session_secure(struct session *, enum smtp_mode,
		    const struct tls_params *, struct tls_info *,
		    struct smtp_caps *caps, struct sw_error *);

/*
 * session_open() then session_secure().  When the linked mbedTLS is 3.x
 * and a TLSv1.2+1.3 offer fails for a reason other than an alert, a
 * version mismatch or plain text, it tries once more on a new
 * connection offering TLSv1.2 at most: 3.6 rejects an RSA-PSS signature
 * on TLS 1.2 that it asked for itself (see tls.c), and Java would not
 * fail there.  ti then describes the attempt that counted.
 * Errors: as session_open and session_secure.
 */
enum sw_err	session_open_secure(struct session *, const struct probe_env *,
		    const char *host, unsigned port, enum smtp_mode,
		    const struct tls_params *, struct tls_info *,
		    struct smtp_caps *caps, struct sw_error *);

/* QUIT (best effort, short timeout) and close. */
void		session_close(struct session *);

#endif
