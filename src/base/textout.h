/*
 * Plain-text layout for the batch report and the step renderers: word
 * wrapping and labelled multi-line values, in the report's columns
 * ("  label       value", the value at column 14, lines up to 78).
 */
#ifndef SW_TEXTOUT_H
#define SW_TEXTOUT_H

#include <stdio.h>

/*
 * Prints text word-wrapped at 78 columns: the first line after first,
 * the others after pad, whose length sets the width.  With breaks, a
 * '\n' in text starts a new line; without, it separates words like a
 * space.  Always ends with a newline.
 */
void	textout_wrap(FILE *, const char *first, const char *pad,
	    const char *text, int breaks);

/*
 * Prints each line of lines as "  label       line", the label on the
 * first line only; nothing when lines is empty.
 */
void	textout_lines(FILE *, const char *label, const char *lines);

#endif
