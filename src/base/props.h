/*
 * Java .properties files: an ordered list of key/value pairs, a reader
 * with the rules of java.util.Properties.load() and a writer with the
 * escapes of Properties.store(), plus an atomic, mode-preserving file
 * write for the result.
 *
 * Keys and values are NUL-terminated UTF-8 strings.  The reader takes
 * UTF-8 bytes as they are (Java 8 would read them as ISO-8859-1; users
 * write UTF-8 today) and turns \uXXXX escapes into UTF-8, surrogate
 * pairs combined.  The writer emits pure ASCII: everything outside
 * 0x20-0x7e becomes \uXXXX, so the file means the same to every Java
 * version whatever encoding it reads with.
 *
 * A key set twice keeps its first position and takes the later value
 * (what Java's load() does to the value; Java's Properties has no
 * order).  Deliberate differences from Java: a NUL byte, \u0000 and a
 * lone surrogate are errors (Java would carry them; no mail setting
 * needs them), and the sizes below are limits.
 *
 * No globals: a struct props belongs to one thread at a time.
 */
#ifndef SW_PROPS_H
#define SW_PROPS_H

#include <stddef.h>
#include <sys/types.h>

#include "err.h"

#define PROPS_MAX_KEYS	4096		/* distinct keys in a list */
#define PROPS_MAX_KEY	4096		/* bytes of one key */
#define PROPS_MAX_VALUE	65536		/* bytes of one value */
#define PROPS_MAX_FILE	(1024 * 1024)	/* props_load_file() limit */

struct props;

/* A new empty list, or NULL when out of memory.  Free with props_free(). */
struct props	*props_new(void);

/* Frees p and every string in it.  p may be NULL. */
void		 props_free(struct props *p);

/* Number of pairs. */
size_t		 props_count(const struct props *p);

/*
 * The key, value, and source line of pair i (0 <= i < props_count(),
 * in insertion order).  The strings belong to p and stay valid until
 * the pair is changed or removed.  props_line() is the line the value
 * in effect was read from (0 when it came from props_set());
 * props_first_line() is the line of an earlier definition of the same
 * key that a later one overrode, 0 when there was none.
 */
const char	*props_key(const struct props *p, size_t i);
const char	*props_value(const struct props *p, size_t i);
unsigned	 props_line(const struct props *p, size_t i);
unsigned	 props_first_line(const struct props *p, size_t i);

/* The value of key (exact, case-sensitive match), or NULL. */
const char	*props_get(const struct props *p, const char *key);

/*
 * Sets key to value (both copied).  A new key goes to the end; an
 * existing key keeps its position.  Both may be empty.
 * Errors: SW_EUSAGE (key longer than PROPS_MAX_KEY, value longer than
 * PROPS_MAX_VALUE, more than PROPS_MAX_KEYS keys), SW_ENOMEM.
 */
enum sw_err	 props_set(struct props *p, const char *key,
		    const char *value, struct sw_error *err);

/* Removes key; returns 1 when it was there, 0 otherwise. */
int		 props_unset(struct props *p, const char *key);

/*
 * Reads .properties text (len bytes, need not be NUL-terminated) and
 * adds its pairs to p as Properties.load() would, with their line
 * numbers.  name is used in messages ("NAME:LINE: ...").  All or
 * nothing: on error p is unchanged.
 * Errors: SW_EFILE (malformed \uXXXX, lone surrogate, \u0000 or NUL
 * byte, key or value too long, too many keys -- message names the
 * line), SW_ENOMEM.
 */
enum sw_err	 props_parse(struct props *p, const char *text, size_t len,
		    const char *name, struct sw_error *err);

/*
 * Reads the file at path (at most PROPS_MAX_FILE bytes) with
 * props_parse().  All or nothing, as props_parse().
 * Errors: SW_EFILE (missing, unreadable, a directory, too big, or a
 * syntax error; the message names the path), SW_ENOMEM.
 */
enum sw_err	 props_load_file(struct props *p, const char *path,
		    struct sw_error *err);

/*
 * Returns the comment to write above key's line, or NULL for none.
 * The text may hold several lines; each is written as "# line".
 */
typedef const char *(*props_comment_fn)(void *arg, const char *key,
		    const char *value);

/*
 * Renders p as .properties text into *out (NUL-terminated, malloc'ed,
 * the caller frees it): header (may be NULL) as "# " lines and a blank
 * line, then per pair its comment from comment_fn (may be NULL) and
 * "key=value".  Escapes as store() does: backslash, \t \n \r \f,
 * every space in keys and a leading space in values, = : # ! in keys
 * (values keep them: they are unambiguous there and easier to read),
 * and every character outside 0x20-0x7e as \uXXXX; bytes that are not
 * valid UTF-8 are taken as ISO-8859-1, as Java 8 read them.  Lines end
 * in "\n"; no date line (output is reproducible).
 * Errors: SW_ENOMEM.
 */
enum sw_err	 props_format(const struct props *p, const char *header,
		    props_comment_fn comment_fn, void *arg, char **out,
		    struct sw_error *err);

/*
 * Replaces the file at path with len bytes of text, atomically: a
 * temporary file in the same directory, set to mode (exactly; the
 * umask does not apply; use 0600 when it may hold a password) before
 * anything is written, written, fsync'ed, renamed over path, then the
 * directory fsync'ed (best effort: the file is in place by then).  A
 * symlink at path is followed, unless it sits in a sticky directory
 * others can write to and belongs neither to us nor to the directory's
 * owner (the rule of fs.protected_symlinks).  Only a regular file is
 * replaced: a device, FIFO, socket or directory at path (or at the
 * link's end) is refused.  On failure the old file is untouched and
 * the temporary file is removed.
 * Errors: SW_EFILE (the message names path and the system's reason).
 */
enum sw_err	 props_write_file(const char *path, const char *text,
		    size_t len, mode_t mode, struct sw_error *err);

#endif
