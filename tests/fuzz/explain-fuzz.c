/*
 * Fuzzes the error decoder with the shipped tables: explain_text() over
 * any pasted text (stack traces, logs, binary junk), and
 * explain_reply() with a code, enhanced code and text taken from the
 * input.  Every hit's excerpt must be sanitised and terminated.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "debuglog.h"
#include "assets-fuzz.h"
#include "explain.h"

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static struct explain_db *db;
static struct explain_result res;
static struct debuglog dl;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc; (void)argv;
	fuzz_explain_db(&db);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sw_error err = { 0 };
	char enh[16], *text;
	size_t i, j;

	if (explain_text(db, (const char *)data, size, &res, &err) ==
	    SW_OK) {
		if (res.n > EXPLAIN_HITS_MAX)
			abort();
		for (i = 0; i < res.n; i++) {
			const char *m = res.hits[i].match;

			if (memchr(m, 0, sizeof(res.hits[i].match)) == NULL)
				abort();
			for (j = 0; m[j]; j++)
				if ((unsigned char)m[j] < 0x20 || m[j] == 0x7f)
					abort();	/* unsanitised */
		}
	}
	/* The same text as a Java TLS debug log: strings cut, sanitised. */
	if (debuglog_parse((const char *)data, size, &dl)) {
		if (dl.last.nsuites > DEBUGLOG_SUITES_MAX ||
		    dl.last.nchain > DEBUGLOG_CHAIN_MAX ||
		    memchr(dl.last.sni, 0, sizeof(dl.last.sni)) == NULL)
			abort();
		for (i = 0; i < dl.last.nsuites; i++)
			for (j = 0; dl.last.suites[i][j]; j++)
				if ((unsigned char)dl.last.suites[i][j] < 0x20)
					abort();
	}
	if (size >= 3 && (text = malloc(size - 2)) != NULL) {
		i = size - 3 < sizeof(enh) - 1 ? size - 3 : sizeof(enh) - 1;
		memcpy(enh, data + 3, i);
		enh[i] = '\0';
		memcpy(text, data + 3, size - 3);
		text[size - 3] = '\0';
		(void)explain_reply(db, data[0] % 7 * 100 + data[1] % 100,
		    data[2] & 1 ? enh : NULL, data[2] & 2 ? text : NULL);
		free(text);
	}
	return 0;
}
