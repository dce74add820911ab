#!/usr/bin/python3
"""A loopback TCP proxy that makes a server on 127.0.0.1 look like one
across a WAN, or one that limits connections per client -- for `make
bench` (tests/bench/bench.py), never for timed assertions.

  delay_proxy.py --upstream PORT [--delay-ms 50] [--max-conns N]
                 [--hold-ms 500] [--port-file F] [--log F]

--delay-ms D   every chunk is delivered D ms after it was read, in each
               direction (round trip 2 D).  A new connection is forwarded
               upstream only after 2 D (the TCP handshake's round trip):
               the client's connect() returns at once on loopback, but its
               first byte (or the greeting) comes no sooner than over a
               real path -- 3 D before the greeting arrives, as with a
               SYN, SYN-ACK, ACK and a greeting that crosses once.
--max-conns N  at most N connections at once (Postfix anvil's
               smtpd_client_connection_count_limit): one more is answered
               "421 4.7.0 Too many connections" and closed (after the same
               delay).  --hold-ms H: a slot stays taken H ms after its
               connection closed, as a server that notices the close late.
--log F        one line per event: ACCEPT, LIMIT (421), CLOSE.

Single-threaded asyncio; ordering within a direction is kept.
"""

import argparse
import asyncio
import os
import sys
import time


class Proxy:
    def __init__(self, o):
        self.o = o
        self.active = 0
        self.logf = open(o.log, "a", buffering=1) if o.log else None

    def log(self, what):
        if self.logf:
            self.logf.write(f"{time.monotonic():.3f} {what}\n")

    async def pump(self, reader, writer, delay):
        """Copies reader to writer, each chunk delay seconds late."""
        q = asyncio.Queue()

        async def deliver():
            while True:
                due, data = await q.get()
                wait = due - time.monotonic()
                if wait > 0:
                    await asyncio.sleep(wait)
                if data is None:
                    break
                writer.write(data)
                try:
                    await writer.drain()
                except (ConnectionError, OSError):
                    break
            try:
                writer.close()
            except (ConnectionError, OSError):
                pass

        task = asyncio.ensure_future(deliver())
        try:
            while True:
                data = await reader.read(65536)
                q.put_nowait((time.monotonic() + delay, data or None))
                if not data:
                    break
        except (ConnectionError, OSError):
            q.put_nowait((time.monotonic() + delay, None))
        await task

    async def release(self):
        if self.o.hold_ms > 0:
            await asyncio.sleep(self.o.hold_ms / 1000)
        self.active -= 1

    async def client(self, creader, cwriter):
        d = self.o.delay_ms / 1000
        if self.o.max_conns and self.active >= self.o.max_conns:
            self.log("LIMIT")
            await asyncio.sleep(3 * d)
            try:
                cwriter.write(b"421 4.7.0 Too many connections, try again "
                              b"later\r\n")
                await cwriter.drain()
                cwriter.close()
            except (ConnectionError, OSError):
                pass
            return
        self.active += 1
        self.log("ACCEPT")
        try:
            await asyncio.sleep(2 * d)
            try:
                ureader, uwriter = await asyncio.open_connection(
                    "127.0.0.1", self.o.upstream)
            except OSError:
                cwriter.close()
                return
            await asyncio.gather(self.pump(creader, uwriter, d),
                                 self.pump(ureader, cwriter, d))
        finally:
            self.log("CLOSE")
            asyncio.ensure_future(self.release())

    async def main(self):
        srv = await asyncio.start_server(self.client, "127.0.0.1", self.o.port,
                                         backlog=256)
        port = srv.sockets[0].getsockname()[1]
        if self.o.port_file:
            tmp = self.o.port_file + ".tmp"
            with open(tmp, "w") as f:
                f.write(f"{port}\n")
            os.rename(tmp, self.o.port_file)
        async with srv:
            await srv.serve_forever()


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--upstream", type=int, required=True)
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--port-file")
    p.add_argument("--delay-ms", type=float, default=50.0)
    p.add_argument("--max-conns", type=int, default=0)
    p.add_argument("--hold-ms", type=float, default=0.0)
    p.add_argument("--log")
    o = p.parse_args()
    try:
        asyncio.run(Proxy(o).main())
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
