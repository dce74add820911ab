/*
 * Finding and reading smtpwiz's data files: the cipher-suite registry,
 * the Java profiles, error patterns, help texts.  They live in assets/
 * of the source tree and are installed to $(PREFIX)/share/smtpwiz, so
 * the same binary finds them in both places without being told:
 *
 *   1. $SMTPWIZ_ASSETS, when set and not empty -- and then only there
 *      (tests point it at the source tree; users at their own copy);
 *   2. DIR/../assets, DIR being the directory of the running binary
 *      (/proc/self/exe): build/smtpwiz in a source tree;
 *   3. DIR/../share/smtpwiz: an installed $(PREFIX)/bin/smtpwiz;
 *   4. DIR/../../assets: variant builds of the tree (build/asan/smtpwiz,
 *      build/m3/smtpwiz);
 *   5. for assets_read() only, when 1 is not set: the copy compiled into
 *      the binary (make static: a binary copied alone to a server).
 * The source-tree places (2 and 4) count only where src/cli/main.c stands
 * beside them, so an installed /usr/bin/smtpwiz never reads a stray
 * /usr/assets.
 *
 * Asset names are relative paths with '/' ("ciphersuites.tsv",
 * "java/17.profile"); ".." and absolute names are refused.  The text
 * helpers below split the line- and tab-oriented formats the loaders
 * share.  No globals, nothing cached: every call looks again, from any
 * thread.
 */
#ifndef SW_ASSETS_H
#define SW_ASSETS_H

#include <stddef.h>

#include "err.h"

#define ASSETS_ENV		"SMTPWIZ_ASSETS"
#define ASSETS_MAX_FILE		(1024 * 1024)	/* bytes assets_read() takes */
#define ASSETS_PATH_MAX		4096

/*
 * Writes into out (cap bytes) the path of asset name, searched as
 * described above, and returns SW_OK when a regular file is there.
 * Errors: SW_EUSAGE (name empty, absolute, containing "..", or the path
 * longer than cap), SW_EASSET (not found: the message names every
 * place tried and says how to point SMTPWIZ_ASSETS at the data).
 */
enum sw_err	 assets_path(const char *name, char *out, size_t cap,
		    struct sw_error *err);

/*
 * The same search with the inputs given instead of read from the
 * process: exe is the binary's path (NULL: no steps 2 and 3), override
 * the value of $SMTPWIZ_ASSETS (NULL or "": not set).  For tests.
 * Errors: as assets_path().
 */
enum sw_err	 assets_path_from(const char *exe, const char *override,
		    const char *name, char *out, size_t cap,
		    struct sw_error *err);

/*
 * Reads asset name whole into *text (malloc'ed, NUL-terminated, the
 * caller frees it) and sets *len (the NUL not counted).  A NUL byte in
 * the file is an error: the formats are text.
 * A file found on disk wins; without one, and with SMTPWIZ_ASSETS not
 * set, the copy compiled into the binary (assets_builtin()) is read.
 * Errors: as assets_path(); SW_EASSET also for an unreadable file, one
 * larger than ASSETS_MAX_FILE or holding a NUL byte; SW_ENOMEM.
 */
enum sw_err	 assets_read(const char *name, char **text, size_t *len,
		    struct sw_error *err);

/*
 * The copy of asset name compiled into the binary (make static builds
 * one with every file of assets/; other builds none): sets *data and
 * *len (static, not NUL-terminated) and returns 1, or returns 0.
 * assets_read() falls back to it when no file is found and
 * SMTPWIZ_ASSETS is not set.  Errors: none.
 */
int		 assets_builtin(const char *name, const unsigned char **data,
		    size_t *len);

/* assets_read() for an explicit path (also used for user files).
 * Errors: SW_EFILE instead of SW_EASSET, SW_ENOMEM. */
enum sw_err	 assets_read_path(const char *path, char **text, size_t *len,
		    struct sw_error *err);

/*
 * Line iterator over a NUL-terminated text that it modifies in place:
 * returns the next line that is neither blank nor a comment (first
 * non-blank character '#'), with its end ("\n" or "\r\n") replaced by
 * NUL, and sets *lineno to its line number (from 1).  *pos starts at 0;
 * NULL at the end.
 */
char		*assets_next_line(char *text, size_t *pos, unsigned *lineno);

/*
 * Splits line in place at every tab, stores the first max fields in
 * fields[] and returns how many there are (which may exceed max: the
 * caller then reports a malformed line).  A field "-" stays "-": what
 * it means is the format's business.
 */
size_t		 assets_fields(char *line, char **fields, size_t max);

#endif
