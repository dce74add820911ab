/*
 * A screen's operations: a step screen's are step_view.c's on its view,
 * another screen's its own (an op it lacks does nothing).
 */
#include "screen.h"
#include "step_view.h"

int
screen_enter(struct app *a, const struct screen *s)
{
	if (s->view != NULL)
		return stepv_enter(a, s->view);
	return s->enter ? s->enter(a) : UI_REDRAW;
}

int
screen_key(struct app *a, const struct screen *s, enum action act, int ch)
{
	if (s->view != NULL)
		return stepv_key(a, s->view, act, ch);
	return s->key ? s->key(a, act, ch) : UI_PASS;
}

int
screen_event(struct app *a, const struct screen *s,
    const struct engine_event *ev)
{
	if (s->view != NULL)
		return stepv_event(a, s->view, ev);
	return s->event ? s->event(a, ev) : 0;
}

unsigned
screen_offers(const struct app *a, const struct screen *s)
{
	if (s->view != NULL)
		return stepv_offers(a, s->view);
	return s->offers ? s->offers(a) : 0;
}

void
screen_draw(const struct app *a, const struct screen *s)
{
	if (s->view != NULL)
		stepv_draw(a, s->view);
	else if (s->draw != NULL)
		s->draw(a);
}
