/*
 * The frame around every screen: the title row with the wizard's
 * screens as a breadcrumb, the key line generated from the key table,
 * and the notice shown instead of everything when the terminal is too
 * small.  Draw functions: UI thread, curses.
 */
#ifndef SW_UI_W_STATUS_H
#define SW_UI_W_STATUS_H

#include <stddef.h>

#include "screen.h"

/* Row 0: "smtpwiz" and the screens, the current one marked. */
void	status_title(const struct app *, const struct screen *const *list,
	    size_t n);

/*
 * The last row: the keys the screen offers now (its offers()), then the
 * global ones, each "key label", from the key table; q quit always
 * fits.  An open editor or viewer shows its own keys instead.
 */
void	status_keys(const struct app *, const struct screen *);

/* Instead of everything: the size needed, politely. */
void	status_too_small(int min_cols, int min_lines);

#endif
