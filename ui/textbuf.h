/*
 * Text buffers: a ring of owned lines; when it holds max lines the
 * oldest go, so a server that sends 100 000 lines cannot eat the
 * memory.  No curses (tests/unit/test_ui_model.c).
 */
#ifndef SW_UI_TEXTBUF_H
#define SW_UI_TEXTBUF_H

#include <stddef.h>

struct textbuf {
	char	**ring;
	size_t	  cap;		/* allocated slots */
	size_t	  max;		/* keep at most this many lines */
	size_t	  first;	/* index of line 0 in ring */
	size_t	  n;		/* lines held */
	size_t	  dropped;	/* lines pushed out so far */
};

void		 tb_init(struct textbuf *, size_t max);
void		 tb_clear(struct textbuf *);	/* empty, keeps max */
void		 tb_free(struct textbuf *);

/* Appends a copy of line (one line; '\n' is not special).  0 or -1. */
int		 tb_add(struct textbuf *, const char *line);
int		 tb_addf(struct textbuf *, const char *fmt, ...)
		    __attribute__((format(printf, 2, 3)));

/* Appends text split at '\n' (a final newline adds no empty line). */
int		 tb_add_text(struct textbuf *, const char *text);

size_t		 tb_count(const struct textbuf *);
const char	*tb_line(const struct textbuf *, size_t i);

/*
 * Finds query (case-insensitive) from line `from` on, forward (dir > 0)
 * or backward, wrapping round; the line's index + 1, or 0: not found.
 */
size_t		 tb_find(const struct textbuf *, const char *query,
		    size_t from, int dir);

#endif
