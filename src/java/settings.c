/*
 * The settings model on top of props.c: the pairs as given, the values
 * Java will work with (PropUtil's reading, the defaults the library
 * computes; sources as named in settings_keys.c), setting, loading and
 * validating.  The checks explain what Java would do with a value,
 * because the usual failure is silent: "587 " or "TRUE " or
 * "TLSv1.2,TLSv1.3" is accepted by the file format and misread later;
 * they are settings_check.c's, the table of keys settings_keys.c's.
 */
#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "settings.h"
#include "settings_int.h"

/* ---- the model ----------------------------------------------------- */

enum sw_err
settings_init(struct settings *s, enum mail_lib lib)
{
	s->lib = lib;
	s->source = NULL;
	if ((s->p = props_new()) == NULL)
		return SW_ENOMEM;
	return SW_OK;
}

void
settings_free(struct settings *s)
{
	props_free(s->p);
	free(s->source);
	s->p = NULL;
	s->source = NULL;
}

/*
 * Pairs go in through props_set(), not settings_set(): the copy is
 * exactly what was written, even where settings_check() would refuse a
 * value (a loaded file is probed as written).
 */
enum sw_err
settings_copy(struct settings *dst, const struct settings *src,
    struct sw_error *err)
{
	size_t i, n = props_count(src->p);

	if (settings_init(dst, src->lib) != SW_OK) {
		settings_free(dst);
		return sw_fail(err, SW_ENOMEM, "out of memory");
	}
	/* Only for messages ("file:line"): none when short of memory. */
	dst->source = src->source ? strdup(src->source) : NULL;
	for (i = 0; i < n; i++)
		if (props_set(dst->p, props_key(src->p, i),
		    props_value(src->p, i), err) != SW_OK) {
			settings_free(dst);
			return err->code;
		}
	return SW_OK;
}

const char *
settings_get(const struct settings *s, const char *key)
{
	return props_get(s->p, key);
}

/*
 * Integer.parseInt() as PropUtil calls it: optional sign, digits,
 * within int; a "0x" prefix reads the rest as hex.  No blanks.
 */
int
settings_java_int(const char *s, long *out)
{
	int base = 10, neg = 0, any = 0;
	long v = 0;

	if (s[0] == '0' && s[1] == 'x') {
		base = 16;
		s += 2;
	}
	if (*s == '+' || *s == '-')
		neg = *s++ == '-';
	for (; *s != '\0'; s++, any = 1) {
		int d = isdigit((unsigned char)*s) ? *s - '0' :
		    base == 16 && isxdigit((unsigned char)*s) ?
		    tolower((unsigned char)*s) - 'a' + 10 : -1;

		if (d < 0)
			return 0;
		v = v * base + d;
		if (v > (long)INT_MAX + neg)
			return 0;
	}
	if (!any)
		return 0;
	*out = neg ? -v : v;
	return 1;
}

static int
is_number_type(const struct settings_key *k)
{
	return k != NULL && (k->type == SETTINGS_INT || k->type == SETTINGS_MS);
}

/* The default of key in s, computed where the library computes it. */
static const char *
computed_default(const struct settings *s, const struct settings_key *k)
{
	const char *tail = k->name + strlen(P_SMTP);

	if (strcmp(tail, "port") == 0)
		return settings_bool(s, P_SMTP "ssl.enable") ? "465" : "25";
	if (strcmp(tail, "socketFactory.port") == 0 ||
	    strcmp(tail, "ssl.socketFactory.port") == 0)
		return settings_effective(s, P_SMTP "port");
	return s->lib == MAIL_LIB_ANGUS2 ? k->def2 : k->def16;
}

const char *
settings_effective(const struct settings *s, const char *key)
{
	const char *v = settings_get(s, key);
	const struct settings_key *k = settings_key_info(key);
	long n;

	if (strcmp(key, P_SMTP "host") == 0) {
		/* Service.connect(): mail.smtp.host, mail.host, localhost */
		if (v == NULL)
			v = settings_get(s, "mail.host");
		return v != NULL && *v != '\0' ? v : "localhost";
	}
	if (strcmp(key, P_SMTP "user") == 0 && v == NULL)
		return settings_get(s, "mail.user");
	if (v != NULL && (!is_number_type(k) || settings_java_int(v, &n)))
		return v;
	return k != NULL ? computed_default(s, k) : v;
}

int
settings_java_bool(const char *value, int dflt)
{
	/*
	 * PropUtil.getBoolean(): the default decides what junk means; the
	 * text is compared whole (equalsIgnoreCase), so blanks count.
	 */
	if (value == NULL)
		return dflt;
	if (dflt)
		return strcasecmp(value, "false") != 0;
	return strcasecmp(value, "true") == 0;
}

int
settings_bool(const struct settings *s, const char *key)
{
	const struct settings_key *k = settings_key_info(key);
	const char *def = k ? settings_default(s->lib, key) : NULL;

	return settings_java_bool(settings_get(s, key),
	    def != NULL && strcmp(def, "true") == 0);
}

/* Classes whose getDefault() is SSLSocketFactory.getDefault(). */
static const char *const ssl_factories[] = {
	"javax.net.ssl.SSLSocketFactory",
	"com.sun.mail.util.MailSSLSocketFactory",
	"org.eclipse.angus.mail.util.MailSSLSocketFactory",
};

int
settings_ssl_factory_class(const char *v)
{
	size_t i;

	for (i = 0; v != NULL && i < sizeof(ssl_factories) /
	    sizeof(ssl_factories[0]); i++)
		if (strcmp(v, ssl_factories[i]) == 0)
			return 1;
	return 0;
}

int
settings_socket_factory_ssl(const struct settings *s)
{
	return settings_ssl_factory_class(settings_get(s,
	    P_SMTP "socketFactory.class"));
}

int
settings_int(const struct settings *s, const char *key, long *v)
{
	const char *e = settings_effective(s, key);

	return e != NULL && settings_java_int(e, v);
}

int
settings_unset(struct settings *s, const char *key)
{
	return props_unset(s->p, key);
}

/* ---- setting, loading, validating ---------------------------------- */

enum sw_err
settings_set(struct settings *s, const char *key, const char *value,
    struct sw_error *err)
{
	struct sw_error msg = { 0 };
	enum settings_level lv;
	enum sw_err rc;

	if (value == NULL) {
		props_unset(s->p, key);
		return SW_OK;
	}
	lv = settings_check(s->lib, key, value, &msg);
	if (lv == SETTINGS_ERROR)
		return sw_fail(err, SW_EUSAGE, "%s", msg.msg);
	if ((rc = props_set(s->p, key, value, err)) != SW_OK)
		return rc;
	if (lv == SETTINGS_WARN)
		sw_fail(err, SW_EUSAGE, "%s", msg.msg);
	return SW_OK;
}

enum sw_err
settings_assign(struct settings *s, const char *assignment,
    struct sw_error *err)
{
	const char *eq = strchr(assignment, '='), *k = assignment, *e;
	char key[PROPS_MAX_KEY + 1];

	if (eq == NULL)
		return sw_fail(err, SW_EUSAGE, "\"%.60s\" is not KEY=VALUE "
		    "(e.g. mail.smtp.port=587)", assignment);
	e = eq;
	while (k < e && isspace((unsigned char)*k))
		k++;
	while (e > k && isspace((unsigned char)e[-1]))
		e--;
	if (e == k || (size_t)(e - k) > PROPS_MAX_KEY)
		return sw_fail(err, SW_EUSAGE, "\"%.60s\" has no key before "
		    "'=' (e.g. mail.smtp.port=587)", assignment);
	memcpy(key, k, (size_t)(e - k));
	key[e - k] = '\0';
	return settings_set(s, key, eq + 1, err);
}

/* 1 when some pair of p was read from a file. */
static int
has_file_lines(const struct props *p)
{
	size_t i;

	for (i = 0; i < props_count(p); i++)
		if (props_line(p, i) != 0)
			return 1;
	return 0;
}

enum sw_err
settings_load(struct settings *s, const char *path, struct sw_error *err)
{
	int earlier = has_file_lines(s->p);
	enum sw_err rc = props_load_file(s->p, path, err);

	if (rc != SW_OK)
		return rc;
	/* Line numbers of two files cannot both be named: name none. */
	if (!earlier) {
		free(s->source);
		s->source = strdup(path);  /* NULL: messages say "line N" */
	} else if (s->source != NULL && strcmp(s->source, path) != 0) {
		free(s->source);
		s->source = NULL;
	}
	return SW_OK;
}

/* Reports msg for pair i, prefixed with where the pair came from. */
static void
report(const struct settings *s, unsigned line, settings_issue_fn fn,
    void *arg, enum settings_level lv, const char *key, const char *msg)
{
	char buf[512];

	if (fn == NULL)
		return;
	if (line > 0)
		snprintf(buf, sizeof(buf), "%s%s%u: %s", s->source ?
		    s->source : "line ", s->source ? ":" : "", line, msg);
	else
		snprintf(buf, sizeof(buf), "%s", msg);
	fn(arg, lv, key, buf);
}

enum settings_level
settings_validate(const struct settings *s, settings_issue_fn fn, void *arg)
{
	enum settings_level worst = SETTINGS_OK, lv;
	struct sw_error msg;
	const char *key;
	size_t i;

	for (i = 0; i < props_count(s->p); i++) {
		key = props_key(s->p, i);
		sw_error_clear(&msg);
		lv = settings_check(s->lib, key, props_value(s->p, i), &msg);
		if (lv != SETTINGS_OK)
			report(s, props_line(s->p, i), fn, arg, lv, key,
			    msg.msg);
		worst = lv > worst ? lv : worst;
		if (props_first_line(s->p, i) == 0)
			continue;
		snprintf(msg.msg, sizeof(msg.msg), "%.80s is set twice (lines "
		    "%u and %u); Java uses the later value", key,
		    props_first_line(s->p, i), props_line(s->p, i));
		report(s, props_line(s->p, i), fn, arg, SETTINGS_WARN, key,
		    msg.msg);
		worst = worst > SETTINGS_WARN ? worst : SETTINGS_WARN;
	}
	return worst;
}
