/*
 * What confirm.c and confirm_jar.c share; not part of the engine API.
 */
#ifndef SW_CONFIRM_INT_H
#define SW_CONFIRM_INT_H

#include "confirm.h"

struct jarset {
	char		 cp[1024];	/* the jars, ':'-joined */
	int		 nmail;		/* mail jars among them */
	int		 javax, jakarta; /* which APIs they look like */
	const char	*api;		/* "javax" or "jakarta" */
	char		 source[64];	/* where they were found */
};

/* Fills js (see confirm.h for the order); 0 when no mail jar. */
int	confirm_find_jars(struct jarset *js, const char *mail_jar,
	    const struct javart *rt, enum mail_lib lib);

#endif
