/*
 * Error codes and the first-message-wins error buffer.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "err.h"

static const char *const sw_err_text[] = {
#define SW_ERR_TEXT(code, text) text,
	SW_ERRORS(SW_ERR_TEXT)
#undef SW_ERR_TEXT
};

const char *
sw_strerror(enum sw_err code)
{
	if ((unsigned)code >= SW_ERR_COUNT)
		return "unknown error";
	return sw_err_text[code];
}

enum sw_err
sw_fail(struct sw_error *err, enum sw_err code, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL || err->code != SW_OK)
		return code;
	err->code = code;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return code;
}

void
sw_error_clear(struct sw_error *err)
{
	if (err == NULL)
		return;
	err->code = SW_OK;
	err->msg[0] = '\0';
}

const char *
sw_error_text(const struct sw_error *err)
{
	if (err->msg[0] != '\0')
		return err->msg;
	return sw_strerror(err->code);
}
