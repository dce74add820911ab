/*
 * The result: the settings block as the engine builds it (src/block.h),
 * from the settings as they are now and the steps' fresh results, in
 * the form and with the password the user chose.  Saving, copying and
 * printing go through app_block_final(), so the file the wizard saves is
 * byte for byte what `smtpwiz check --format properties` writes for the
 * same server and settings.  The screen shows app_block_render(): the same
 * text, but a real password masked, since a screen can be watched.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "dlg.h"

#define PW_MASK	"********"

const char *
app_block_format_title(enum block_format f)
{
	static const char *const t[] = {
		[BLOCK_PROPERTIES] = "properties", [BLOCK_JS7] = "JS7 arguments",
		[BLOCK_JS7_JSON] = "JS7 JSON", [BLOCK_SPRING] = "Spring Boot",
		[BLOCK_JSON] = "JSON",
	};

	return (unsigned)f < sizeof(t) / sizeof(t[0]) ? t[f] : "?";
}

const char *
app_block_pw_title(enum block_password p)
{
	return p == PW_INCLUDE ? "included" : p == PW_PLACEHOLDER ?
	    "placeholder" : "left out";
}

/*
 * A fresh result less its suggestions of another host or port: those
 * are advice, which the user applies with a (tried first, app_fix.c),
 * never facts the block takes by itself.  Otherwise a host the user
 * edited back returned with the next probe's suggestion.  NULL: none to
 * strip (use r), or out of memory.
 */
static struct step_result *
strip_target(const struct step_result *r)
{
	struct step_result *c = NULL;
	struct finding *f;
	size_t i, k, n;

	for (i = 0; i < r->nfindings; i++)
		for (k = 0; k < r->findings[i].nsuggest; k++) {
			const char *key = r->findings[i].suggest[k].key;

			if (c == NULL && (strcmp(key, "mail.smtp.host") == 0 ||
			    strcmp(key, "mail.smtp.port") == 0) &&
			    (c = malloc(sizeof(*c))) != NULL)
				memcpy(c, r, sizeof(*c));
		}
	for (i = 0; c != NULL && i < c->nfindings; i++) {
		f = &c->findings[i];
		for (k = n = 0; k < f->nsuggest; k++)
			if (strcmp(f->suggest[k].key, "mail.smtp.host") != 0 &&
			    strcmp(f->suggest[k].key, "mail.smtp.port") != 0)
				f->suggest[n++] = f->suggest[k];
		f->nsuggest = n;
	}
	return c;
}

/*
 * The results the block may build on: fresh ones only.  A result
 * probed with other settings describes another configuration (or
 * another server), and `check` would not have it either.  own[] gets
 * the copies to free.
 */
static void
app_block_steps(const struct app *a, struct block_input *in,
    struct step_result *own[STEP_COUNT])
{
	int s;

	for (s = 1; s <= STEP_COUNT; s++) {
		in->steps[s - 1] = app_fresh(a, s) ? a->st[s].res : NULL;
		own[s - 1] = in->steps[s - 1] ? strip_target(a->st[s].res) :
		    NULL;
		if (own[s - 1] != NULL)
			in->steps[s - 1] = own[s - 1];
	}
}

static void
steps_free(struct step_result *own[STEP_COUNT])
{
	int s;

	for (s = 0; s < STEP_COUNT; s++)
		free(own[s]);
}

/*
 * The block of the settings as they are now, with the verdict in its
 * header: the verification when it ran on exactly this block.
 */
static enum sw_err
build(const struct app *a, enum block_password pw, const char *password,
    struct block *b, struct sw_error *e)
{
	struct block_input in = { .set = &a->set, .pw = pw,
	    .password = password };
	struct step_result *own[STEP_COUNT];

	app_block_steps(a, &in, own);
	if (block_build(&in, b, e) == SW_OK)
		block_set_verdict(b, app_verify_fresh(a) ? a->ver.res : NULL,
		    in.steps, e);
	steps_free(own);
	return e->code;
}

/*
 * The settings Java will read, for the verification: the block with
 * the real password (verify_run() logs in with it).  -1: could not be
 * made (no host, out of memory).
 */
int
app_block_final_settings(const struct app *a, struct settings *out)
{
	struct block_input in = { .set = &a->set, .pw = PW_INCLUDE,
	    .password = app_password(a) };
	struct step_result *own[STEP_COUNT];
	struct block b;
	struct sw_error e = { 0 };
	int ok;

	if (settings_get(&a->set, "mail.smtp.host") == NULL)
		return -1;
	app_block_steps(a, &in, own);
	ok = block_build(&in, &b, &e) == SW_OK &&
	    block_settings(&b, out, &e) == SW_OK;
	block_free(&b);
	steps_free(own);
	return ok ? 0 : -1;
}

static char *
render(const struct app *a, const char *password, int *has_secret,
    int *verified)
{
	struct block b;
	struct sw_error e = { 0 };
	char *text = NULL;
	int built;

	built = build(a, a->pw, password, &b, &e) == SW_OK;
	if (has_secret != NULL)
		*has_secret = built && block_has_secret(&b);
	if (verified != NULL)
		*verified = built && b.verified;
	if (!built || block_to_text(&b, a->fmt, &text, &e) != SW_OK) {
		free(text);
		if (asprintf(&text, "# The block could not be made: %s\n",
		    sw_error_text(&e)) < 0)
			text = NULL;
	}
	block_free(&b);
	return text;
}

char *
app_block_render(const struct app *a)
{
	return render(a, a->pw == PW_INCLUDE && app_password(a) != NULL ?
	    PW_MASK : NULL, NULL, NULL);
}

/*
 * The block with the real password (a->pass) when the user chose it.
 * *verified (may be NULL): the block's header says verified.
 */
char *
app_block_final(const struct app *a, int *has_secret, int *verified)
{
	return render(a, app_password(a), has_secret, verified);
}

int
app_block_save(struct app *a, const char *path)
{
	struct sw_error e = { 0 };
	int secret = 0;
	char *text = app_block_final(a, &secret, NULL);

	if (text == NULL) {
		app_msg(a, ROLE_FAIL, "out of memory");
		return UI_REDRAW;
	}
	/*
	 * README's rule: 0600 when the file holds the password, else 0644.
	 * An existing file is replaced only after a y, and kept as .bak;
	 * props_write_file() writes a temporary file and renames it.
	 */
	if (!confirm_may_write(a, EDIT_SAVE_PATH, path))
		;
	else if (props_write_file(path, text, strlen(text), secret ? 0600 :
	    0644, &e) != SW_OK)
		app_msg(a, ROLE_FAIL, "%s", sw_error_text(&e));
	else {
		app_msg(a, ROLE_PASS, "Saved%s to %s (%s, mode %s)", secret ?
		    " WITH the password" : "", path,
		    app_block_format_title(a->fmt), secret ? "0600" : "0644");
		snprintf(a->save_path, sizeof(a->save_path), "%s", path);
	}
	explicit_bzero(text, strlen(text));
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
 * and (with set-clipboard) tmux, where xclip would not.  The loop sends
 * it after the next doupdate(), so it cannot land inside curses output.
 */
/*
 * Sends text to the terminal's clipboard (OSC 52) and keeps it, so that
 * quitting prints it too (the terminal may refuse OSC 52).
 */
int
app_block_copy_text(struct app *a, const char *what, const char *text)
{
	size_t len = strlen(text);
	char *b64 = base64(text, len), *seq = NULL;

	if (b64 == NULL || asprintf(&seq, "\033]52;c;%s\a", b64) < 0) {
		app_msg(a, ROLE_FAIL, "out of memory");
		seq = NULL;
	} else {
		app_term_out(a, seq);
		app_msg(a, ROLE_PASS, "Copied %s: %zu bytes (OSC 52: the "
		    "terminal must allow it; also printed when you quit)",
		    what, len);
		if (strstr(what, "block") == NULL)
			snprintf(a->copied, sizeof(a->copied), "%s", text);
	}
	if (b64 != NULL)
		explicit_bzero(b64, strlen(b64));
	if (seq != NULL)
		explicit_bzero(seq, strlen(seq));
	free(b64);
	free(seq);
	return UI_REDRAW;
}

int
app_block_copy(struct app *a)
{
	int secret = 0;
	char *text = app_block_final(a, &secret, NULL), what[96];

	if (text == NULL) {
		app_msg(a, ROLE_FAIL, "out of memory");
		return UI_REDRAW;
	}
	snprintf(what, sizeof(what), "the block (%s%s)",
	    app_block_format_title(a->fmt), secret ? ", WITH the password" : "");
	app_block_copy_text(a, what, text);
	explicit_bzero(text, strlen(text));
	free(text);
	return UI_REDRAW;
}
