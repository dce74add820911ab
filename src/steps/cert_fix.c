/*
 * Step 2: the fixes the probe makes -- the chain and the CA a trust
 * store lacks as PEM files (--save-chain), the exact keytool command
 * for the trust store Java uses.  cert_judge() says when to use them
 * (and offers mail.smtp.ssl.trust as a last resort, said plainly).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cert_int.h"
#include "props.h"

/* 'text' for a shell, quoted only when it needs it. */
static void
shell_word(char *out, size_t cap, const char *text)
{
	size_t o = 0;
	const char *p;

	if (text[strspn(text, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRS"
	    "TUVWXYZ0123456789-_./:=+@")] == '\0' && *text != '\0') {
		snprintf(out, cap, "%s", text);
		return;
	}
	out[o++] = '\'';
	for (p = text; *p != '\0' && o + 6 < cap; p++) {
		if (*p == '\'') {
			memcpy(out + o, "'\\''", 4);
			o += 4;
		} else
			out[o++] = *p;
	}
	out[o++] = '\'';
	out[o] = '\0';
}

/* A keytool alias from the CA's CN: "smtpwiz-test-root-ca". */
static void
alias_for(const struct x509_info *c, char *out, size_t cap)
{
	const char *s = c->cn[0] ? c->cn : "smtp-server-ca";
	size_t o = 0;
	int dash = 0;

	for (; *s != '\0' && o + 2 < cap && o < 48; s++) {
		unsigned char ch = (unsigned char)*s;

		if (isalnum(ch)) {
			out[o++] = (char)tolower(ch);
			dash = 0;
		} else if (!dash && o > 0) {
			out[o++] = '-';
			dash = 1;
		}
	}
	while (o > 0 && out[o - 1] == '-')
		o--;
	if (o == 0)
		o = (size_t)snprintf(out, cap, "smtp-server-ca");
	out[o] = '\0';
}

/* FILE.pem -> FILE-ca.pem; FILE -> FILE-ca.pem. */
static void
ca_path(const char *chain, char *out, size_t cap)
{
	size_t n = strlen(chain);

	if (n > 4 && strcmp(chain + n - 4, ".pem") == 0)
		snprintf(out, cap, "%.*s-ca.pem", (int)(n - 4), chain);
	else
		snprintf(out, cap, "%s-ca.pem", chain);
}

static enum sw_err
write_pem(const char *path, const unsigned char *const *der,
    const size_t *len, size_t n, struct sw_error *e)
{
	char *pem;
	size_t plen;
	enum sw_err rc;

	if ((rc = x509_pem(der, len, n, &pem, &plen, e)) != SW_OK)
		return rc;
	/* Certificates are public: 0644, but still never half-written. */
	rc = props_write_file(path, pem, plen, 0644, e);
	free(pem);
	return rc;
}

void
cert_save_files(struct cert_run *x)
{
	const char *path = x->env->opt.save_chain;
	struct cert_data *d = x->d;
	struct sw_error e = { 0 };
	char ca[600];

	if (path == NULL || *path == '\0')
		return;
	if (write_pem(path, (const unsigned char *const *)x->ch.der,
	    x->ch.len, x->ch.n, &e) != SW_OK) {
		snprintf(d->save_error, sizeof(d->save_error), "%s",
		    sw_error_text(&e));
		return;
	}
	snprintf(d->saved_chain, sizeof(d->saved_chain), "%s", path);
	if (d->ca_idx < 0)
		return;
	ca_path(path, ca, sizeof(ca));
	{
		const unsigned char *der = x->ch.der[d->ca_idx];
		size_t len = x->ch.len[d->ca_idx];

		if (write_pem(ca, &der, &len, 1, &e) != SW_OK) {
			snprintf(d->save_error, sizeof(d->save_error), "%s",
			    sw_error_text(&e));
			d->save_error_ca = 1;
			return;
		}
	}
	cert_put(d->saved_ca, sizeof(d->saved_ca), "%s", ca);
}

/*
 * The exact import command for the trust store Java uses: the
 * --truststore keystore, else the runtime's cacerts.
 */
static void
keytool(struct cert_run *x, const struct x509_info *ca, const char *file)
{
	const struct truststore *ts = &x->ts;
	char alias[64], qfile[600], qstore[600], pass[64];
	const char *store = NULL;

	alias_for(ca, alias, sizeof(alias));
	x->d->fix_keytool_copy[0] = '\0';
	if (ts->nsrc > 0 && ts->src[0].kind == TS_KEYSTORE &&
	    !ts->java_default)
		store = ts->src[0].path;	/* the user picked it */
	else if (ts->java_cacerts[0] != '\0') {
		/*
		 * Never into the runtime's own cacerts: on Debian it is
		 * /etc/ssl/certs/java/cacerts behind a symlink, rewritten by
		 * ca-certificates-java; a copy named by
		 * -Djavax.net.ssl.trustStore survives that.
		 */
		shell_word(qstore, sizeof(qstore), ts->java_cacerts);
		cert_put(x->d->fix_keytool_copy,
		    sizeof(x->d->fix_keytool_copy), "cp -L %s ./mail-cacerts",
		    qstore);
		store = "./mail-cacerts";
	}
	shell_word(qfile, sizeof(qfile), file);
	if (store != NULL)
		shell_word(qstore, sizeof(qstore), store);
	else
		snprintf(qstore, sizeof(qstore),
		    "\"$JAVA_HOME/lib/security/cacerts\"");
	/* Never the user's password in a report: an environment variable. */
	if (ts->password_given && !(store == ts->src[0].path &&
	    x->env->opt.storepass != NULL &&
	    strcmp(x->env->opt.storepass, KEYSTORE_DEFAULT_PASSWORD) == 0))
		snprintf(pass, sizeof(pass), "-storepass:env STOREPASS");
	else
		snprintf(pass, sizeof(pass), "-storepass %s",
		    KEYSTORE_DEFAULT_PASSWORD);
	cert_put(x->d->fix_keytool, sizeof(x->d->fix_keytool), "keytool "
	    "-importcert -noprompt -alias %s -file %s -keystore %s %s", alias,
	    qfile, qstore, pass);
}

/*
 * The command for the CA concerned: the one to import into the store
 * (d->ca_idx, from the file --save-chain wrote, else HOST-ca.pem), or
 * the anchor the runtime's cacerts lacks when the store judged is one
 * PEM certificate.
 */
void
cert_make_keytool(struct cert_run *x)
{
	const struct truststore *ts = &x->ts;
	struct cert_data *d = x->d;
	char file[600];

	if (d->ca_idx >= 0) {
		if (d->saved_ca[0] != '\0')
			snprintf(file, sizeof(file), "%s", d->saved_ca);
		else
			snprintf(file, sizeof(file), "%s-ca.pem", x->host);
		keytool(x, &x->info[d->ca_idx], file);
	} else if (d->java_lacks_anchor && ts->nsrc > 0 &&
	    ts->src[0].kind == TS_PEM && ts->src[0].ncerts == 1)
		keytool(x, &x->path->anchor, ts->src[0].path);
}
