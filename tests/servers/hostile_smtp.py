#!/usr/bin/python3
"""hostile_smtp.py -- a loopback server that misbehaves on purpose.

Where fixture_smtp.py is a well-behaved SMTP server with knobs, this one
is a small collection of servers that break the protocol, each chosen
with --behaviour NAME, so that a test can assert that smtpwiz ends with
a clear, specific message within a bounded time -- and never hangs,
crashes, or lets server bytes reach the terminal.  Standard library
only; the TUI tests use the same behaviours (tests/lib/hostile.py).

Usage:

  hostile_smtp.py --behaviour NAME [--host 127.0.0.1|::1] [--port N]
                  [--port-file F] [--pid-file F] [--log F]
                  [--cert F --key F]      (real TLS for handshake-cut)

  --list prints the behaviours with one line each.

Behaviours (server bytes in quotes; "EHLO" = a normal 220 greeting and a
normal EHLO reply come first):

  endless-greeting   "220-..." continuation lines, forever
  long-line          one 1 MiB greeting line, then CRLF
  no-crlf            "220 ..." without a line end, then silence
  slow               a normal dialogue, one byte per second
  escapes            greeting and EHLO lines full of terminal escape
                     sequences, NUL bytes and invalid UTF-8
  starttls-garbage   EHLO offers STARTTLS; STARTTLS is answered with
                     binary garbage and a CRLF
  starttls-tls-garbage  STARTTLS gets "220", then garbage instead of a
                     ServerHello
  tls-absurd-length  implicit TLS: a ClientHello is answered with a TLS
                     handshake record header announcing 65535 bytes
                     (RFC 8446 allows 2^14 + 256), then junk
  starttls-absurd-length  the same after STARTTLS / 220
  handshake-cut      implicit TLS: the first half of a real ServerHello
                     flight, then the connection is closed (needs
                     --cert/--key; without them a synthetic one)
  starttls-handshake-cut  the same after STARTTLS / 220
  silent             accepts, never says anything (reads and discards)
  reset-after-ehlo   greeting; on EHLO the connection is reset (RST:
                     SO_LINGER 0)
  421-close          "421 4.3.2 ..." and close
  auth-loop          EHLO offers AUTH PLAIN LOGIN; every line after
                     AUTH is answered with another "334" challenge,
                     forever
  ehlo-10000         the EHLO reply has 10,000 lines

Every connection ends when the client closes it, after --max-conn-seconds
(default 60) or after 64 MiB sent, whichever comes first: the server
itself never runs away.  Stop it with SIGTERM (by PID).

Files:
  --port-file  written atomically (rename) once the socket listens: the
               port and a newline.
  --log        one line per event: "<time> #<conn> <EVENT> <detail>"
               with CONNECT, C: <line received>, SENT <n bytes>, RESET,
               CLOSE, ERROR.  Tests read it to see what smtpwiz sent.
"""

import argparse
import os
import signal
import socket
import ssl
import struct
import sys
import threading
import time

BEHAVIOURS = {
    "endless-greeting": "220- continuation lines forever",
    "long-line": "one 1 MiB greeting line",
    "no-crlf": "a greeting without CRLF, then silence",
    "slow": "a normal dialogue at one byte per second",
    "escapes": "greeting/EHLO full of ESC sequences, NUL, invalid UTF-8",
    "starttls-garbage": "STARTTLS answered with binary garbage",
    "starttls-tls-garbage": "220 to STARTTLS, then garbage for a ServerHello",
    "tls-absurd-length": "implicit TLS: record header announcing 65535 bytes",
    "starttls-absurd-length": "after STARTTLS: record header announcing 65535 bytes",
    "handshake-cut": "implicit TLS: half a ServerHello flight, then close",
    "starttls-handshake-cut": "after STARTTLS: half a ServerHello flight, then close",
    "silent": "accepts and never speaks",
    "reset-after-ehlo": "RST right after EHLO",
    "421-close": "421 then close",
    "auth-loop": "334 challenges forever after AUTH",
    "ehlo-10000": "an EHLO reply of 10,000 lines",
}

GREETING = b"220 hostile.test ESMTP hostile_smtp.py\r\n"
EHLO = (b"250-hostile.test greets you\r\n250-PIPELINING\r\n"
        b"250-SIZE 10240000\r\n250-8BITMIME\r\n")
MAX_SEND = 64 << 20

# Terminal attacks: clear screen, set the window title, OSC 52 clipboard
# write, a hyperlink, cursor moves, C1 CSI, RTL override, a NUL, bytes
# that are not UTF-8, an overlong '/', a UTF-16 surrogate.
NASTY = (b"\x1b[2J\x1b[H\x1b]0;owned\x07\x1b]52;c;cHduZWQ=\x07"
         b"\x1b]8;;http://evil.test/\x1b\\link\x1b]8;;\x1b\\"
         b"\x1b[31;1mred\x1b[0m\x9b6n\xe2\x80\xaeevil\x00nul"
         b"\xff\xfe\xc0\xaf\xed\xa0\x80\x07\x08\x7f")


class Closed(Exception):
    pass


class Conn:
    """One client connection with bounded life and output."""

    def __init__(self, server, sock, num):
        self.server = server
        self.sock = sock
        self.num = num
        self.sent = 0
        self.deadline = time.monotonic() + server.args.max_conn_seconds
        self.buf = b""
        sock.settimeout(0.5)

    def log(self, event, detail=""):
        self.server.log(f"#{self.num} {event} {detail}".rstrip())

    def alive(self):
        if time.monotonic() > self.deadline or self.server.stopping:
            raise Closed()

    def send(self, data):
        self.alive()
        if self.sent + len(data) > MAX_SEND:
            raise Closed()
        try:
            self.sock.sendall(data)
        except OSError:
            raise Closed()
        self.sent += len(data)

    def recv_some(self, wait=True):
        """Some bytes, b"" on EOF; None when wait is False and none came."""
        while True:
            self.alive()
            try:
                data = self.sock.recv(65536)
            except socket.timeout:
                if not wait:
                    return None
                continue
            except OSError:
                raise Closed()
            return data

    def read_line(self):
        while b"\n" not in self.buf:
            data = self.recv_some()
            if not data:
                raise Closed()
            self.buf += data
            if len(self.buf) > 65536:
                raise Closed()
        line, _, self.buf = self.buf.partition(b"\n")
        line = line.rstrip(b"\r")
        self.log("C:", line.decode("latin-1"))
        return line

    def read_record(self):
        """One TLS record from the client (its ClientHello): bytes."""
        while len(self.buf) < 5:
            data = self.recv_some()
            if not data:
                raise Closed()
            self.buf += data
        need = 5 + struct.unpack(">H", self.buf[3:5])[0]
        while len(self.buf) < need:
            data = self.recv_some()
            if not data:
                raise Closed()
            self.buf += data
        rec, self.buf = self.buf[:need], self.buf[need:]
        self.log("C:", f"<TLS record type {rec[0]} {len(rec)} bytes>")
        return rec

    def drain(self):
        """Read and discard until the client goes (or the deadline)."""
        while True:
            data = self.recv_some()
            if not data:
                raise Closed()

    def reset(self):
        """Close with RST instead of FIN."""
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                             struct.pack("ii", 1, 0))
        self.log("RESET")
        self.sock.close()
        raise Closed()

    # ---- the normal parts -----------------------------------------------
    def greet_and_ehlo(self, extra=b"", last=b"250 HELP\r\n"):
        self.send(GREETING)
        while True:
            line = self.read_line().upper()
            if line.startswith(b"EHLO") or line.startswith(b"HELO"):
                self.send(EHLO + extra + last)
                return
            if line.startswith(b"QUIT"):
                self.send(b"221 bye\r\n")
                raise Closed()
            self.send(b"503 5.5.1 EHLO first\r\n")

    def until_starttls(self):
        self.greet_and_ehlo(last=b"250 STARTTLS\r\n")
        while True:
            line = self.read_line().upper()
            if line == b"STARTTLS":
                return
            if line.startswith(b"QUIT"):
                self.send(b"221 bye\r\n")
                raise Closed()
            self.send(b"250 2.0.0 OK\r\n")

    def server_flight(self, client_hello):
        """The server's first flight for client_hello, as a real TLS
        server would send it (or a synthetic one without a cert)."""
        args = self.server.args
        if args.cert and args.key:
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.load_cert_chain(args.cert, args.key)
            inc, out = ssl.MemoryBIO(), ssl.MemoryBIO()
            obj = ctx.wrap_bio(inc, out, server_side=True)
            inc.write(client_hello)
            try:
                obj.do_handshake()
            except (ssl.SSLWantReadError, ssl.SSLError):
                pass
            flight = out.read()
            if flight:
                return flight
        # A ServerHello (TLS 1.2, suite 0xc02f) in one record, with a
        # Certificate message announced: long enough to cut in half.
        body = (b"\x03\x03" + os.urandom(32) + b"\x00" + b"\xc0\x2f\x00" +
                b"\x00\x05\xff\x01\x00\x01\x00")
        sh = b"\x02" + struct.pack(">I", len(body))[1:] + body
        cert = b"\x0b" + struct.pack(">I", 3003)[1:] + b"\x00\x0b\xb8" + b"\x30" * 3000
        hs = sh + cert
        return b"\x16\x03\x03" + struct.pack(">H", len(hs)) + hs

    # ---- the behaviours -------------------------------------------------
    def b_endless_greeting(self):
        i = 0
        while True:
            i += 1
            self.send(b"220-hostile.test line %d of a greeting that never ends\r\n" % i)

    def b_long_line(self):
        self.send(b"220 " + b"A" * (1 << 20) + b"\r\n")
        self.drain()

    def b_no_crlf(self):
        self.send(b"220 hostile.test ESMTP but no line end ever")
        self.drain()

    def b_slow(self):
        for ch in GREETING:
            self.send(bytes([ch]))
            time.sleep(1)
        self.read_line()
        for ch in EHLO + b"250 HELP\r\n":
            self.send(bytes([ch]))
            time.sleep(1)
        self.drain()

    def b_escapes(self):
        self.send(b"220-hostile.test " + NASTY + b"\r\n220 " + NASTY + b"\r\n")
        line = self.read_line()
        if line.upper().startswith(b"EHLO"):
            self.send(b"250-hostile.test " + NASTY + b"\r\n250-" + NASTY +
                      b"\r\n250-AUTH PLAIN " + NASTY + b"\r\n250 SIZE " +
                      NASTY + b"\r\n")
        while True:
            line = self.read_line()
            if line.upper().startswith(b"QUIT"):
                self.send(b"221 " + NASTY + b"\r\n")
                raise Closed()
            self.send(b"502 " + NASTY + b"\r\n")

    def b_starttls_garbage(self):
        self.until_starttls()
        self.send(b"\x00\xff\x16\x03garbage \x1b[2J\xfe\xfe\r\n")
        self.drain()

    def b_starttls_tls_garbage(self):
        self.until_starttls()
        self.send(b"220 2.0.0 Ready to start TLS\r\n")
        self.read_record()
        self.send(b"this is not TLS \x00\xff\x1b[2J" * 20 + b"\r\n")
        self.drain()

    def absurd(self):
        self.read_record()
        # Handshake record, TLS 1.2, length 65535: more than any TLS
        # version allows (RFC 8446 §5.1: 2^14; §5.2: 2^14 + 256).
        self.send(b"\x16\x03\x03\xff\xff\x02\x00\xff\xfb" + b"\x41" * 4096)
        self.drain()

    def b_tls_absurd_length(self):
        self.absurd()

    def b_starttls_absurd_length(self):
        self.until_starttls()
        self.send(b"220 2.0.0 Ready to start TLS\r\n")
        self.absurd()

    def cut(self):
        hello = self.read_record()
        flight = self.server_flight(hello)
        self.send(flight[:max(1, len(flight) // 2)])
        self.log("SENT", f"{len(flight) // 2} of {len(flight)} bytes, closing")
        raise Closed()

    def b_handshake_cut(self):
        self.cut()

    def b_starttls_handshake_cut(self):
        self.until_starttls()
        self.send(b"220 2.0.0 Ready to start TLS\r\n")
        self.cut()

    def b_silent(self):
        self.drain()

    def b_reset_after_ehlo(self):
        self.send(GREETING)
        self.read_line()
        self.reset()

    def b_421_close(self):
        self.send(b"421 4.3.2 hostile.test Service not available, too many "
                  b"connections, closing transmission channel\r\n")
        raise Closed()

    def b_auth_loop(self):
        self.greet_and_ehlo(extra=b"250-AUTH PLAIN LOGIN\r\n")
        n = 0
        while True:
            line = self.read_line()
            up = line.upper()
            if up.startswith(b"QUIT"):
                self.send(b"221 bye\r\n")
                raise Closed()
            if up.startswith(b"AUTH") or n > 0:
                n += 1
                # base64 "Password:" / "Username:" alternating, forever
                self.send(b"334 UGFzc3dvcmQ6\r\n" if n % 2 else
                          b"334 VXNlcm5hbWU6\r\n")
                continue
            self.send(b"250 2.0.0 OK\r\n")

    def b_ehlo_10000(self):
        self.send(GREETING)
        self.read_line()
        lines = [b"250-hostile.test"] + [b"250-X-CAP-%05d" % i for i in range(1, 9999)]
        self.send(b"\r\n".join(lines) + b"\r\n250 LAST\r\n")
        self.drain()

    def run(self, behaviour):
        self.log("CONNECT")
        try:
            getattr(self, "b_" + behaviour.replace("-", "_").replace("421", "r421"))()
        except Closed:
            pass
        except Exception as e:            # a test server must not die
            self.log("ERROR", repr(e))
        finally:
            try:
                self.sock.close()
            except OSError:
                pass
            self.log("CLOSE", f"sent {self.sent} bytes")


class Server:
    def __init__(self, args):
        self.args = args
        self.stopping = False
        self.lock = threading.Lock()
        self.logf = open(args.log, "a") if args.log else None
        self.count = 0

    def log(self, text):
        if self.logf is None:
            return
        with self.lock:
            self.logf.write(f"{time.time():.3f} {text}\n")
            self.logf.flush()

    def serve(self):
        family = socket.AF_INET6 if ":" in self.args.host else socket.AF_INET
        ls = socket.socket(family, socket.SOCK_STREAM)
        ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        ls.bind((self.args.host, self.args.port))
        ls.listen(64)
        ls.settimeout(0.5)
        if self.args.pid_file:
            write_atomic(self.args.pid_file, f"{os.getpid()}\n")
        if self.args.port_file:
            write_atomic(self.args.port_file, f"{ls.getsockname()[1]}\n")
        while not self.stopping:
            try:
                sock, _ = ls.accept()
            except socket.timeout:
                continue
            except OSError:
                break
            self.count += 1
            c = Conn(self, sock, self.count)
            threading.Thread(target=c.run, args=(self.args.behaviour,),
                             daemon=True).start()
        ls.close()


def write_atomic(path, text):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write(text)
    os.rename(tmp, path)


# Methods can't start with a digit: map the one behaviour that does.
Conn.b_r421_close = Conn.b_421_close


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--behaviour", "--behavior", choices=sorted(BEHAVIOURS))
    ap.add_argument("--list", action="store_true")
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--port-file")
    ap.add_argument("--pid-file")
    ap.add_argument("--log")
    ap.add_argument("--cert")
    ap.add_argument("--key")
    ap.add_argument("--max-conn-seconds", type=float, default=60.0)
    args = ap.parse_args()
    if args.list:
        for name in sorted(BEHAVIOURS):
            print(f"{name:24} {BEHAVIOURS[name]}")
        return 0
    if not args.behaviour:
        ap.error("--behaviour is required (see --list)")
    server = Server(args)

    def stop(*_):
        server.stopping = True
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    server.serve()
    return 0


if __name__ == "__main__":
    sys.exit(main())
