/*
 * Fuzzes the wizard's one-line editor (ui/w_edit.c) as typing and
 * pasting drive it: the first byte is the length of the text the
 * editor opens with, taken from the input after it; the rest are keys
 * (keys-fuzz.h).  Each Enter or Esc ends an edit, and the next one
 * opens with the text the last left.  Checked after every key: the
 * text is terminated and as long as len says, the cursor within it and
 * never inside a UTF-8 sequence the editor itself built.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "keys-fuzz.h"
#include "w_field.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
check(const struct editor *ed)
{
	if (ed->len >= sizeof(ed->buf) || ed->buf[ed->len] != '\0' ||
	    memchr(ed->buf, '\0', ed->len) != NULL || ed->cur > ed->len)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct editor ed;
	char initial[256];
	size_t pos = 1, n;
	int ch;

	if (size == 0)
		return 0;
	n = data[0];
	if (n > size - 1)
		n = size - 1;
	memcpy(initial, data + 1, n);
	initial[n] = '\0';		/* a NUL inside ends it, as in C */
	pos += n;
	editor_open(&ed, "fuzz", initial, 0);
	check(&ed);
	while ((ch = fuzz_key(data, size, &pos)) >= 0) {
		if (editor_key(&ed, ch) != ED_GOING) {
			char again[sizeof(ed.buf)];

			memcpy(again, ed.buf, ed.len + 1);
			editor_open(&ed, "fuzz", again, ch == 27);
		}
		check(&ed);
	}
	return 0;
}
