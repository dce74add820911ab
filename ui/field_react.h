/*
 * What a key on a field asks for, as data: field_react.c decides, the
 * app applies (app_field_apply).  No curses and no app here, so the
 * unit test drives it (tests/unit/test_ui_model.c) and w_field.c does
 * not call back into app.c.
 */
#ifndef SW_UI_FIELD_REACT_H
#define SW_UI_FIELD_REACT_H

#include "probe.h"		/* enum smtp_mode, settings_mode() */
#include "settings.h"
#include "w_field.h"

enum field_react_kind {
	FR_NONE,	/* nothing changes (an empty secret keeps the old) */
	FR_SET,		/* .key = .value (NULL removes the key) */
	FR_MODE,	/* the connection type becomes .mode */
	FR_OPT,		/* wizard option .opt = .value (NULL clears it) */
	FR_LOAD,	/* load the .properties file .value */
	FR_EDIT,	/* open the editor on the field (.secret: hidden) */
	FR_JAVA,	/* the next Java runtime or profile */
	FR_DISCOVER,	/* step 1's "also try the usual ports" toggles */
	FR_ACTION	/* run the field's .action */
};

struct field_reaction {
	enum field_react_kind	 kind;
	const char		*key;	/* FR_SET */
	const char		*value;	/* FR_SET, FR_OPT, FR_LOAD; borrowed */
	int			 opt;	/* FR_OPT: enum wiz_opt */
	enum smtp_mode		 mode;	/* FR_MODE */
	int			 secret;	/* FR_EDIT */
};

/* Enter/Space on f, with the settings as they are. */
struct field_reaction	field_react_activate(const struct field *,
			    const struct settings *);
/* The editor's text committed on f (text is borrowed by .value). */
struct field_reaction	field_react_commit(const struct field *,
			    const char *text);

#endif
