/*
 * What the five step screens share: the settings the step decides (as
 * fields), the probe's status line, the findings with their fixes, and
 * a data view.  Each scr_*.c file describes its step in a struct
 * step_view and wraps these functions in its ops table.
 */
#ifndef SW_UI_STEP_VIEW_H
#define SW_UI_STEP_VIEW_H

#include "screen.h"

struct step_view {
	enum step		 step;
	const struct field	*fields;
	int			 nfields;
	/* Fills the data view from a result (the step's typed data). */
	void			(*data)(const struct step_result *,
				    struct textbuf *);
};

int		stepv_enter(struct app *, const struct step_view *);
int		stepv_key(struct app *, const struct step_view *,
		    enum action, int ch);
int		stepv_event(struct app *, const struct step_view *,
		    const struct engine_event *);
unsigned	stepv_offers(const struct app *, const struct step_view *);
void		stepv_draw(const struct app *, const struct step_view *);

/* The data view of a result with no typed data: verdict and reason. */
void		stepv_data_generic(const struct step_result *,
		    struct textbuf *);

#endif
