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
	/* The fields to show now (into *n of them), when they depend on
	 * the settings; NULL: fields and nfields. */
	const struct field	*(*shown)(const struct app *, int *n);
	/* Fills the data view from a result (the step's typed data). */
	void			(*data)(const struct step_result *,
				    struct textbuf *);
	/* s on this step (step 2: save the chain); NULL: none. */
	int			(*save)(struct app *);
	/* Called after stepv_event() with every event; NULL: none. */
	void			(*after_event)(struct app *,
				    const struct engine_event *);
};

int		stepv_enter(struct app *, const struct step_view *);
int		stepv_key(struct app *, const struct step_view *,
		    enum action, int ch);
int		stepv_event(struct app *, const struct step_view *,
		    const struct engine_event *);
unsigned	stepv_offers(const struct app *, const struct step_view *);
void		stepv_draw(const struct app *, const struct step_view *);

/*
 * step_finding.c: Enter on finding f opens it in a view with the step's
 * data; y copies its command (the text after its first line break) or
 * its fix.  f NULL: a message says to select one.  UI_* reactions.
 */
int		finding_open(struct app *, const struct finding *f,
		    const struct textbuf *data);
int		finding_copy(struct app *, const struct finding *f);

/* The data view of a result with no typed data: verdict and reason. */
void		stepv_data_generic(const struct step_result *,
		    struct textbuf *);

/* Field rows steps 3 and 4 share: the Java runtime and its
 * java.security file. */
#define STEPV_FIELD_JAVA_TLS						\
	{ .label = "Java",	.kind = FK_JAVA,			\
	  .hint = "the Java runtime the application runs on: its defaults " \
	      "decide what it may negotiate" }
#define STEPV_FIELD_JAVA_SECURITY					\
	{ .label = "java.sec",	.kind = FK_OPTION, .opt = OPT_JAVA_SECURITY, \
	  .unset = "(the profile's)",					\
	  .hint = "the runtime's java.security file: its "		\
	      "jdk.tls.disabledAlgorithms decides what Java may use" }

#endif
