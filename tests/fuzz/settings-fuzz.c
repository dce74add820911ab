/*
 * Fuzzes the settings model over a deployed .properties file, the way
 * `smtpwiz check --load FILE` and the wizard's "load my file" use it:
 * the pairs are read into struct settings, every pair is checked
 * (settings_validate(): types, ranges, lists, the closest known key
 * for a typo) and the values Java would use are computed, for both
 * mail libraries.  A --set KEY=VALUE line per input line goes through
 * settings_assign() too.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "probe.h"
#include "props.h"
#include "settings.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
issue(void *arg, enum settings_level level, const char *key, const char *msg)
{
	(void)arg; (void)level;
	if (key == NULL || msg == NULL || msg[0] == '\0')
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const keys[] = { "mail.smtp.port",
	    "mail.smtp.host", "mail.smtp.ssl.enable",
	    "mail.smtp.starttls.enable", "mail.smtp.socketFactory.port",
	    "mail.smtp.timeout", "mail.smtp.ssl.protocols",
	    "mail.smtp.user", "mail.smtp.localhost" };
	struct sw_error err = { 0 };
	struct settings s;
	size_t i, k, n;
	long v;

	for (i = 0; i < 2; i++) {
		if (settings_init(&s, i ? MAIL_LIB_ANGUS2 :
		    MAIL_LIB_JAVAMAIL16) != SW_OK)
			return 0;
		sw_error_clear(&err);
		if (props_parse(s.p, (const char *)data, size, "fuzz",
		    &err) == SW_OK) {
			(void)settings_validate(&s, issue, NULL);
			(void)settings_mode(&s);
			for (k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
				(void)settings_effective(&s, keys[k]);
				(void)settings_bool(&s, keys[k]);
				(void)settings_int(&s, keys[k], &v);
			}
		}
		settings_free(&s);
	}

	/* --set KEY=VALUE, one per input line. */
	if (settings_init(&s, MAIL_LIB_JAVAMAIL16) != SW_OK)
		return 0;
	{
		const uint8_t *a = data, *end = data + size, *nl;
		char line[512];

		while (a < end) {
			nl = memchr(a, '\n', (size_t)(end - a));
			if (nl == NULL)
				nl = end;
			n = (size_t)(nl - a);
			if (n < sizeof(line)) {
				memcpy(line, a, n);
				line[n] = '\0';
				sw_error_clear(&err);
				(void)settings_assign(&s, line, &err);
			}
			a = nl + 1;
		}
	}
	(void)settings_mode(&s);
	settings_free(&s);
	return 0;
}
