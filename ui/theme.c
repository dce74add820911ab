/*
 * The theme's state: which column of the tables is in use.  Set once
 * at start-up on the UI thread and only read afterwards.
 */
#include <curses.h>
#include <langinfo.h>
#include <string.h>

#include "theme.h"

static int use_color;
static int use_utf8;

static const struct {
	short		fg, bg;
	unsigned	mono;
} roles[ROLE_COUNT] = {
#define THEME_ROW(name, f, b, m) [name] = { f, b, m },
	THEME_ROLES(THEME_ROW)
#undef THEME_ROW
};

static const struct {
	const char	*utf8, *ascii;
} glyphs[GL_COUNT] = {
#define THEME_GROW(name, u, a) [name] = { u, a },
	THEME_GLYPHS(THEME_GROW)
#undef THEME_GROW
};

/* Braille dots look calm; the ASCII wheel is the classic fallback. */
static const char *const spin_utf8[] = {
	"\xe2\xa0\x8b", "\xe2\xa0\x99", "\xe2\xa0\xb9", "\xe2\xa0\xb8",
	"\xe2\xa0\xbc", "\xe2\xa0\xb4", "\xe2\xa0\xa6", "\xe2\xa0\xa7",
	"\xe2\xa0\x87", "\xe2\xa0\x8f",
};
static const char *const spin_ascii[] = { "|", "/", "-", "\\" };

void
theme_init(int want_color, int want_utf8)
{
	int i;

	use_utf8 = want_utf8 && strcmp(nl_langinfo(CODESET), "UTF-8") == 0;
	use_color = want_color && has_colors() && start_color() == OK;
	if (!use_color)
		return;
	/* -1 keeps the terminal's own background (and works in tmux). */
	use_default_colors();
	for (i = 1; i < ROLE_COUNT && i < COLOR_PAIRS; i++)
		init_pair((short)i, roles[i].fg, roles[i].bg);
}

unsigned
theme_attr(enum theme_role r)
{
	int loud = r == ROLE_FAIL || r == ROLE_WARN || r == ROLE_HEAD ||
	    r == ROLE_KEY || r == ROLE_TITLE;

	if (r <= ROLE_NORMAL || r >= ROLE_COUNT)
		return A_NORMAL;
	if (!use_color)
		return roles[r].mono;
	return (unsigned)COLOR_PAIR(r) | (loud ? A_BOLD : A_NORMAL);
}

const char *
theme_glyph(enum theme_glyph g)
{
	if (g < 0 || g >= GL_COUNT)
		return "?";
	return use_utf8 ? glyphs[g].utf8 : glyphs[g].ascii;
}

int
theme_utf8(void)
{
	return use_utf8;
}

const char *
theme_spinner(unsigned tick)
{
	if (use_utf8)
		return spin_utf8[tick % (sizeof(spin_utf8) /
		    sizeof(spin_utf8[0]))];
	return spin_ascii[tick % (sizeof(spin_ascii) / sizeof(spin_ascii[0]))];
}
