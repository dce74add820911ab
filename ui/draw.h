/*
 * Drawing helpers every screen shares: clipped and wrapped text by
 * display columns, rules, the frame.  Everything that reaches the
 * terminal goes through draw_text(), which is also the last line of
 * defence for untrusted text: control bytes become '?', and so do
 * non-ASCII bytes when the locale is not UTF-8.  UI thread only.
 */
#ifndef SW_UI_DRAW_H
#define SW_UI_DRAW_H

#include <stddef.h>

#include "theme.h"

/* The body: between the title row and the message and status rows. */
#define BODY_TOP	1
#define BODY_BOTTOM()	(LINES - 3)	/* last body row */

/*
 * Writes s at (y, x), at most w columns, with attribute attr.  Returns
 * the columns used.  A string cut short ends in an ellipsis.
 */
int	draw_text(int y, int x, int w, const char *s, unsigned attr);

/* Like draw_text(), then fills the rest of the w columns with blanks. */
void	draw_line(int y, int x, int w, const char *s, unsigned attr);

/* Display columns of s[0..len). */
int	draw_text_width(const char *s, size_t len);

/*
 * Wrapping: the number of bytes of s that fit in w columns, broken
 * after a space where possible; *adv gets how far to move for the next
 * line (past the break's blanks and one newline).  0 at the end.
 */
size_t	draw_wrap_next(const char *s, int w, size_t *adv);

/* Number of lines s takes wrapped to w columns (at least 1). */
int	draw_wrap_count(const char *s, int w);

/*
 * Draws s wrapped to w columns from row y, at most maxrows rows, the
 * continuation lines indented by indent.  Returns the rows used.
 */
int	draw_wrapped(int y, int x, int w, int maxrows, const char *s,
	    int indent, unsigned attr);

/* A horizontal rule across the screen at row y with a label in it. */
void	draw_rule(int y, const char *label);

/* A frame of h rows and w columns at (y, x), its inside blanked. */
void	draw_box(int y, int x, int h, int w, unsigned attr);

/* The role of a finding's severity and of a verdict. */
enum theme_role	draw_role_of_severity(int sev);
enum theme_role	draw_role_of_verdict(int verdict);

#endif
