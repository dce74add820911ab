/*
 * --socks and --proxy: the proxy Java goes through, as the mail.smtp.*
 * settings JavaMail reads for it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "settings.h"

enum sw_err
settings_proxy_arg(struct settings *s, int socks, const char *arg,
    char *user, size_t cap, struct sw_error *err)
{
	const char *at = strrchr(arg, '@'), *hp = at ? at + 1 : arg, *colon;
	const char *opt = socks ? "--socks" : "--proxy";
	char host[256], port[8] = "";
	size_t hl;
	char *end;
	unsigned long p;

	user[0] = '\0';
	if (at != NULL)
		snprintf(user, cap, "%.*s", (int)(at - arg), arg);
	if (*hp == '[') {
		colon = strchr(hp, ']');
		if (colon == NULL)
			return sw_fail(err, SW_EUSAGE, "%s: no ']' after the "
			    "IPv6 address in \"%s\"", opt, hp);
		hl = (size_t)(colon - hp - 1);
		hp++;
		colon = colon[1] == ':' ? colon + 1 : NULL;
	} else {
		colon = strrchr(hp, ':');
		hl = colon ? (size_t)(colon - hp) : strlen(hp);
	}
	if (hl == 0 || hl >= sizeof(host))
		return sw_fail(err, SW_EUSAGE, "%s wants [USER@]HOST[:PORT], "
		    "not \"%s\"", opt, arg);
	snprintf(host, sizeof(host), "%.*s", (int)hl, hp);
	if (colon != NULL) {
		p = strtoul(colon + 1, &end, 10);
		if (*end != '\0' || p == 0 || p > 65535)
			return sw_fail(err, SW_EUSAGE, "%s: the port must be "
			    "1-65535, not \"%s\"", opt, colon + 1);
		snprintf(port, sizeof(port), "%lu", p);
	}
	if (settings_set(s, socks ? "mail.smtp.socks.host" :
	    "mail.smtp.proxy.host", host, err) != SW_OK)
		return err->code;
	if (port[0] != '\0' && settings_set(s, socks ? "mail.smtp.socks.port" :
	    "mail.smtp.proxy.port", port, err) != SW_OK)
		return err->code;
	if (!socks && user[0] != '\0') {
		if (settings_set(s, "mail.smtp.proxy.user", user, err) != SW_OK)
			return err->code;
		user[0] = '\0';
	}
	return SW_OK;
}
