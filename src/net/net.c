/*
 * Sockets with deadlines and a cancel fd: resolve, connect, wait,
 * read, write.  poll(), not select(): no FD_SETSIZE limit.
 */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>

#include "net.h"

int64_t
net_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t
net_deadline(int64_t ms)
{
	if (ms < 0)
		ms = (int64_t)365 * 24 * 3600 * 1000;
	return net_now_ms() + ms;
}

/* Drops the brackets of "[::1]" into buf; other names are copied. */
static const char *
unbracket(const char *host, char *buf, size_t cap)
{
	size_t n = strlen(host);

	if (n >= 2 && host[0] == '[' && host[n - 1] == ']' && n - 2 < cap) {
		memcpy(buf, host + 1, n - 2);
		buf[n - 2] = '\0';
		return buf;
	}
	return host;
}

enum sw_err
net_resolve(const char *host, unsigned port, struct net_addr *out,
    size_t *count, struct sw_error *err)
{
	struct addrinfo hints, *res, *ai;
	char portstr[16], name[256];
	int rc;

	*count = 0;
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_protocol = IPPROTO_TCP;
	snprintf(portstr, sizeof(portstr), "%u", port);
	host = unbracket(host, name, sizeof(name));
	rc = getaddrinfo(host, portstr, &hints, &res);
	if (rc != 0)
		return sw_fail(err, SW_ERESOLVE, "cannot resolve %s: %s",
		    host, gai_strerror(rc));
	for (ai = res; ai != NULL && *count < NET_ADDR_MAX; ai = ai->ai_next) {
		struct net_addr *a = &out[*count];
		const void *ip;

		if (ai->ai_family != AF_INET && ai->ai_family != AF_INET6)
			continue;
		if (ai->ai_addrlen > sizeof(a->ss))
			continue;
		memcpy(&a->ss, ai->ai_addr, ai->ai_addrlen);
		a->len = ai->ai_addrlen;
		a->family = ai->ai_family;
		ip = ai->ai_family == AF_INET ?
		    (const void *)&((struct sockaddr_in *)ai->ai_addr)->sin_addr :
		    (const void *)&((struct sockaddr_in6 *)ai->ai_addr)->sin6_addr;
		inet_ntop(ai->ai_family, ip, a->text, sizeof(a->text));
		(*count)++;
	}
	freeaddrinfo(res);
	if (*count == 0)
		return sw_fail(err, SW_ERESOLVE, "%s has no IPv4 or IPv6 "
		    "address", host);
	return SW_OK;
}

static int
remaining_ms(int64_t deadline)
{
	int64_t left = deadline - net_now_ms();

	if (left <= 0)
		return 0;
	return left > 1000000000 ? 1000000000 : (int)left;
}

enum sw_err
net_wait(int fd, short events, int64_t deadline, int cancel_fd,
    struct sw_error *err)
{
	struct pollfd pfd[2];
	int n, rc;

	for (;;) {
		pfd[0].fd = fd;
		pfd[0].events = events;
		pfd[0].revents = 0;
		pfd[1].fd = cancel_fd;
		pfd[1].events = POLLIN;
		pfd[1].revents = 0;
		n = cancel_fd >= 0 ? 2 : 1;
		rc = poll(pfd, n, remaining_ms(deadline));
		if (rc < 0 && errno == EINTR)
			continue;
		if (rc < 0)
			return sw_fail(err, SW_EIO, "poll: %s",
			    strerror(errno));
		if (n == 2 && pfd[1].revents != 0)
			return sw_fail(err, SW_ECANCEL, "cancelled");
		if (rc == 0)
			return sw_fail(err, SW_ETIMEOUT, "timed out");
		/* POLLERR/POLLHUP: let the following read or write say why. */
		return SW_OK;
	}
}

enum sw_err
net_connect(const struct net_addr *addr, int64_t deadline, int cancel_fd,
    int *fdp, struct sw_error *err)
{
	socklen_t len = sizeof(int);
	int fd, soerr = 0;
	enum sw_err rc;

	*fdp = -1;
	fd = socket(addr->family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0);
	if (fd < 0)
		return sw_fail(err, SW_ECONNECT, "socket: %s", strerror(errno));
	if (connect(fd, (const struct sockaddr *)&addr->ss, addr->len) == 0)
		goto done;
	if (errno != EINPROGRESS) {
		soerr = errno;
		goto failed;
	}
	rc = net_wait(fd, POLLOUT, deadline, cancel_fd, NULL);
	if (rc == SW_ETIMEOUT) {
		close(fd);
		return sw_fail(err, rc, "no answer from %s (connect timed "
		    "out: a firewall may drop the packets)", addr->text);
	}
	if (rc != SW_OK) {
		close(fd);
		return sw_fail(err, rc, "connect to %s: %s", addr->text,
		    sw_strerror(rc));
	}
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &len) < 0)
		soerr = errno;
	if (soerr != 0)
		goto failed;
done:
	/*
	 * SMTP is one short command, then a reply: without NODELAY, Nagle
	 * plus the peer's delayed ACK stall each TLS-wrapped command by
	 * about 40 ms.
	 */
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &(int){ 1 }, sizeof(int));
	*fdp = fd;
	return SW_OK;
failed:
	close(fd);
	if (soerr == ECONNREFUSED)
		return sw_fail(err, SW_ECONNECT, "connection to %s refused: "
		    "nothing listens on that port, or a firewall rejects it",
		    addr->text);
	return sw_fail(err, SW_ECONNECT, "cannot connect to %s: %s",
	    addr->text, strerror(soerr));
}

enum sw_err
net_read(int fd, void *buf, size_t cap, size_t *got, int64_t deadline,
    int cancel_fd, struct sw_error *err)
{
	ssize_t n;
	enum sw_err rc;

	*got = 0;
	for (;;) {
		n = recv(fd, buf, cap, 0);
		if (n > 0) {
			*got = (size_t)n;
			return SW_OK;
		}
		if (n == 0)
			return sw_fail(err, SW_ECLOSED, "the server closed "
			    "the connection");
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN && errno != EWOULDBLOCK) {
			if (errno == ECONNRESET)
				return sw_fail(err, SW_EIO, "the server reset "
				    "the connection");
			return sw_fail(err, SW_EIO, "read: %s",
			    strerror(errno));
		}
		rc = net_wait(fd, POLLIN, deadline, cancel_fd, err);
		if (rc != SW_OK)
			return rc;
	}
}

enum sw_err
net_write(int fd, const void *buf, size_t len, int64_t deadline,
    int cancel_fd, struct sw_error *err)
{
	const unsigned char *p = buf;
	ssize_t n;
	enum sw_err rc;

	while (len > 0) {
		n = send(fd, p, len, MSG_NOSIGNAL);
		if (n > 0) {
			p += n;
			len -= (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
			return sw_fail(err, SW_EIO, "write: %s",
			    strerror(errno));
		rc = net_wait(fd, POLLOUT, deadline, cancel_fd, err);
		if (rc != SW_OK)
			return rc;
	}
	return SW_OK;
}
