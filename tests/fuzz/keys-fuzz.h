/*
 * Keys from a fuzzer's byte stream, for the wizard's key-driven models
 * (field-fuzz.c, paste-fuzz.c): every byte is that key, except 0xFF
 * (never in UTF-8), which takes the next byte as an index into the
 * curses keys the models know (arrows, Home, End, Delete, Backspace,
 * Enter, F10, the bracketed-paste markers).
 */
#ifndef SW_FUZZ_KEYS_H
#define SW_FUZZ_KEYS_H

#include <curses.h>		/* key codes only: nothing is linked */
#include <stddef.h>
#include <stdint.h>

#include "keys.h"

static const int fuzz_special[] = {
	KEY_LEFT, KEY_RIGHT, KEY_HOME, KEY_END, KEY_DC, KEY_BACKSPACE,
	KEY_ENTER, KEY_F(10), KEY_PASTE_BEGIN, KEY_PASTE_END, KEY_UP,
	KEY_DOWN, KEY_RESIZE,
};

/* The next key of data[*pos..size); -1 at the end. */
static inline int
fuzz_key(const uint8_t *data, size_t size, size_t *pos)
{
	uint8_t b;

	if (*pos >= size)
		return -1;
	b = data[(*pos)++];
	if (b != 0xff || *pos >= size)
		return b;
	b = data[(*pos)++];
	return fuzz_special[b % (sizeof(fuzz_special) /
	    sizeof(fuzz_special[0]))];
}

#endif
