/*
 * The shipped decoder tables for the fuzz targets that decode
 * (explain-fuzz.c, paste-fuzz.c): from SMTPWIZ_ASSETS, else the tree's
 * assets/ (FUZZ_ASSETS, set by fuzz.mk).  A table that does not load
 * stops the run: the fuzzer would test nothing.
 */
#ifndef SW_FUZZ_ASSETS_H
#define SW_FUZZ_ASSETS_H

#include <stdlib.h>

#include "explain.h"

#ifndef FUZZ_ASSETS
#define FUZZ_ASSETS "assets"
#endif

static inline void
fuzz_explain_db(struct explain_db **db)
{
	struct sw_error err = { 0 };
	const char *dir = getenv("SMTPWIZ_ASSETS");

	if (explain_db_load(db, dir && *dir ? dir : FUZZ_ASSETS, &err) !=
	    SW_OK)
		abort();
}

#endif
