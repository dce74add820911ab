/*
 * Networking with deadlines.  Every wait in smtpwiz goes through here:
 * a connect, a read or a write never blocks past its deadline (an
 * absolute time from net_now_ms()), and returns SW_ECANCEL promptly
 * when cancel_fd becomes readable (-1: no cancel fd).  Sockets are
 * non-blocking from creation on.
 */
#ifndef SW_NET_H
#define SW_NET_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "err.h"

#define NET_ADDR_MAX	16	/* addresses kept from one resolution */

struct net_addr {
	struct sockaddr_storage	ss;
	socklen_t		len;
	int			family;		/* AF_INET or AF_INET6 */
	char			text[64];	/* "127.0.0.1" or "::1" */
};

/* Monotonic clock in milliseconds. */
int64_t		net_now_ms(void);

/* Deadline "ms from now"; a negative ms gives a deadline far away. */
int64_t		net_deadline(int64_t ms);

/*
 * Resolves host (a name or an IPv4/IPv6 literal, optionally in
 * brackets) into at most NET_ADDR_MAX addresses for port, IPv6 and IPv4
 * alike, in the resolver's order.  Blocks in getaddrinfo(): call it
 * from a worker thread, never from the UI thread.
 * Errors: SW_ERESOLVE.
 */
enum sw_err	net_resolve(const char *host, unsigned port,
		    struct net_addr *out, size_t *count, struct sw_error *);

/*
 * Connects a new non-blocking TCP socket to addr.  On success *fd is
 * the connected socket, owned by the caller.
 * Errors: SW_ECONNECT (refused, unreachable; message says which),
 * SW_ETIMEOUT, SW_ECANCEL.
 */
enum sw_err	net_connect(const struct net_addr *addr, int64_t deadline,
		    int cancel_fd, int *fd, struct sw_error *);

/*
 * Waits until fd is ready for events (POLLIN/POLLOUT).
 * Errors: SW_ETIMEOUT, SW_ECANCEL, SW_EIO.
 */
enum sw_err	net_wait(int fd, short events, int64_t deadline,
		    int cancel_fd, struct sw_error *);

/*
 * Reads at most cap bytes, waiting for at least one.  *got is the
 * number read.
 * Errors: SW_ECLOSED (orderly EOF), SW_EIO (reset), SW_ETIMEOUT,
 * SW_ECANCEL.
 */
enum sw_err	net_read(int fd, void *buf, size_t cap, size_t *got,
		    int64_t deadline, int cancel_fd, struct sw_error *);

/* Writes all len bytes.  Errors: SW_EIO, SW_ETIMEOUT, SW_ECANCEL. */
enum sw_err	net_write(int fd, const void *buf, size_t len,
		    int64_t deadline, int cancel_fd, struct sw_error *);

#endif
