/*
 * SASL client responses, base64, and Jakarta Mail's choice of
 * mechanism.  No I/O; HMAC-MD5 comes from tls_hmac.c.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sasl.h"
#include "tls.h"
#include "secret.h"

static const char *const mech_names[] = {
	[SASL_NONE] = "",
	[SASL_LOGIN] = "LOGIN",
	[SASL_PLAIN] = "PLAIN",
	[SASL_DIGEST_MD5] = "DIGEST-MD5",
	[SASL_NTLM] = "NTLM",
	[SASL_XOAUTH2] = "XOAUTH2",
	[SASL_CRAM_MD5] = "CRAM-MD5",
	[SASL_GSSAPI] = "GSSAPI",
	[SASL_EXTERNAL] = "EXTERNAL",
	[SASL_OTHER] = "?",
};

const char *
sasl_mech_name(enum sasl_mech m)
{
	return m <= SASL_OTHER ? mech_names[m] : "?";
}

enum sasl_mech
sasl_mech_parse(const char *name)
{
	int m;

	for (m = SASL_LOGIN; m < SASL_OTHER; m++)
		if (strcasecmp(name, mech_names[m]) == 0)
			return (enum sasl_mech)m;
	return SASL_OTHER;
}

int
sasl_mech_testable(enum sasl_mech m)
{
	return m == SASL_PLAIN || m == SASL_LOGIN || m == SASL_CRAM_MD5 ||
	    m == SASL_XOAUTH2;
}

/*
 * The next blank-separated word of *p (Java's StringTokenizer: space,
 * tab, CR, LF, FF) into w; 0 at the end.  Longer words are cut, which
 * keeps them unknown names.
 */
static int
next_word(const char **p, const char *seps, char *w, size_t cap)
{
	const char *s = *p;
	size_t n;

	s += strspn(s, seps);
	if (*s == '\0')
		return 0;
	n = strcspn(s, seps);
	snprintf(w, cap, "%.*s", (int)n, s);
	*p = s + n;
	return 1;
}

#define JAVA_BLANKS	" \t\r\n\f"

int
sasl_offered(const char *list, const char *mech)
{
	char w[64];

	while (list != NULL && next_word(&list, JAVA_BLANKS, w, sizeof(w)))
		if (strcasecmp(w, mech) == 0)
			return 1;
	return 0;
}

/* ---- base64 (RFC 4648 §4) ---- */

static const char b64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

size_t
sasl_b64_encode(const void *in, size_t len, char *out, size_t cap)
{
	const unsigned char *p = in;
	size_t i, o = 0;

	if (cap == 0)
		return 0;
	if ((len + 2) / 3 * 4 + 1 > cap) {
		out[0] = '\0';
		return 0;
	}
	for (i = 0; i + 2 < len; i += 3) {
		out[o++] = b64[p[i] >> 2];
		out[o++] = b64[((p[i] & 3) << 4) | (p[i + 1] >> 4)];
		out[o++] = b64[((p[i + 1] & 15) << 2) | (p[i + 2] >> 6)];
		out[o++] = b64[p[i + 2] & 63];
	}
	if (i < len) {
		out[o++] = b64[p[i] >> 2];
		if (i + 1 < len) {
			out[o++] = b64[((p[i] & 3) << 4) | (p[i + 1] >> 4)];
			out[o++] = b64[(p[i + 1] & 15) << 2];
		} else {
			out[o++] = b64[(p[i] & 3) << 4];
			out[o++] = '=';
		}
		out[o++] = '=';
	}
	out[o] = '\0';
	return o;
}

static int
b64_value(int c)
{
	const char *p;

	if (c == '\0' || (p = strchr(b64, c)) == NULL)
		return -1;
	return (int)(p - b64);
}

enum sw_err
sasl_b64_decode(const char *in, size_t len, unsigned char *out, size_t cap,
    size_t *outlen, struct sw_error *err)
{
	unsigned acc = 0;
	size_t i, o = 0, pad = 0, n = 0;
	int bits = 0, v;

	*outlen = 0;
	while (len > 0 && isspace((unsigned char)in[len - 1]))
		len--;
	while (len > 0 && isspace((unsigned char)*in)) {
		in++;
		len--;
	}
	if (len == 1 && in[0] == '=')
		return SW_OK;
	for (i = 0; i < len; i++) {
		if (in[i] == '=') {
			pad++;
			continue;
		}
		if (pad > 0 || (v = b64_value((unsigned char)in[i])) < 0)
			return sw_fail(err, SW_EPROTO, "not base64 (byte %zu)",
			    i + 1);
		n++;
		acc = (acc << 6) | (unsigned)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (o >= cap)
				return sw_fail(err, SW_EPROTO, "base64 text "
				    "longer than %zu bytes", cap);
			out[o++] = (unsigned char)(acc >> bits);
			acc &= (1u << bits) - 1;
		}
	}
	if (pad > 2 || (n + pad) % 4 != 0 || n % 4 == 1)
		return sw_fail(err, SW_EPROTO, "not base64 (bad length)");
	*outlen = o;
	return SW_OK;
}

/* ---- responses ---- */

enum sw_err
sasl_plain(const char *authzid, const char *user, const char *pass,
    char *out, size_t cap, struct sw_error *err)
{
	unsigned char raw[SECRET_MAX + 1024];
	size_t a = authzid ? strlen(authzid) : 0, u = strlen(user);
	size_t p = strlen(pass), n = a + u + p + 2;
	size_t w = 0;

	if (n > sizeof(raw))
		return sw_fail(err, SW_EUSAGE, "user name and password are "
		    "longer than %zu bytes", sizeof(raw) - 2);
	memcpy(raw, authzid ? authzid : "", a);
	raw[a] = '\0';
	memcpy(raw + a + 1, user, u);
	raw[a + 1 + u] = '\0';
	memcpy(raw + a + u + 2, pass, p);
	w = sasl_b64_encode(raw, n, out, cap);
	secret_wipe(raw, sizeof(raw));
	if (w == 0)
		return sw_fail(err, SW_EUSAGE, "the PLAIN response does not "
		    "fit in %zu bytes", cap);
	return SW_OK;
}

enum sw_err
sasl_xoauth2(const char *user, const char *token, char *out, size_t cap,
    struct sw_error *err)
{
	char raw[8192];
	int n;
	size_t w;

	n = snprintf(raw, sizeof(raw), "user=%s\001auth=Bearer %s\001\001",
	    user, token);
	if (n < 0 || (size_t)n >= sizeof(raw)) {
		secret_wipe(raw, sizeof(raw));
		return sw_fail(err, SW_EUSAGE, "the token is longer than "
		    "%zu bytes", sizeof(raw) - 32);
	}
	w = sasl_b64_encode(raw, (size_t)n, out, cap);
	secret_wipe(raw, sizeof(raw));
	if (w == 0)
		return sw_fail(err, SW_EUSAGE, "the XOAUTH2 response does not "
		    "fit in %zu bytes", cap);
	return SW_OK;
}

enum sw_err
sasl_cram_md5(const char *user, const char *pass, const char *challenge_b64,
    char *out, size_t cap, struct sw_error *err)
{
	unsigned char chal[512], mac[16];
	char raw[600];
	size_t clen, i, u = strlen(user), w;
	enum sw_err rc;

	rc = sasl_b64_decode(challenge_b64, strlen(challenge_b64), chal,
	    sizeof(chal), &clen, err);
	if (rc != SW_OK)
		return rc;
	if (u + 34 > sizeof(raw))
		return sw_fail(err, SW_EUSAGE, "the user name is longer than "
		    "%zu bytes", sizeof(raw) - 34);
	rc = tls_hmac_md5(pass, strlen(pass), chal, clen, mac, err);
	if (rc != SW_OK)
		return rc;
	memcpy(raw, user, u);
	raw[u] = ' ';
	for (i = 0; i < 16; i++)
		snprintf(raw + u + 1 + 2 * i, 3, "%02x", mac[i]);
	w = sasl_b64_encode(raw, u + 33, out, cap);
	secret_wipe(mac, sizeof(mac));
	secret_wipe(raw, sizeof(raw));
	if (w == 0)
		return sw_fail(err, SW_EUSAGE, "the CRAM-MD5 response does "
		    "not fit in %zu bytes", cap);
	return SW_OK;
}

/* ---- leak detection ---- */

/*
 * The base64 characters that depend on secret bytes only, when the
 * secret starts k bytes into a 3-byte group: character i covers bits
 * [6i, 6i+6) and the secret bits [8k, 8k+8n).
 */
static size_t
b64_core(const char *secret, size_t n, int k, char *out, size_t cap)
{
	char enc[1400];
	unsigned char raw[1030];
	size_t len, i, o = 0;

	if (n + 2 > sizeof(raw) - 2)
		n = sizeof(raw) - 4;
	memset(raw, 0, (size_t)k);
	memcpy(raw + k, secret, n);
	len = sasl_b64_encode(raw, (size_t)k + n, enc, sizeof(enc));
	for (i = 0; i < len && o + 1 < cap; i++)
		if (6 * i >= 8 * (size_t)k && 6 * i + 6 <= 8 * ((size_t)k + n))
			out[o++] = enc[i];
	out[o] = '\0';
	secret_wipe(raw, sizeof(raw));
	secret_wipe(enc, sizeof(enc));
	return o;
}

static int
contains(const char *text, size_t len, const char *needle, size_t n)
{
	return n > 0 && n <= len && memmem(text, len, needle, n) != NULL;
}

/*
 * s as a terminal would show it, into out (cap >= n): control bytes
 * dropped, and with ESC the whole escape sequence (CSI "ESC [ params
 * final", OSC "ESC ] ... BEL or ESC \\", else ESC and one byte).
 * Returns the length.
 */
static size_t
visible(const char *s, size_t n, char *out)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i, o = 0;

	for (i = 0; i < n; i++) {
		if (u[i] == 0x1b && i + 1 < n && u[i + 1] == '[') {
			for (i += 2; i < n && (u[i] < 0x40 || u[i] > 0x7e);
			    i++)
				;
		} else if (u[i] == 0x1b && i + 1 < n && u[i + 1] == ']') {
			for (i += 2; i < n && u[i] != 0x07 && !(u[i] == 0x1b &&
			    i + 1 < n && u[i + 1] == '\\'); i++)
				;
			if (i < n && u[i] == 0x1b)
				i++;
		} else if (u[i] == 0x1b && i + 1 < n)
			i++;
		else if (u[i] >= 0x20 && u[i] != 0x7f)
			out[o++] = s[i];
	}
	return o;
}

/* "x.y.z " (RFC 3463) at the start of t: its length; 0: none. */
static size_t
enhanced_len(const char *t, size_t n)
{
	size_t i = 0, parts = 0, digits;

	for (;;) {
		for (digits = 0; i < n && isdigit((unsigned char)t[i]); i++)
			digits++;
		if (digits == 0 || digits > 3)
			return 0;
		if (++parts == 3)
			break;
		if (i >= n || t[i] != '.')
			return 0;
		i++;
	}
	while (i < n && t[i] == ' ')
		i++;
	return i;
}

int
sasl_leaks_reply(const char *text, size_t len, const char *secret)
{
	size_t i, start, k, o = 0;
	char *join;
	int found;

	if (sasl_leaks(text, len, secret))
		return 1;
	if (memchr(text, '\n', len) == NULL)
		return 0;
	if ((join = malloc(len + 1)) == NULL)
		return 1;
	for (i = start = 0; i <= len; i++) {
		const char *l = text + start;
		size_t n = i - start;

		if (i < len && text[i] != '\n')
			continue;
		k = 0;
		if (n >= 3 && isdigit((unsigned char)l[0]) &&
		    isdigit((unsigned char)l[1]) && isdigit((unsigned char)l[2]))
			k = n > 3 && (l[3] == '-' || l[3] == ' ') ? 4 : 3;
		k += enhanced_len(l + k, n - k);
		memcpy(join + o, l + k, n - k);
		o += n - k;
		start = i + 1;
	}
	found = sasl_leaks(join, o, secret);
	secret_wipe(join, len + 1);
	free(join);
	return found;
}

int
sasl_leaks(const char *text, size_t len, const char *secret)
{
	char core[1400], sec[SECRET_MAX + 1], *vt;
	size_t n = strlen(secret), c, tn;
	int k, found = 0;

	if (n > SECRET_MAX)
		n = SECRET_MAX;
	if ((n = visible(secret, n, sec)) < 3 || (vt = malloc(len + 1)) == NULL)
		return n >= 3 && len > 0;	/* no memory: assume the worst */
	tn = visible(text, len, vt);
	found = contains(vt, tn, sec, n);
	/* base64 of the secret as given: control bytes are data there. */
	for (k = 0; k < 3 && !found; k++) {
		c = b64_core(secret, strlen(secret), k, core, sizeof(core));
		found = c >= 3 && contains(vt, tn, core, c);
	}
	secret_wipe(core, sizeof(core));
	secret_wipe(sec, sizeof(sec));
	secret_wipe(vt, len + 1);
	free(vt);
	return found;
}

/* ---- Java's choice ---- */

/*
 * The authenticators SMTPTransport registers, in its order; the
 * default mechanism list is their names.  XOAUTH2 is registered
 * disabled (auth.xoauth2.disable defaults to true).  JavaMail 1.6.2
 * and Angus Mail 2.x register the same five (checked against both
 * sources); the table is per library so that a difference has a
 * place to go.
 */
struct java_auth {
	enum sasl_mech	mech;
	int		enabled;
};

static const struct java_auth java16_auth[] = {
	{ SASL_LOGIN, 1 }, { SASL_PLAIN, 1 }, { SASL_DIGEST_MD5, 1 },
	{ SASL_NTLM, 1 }, { SASL_XOAUTH2, 0 },
};
static const struct java_auth angus2_auth[] = {
	{ SASL_LOGIN, 1 }, { SASL_PLAIN, 1 }, { SASL_DIGEST_MD5, 1 },
	{ SASL_NTLM, 1 }, { SASL_XOAUTH2, 0 },
};
#define NJAVA_AUTH	5

static const struct java_auth *
java_auth_table(enum mail_lib lib)
{
	return lib == MAIL_LIB_ANGUS2 ? angus2_auth : java16_auth;
}

static const struct java_auth *
java_authenticator(enum mail_lib lib, const char *name)
{
	const struct java_auth *t = java_auth_table(lib);
	int i;

	for (i = 0; i < NJAVA_AUTH; i++)
		if (strcasecmp(name, mech_names[t[i].mech]) == 0)
			return &t[i];
	return NULL;
}

/* PropUtil.getBooleanProperty: set means "true" in any case. */
static int
java_bool(const struct settings *set, const char *key, int def)
{
	const char *v = settings_get(set, key);

	return v == NULL ? def : strcasecmp(v, "true") == 0;
}

/*
 * Java's supportsAuthentication(): the name is in EHLO's AUTH list
 * (smtp_caps puts "AUTH=LOGIN" mechanisms into that list too).
 */
static int
server_has(const char *offered, const char *mech)
{
	return sasl_offered(offered, mech);
}

static void
append(char *buf, size_t cap, const char *word)
{
	size_t n = strlen(buf);

	snprintf(buf + n, cap - n, "%s%s", n ? " " : "", word);
}

/* The JDK's own SASL clients (com.sun.security.sasl and jgss). */
static int
jdk_sasl_has(enum sasl_mech m)
{
	return m == SASL_CRAM_MD5 || m == SASL_DIGEST_MD5 ||
	    m == SASL_PLAIN || m == SASL_NTLM || m == SASL_GSSAPI ||
	    m == SASL_EXTERNAL;
}

/* mail.smtp.sasl.enable: returns 1 when the JDK's SASL picks one. */
static int
choose_sasl(const struct settings *set, const char *offered,
    struct sasl_choice *c)
{
	const char *allowed = settings_get(set, "mail.smtp.sasl.mechanisms");
	const char *p;
	char w[64], cand[192] = "";

	/* getSASLMechanisms(): split at spaces and commas. */
	if (allowed != NULL && *allowed != '\0') {
		for (p = allowed; next_word(&p, " ,", w, sizeof(w));)
			if (server_has(offered, w))
				append(cand, sizeof(cand), w);
	} else
		snprintf(cand, sizeof(cand), "%s", offered ? offered : "");
	for (p = cand; next_word(&p, JAVA_BLANKS, w, sizeof(w));) {
		enum sasl_mech m = sasl_mech_parse(w);

		if (!jdk_sasl_has(m))
			continue;
		c->mech = m;
		c->via_sasl = 1;
		snprintf(c->name, sizeof(c->name), "%s", mech_names[m]);
		snprintf(c->order, sizeof(c->order), "%s", cand);
		snprintf(c->why, sizeof(c->why), "mail.smtp.sasl.enable=true: "
		    "the JDK's SASL client takes the first of \"%.150s\" it "
		    "implements: %s.", cand, c->name);
		return 1;
	}
	return 0;
}

void
sasl_java_choice(const struct settings *set, const char *offered,
    struct sasl_choice *c)
{
	const char *mechs = settings_get(set, "mail.smtp.auth.mechanisms");
	const char *lib = settings_lib_name(set->lib), *p;
	const struct java_auth *t = java_auth_table(set->lib);
	char w[64], walked[192] = "", skipped[192] = "", fallback[200] = "";
	int i;

	memset(c, 0, sizeof(*c));
	if (offered == NULL)
		offered = "";
	if (java_bool(set, "mail.smtp.sasl.enable", 0)) {
		if (choose_sasl(set, offered, c))
			return;
		snprintf(fallback, sizeof(fallback), "mail.smtp.sasl.enable "
		    "is true but the JDK's SASL clients implement none of "
		    "the offered mechanisms, so Java falls back to its own. ");
	}
	c->explicit_list = mechs != NULL;
	if (mechs == NULL) {
		/* The default list: every authenticator not disabled. */
		for (i = 0; i < NJAVA_AUTH; i++) {
			char key[64], lower[32];
			size_t k;

			snprintf(lower, sizeof(lower), "%s",
			    mech_names[t[i].mech]);
			for (k = 0; lower[k] != '\0'; k++)
				lower[k] = (char)tolower(
				    (unsigned char)lower[k]);
			snprintf(key, sizeof(key), "mail.smtp.auth.%s.disable",
			    lower);
			if (!java_bool(set, key, !t[i].enabled))
				append(walked, sizeof(walked),
				    mech_names[t[i].mech]);
		}
	} else
		snprintf(walked, sizeof(walked), "%s", mechs);
	snprintf(c->order, sizeof(c->order), "%s", walked);
	for (p = walked; next_word(&p, JAVA_BLANKS, w, sizeof(w));) {
		const struct java_auth *a = java_authenticator(set->lib, w);

		if (a == NULL) {
			append(skipped, sizeof(skipped), w);
			continue;
		}
		if (!server_has(offered, w))
			continue;
		c->mech = a->mech;
		snprintf(c->name, sizeof(c->name), "%s", mech_names[a->mech]);
		break;
	}
	if (c->mech != SASL_NONE && mechs == NULL)
		snprintf(c->why, sizeof(c->why), "%.160s%s walks its default "
		    "list \"%.100s\" (XOAUTH2 only when asked for) and tries "
		    "only the first the server offers: %s.", fallback, lib,
		    walked, c->name);
	else if (c->mech != SASL_NONE)
		snprintf(c->why, sizeof(c->why), "%.160smail.smtp.auth."
		    "mechanisms is \"%.100s\": %s tries only the first of them "
		    "the server offers: %s (the auth.*.disable keys do not "
		    "count then).", fallback, mechs, lib, c->name);
	else
		snprintf(c->why, sizeof(c->why), "%.160sNone of \"%.100s\" is "
		    "both implemented by %s and offered by the server "
		    "(\"%.100s\")%s%.60s%s%s: Java fails with \"No "
		    "authentication mechanisms supported by both server and "
		    "client\".", fallback, walked, lib, offered,
		    skipped[0] ? "; it has no authenticator for \"" : "",
		    skipped, skipped[0] ? "\"" : "",
		    strchr(skipped, ',') ? " (the list is separated by "
		    "spaces, not commas)" : "");
}
