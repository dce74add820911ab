/*
 * Fuzzes the STARTTLS sweep's line handling as its runner drives it:
 * the input is what a server sends during one probe's preamble,
 * delivered in fuzzer-sized chunks into a buffer of the runner's size
 * and read with sweep_pre_feed() (greeting, EHLO, STARTTLS); after the
 * 220 to STARTTLS, or where a TLS record was expected, the rest goes
 * through sweep_pre_smtp_line().  Checked: the stage only moves
 * forward, the buffer never grows past what was put in, a reason is
 * given for every refusal and holds no control character.  The first
 * input byte sets the chunk size.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sweep_pre.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define IN_CAP	(2 * (5 + 16384 + 2048))	/* as sweep_run.c */

static unsigned char in[IN_CAP];

static void
check_text(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	enum sweep_pre_stage stage = PRE_GREETING, before;
	enum sweep_pre_ev ev = SWP_MORE;
	struct smtp_reply reply;
	size_t chunk, pos = 0, inlen = 0, n, had;
	char why[300], line[160];

	if (size == 0)
		return 0;
	chunk = (size_t)data[0] + 1;
	data++;
	size--;
	smtp_reply_init(&reply);
	while (pos < size && (ev == SWP_MORE || ev == SWP_EHLO ||
	    ev == SWP_STARTTLS)) {
		n = size - pos < chunk ? size - pos : chunk;
		if (n > IN_CAP - inlen)
			n = IN_CAP - inlen;
		if (n == 0)
			break;		/* the runner calls this "broken" */
		memcpy(in + inlen, data + pos, n);
		inlen += n;
		pos += n;
		do {
			before = stage;
			had = inlen;
			ev = sweep_pre_feed(&stage, &reply, in, &inlen, why,
			    sizeof(why));
			if (stage < before || inlen > had)
				abort();
			if (ev == SWP_RETRY || ev == SWP_FATAL) {
				if (why[0] == '\0')
					abort();
				check_text(why);
			}
		} while (ev == SWP_EHLO || ev == SWP_STARTTLS);
	}
	if (ev == SWP_HELLO || stage == PRE_GREETING) {
		/* What came after, or instead of, the handshake's start. */
		if (sweep_pre_smtp_line(in, inlen, line, sizeof(line)) != 0)
			check_text(line);
		if (sweep_pre_smtp_line(data, size, line, sizeof(line)) != 0)
			check_text(line);
	}
	smtp_reply_free(&reply);
	return 0;
}
