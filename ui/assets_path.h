/*
 * Where the data files are.  The binary runs from the source tree as
 * build/smtpwiz (assets in ../assets next to build/) or installed
 * (assets in $(PREFIX)/share/smtpwiz).  A stop-gap for the UI's help
 * texts until the engine has its own asset loader.
 */
#ifndef SW_UI_ASSETS_PATH_H
#define SW_UI_ASSETS_PATH_H

#include <stddef.h>

/*
 * Reads the asset name ("help/step1.txt"), at most max bytes, into a
 * malloc'ed NUL-terminated string.  NULL when no directory has it;
 * where (cap > 0) then lists the places looked at.
 */
char	*assets_read(const char *name, size_t max, char *where, size_t cap);

#endif
