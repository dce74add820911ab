/*
 * The key table.  Letters are bound only where no text field is being
 * edited: an open editor takes every key first (see tui.c), so typing
 * "smtp.gmail.com" never means "next, quit".
 */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keys.h"

#define CTRL(c)	((c) & 0x1f)

static const struct {
	int		 ch;
	enum action	 act;
	const char	*name;		/* what the user reads */
} binds[] = {
	{ '\n',		ACT_ENTER,	"Enter" },
	{ '\r',		ACT_ENTER,	"Enter" },
	{ KEY_ENTER,	ACT_ENTER,	"Enter" },
	{ ' ',		ACT_TOGGLE,	"Space" },
	{ 'n',		ACT_NEXT,	"n" },
	{ '\t',		ACT_NEXT,	"Tab" },
	{ KEY_RIGHT,	ACT_NEXT,	"Right" },
	{ 'p',		ACT_BACK,	"p" },
	{ KEY_BTAB,	ACT_BACK,	"Shift-Tab" },
	{ KEY_LEFT,	ACT_BACK,	"Left" },
	{ 'R',		ACT_PROBE,	"R" },
	{ KEY_F(5),	ACT_PROBE,	"F5" },
	{ 'c',		ACT_CANCEL,	"c" },
	{ 27,		ACT_ESC,	"Esc" },
	{ '1',		ACT_STEP,	"1-5" },
	{ '2',		ACT_STEP,	"1-5" },
	{ '3',		ACT_STEP,	"1-5" },
	{ '4',		ACT_STEP,	"1-5" },
	{ '5',		ACT_STEP,	"1-5" },
	{ '0',		ACT_START,	"0" },
	{ KEY_HOME,	ACT_START,	"Home" },
	{ 'r',		ACT_RESULT,	"r" },
	{ KEY_END,	ACT_RESULT,	"End" },
	{ '/',		ACT_SEARCH,	"/" },
	{ 'a',		ACT_APPLY,	"a" },
	{ 'u',		ACT_UNDO,	"u" },
	{ 'd',		ACT_DATA,	"d" },
	{ 's',		ACT_SAVE,	"s" },
	{ 'y',		ACT_COPY,	"y" },
	{ 'f',		ACT_FORMAT,	"f" },
	{ 'w',		ACT_PASSWORD,	"w" },
	{ 'v',		ACT_JAVA,	"v" },
	{ 'e',		ACT_EXPLAIN,	"e" },
	{ '?',		ACT_HELP,	"?" },
	{ KEY_F(1),	ACT_HELP,	"F1" },
	{ 't',		ACT_TRANSCRIPT,	"t" },
	{ 'q',		ACT_QUIT,	"q" },
	{ KEY_F(10),	ACT_QUIT,	"F10" },
	{ KEY_UP,	ACT_UP,		"Up" },
	{ 'k',		ACT_UP,		"k" },
	{ CTRL('p'),	ACT_UP,		"Ctrl-P" },
	{ KEY_DOWN,	ACT_DOWN,	"Down" },
	{ 'j',		ACT_DOWN,	"j" },
	{ CTRL('n'),	ACT_DOWN,	"Ctrl-N" },
	{ KEY_PPAGE,	ACT_PGUP,	"PgUp" },
	{ KEY_NPAGE,	ACT_PGDN,	"PgDn" },
	{ 'g',		ACT_HOME,	"g" },
	{ 'G',		ACT_END,	"G" },
};

static const char *const labels[ACT_COUNT] = {
#define KEY_ACT_LABEL(name, label) [name] = label,
	KEY_ACTIONS(KEY_ACT_LABEL)
#undef KEY_ACT_LABEL
};

#define NBINDS	(sizeof(binds) / sizeof(binds[0]))

/*
 * terminfo's BE capability says so; older terminfo entries lack it for
 * terminals that have done it for years, hence the names.  A terminal
 * that does not know mode 2004 ignores the request.
 */
int
keys_paste_supported(void)
{
	const char *be = tigetstr("BE"), *t = getenv("TERM");

	if (be != NULL && be != (char *)-1)
		return 1;
	return t != NULL && (strncmp(t, "xterm", 5) == 0 ||
	    strncmp(t, "screen", 6) == 0 || strncmp(t, "tmux", 4) == 0 ||
	    strncmp(t, "rxvt", 4) == 0 || strncmp(t, "alacritty", 9) == 0 ||
	    strncmp(t, "foot", 4) == 0 || strstr(t, "kitty") != NULL);
}

void
keys_init(void)
{
	define_key("\033[200~", KEY_PASTE_BEGIN);
	define_key("\033[201~", KEY_PASTE_END);
}

enum action
keys_action(int ch)
{
	size_t i;

	for (i = 0; i < NBINDS; i++)
		if (binds[i].ch == ch)
			return binds[i].act;
	return ACT_NONE;
}

const char *
keys_label(enum action a)
{
	return a > ACT_NONE && a < ACT_COUNT ? labels[a] : "";
}

const char *
keys_name(enum action a)
{
	size_t i;

	for (i = 0; i < NBINDS; i++)
		if (binds[i].act == a)
			return binds[i].name;
	return "";
}

const char *
keys_all_names(enum action a, char *buf, unsigned cap)
{
	size_t i, len = 0;

	buf[0] = '\0';
	for (i = 0; i < NBINDS && len + 1 < cap; i++) {
		if (binds[i].act != a)
			continue;
		/* Enter has three codes and one name, 1-5 five. */
		if (i > 0 && binds[i - 1].act == a &&
		    strcmp(binds[i - 1].name, binds[i].name) == 0)
			continue;
		len += (size_t)snprintf(buf + len, cap - len, "%s%s",
		    len > 0 ? " " : "", binds[i].name);
	}
	return buf;
}
