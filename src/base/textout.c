/*
 * Plain-text layout shared by the report and the step renderers.
 */
#include <string.h>

#include "textout.h"

void
textout_wrap(FILE *f, const char *first, const char *pad, const char *text,
    int breaks)
{
	size_t col = 0, width = 78 - strlen(pad);
	const char *p = text;

	fputs(first, f);
	while (*p != '\0') {
		size_t w = strcspn(p, " \n");

		if (col > 0 && col + 1 + w > width) {
			fprintf(f, "\n%s", pad);
			col = 0;
		} else if (col > 0) {
			fputc(' ', f);
			col++;
		}
		fwrite(p, 1, w, f);
		col += w;
		p += w;
		if (breaks && *p == '\n') {
			fprintf(f, "\n%s", pad);
			col = 0;
		}
		if (*p != '\0')
			p++;
	}
	fputc('\n', f);
}

void
textout_lines(FILE *f, const char *label, const char *lines)
{
	const char *p = lines;
	int first = 1;

	while (*p != '\0') {
		size_t n = strcspn(p, "\n");

		fprintf(f, "  %-12s%.*s\n", first ? label : "", (int)n, p);
		first = 0;
		p += n;
		if (*p == '\n')
			p++;
	}
}
