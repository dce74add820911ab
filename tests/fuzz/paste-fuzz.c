/*
 * Fuzzes the error decoder's paste area (ui/paste_buf.c) as the wizard
 * feeds it: the input is keys (keys-fuzz.h) -- typed lines, bracketed
 * pastes, Backspace, Ctrl-U -- and every decode (the paste's end,
 * Ctrl-D, F10) runs the shipped decoder over the text, as the dialog
 * does, and takes the last lines as the dialog draws them.  Checked:
 * the text is terminated, the line count is the number of newlines,
 * and the lines drawn stay within the text.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "assets-fuzz.h"
#include "explain.h"
#include "keys-fuzz.h"
#include "paste_buf.h"

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static struct explain_db *db;
static struct explain_result res;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc; (void)argv;
	fuzz_explain_db(&db);
	return 0;
}

static void
decode(const struct paste_buf *x, int rows)
{
	struct sw_error err = { 0 };
	size_t start[64], i, nl = 0;
	char line[400];
	int n, k;

	if (x->text == NULL) {
		if (x->len != 0)
			abort();
		return;
	}
	if (x->text[x->len] != '\0' || x->len >= PASTE_MAX)
		abort();
	for (i = 0; i < x->len; i++)
		nl += x->text[i] == '\n';
	if (nl != x->lines)
		abort();
	(void)explain_text(db, x->text, x->len, &res, &err);
	n = x->len > 0 ? paste_buf_last_lines(x, start, rows) : 0;
	for (k = 0; k < n; k++) {
		if (start[k] > x->len || (k > 0 && start[k] <= start[k - 1]))
			abort();
		paste_buf_line(x, start[k], line, sizeof(line));
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct paste_buf x;
	size_t pos = 1;
	int ch, rows;

	if (size == 0)
		return 0;
	rows = data[0] % 64 + 1;
	memset(&x, 0, sizeof(x));
	while ((ch = fuzz_key(data, size, &pos)) >= 0)
		if (paste_buf_key(&x, ch) == PASTE_DECODE)
			decode(&x, rows);
	decode(&x, rows);
	paste_buf_free(&x);
	return 0;
}
