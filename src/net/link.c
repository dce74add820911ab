/*
 * The connection: plain transport ops, buffered line reading, the
 * transcript hook.
 */
#include <string.h>
#include <unistd.h>

#include "link.h"
#include "net.h"

static enum sw_err
plain_read(struct link *c, void *buf, size_t cap, size_t *got,
    struct sw_error *err)
{
	return net_read(c->fd, buf, cap, got, c->deadline, c->cancel_fd, err);
}

static enum sw_err
plain_write(struct link *c, const void *buf, size_t len,
    struct sw_error *err)
{
	return net_write(c->fd, buf, len, c->deadline, c->cancel_fd, err);
}

static void
plain_close(struct link *c)
{
	(void)c;
}

static const struct link_ops plain_ops = {
	.name = "plain",
	.read = plain_read,
	.write = plain_write,
	.close = plain_close,
};

void
link_init_plain(struct link *c, int fd, int cancel_fd)
{
	memset(c, 0, sizeof(*c));
	c->ops = &plain_ops;
	c->fd = fd;
	c->cancel_fd = cancel_fd;
	c->deadline = net_deadline(-1);
}

enum sw_err
link_read(struct link *c, void *buf, size_t cap, size_t *got,
    struct sw_error *err)
{
	enum sw_err rc;

	if (c->rlen > c->rpos) {
		size_t n = c->rlen - c->rpos;

		if (n > cap)
			n = cap;
		memcpy(buf, c->rbuf + c->rpos, n);
		c->rpos += n;
		*got = n;
		return SW_OK;
	}
	rc = c->ops->read(c, buf, cap, got, err);
	if (rc == SW_OK)
		c->bytes_in += *got;
	return rc;
}

enum sw_err
link_write(struct link *c, const void *buf, size_t len, struct sw_error *err)
{
	enum sw_err rc;

	rc = c->ops->write(c, buf, len, err);
	if (rc == SW_OK) {
		c->bytes_out += len;
		if (c->log != NULL)
			c->log(c->log_arg, LINK_OUT, buf, len);
	}
	return rc;
}

/* Refills rbuf when it is empty. */
static enum sw_err
fill(struct link *c, struct sw_error *err)
{
	size_t got;
	enum sw_err rc;

	c->rpos = c->rlen = 0;
	rc = c->ops->read(c, c->rbuf, sizeof(c->rbuf), &got, err);
	if (rc != SW_OK)
		return rc;
	c->bytes_in += got;
	c->rlen = got;
	return SW_OK;
}

enum sw_err
link_read_line(struct link *c, char *line, size_t cap, size_t *len,
    struct sw_error *err)
{
	struct sw_error e = { 0 };
	size_t n = 0;
	enum sw_err rc;

	for (;;) {
		unsigned char ch;

		if (c->rpos == c->rlen && (rc = fill(c, &e)) != SW_OK) {
			*len = 0;
			/* Say that a line was cut: a tarpit, or no CRLF ever. */
			if (n > 0 && rc != SW_ECANCEL)
				return sw_fail(err, rc, "%s in the middle of a "
				    "line (%zu bytes without a line end)",
				    sw_error_text(&e), n);
			return sw_fail(err, rc, "%s", sw_error_text(&e));
		}
		ch = c->rbuf[c->rpos++];
		if (ch == '\n')
			break;
		if (n + 1 >= cap) {
			*len = 0;
			return sw_fail(err, SW_EPROTO, "the server sent a line "
			    "longer than %zu bytes", cap - 1);
		}
		line[n++] = (char)ch;
	}
	if (n > 0 && line[n - 1] == '\r')
		n--;
	line[n] = '\0';
	*len = n;
	if (c->log != NULL)
		c->log(c->log_arg, LINK_IN, line, n);
	return SW_OK;
}

size_t
link_pending(const struct link *c)
{
	return c->rlen - c->rpos;
}

void
link_discard(struct link *c)
{
	c->rpos = c->rlen = 0;
}

void
link_note(struct link *c, const char *text)
{
	if (c->log != NULL)
		c->log(c->log_arg, LINK_NOTE, text, strlen(text));
}

void
link_close(struct link *c)
{
	if (c->ops != NULL)
		c->ops->close(c);
	c->ops = NULL;
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
}
