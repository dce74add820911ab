/*
 * Looks: colour pairs and glyphs, each with a fallback, in one X-macro
 * so that "no colours" (NO_COLOR, --no-color, a vt100) and "no UTF-8"
 * (LANG=C, --ascii) are a column of the table, not branches in every
 * draw function.
 */
#ifndef SW_UI_THEME_H
#define SW_UI_THEME_H

/*
 * X(name, foreground, background, attribute without colours).  The
 * colour attribute is added to A_BOLD where the role is loud.
 */
#define THEME_ROLES(X)						\
	X(ROLE_NORMAL,	-1,		-1,	A_NORMAL)		\
	X(ROLE_TITLE,	COLOR_WHITE,	COLOR_BLUE, A_REVERSE)		\
	X(ROLE_HEAD,	COLOR_CYAN,	-1,	A_BOLD)			\
	X(ROLE_SELECT,	COLOR_BLACK,	COLOR_CYAN, A_REVERSE)		\
	X(ROLE_FAIL,	COLOR_RED,	-1,	A_BOLD)			\
	X(ROLE_WARN,	COLOR_YELLOW,	-1,	A_BOLD)			\
	X(ROLE_PASS,	COLOR_GREEN,	-1,	A_NORMAL)		\
	X(ROLE_INFO,	COLOR_CYAN,	-1,	A_NORMAL)		\
	X(ROLE_DIM,	COLOR_BLUE,	-1,	A_DIM)			\
	X(ROLE_KEY,	COLOR_YELLOW,	-1,	A_BOLD)			\
	X(ROLE_EDIT,	COLOR_WHITE,	COLOR_BLACK, A_UNDERLINE)

enum theme_role {
#define THEME_ENUM(name, fg, bg, mono) name,
	THEME_ROLES(THEME_ENUM)
#undef THEME_ENUM
	ROLE_COUNT
};

/* X(name, UTF-8 text, ASCII text): every glyph is one column wide. */
#define THEME_GLYPHS(X)							\
	X(GL_HLINE,	"\xe2\x94\x80",	"-")	/* ─ */		\
	X(GL_POINTER,	"\xe2\x96\xb6",	">")	/* ▶ */		\
	X(GL_ELLIPSIS,	"\xe2\x80\xa6",	"~")	/* … */		\
	X(GL_VLINE,	"\xe2\x94\x82",	"|")	/* │ */		\
	X(GL_ULCORNER,	"\xe2\x94\x8c",	"+")	/* ┌ */		\
	X(GL_URCORNER,	"\xe2\x94\x90",	"+")	/* ┐ */		\
	X(GL_LLCORNER,	"\xe2\x94\x94",	"+")	/* └ */		\
	X(GL_LRCORNER,	"\xe2\x94\x98",	"+")	/* ┘ */		\
	X(GL_UP,	"\xe2\x96\xb2",	"^")	/* ▲ */		\
	X(GL_DOWN,	"\xe2\x96\xbc",	"v")	/* ▼ */

enum theme_glyph {
#define THEME_GENUM(name, utf8, ascii) name,
	THEME_GLYPHS(THEME_GENUM)
#undef THEME_GENUM
	GL_COUNT
};

/*
 * Picks the columns once, after initscr(): colours when the terminal
 * has them and want_color; UTF-8 glyphs when the locale's codeset is
 * UTF-8 and want_utf8.
 */
void		 theme_init(int want_color, int want_utf8);

/* The curses attribute of a role (colour pair or the mono fallback). */
unsigned	 theme_attr(enum theme_role);

/* The glyph's text in the chosen column. */
const char	*theme_glyph(enum theme_glyph);

/* 1 when glyphs are UTF-8 (server text may then keep non-ASCII). */
int		 theme_utf8(void);

/* One frame of the busy spinner; tick counts up. */
const char	*theme_spinner(unsigned tick);

#endif
