/*
 * What the two halves of the error decoder share: explain_db.c builds
 * the database from the asset files, explain.c searches text and
 * replies with it.  An entry keeps, behind its public part, what it
 * takes to match it.  Not part of the engine API: callers include
 * explain.h.
 */
#ifndef SW_EXPLAIN_INT_H
#define SW_EXPLAIN_INT_H

#include <regex.h>
#include <stddef.h>

#include "explain.h"
#include "replycode.h"

#define NMATCH_MAX	16
#define NREPLY_MAX	8
#define NTEXT_MAX	16

struct xmatch {
	char		*lit;		/* lower case; NULL: re */
	size_t		 len;
	regex_t		 re;
};

/* An entry with what it takes to match it; pub must stay first. */
struct xentry {
	struct explain_entry	 pub;
	size_t			 nmatch;
	struct xmatch		 match[NMATCH_MAX];
	size_t			 nreply;
	struct replycode_pat	 reply[NREPLY_MAX];
	size_t			 ntext;
	char			*text[NTEXT_MAX];	/* lower case */
	char			*own[8];	/* strings to free */
	size_t			 nown;
};

/* One line of the enhanced code registry. */
struct xenh {
	int		 cls, subj, detail;	/* -1: "X" */
	char		*text;
	char		*ref;			/* may be NULL */
};

struct explain_db {
	struct xentry	**v;
	size_t		  n, cap;
	struct xenh	 *enh;
	size_t		  nenh, enhcap;
	char		**names;	/* file names entries point to */
	size_t		  nnames;
};

#endif
