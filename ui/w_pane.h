/*
 * Panes: lines of a textbuf drawn in a band of rows, cut or wrapped,
 * and the scrolling that goes with wrapped lines (step data, result).
 */
#ifndef SW_UI_W_PANE_H
#define SW_UI_W_PANE_H

#include <stddef.h>

#include "textbuf.h"

/* Draws lines of tb from top in rows y0..y1 (a plain pane). */
void		 pane_draw(const struct textbuf *, size_t top, int y0, int y1,
		    int left);

/*
 * The same, long lines wrapped with a hanging indent instead of cut
 * (step data: fingerprints, issuer names).  Scrolling stays by lines.
 */
void		 pane_draw_wrapped(const struct textbuf *, size_t top, int y0,
		    int y1);

/* The lowest top from which the rest of tb fills at most rows rows. */
size_t		 pane_last_top(const struct textbuf *, int rows);

/*
 * The top one page of rows (wrapped) further down (dir > 0) or up from
 * top: a line that wraps is never skipped by Page Down.
 */
size_t		 pane_page(const struct textbuf *, size_t top, int rows,
		    int dir);

#endif
