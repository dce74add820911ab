/*
 * The wizard's dialogs over a screen: yes/no questions (dlg_confirm.c)
 * and the error decoder (dlg_explain.c).
 */
#ifndef SW_UI_DLG_H
#define SW_UI_DLG_H

#include "app.h"

/* dlg_confirm.c: yes/no questions. */
void		confirm_ask(struct app *, unsigned what);
void		confirm_next(struct app *);
int		confirm_key(struct app *, int ch);
void		confirm_draw(const struct app *);
void		confirm_after_auth(struct app *, const struct step_result *);
int		confirm_optin(struct app *, const struct finding *);
/* 1: path may be written (absent, or y said: moved to path.bak). */
int		confirm_may_write(struct app *, enum edit_purpose,
		    const char *path);

/* dlg_explain.c: paste an error, see it decoded, jump to its step. */
int		dlg_explain_open(struct app *);
int		dlg_explain_key(struct app *, int ch);
void		dlg_explain_draw(const struct app *);
const char	*dlg_explain_keys(const struct app *);	/* status line */
void		dlg_explain_free(struct app *);

#endif
