/*
 * The result: the settings as a ready-to-paste .properties block.  The
 * password is never part of it: the block is shown, copied to the
 * clipboard and printed into the scroll-back, places a password must
 * not go.  A stop-gap until report.h renders the block for both front
 * ends.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "screen.h"
#include "version.h"

/* props_format()'s comment hook: the settings table's description. */
static const char *
key_comment(void *arg, const char *key, const char *value)
{
	const struct settings_key *k = settings_key_info(key);

	(void)arg;
	(void)value;
	return k != NULL ? k->desc : NULL;
}

static void
block_header(const struct app *a, char *buf, size_t cap)
{
	const char *host = settings_effective(&a->set, "mail.smtp.host");
	const char *port = settings_effective(&a->set, "mail.smtp.port");
	size_t len;

	len = (size_t)snprintf(buf, cap, "mail.smtp.* settings by smtpwiz %s "
	    "for %s:%s\nWritten for %s, Java profile %s.", SMTPWIZ_VERSION,
	    host ? host : "?", port ? port : "?",
	    settings_lib_name(a->set.lib), a->java);
	if (len < cap && (settings_get(&a->set, "mail.smtp.password") ||
	    settings_get(&a->set, "mail.smtps.password")))
		snprintf(buf + len, cap - len, "\nThe password is set but "
		    "left out here: add mail.smtp.password yourself.");
}

char *
block_render(const struct app *a)
{
	struct props *p = props_new();
	struct sw_error e = { 0 };
	char header[512], *out = NULL;
	size_t i, n = props_count(a->set.p);

	if (p == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		const char *k = props_key(a->set.p, i);

		if (!settings_is_secret(k) &&
		    props_set(p, k, props_value(a->set.p, i), &e) != SW_OK)
			break;
	}
	block_header(a, header, sizeof(header));
	if (e.code == SW_OK)
		props_format(p, header, key_comment, NULL, &out, &e);
	props_free(p);
	return out;
}

int
block_save(struct app *a, const char *path)
{
	struct sw_error e = { 0 };
	char *text = block_render(a);

	if (text == NULL) {
		app_msg(a, ROLE_FAIL, "out of memory");
		return UI_REDRAW;
	}
	/* 0600 even without the password: files like this gain one later. */
	if (props_write_file(path, text, strlen(text), 0600, &e) != SW_OK)
		app_msg(a, ROLE_FAIL, "%s", sw_error_text(&e));
	else {
		app_msg(a, ROLE_PASS, "Saved to %s (mode 0600)", path);
		snprintf(a->save_path, sizeof(a->save_path), "%s", path);
	}
	free(text);
	return UI_REDRAW;
}

static char *
base64(const char *in, size_t len)
{
	static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789+/";
	char *out = malloc((len + 2) / 3 * 4 + 1), *o = out;
	size_t i;

	if (out == NULL)
		return NULL;
	for (i = 0; i + 2 < len; i += 3) {
		unsigned v = (unsigned char)in[i] << 16 |
		    (unsigned char)in[i + 1] << 8 | (unsigned char)in[i + 2];

		*o++ = tab[v >> 18];
		*o++ = tab[(v >> 12) & 63];
		*o++ = tab[(v >> 6) & 63];
		*o++ = tab[v & 63];
	}
	if (i < len) {
		unsigned v = (unsigned char)in[i] << 16 | (i + 1 < len ?
		    (unsigned char)in[i + 1] << 8 : 0);

		*o++ = tab[v >> 18];
		*o++ = tab[(v >> 12) & 63];
		*o++ = i + 1 < len ? tab[(v >> 6) & 63] : '=';
		*o++ = '=';
	}
	*o = '\0';
	return out;
}

/*
 * OSC 52 asks the terminal to set its clipboard; it travels through SSH
 * and (with set-clipboard) tmux, where xclip would not.  The sequence is
 * written by the loop after the next doupdate(), not from here, so it
 * cannot land in the middle of curses output.
 */
int
block_copy(struct app *a)
{
	char *text = block_render(a), *b64;

	if (text == NULL || (b64 = base64(text, strlen(text))) == NULL) {
		free(text);
		app_msg(a, ROLE_FAIL, "out of memory");
		return UI_REDRAW;
	}
	free(a->osc52);
	if (asprintf(&a->osc52, "\033]52;c;%s\a", b64) < 0)
		a->osc52 = NULL;
	app_msg(a, ROLE_PASS, "Sent %zu bytes to the clipboard (OSC 52: the "
	    "terminal must allow it)", strlen(text));
	free(b64);
	free(text);
	return UI_REDRAW;
}
