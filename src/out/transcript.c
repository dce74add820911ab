/*
 * Transcript lines: timestamp, direction, sanitised text, secrets out.
 */
#include <errno.h>
#include <string.h>
#include <strings.h>
#include <sys/time.h>
#include <time.h>

#include "sanitize.h"
#include "transcript.h"

/*
 * A client line that carries credentials: "AUTH PLAIN <base64>" keeps
 * the mechanism and hides the rest.  Lines we send after "AUTH LOGIN"
 * are base64 credentials; the AUTH code marks them with a leading "\1"
 * (never sent on the wire) so they can be recognised here.
 */
static size_t
redact(const char *text, size_t len, char *out, size_t cap)
{
	const char *sp;

	if (len > 0 && text[0] == '\1')
		return (size_t)snprintf(out, cap, "<credentials redacted>");
	if (len >= 5 && strncasecmp(text, "AUTH ", 5) == 0) {
		sp = memchr(text + 5, ' ', len - 5);
		if (sp != NULL)
			return (size_t)snprintf(out, cap, "%.*s <redacted>",
			    (int)(sp - text), text);
	}
	return sanitize(text, len, out, cap, 0);
}

size_t
transcript_format(const struct probe_note *n, char *buf, size_t cap)
{
	struct timeval tv;
	struct tm tm;
	char text[1024];
	const char *who;
	size_t len = n->len;

	gettimeofday(&tv, NULL);
	localtime_r(&tv.tv_sec, &tm);
	while (len > 0 && (n->text[len - 1] == '\n' ||
	    n->text[len - 1] == '\r'))
		len--;
	switch (n->kind) {
	case NOTE_SENT:
		who = "C:";
		redact(n->text, len, text, sizeof(text));
		break;
	case NOTE_RECEIVED:
		who = "S:";
		sanitize(n->text, len, text, sizeof(text), 0);
		break;
	case NOTE_TLS:
		who = "--";
		sanitize(n->text, len, text, sizeof(text), 0);
		break;
	default:
		who = "..";
		sanitize(n->text, len, text, sizeof(text), 0);
		break;
	}
	return (size_t)snprintf(buf, cap, "%02d:%02d:%02d.%03d %s %s",
	    tm.tm_hour, tm.tm_min, tm.tm_sec, (int)(tv.tv_usec / 1000), who,
	    text);
}

void
transcript_note(void *arg, const struct probe_note *n)
{
	struct transcript *t = arg;
	char line[1200];

	if (t == NULL || t->f == NULL)
		return;
	if (n->kind == NOTE_PROGRESS && !t->progress)
		return;
	transcript_format(n, line, sizeof(line));
	if ((fprintf(t->f, "%s\n", line) < 0 || fflush(t->f) != 0) &&
	    t->werr == 0)
		t->werr = errno ? errno : EIO;
}
