/*
 * What the three parts of the settings module share: settings_keys.c
 * (the table of known keys), settings_check.c (what Java would make of
 * a pair) and settings.c (the model).  Not part of the engine API:
 * callers include settings.h.
 */
#ifndef SW_SETTINGS_INT_H
#define SW_SETTINGS_INT_H

#include "settings.h"

#define P_SMTP		"mail.smtp."
#define P_SMTPS		"mail.smtps."

/* 1 when s begins with prefix. */
int		 settings_starts(const char *s, const char *prefix);

/* The entry for key; mail.smtps.X finds X's entry and sets *smtps. */
const struct settings_key *settings_lookup(const char *key, int *smtps);

/*
 * Integer.parseInt() as PropUtil calls it: optional sign, digits,
 * within int; a "0x" prefix reads the rest as hex.  No blanks.
 */
int		 settings_java_int(const char *s, long *out);

/*
 * 1 when v is, to the letter, a class whose getDefault() gives an
 * SSLSocketFactory (javax.net.ssl.SSLSocketFactory, MailSSLSocketFactory).
 */
int		 settings_ssl_factory_class(const char *v);

/*
 * The known key closest to key when it looks like a misspelling of it
 * ("mail.smtp.starttls.enabled": mail.smtp.starttls.enable), or NULL.
 */
const char	*settings_closest(const char *key);

/* A list with each run of commas and blanks made one space. */
void		 settings_spaced(const char *v, char *out, size_t cap);

/* 1 when v begins or ends with a blank (isspace). */
int		 settings_blank_edge(const char *v);

#endif
