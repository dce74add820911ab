/*
 * Fuzzes the SMTP reply path as the network drives it: the input is
 * what a server sends, delivered through a fake transport in chunks of
 * fuzzer-chosen sizes, read with link_read_line() and assembled with
 * smtp_read_reply() / smtp_reply_feed(); every complete reply is then
 * taken apart as the probes do (smtp_reply_line(), smtp_caps_parse(),
 * sanitize()).  The first input byte sets the chunk size.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "link.h"
#include "sanitize.h"
#include "smtp.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

struct feed {
	const uint8_t	*data;
	size_t		 len, pos, chunk;
};

static struct feed feed;

static enum sw_err
feed_read(struct link *c, void *buf, size_t cap, size_t *got,
    struct sw_error *err)
{
	size_t n = feed.len - feed.pos;

	(void)c;
	if (n == 0)
		return sw_fail(err, SW_ECLOSED, "end of input");
	if (n > feed.chunk)
		n = feed.chunk;
	if (n > cap)
		n = cap;
	memcpy(buf, feed.data + feed.pos, n);
	feed.pos += n;
	*got = n;
	return SW_OK;
}

static enum sw_err
feed_write(struct link *c, const void *buf, size_t len, struct sw_error *err)
{
	(void)c; (void)buf; (void)len; (void)err;
	return SW_OK;
}

static void
feed_close(struct link *c)
{
	(void)c;
}

static const struct link_ops feed_ops = {
	.name = "fuzz",
	.read = feed_read,
	.write = feed_write,
	.close = feed_close,
};

static void
take_apart(const struct smtp_reply *r)
{
	struct smtp_caps caps;
	char tmp[512];
	const char *line;
	size_t i, len;

	for (i = 0; (line = smtp_reply_line(r, i, &len)) != NULL; i++)
		sanitize(line, len, tmp, sizeof(tmp), 0);
	if (r->code == 250)
		smtp_caps_parse(r, &caps);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct link c;
	struct smtp_reply r;
	struct sw_error err = { 0 };
	int replies = 0;

	if (size < 1)
		return 0;
	memset(&c, 0, sizeof(c));
	c.ops = &feed_ops;
	c.fd = -1;
	c.cancel_fd = -1;
	feed.data = data + 1;
	feed.len = size - 1;
	feed.pos = 0;
	feed.chunk = data[0] == 0 ? 4096 : data[0];
	smtp_reply_init(&r);
	/* As many replies as there are: a greeting, EHLO, ... */
	while (replies++ < 64) {
		sw_error_clear(&err);
		if (smtp_read_reply(&c, &r, &err) != SW_OK)
			break;
		take_apart(&r);
	}
	smtp_reply_free(&r);

	/* The pure assembler on its own: lines split at LF, any bytes. */
	{
		const uint8_t *p = data + 1, *end = data + size, *nl;

		smtp_reply_init(&r);
		while (p < end) {
			nl = memchr(p, '\n', (size_t)(end - p));
			if (nl == NULL)
				nl = end;
			if (smtp_reply_feed(&r, (const char *)p,
			    (size_t)(nl - p), &err) != SW_OK) {
				smtp_reply_free(&r);
			} else if (r.done) {
				take_apart(&r);
				smtp_reply_free(&r);
			}
			p = nl + 1;
		}
		take_apart(&r);
		smtp_reply_free(&r);
	}
	link_close(&c);
	return 0;
}
