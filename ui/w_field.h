/*
 * Settings shown as editable fields, and the one-line editor.  A field
 * names a mail.smtp.* key (or a wizard option) and how to change it:
 * text is typed in the editor, choices cycle with Enter or Space.
 * While the editor is open it takes every key (a host name may contain
 * "n" and "q").
 */
#ifndef SW_UI_W_FIELD_H
#define SW_UI_W_FIELD_H

#include <stddef.h>

struct app;

enum field_kind {
	FK_TEXT,	/* free text; empty removes the key */
	FK_NUMBER,	/* a number (port) */
	FK_MS,		/* milliseconds; empty: unset = wait forever */
	FK_SECRET,	/* typed hidden, never shown */
	FK_BOOL,	/* unset → true → false → unset */
	FK_MODE,	/* plain / starttls / ssl: three keys at once */
	FK_JAVA,	/* the Java profile (a wizard option) */
	FK_DISCOVER,	/* step 1: also try the usual ports */
	FK_LOAD,	/* a .properties file to load */
	FK_OPTION,	/* a wizard option (enum wiz_opt .opt): a path, an
			   address; empty clears it */
	FK_OPT_SECRET,	/* a wizard option typed hidden (store password) */
	FK_ACTION	/* a row that does something (.action) */
};

struct field {
	const char	*label;		/* "port" */
	const char	*key;		/* "mail.smtp.port"; NULL: an option */
	enum field_kind	 kind;
	const char	*hint;		/* one line; NULL: the key's own */
	const char	*unset;		/* shown when unset; NULL: default */
	int		 opt;		/* FK_OPTION*: enum wiz_opt */
	int		(*action)(struct app *);	/* FK_ACTION */
};

struct editor {
	char	buf[512];
	size_t	len, cur;		/* bytes; cur is on a char start */
	int	secret;
	char	title[80];
};

enum ed_result { ED_GOING, ED_COMMIT, ED_ABORT };


void		editor_open(struct editor *, const char *title,
		    const char *initial, int secret);
enum ed_result	editor_key(struct editor *, int ch);
/* The byte after the UTF-8 character at i (at most len). */
size_t		editor_next_char(const char *s, size_t len, size_t i);
/* Draws the editor as a prompt on row y. */
void		field_editor_draw(const struct editor *, int y);

/* The value as shown ("587", "(default 25)", "(hidden)"). */
void		field_value(const struct app *, const struct field *,
		    char *buf, size_t cap);

/* The hint line for f (its own, else the settings table's). */
void		field_hint(const struct field *, char *buf, size_t cap);

/*
 * Draws n fields as a two-column grid from row y, sel highlighted
 * (-1: none).  Returns the rows used: (n + 1) / 2.
 */
int		field_draw_grid(const struct app *, const struct field *,
		    int n, int sel, int y);

#endif
