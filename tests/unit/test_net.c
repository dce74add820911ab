/*
 * Networking with deadlines and the connection's line reader, on real
 * loopback sockets and socketpairs: every wait ends at its deadline or
 * on the cancel fd, and every read is capped.
 */
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <arpa/inet.h>

#include "link.h"
#include "net.h"
#include "tap.h"

/* Test set-up writes: a short write would be a broken test machine. */
#define PUT(fd, s, n) CHECK(write((fd), (s), (n)) == (ssize_t)(n))

/* A listening socket on 127.0.0.1 with the given backlog; *port set. */
static int
listener(int backlog, unsigned *port)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	bind(fd, (struct sockaddr *)&sin, sizeof(sin));
	listen(fd, backlog);
	getsockname(fd, (struct sockaddr *)&sin, &len);
	*port = ntohs(sin.sin_port);
	return fd;
}

static void
test_resolve(void)
{
	struct net_addr a[NET_ADDR_MAX];
	struct sw_error e = { 0 };
	size_t n = 0;

	CHECK_INT(net_resolve("127.0.0.1", 25, a, &n, &e), SW_OK);
	CHECK_INT(n, 1);
	CHECK_STR(a[0].text, "127.0.0.1");
	CHECK_INT(net_resolve("[::1]", 25, a, &n, &e), SW_OK);
	CHECK(n == 1 && strcmp(a[0].text, "::1") == 0);
	CHECK_INT(net_resolve("no-such-host.invalid", 25, a, &n, &e),
	    SW_ERESOLVE);
	CHECK(strstr(e.msg, "no-such-host.invalid") != NULL);
}

static void
test_connect_refused_and_ok(void)
{
	struct net_addr a[NET_ADDR_MAX];
	struct sw_error e = { 0 };
	unsigned port;
	size_t n;
	int lfd = listener(4, &port), fd = -1;

	net_resolve("127.0.0.1", port, a, &n, &e);
	CHECK_INT(net_connect(&a[0], net_deadline(2000), -1, &fd, &e), SW_OK);
	CHECK(fd >= 0);
	close(fd);
	close(lfd);
	sw_error_clear(&e);
	CHECK_INT(net_connect(&a[0], net_deadline(2000), -1, &fd, &e),
	    SW_ECONNECT);
	CHECK(strstr(e.msg, "refused") != NULL);
	CHECK_INT(fd, -1);
}

/*
 * A full accept queue drops SYNs, so connect() hangs: the deadline
 * must end it.
 */
static void
test_connect_timeout(void)
{
	struct net_addr a[NET_ADDR_MAX];
	struct sw_error e = { 0 };
	unsigned port;
	size_t n, i;
	int lfd = listener(0, &port), fds[8], fd = -1;
	int64_t t0;
	enum sw_err rc = SW_OK;

	net_resolve("127.0.0.1", port, a, &n, &e);
	for (i = 0; i < 8; i++)
		fds[i] = -1;
	for (i = 0; i < 8 && rc == SW_OK; i++)
		rc = net_connect(&a[0], net_deadline(300), -1, &fds[i], &e);
	t0 = net_now_ms();
	sw_error_clear(&e);
	rc = net_connect(&a[0], net_deadline(300), -1, &fd, &e);
	CHECK_INT(rc, SW_ETIMEOUT);
	CHECK(net_now_ms() - t0 < 1500);
	for (i = 0; i < 8; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	close(lfd);
}

static void
test_read_deadline_and_cancel(void)
{
	struct sw_error e = { 0 };
	char buf[16];
	size_t got;
	int sv[2], cancel[2];
	int64_t t0;

	socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv);
	CHECK(pipe(cancel) == 0);
	t0 = net_now_ms();
	CHECK_INT(net_read(sv[0], buf, sizeof(buf), &got, net_deadline(200),
	    cancel[0], &e), SW_ETIMEOUT);
	CHECK(net_now_ms() - t0 >= 190 && net_now_ms() - t0 < 1000);
	PUT(cancel[1], "x", 1);
	sw_error_clear(&e);
	t0 = net_now_ms();
	CHECK_INT(net_read(sv[0], buf, sizeof(buf), &got, net_deadline(5000),
	    cancel[0], &e), SW_ECANCEL);
	CHECK(net_now_ms() - t0 < 500);
	close(sv[1]);
	sw_error_clear(&e);
	CHECK_INT(net_read(sv[0], buf, sizeof(buf), &got, net_deadline(200),
	    -1, &e), SW_ECLOSED);
	close(sv[0]);
	close(cancel[0]);
	close(cancel[1]);
}

static void
test_lines(void)
{
	struct link c;
	struct sw_error e = { 0 };
	char line[64], big[200];
	size_t len;
	int sv[2];

	socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv);
	link_init_plain(&c, sv[0], -1);
	c.deadline = net_deadline(500);
	PUT(sv[1], "220 hello\r\n250 bare-lf\nrest", 27);
	CHECK_INT(link_read_line(&c, line, sizeof(line), &len, &e), SW_OK);
	CHECK_STR(line, "220 hello");
	CHECK_INT(len, 9);
	CHECK_INT(link_read_line(&c, line, sizeof(line), &len, &e), SW_OK);
	CHECK_STR(line, "250 bare-lf");
	CHECK_INT(link_pending(&c), 4);
	/* "rest" never ends: the deadline ends the wait. */
	CHECK_INT(link_read_line(&c, line, sizeof(line), &len, &e),
	    SW_ETIMEOUT);
	memset(big, 'A', sizeof(big));
	PUT(sv[1], big, sizeof(big));
	sw_error_clear(&e);
	c.deadline = net_deadline(500);
	CHECK_INT(link_read_line(&c, line, sizeof(line), &len, &e),
	    SW_EPROTO);
	CHECK(strstr(e.msg, "63 bytes") != NULL);
	PUT(sv[1], "\n", 1);
	close(sv[1]);
	link_discard(&c);
	sw_error_clear(&e);
	CHECK_INT(link_read_line(&c, line, sizeof(line), &len, &e), SW_OK);
	CHECK_INT(len, 0);
	CHECK_INT(link_read_line(&c, line, sizeof(line), &len, &e),
	    SW_ECLOSED);
	link_close(&c);
	link_close(&c);
	CHECK_INT(c.fd, -1);
}

int
main(void)
{
	test_resolve();
	test_connect_refused_and_ok();
	test_connect_timeout();
	test_read_deadline_and_cancel();
	test_lines();
	return tap_done();
}
