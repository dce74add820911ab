/*
 * The transcript: every line of the SMTP dialogue in both directions
 * and one line per TLS handshake, timestamped, with server text
 * sanitised.  Batch mode writes it to --log FILE; the TUI keeps it for
 * its viewer.  Lines are written as they happen, so a hang still leaves
 * the dialogue up to the hang in the file.
 */
#ifndef SW_TRANSCRIPT_H
#define SW_TRANSCRIPT_H

#include <stdio.h>

#include "probe.h"

struct transcript {
	FILE	*f;
	int	 progress;	/* also write progress lines */
	int	 werr;		/* errno of the first failed write; 0 */
};

/*
 * A probe_env note callback: arg is a struct transcript.  Formats one
 * note as "HH:MM:SS.mmm S: text" (S server, C client, TLS, ..) into
 * buf; redacts what must never be stored (AUTH payloads).  A failed
 * write or flush is remembered in werr (the caller reports it).
 */
void	transcript_note(void *arg, const struct probe_note *);

/* The same formatting into a buffer (for the TUI); returns length. */
size_t	transcript_format(const struct probe_note *, char *buf, size_t cap);

#endif
