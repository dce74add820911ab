#!/usr/bin/python3
"""fixture_smtp.py -- the loopback test bed's SMTP server.

A small, threaded, standard-library-only SMTP server whose every behaviour is
chosen on the command line, so an integration test can stand up "a STARTTLS
server on a random port that serves an expired certificate, offers AUTH PLAIN
only after TLS and tops out at TLS 1.2" in one line.  It is deliberately not a
mail server: no relaying, no queue; accepted messages are appended to a file.

Usage (all options):

  fixture_smtp.py [--host 127.0.0.1|::1] [--port N] [--port-file F] [--pid-file F]
                  [--mode plain|starttls|ssl] [--hostname NAME]
                  [--cert F] [--key F] [--tls-min V] [--tls-max V]
                  [--ciphers S] [--ciphersuites S] [--groups S] [--dhparam F]
                  [--server-order]
                  [--auth "PLAIN LOGIN CRAM-MD5 XOAUTH2"] [--auth-in-clear]
                  [--passwd-file F] [--require-tls] [--require-auth]
                  [--ehlo-extra "PIPELINING,SIZE 10240000,..."]
                  [--no-starttls] [--starttls-454] [--greeting-delay SECONDS]
                  [--multiline-greeting] [--greeting-421] [--close-after-ehlo]
                  [--ehlo-tls-fault close|554|endless]
                  [--banner TEXT] [--mailbox F] [--log F] [--idle-timeout SECONDS]

  V is one of TLSv1 TLSv1.1 TLSv1.2 TLSv1.3.

Things worth knowing (OpenSSL 3.0 as shipped by Debian 12, Python 3.11):

* The default cipher list is OpenSSL's "DEFAULT", not Python's own server
  list (which forbids every SHA-1 suite and so every TLS 1.0/1.1 handshake):
  a stock OpenSSL-based MTA is what this server imitates.
* Debian builds OpenSSL with security level 2.  To let the server speak
  TLSv1/TLSv1.1, or serve weakkey.pem (RSA 1024: refused at level 2) or
  sha1.pem (SHA-1 signature: refused at levels 1 and 2), pass
  --ciphers 'DEFAULT:@SECLEVEL=0'.  The cipher list is applied before the
  certificate is loaded, which is the order OpenSSL needs for that to work.
* Python sets OP_CIPHER_SERVER_PREFERENCE on every server context; this
  server clears it unless --server-order is given, so that by default the
  client's order decides, as with OpenSSL's own default.
* Python's ssl module cannot set TLS 1.3 cipher suites or key-exchange
  groups.  --ciphersuites/--groups are therefore passed to OpenSSL through a
  generated OPENSSL_CONF "system_default" section: the server re-executes
  itself once with that environment (same PID), and the section applies to
  every SSL_CTX the process creates.
* Advertised AUTH mechanisms are free text; PLAIN, LOGIN, CRAM-MD5 and
  XOAUTH2 are implemented, any other name (say NTLM) is advertised but
  answered with 504.  XOAUTH2 fails the way Gmail does: a 334 carrying a
  base64 JSON error, then 535 once the client sends an empty line.

Files:
  --port-file  written (atomically, by rename) once the socket listens; the
               port number and a newline.  Tests wait for it.
  --log        one line per event, appended and flushed:
                 <time> #<conn> CONNECT <peer>
                 <time> #<conn> C: <command line as received>     (also AUTH data)
                 <time> #<conn> TLS <version> <cipher> sni=<name|->
                 <time> #<conn> TLS-FAIL <reason>
                 <time> #<conn> NOTE <free text>   (pregreet, discarded pipelining)
                 <time> #<conn> CLOSE
               Server replies are not logged, so "C: AUTH" cannot match the
               EHLO reply.  Nothing is redacted: this is a test server.
  --mailbox    mbox-style, one "From " line per message, then an
               X-Fixture-Rcpt header per recipient, then the data as received.

Adding a fault mode: one option in build_parser(), one field in Options, and
a branch in the phase it disturbs -- Session.greet, Session.cmd_ehlo,
Session.cmd_starttls, ... -- each phase is one method.  All socket I/O goes
through Session.read_line / Session.send so slow or garbled output is easy
to inject in one place.
"""

import argparse
import base64
import binascii
import dataclasses
import datetime
import hashlib
import hmac
import json
import os
import secrets
import select
import signal
import socket
import socketserver
import ssl
import sys
import tempfile
import threading
import time
import warnings

MAX_LINE = 4096          # longer input lines end the connection (see read_line)
TLS_VERSIONS = {
    "TLSv1": ssl.TLSVersion.TLSv1,
    "TLSv1.1": ssl.TLSVersion.TLSv1_1,
    "TLSv1.2": ssl.TLSVersion.TLSv1_2,
    "TLSv1.3": ssl.TLSVersion.TLSv1_3,
}
DEFAULT_EHLO_EXTRA = "PIPELINING,SIZE 10240000,8BITMIME,ENHANCEDSTATUSCODES"
IMPLEMENTED_AUTH = ("PLAIN", "LOGIN", "CRAM-MD5", "XOAUTH2")
# Names OpenSSL 3.0 takes in "Groups"; checked here because OpenSSL skips a
# config line it cannot parse without a word, leaving the defaults in place.
TLS_GROUPS = {"P-256", "P-384", "P-521", "X25519", "X448", "prime256v1",
              "secp256r1", "secp384r1", "secp521r1", "ffdhe2048", "ffdhe3072",
              "ffdhe4096", "ffdhe6144", "ffdhe8192", "brainpoolP256r1",
              "brainpoolP384r1", "brainpoolP512r1"}
# Marks the re-executed process that already runs under our OPENSSL_CONF.
REEXEC_ENV = "SMTPWIZ_FIXTURE_OPENSSL_CONF"


# --------------------------------------------------------------------------
# Options

@dataclasses.dataclass
class Options:
    host: str = "127.0.0.1"
    port: int = 0
    port_file: str = None
    pid_file: str = None
    mode: str = "plain"
    hostname: str = "fixture.smtpwiz.test"
    cert: str = None
    key: str = None
    tls_min: str = None
    tls_max: str = None
    ciphers: str = "DEFAULT"
    ciphersuites: str = None
    groups: str = None
    dhparam: str = None
    server_order: bool = False
    auth: list = dataclasses.field(default_factory=list)
    auth_in_clear: bool = False
    passwords: dict = dataclasses.field(default_factory=dict)
    require_tls: bool = False
    require_auth: bool = False
    ehlo_extra: list = dataclasses.field(default_factory=list)
    no_starttls: bool = False
    starttls_454: bool = False
    greeting_delay: float = 0.0
    multiline_greeting: bool = False
    greeting_421: bool = False
    close_after_ehlo: bool = False
    ehlo_tls_fault: str = None
    banner: str = None
    mailbox: str = None
    log: str = None
    idle_timeout: float = 30.0


def build_parser():
    p = argparse.ArgumentParser(
        description="Loopback SMTP fixture server for smtpwiz tests.")
    a = p.add_argument
    a("--host", default="127.0.0.1", help="address to listen on (127.0.0.1 or ::1)")
    a("--port", type=int, default=0, help="0 = any free port (default)")
    a("--port-file", help="write the bound port here once listening")
    a("--pid-file")
    a("--mode", choices=("plain", "starttls", "ssl"), default="plain",
      help="ssl = implicit TLS from the first byte")
    a("--hostname", default="fixture.smtpwiz.test",
      help="name used in the greeting and the EHLO reply")
    a("--cert", help="PEM chain to serve, leaf first")
    a("--key", help="PEM private key (default: inside --cert)")
    a("--tls-min", choices=TLS_VERSIONS)
    a("--tls-max", choices=TLS_VERSIONS)
    a("--ciphers", default="DEFAULT",
      help="OpenSSL cipher string for TLS <= 1.2 (may contain @SECLEVEL=0)")
    a("--ciphersuites", help="TLS 1.3 suites, e.g. TLS_AES_128_GCM_SHA256")
    a("--groups", help="key exchange groups, e.g. X25519:P-256")
    a("--dhparam", help="PEM DH parameters for DHE suites (default: "
      "OpenSSL's, sized to the key)")
    a("--server-order", action="store_true",
      help="server imposes its own cipher order")
    a("--auth", default="", help='mechanisms to offer, e.g. "PLAIN LOGIN"')
    a("--auth-in-clear", action="store_true",
      help="starttls mode: offer and accept AUTH before STARTTLS too")
    a("--passwd-file", help="user:password per line")
    a("--require-tls", action="store_true",
      help="starttls mode: MAIL before STARTTLS gets 530")
    a("--require-auth", action="store_true",
      help="MAIL before a successful AUTH gets 530")
    a("--ehlo-extra", default=DEFAULT_EHLO_EXTRA,
      help="comma list of extra EHLO capability lines ('' for none)")
    a("--no-starttls", action="store_true",
      help="starttls mode, but STARTTLS is not advertised (or accepted)")
    a("--starttls-454", action="store_true",
      help="STARTTLS is advertised but answered with 454")
    a("--greeting-delay", type=float, default=0.0, metavar="SECONDS")
    a("--multiline-greeting", action="store_true")
    a("--greeting-421", action="store_true",
      help="greet with 421 and close")
    a("--close-after-ehlo", action="store_true",
      help="close the connection right after the EHLO reply")
    a("--ehlo-tls-fault", choices=("close", "554", "endless"),
      help="EHLO over TLS (after STARTTLS, or any in ssl mode) fails: the "
           "connection closes, 554, or a 250- reply that never ends")
    a("--banner", help="greeting text after '220 ' (default: HOSTNAME ESMTP ...)")
    a("--mailbox", help="append accepted messages here")
    a("--log", help="append one line per command / TLS handshake here")
    a("--idle-timeout", type=float, default=30.0, metavar="SECONDS")
    return p


def parse_options(argv):
    ns = build_parser().parse_args(argv)
    o = Options()
    for f in dataclasses.fields(Options):
        if hasattr(ns, f.name):
            setattr(o, f.name, getattr(ns, f.name))
    o.auth = [m.upper() for m in ns.auth.replace(",", " ").split()]
    o.ehlo_extra = [c.strip() for c in ns.ehlo_extra.split(",") if c.strip()]
    if ns.passwd_file:
        o.passwords = read_passwords(ns.passwd_file)
    if o.mode != "plain" and not o.cert:
        build_parser().error(f"--mode {o.mode} needs --cert")
    unknown = set((o.groups or "").split(":")) - TLS_GROUPS - {""}
    if unknown:
        build_parser().error(f"--groups: unknown {sorted(unknown)}; "
                             f"known: {' '.join(sorted(TLS_GROUPS))}")
    old = {"TLSv1", "TLSv1.1"}
    if (o.tls_min in old or o.tls_max in old) and "@SECLEVEL=0" not in o.ciphers:
        print("fixture_smtp: warning: OpenSSL 3.0 completes TLSv1/TLSv1.1 handshakes "
              "only at security level 0; add --ciphers 'DEFAULT:@SECLEVEL=0'",
              file=sys.stderr)
    return o


def read_passwords(path):
    users = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\r\n")
            if line and not line.startswith("#") and ":" in line:
                user, pw = line.split(":", 1)
                users[user] = pw
    return users


# --------------------------------------------------------------------------
# TLS

class StartupError(Exception):
    """A configuration the server cannot honour: refuse to start."""


def maybe_reexec_with_openssl_conf(o, argv):
    """Python cannot set TLS 1.3 suites or groups; OpenSSL's config can.

    The config is read when OpenSSL initialises, i.e. before any code of
    ours runs, so the only clean way in is a fresh process image.
    """
    if not (o.ciphersuites or o.groups) or os.environ.get(REEXEC_ENV):
        return
    lines = ["openssl_conf = fixture_init", "[fixture_init]",
             "ssl_conf = fixture_ssl", "[fixture_ssl]",
             "system_default = fixture_tls", "[fixture_tls]"]
    if o.ciphersuites:
        lines.append(f"Ciphersuites = {o.ciphersuites}")
    if o.groups:
        lines.append(f"Groups = {o.groups}")
    fd, path = tempfile.mkstemp(prefix="fixture-openssl-", suffix=".cnf")
    with os.fdopen(fd, "w") as f:
        f.write("\n".join(lines) + "\n")
    env = dict(os.environ, OPENSSL_CONF=path, **{REEXEC_ENV: path})
    os.execve(sys.executable, [sys.executable, os.path.abspath(__file__)] + argv, env)


def make_tls_context(o):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    # Before load_cert_chain: at Debian's default security level 2 OpenSSL
    # refuses to even load a 1024-bit or SHA-1 certificate.
    ctx.set_ciphers(o.ciphers)
    with warnings.catch_warnings():
        # Python deprecates TLSv1/1.1; serving them is the point here.
        warnings.simplefilter("ignore", DeprecationWarning)
        if o.tls_min:
            ctx.minimum_version = TLS_VERSIONS[o.tls_min]
        if o.tls_max:
            ctx.maximum_version = TLS_VERSIONS[o.tls_max]
    if o.server_order:
        ctx.options |= ssl.OP_CIPHER_SERVER_PREFERENCE
    else:
        ctx.options &= ~ssl.OP_CIPHER_SERVER_PREFERENCE
    ctx.load_cert_chain(o.cert, o.key)
    if o.dhparam:
        ctx.load_dh_params(o.dhparam)
    if o.ciphersuites:
        # The OpenSSL config ignores names it does not know; say so loudly.
        want = [c for c in o.ciphersuites.split(":") if c]
        have = [c["name"] for c in ctx.get_ciphers() if c["protocol"] == "TLSv1.3"]
        if sorted(want) != sorted(have):
            raise StartupError(f"--ciphersuites {o.ciphersuites} not applied "
                               f"(OpenSSL enabled {':'.join(have)})")

    def remember_sni(sslsock, server_name, _ctx):
        sslsock.fixture_sni = server_name
    ctx.sni_callback = remember_sni
    return ctx


# --------------------------------------------------------------------------
# Shared sinks: log and mailbox (written by many connection threads)

class LineLog:
    def __init__(self, path):
        self.lock = threading.Lock()
        self.f = open(path, "a", encoding="utf-8") if path else None

    def write(self, conn_id, text):
        if not self.f:
            return
        now = datetime.datetime.now(datetime.timezone.utc)
        stamp = now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}Z"
        with self.lock:
            self.f.write(f"{stamp} #{conn_id} {text}\n")
            self.f.flush()


def visible(data):
    """One log line per event: show control bytes as escapes, keep UTF-8."""
    text = data.decode("utf-8", "backslashreplace") if isinstance(data, bytes) else data
    return "".join(c if c.isprintable() or c == " " else repr(c)[1:-1] for c in text)


class Mailbox:
    def __init__(self, path):
        self.lock = threading.Lock()
        self.path = path

    def deliver(self, sender, rcpts, data):
        if not self.path:
            return
        stamp = time.strftime("%a %b %d %H:%M:%S %Y", time.gmtime())
        out = [f"From {sender or 'MAILER-DAEMON'} {stamp}\n".encode()]
        out += [f"X-Fixture-Rcpt: {r}\n".encode() for r in rcpts]
        for line in data.splitlines(keepends=True):
            # mbox "From " quoting, so the file still splits into messages
            out.append(b">" + line if line.startswith(b"From ") else line)
        if data and not data.endswith(b"\n"):
            out.append(b"\n")
        out.append(b"\n")
        with self.lock, open(self.path, "ab") as f:
            f.write(b"".join(out))
            f.flush()


# --------------------------------------------------------------------------
# One connection

class Closed(Exception):
    """The connection is over (client gone, QUIT, timeout, or a fault mode)."""


class Session:
    def __init__(self, server, sock, peer, conn_id):
        self.o = server.options
        self.server = server
        self.sock = sock
        self.peer = peer
        self.id = conn_id
        self.buf = b""
        self.tls = False
        self.reset_session()

    # ---- plumbing ------------------------------------------------------
    def log(self, text):
        self.server.log.write(self.id, text)

    def send(self, data):
        try:
            self.sock.sendall(data)
        except (OSError, ssl.SSLError) as e:
            raise Closed(f"send failed: {e}")

    def reply(self, code, *lines):
        """Send one (possibly multi-line) reply: 250-a / 250-b / 250 c."""
        lines = lines or ("",)
        out = [f"{code}-{l}" for l in lines[:-1]] + [f"{code} {lines[-1]}"]
        # No rstrip: an empty SASL challenge is "334 " with its space.
        self.send("".join(l + "\r\n" for l in out).encode("utf-8"))

    def read_line(self):
        """One input line without its CRLF (bare LF accepted), as bytes."""
        while b"\n" not in self.buf:
            if len(self.buf) > MAX_LINE:
                self.reply(500, "5.5.6 Line too long, closing connection")
                raise Closed("line too long")
            try:
                chunk = self.sock.recv(65536)
            except socket.timeout:
                self.reply(421, f"4.4.2 {self.o.hostname} Error: timeout exceeded")
                raise Closed("idle timeout")
            except (OSError, ssl.SSLError) as e:
                raise Closed(f"recv failed: {e}")
            if not chunk:
                raise Closed("client closed")
            self.buf += chunk
        line, self.buf = self.buf.split(b"\n", 1)
        if len(line) > MAX_LINE:
            self.reply(500, "5.5.6 Line too long, closing connection")
            raise Closed("line too long")
        return line[:-1] if line.endswith(b"\r") else line

    def read_client_line(self):
        line = self.read_line()
        self.log("C: " + visible(line))
        return line

    def reset_session(self):
        """State that STARTTLS throws away (RFC 3207 section 4.2)."""
        self.greeted = False          # HELO/EHLO seen
        self.authenticated = None     # user name after a successful AUTH
        self.reset_transaction()

    def reset_transaction(self):
        self.sender = None
        self.rcpts = []

    # ---- phases --------------------------------------------------------
    def run(self):
        self.log(f"CONNECT {self.peer[0]}:{self.peer[1]}")
        try:
            if self.o.mode == "ssl":
                self.start_tls()
            if self.greet():
                self.command_loop()
        except Closed as e:
            self.log(f"CLOSE ({e})")
        else:
            self.log("CLOSE")
        finally:
            self.close()

    def close(self):
        # A TLS socket is a new object the server loop does not know about;
        # SHUT_WR first so a final reply is not lost to a RST.
        for step in (lambda: self.sock.shutdown(socket.SHUT_WR), self.sock.close):
            try:
                step()
            except (OSError, ssl.SSLError):
                pass

    def start_tls(self):
        """Handshake as server; a failure only ends this connection."""
        try:
            tls = self.server.tls_context.wrap_socket(
                self.sock, server_side=True, do_handshake_on_connect=False)
            tls.do_handshake()
        except (OSError, ssl.SSLError, ValueError) as e:
            self.log(f"TLS-FAIL {visible(str(e))}")
            raise Closed("TLS handshake failed")
        self.sock = tls
        self.tls = True
        sni = getattr(tls, "fixture_sni", None) or "-"
        self.log(f"TLS {tls.version()} {tls.cipher()[0]} sni={sni}")

    def greet(self):
        if self.o.greeting_delay > 0:
            time.sleep(self.o.greeting_delay)
            self.note_pregreet()
        if self.o.greeting_421:
            self.reply(421, "4.7.0 Try again later, closing connection")
            raise Closed("greeting-421")
        banner = self.o.banner or f"{self.o.hostname} ESMTP smtpwiz fixture"
        if self.o.multiline_greeting:
            self.reply(220, banner, "This is the smtpwiz test fixture.",
                       "Multi-line greetings are legal (RFC 5321 4.2).")
        else:
            self.reply(220, banner)
        return True

    def note_pregreet(self):
        """Log a client that talked before the greeting (postscreen calls it PREGREET)."""
        if self.tls and self.sock.pending():
            self.log("NOTE pregreet: client sent data before the greeting")
            return
        ready, _, _ = select.select([self.sock], [], [], 0)
        if ready:
            self.log("NOTE pregreet: client sent data before the greeting")

    def command_loop(self):
        while True:
            line = self.read_client_line()
            text = line.decode("utf-8", "surrogateescape")
            verb, _, arg = text.partition(" ")
            handler = self.COMMANDS.get(verb.upper())
            if handler is None:
                self.reply(500, "5.5.2 Error: command not recognized")
                continue
            handler(self, arg.strip())

    # ---- commands ------------------------------------------------------
    def starttls_offered(self):
        return self.o.mode == "starttls" and not self.tls and not self.o.no_starttls

    def auth_offered(self):
        return bool(self.o.auth) and (self.tls or self.o.mode == "plain"
                                      or self.o.auth_in_clear)

    def cmd_ehlo(self, arg):
        if not arg:
            self.reply(501, "5.5.4 Syntax: EHLO hostname")
            return
        if self.tls and self.o.ehlo_tls_fault:
            self.ehlo_tls_fault(arg)
            return
        self.greeted = True
        self.reset_transaction()
        caps = list(self.o.ehlo_extra)
        if self.starttls_offered():
            caps.append("STARTTLS")
        if self.auth_offered():
            caps.append("AUTH " + " ".join(self.o.auth))
        self.reply(250, f"{self.o.hostname} Hello {arg}", *caps)
        if self.o.close_after_ehlo:
            raise Closed("close-after-ehlo")

    def ehlo_tls_fault(self, arg):
        """--ehlo-tls-fault: the EHLO over TLS that Java ignores or dies on."""
        fault = self.o.ehlo_tls_fault
        if fault == "close":
            raise Closed("ehlo-tls-fault close")
        if fault == "554":
            self.reply(554, "5.7.1 <%s>: Client host rejected after TLS" % arg)
            return
        # endless: "250-" lines until the client gives up (send fails) or
        # about a million lines have gone, whichever comes first.
        line = ("250-%s Hello %s, this reply never ends\r\n"
                % (self.o.hostname, arg)).encode("utf-8")
        for _ in range(1000000 // 64):
            self.send(line * 64)
        raise Closed("ehlo-tls-fault endless")

    def cmd_helo(self, arg):
        if not arg:
            self.reply(501, "5.5.4 Syntax: HELO hostname")
            return
        self.greeted = True
        self.reset_transaction()
        self.reply(250, self.o.hostname)

    def cmd_starttls(self, arg):
        if not self.starttls_offered():
            self.reply(503 if self.tls else 502,
                       "5.5.1 TLS already active" if self.tls
                       else "5.5.1 Error: command not implemented")
            return
        if arg:
            self.reply(501, "5.5.4 Syntax: STARTTLS")
            return
        if self.o.starttls_454:
            self.reply(454, "4.7.0 TLS not available due to temporary reason")
            return
        if self.buf:
            # Anything pipelined after STARTTLS was sent in the clear and
            # must not be executed inside TLS (CVE-2011-0411).
            self.log(f"NOTE discarded {len(self.buf)} bytes pipelined after STARTTLS")
            self.buf = b""
        self.reply(220, "2.0.0 Ready to start TLS")
        self.start_tls()
        self.reset_session()

    def cmd_auth(self, arg):
        if not self.greeted:
            self.reply(503, "5.5.1 Error: send HELO/EHLO first")
            return
        if self.authenticated:
            self.reply(503, "5.5.1 Error: already authenticated")
            return
        if self.o.mode == "starttls" and not self.tls and not self.o.auth_in_clear:
            if self.o.auth:
                self.reply(538, "5.7.11 Encryption required for requested "
                                "authentication mechanism")
            else:
                self.reply(503, "5.5.1 Error: authentication not enabled")
            return
        if not self.o.auth:
            self.reply(503, "5.5.1 Error: authentication not enabled")
            return
        mech, _, initial = arg.partition(" ")
        mech = mech.upper()
        if mech not in self.o.auth:
            self.reply(504, "5.5.4 Unrecognized authentication type")
            return
        if mech not in IMPLEMENTED_AUTH:
            self.reply(504, f"5.5.4 {mech} is advertised but not implemented here")
            return
        try:
            user = self.AUTH_MECHS[mech](self, initial.strip() or None)
        except AuthAbort as e:
            self.reply(501, f"5.5.2 {e}")
            return
        if user is None:
            self.reply(535, "5.7.8 Authentication credentials invalid")
            return
        self.authenticated = user
        self.reply(235, "2.7.0 Authentication successful")

    def cmd_mail(self, arg):
        if not self.greeted:
            self.reply(503, "5.5.1 Error: send HELO/EHLO first")
        elif self.o.require_tls and self.o.mode == "starttls" and not self.tls:
            self.reply(530, "5.7.0 Must issue a STARTTLS command first")
        elif self.o.require_auth and not self.authenticated:
            self.reply(530, "5.7.0 Authentication required")
        elif self.sender is not None:
            self.reply(503, "5.5.1 Error: nested MAIL command")
        elif not arg.upper().startswith("FROM:") or "<" not in arg or ">" not in arg:
            self.reply(501, "5.5.4 Syntax: MAIL FROM:<address>")
        else:
            self.sender = arg[5:].strip().split(">", 1)[0].lstrip("<")
            self.reply(250, "2.1.0 Ok")

    def cmd_rcpt(self, arg):
        if self.sender is None:
            self.reply(503, "5.5.1 Error: need MAIL command")
        elif not arg.upper().startswith("TO:") or "<" not in arg or ">" not in arg:
            self.reply(501, "5.5.4 Syntax: RCPT TO:<address>")
        else:
            self.rcpts.append(arg[3:].strip().split(">", 1)[0].lstrip("<"))
            self.reply(250, "2.1.5 Ok")

    def cmd_data(self, arg):
        if not self.rcpts:
            self.reply(503, "5.5.1 Error: need RCPT command")
            return
        self.reply(354, "End data with <CR><LF>.<CR><LF>")
        lines = []
        while True:
            line = self.read_line()       # message text is not logged line by line
            if line == b".":
                break
            lines.append(line[1:] if line.startswith(b".") else line)
        data = b"".join(l + b"\n" for l in lines)
        self.server.mailbox.deliver(self.sender, self.rcpts, data)
        queue_id = secrets.token_hex(6).upper()
        self.log(f"NOTE message {queue_id}: {len(data)} bytes from <{self.sender}> "
                 f"to {len(self.rcpts)} recipient(s)")
        self.reset_transaction()
        self.reply(250, f"2.0.0 Ok: queued as {queue_id}")

    def cmd_rset(self, arg):
        self.reset_transaction()
        self.reply(250, "2.0.0 Ok")

    def cmd_noop(self, arg):
        self.reply(250, "2.0.0 Ok")

    def cmd_vrfy(self, arg):
        self.reply(502, "5.5.1 VRFY command is disabled")

    def cmd_quit(self, arg):
        self.reply(221, "2.0.0 Bye")
        raise Closed("QUIT")

    COMMANDS = {
        "EHLO": cmd_ehlo, "HELO": cmd_helo, "STARTTLS": cmd_starttls,
        "AUTH": cmd_auth, "MAIL": cmd_mail, "RCPT": cmd_rcpt, "DATA": cmd_data,
        "RSET": cmd_rset, "NOOP": cmd_noop, "VRFY": cmd_vrfy, "QUIT": cmd_quit,
    }

    # ---- SASL: each returns the user name on success, None on failure ----
    def sasl_response(self, challenge):
        """Send a 334 challenge (bytes), return the decoded client answer."""
        self.reply(334, base64.b64encode(challenge).decode())
        return self.decode_b64(self.read_client_line())

    @staticmethod
    def decode_b64(data):
        if isinstance(data, bytes):
            data = data.decode("ascii", "replace")
        if data.strip() == "*":
            raise AuthAbort("Authentication aborted")
        if data.strip() == "=":          # RFC 4954: empty initial response
            return b""
        try:
            return base64.b64decode(data.strip(), validate=True)
        except (binascii.Error, ValueError):
            raise AuthAbort("Cannot decode response")

    def check_password(self, user, password):
        expected = self.o.passwords.get(user)
        return expected is not None and hmac.compare_digest(
            expected.encode(), password)

    def auth_plain(self, initial):
        data = self.decode_b64(initial) if initial else self.sasl_response(b"")
        parts = data.split(b"\0")
        if len(parts) != 3:
            return None
        _authzid, user, password = parts
        user = user.decode("utf-8", "replace")
        return user if self.check_password(user, password) else None

    def auth_login(self, initial):
        user = self.decode_b64(initial) if initial else self.sasl_response(b"Username:")
        password = self.sasl_response(b"Password:")
        user = user.decode("utf-8", "replace")
        return user if self.check_password(user, password) else None

    def auth_cram_md5(self, initial):
        challenge = f"<{secrets.randbelow(10**10)}.{int(time.time())}@{self.o.hostname}>"
        answer = self.sasl_response(challenge.encode())
        user, _, digest = answer.decode("utf-8", "replace").rpartition(" ")
        secret = self.o.passwords.get(user)
        if secret is None:
            return None
        want = hmac.new(secret.encode(), challenge.encode(), hashlib.md5).hexdigest()
        return user if hmac.compare_digest(want, digest.lower()) else None

    def auth_xoauth2(self, initial):
        data = self.decode_b64(initial) if initial else self.sasl_response(b"")
        fields = dict(f.split("=", 1) for f in
                      data.decode("utf-8", "replace").split("\x01") if "=" in f)
        user = fields.get("user", "")
        token = fields.get("auth", "")
        if token.startswith("Bearer ") and self.check_password(user, token[7:].encode()):
            return user
        # Gmail's way: an error challenge, the client answers with an empty line.
        error = {"status": "401", "schemes": "bearer",
                 "scope": "https://mail.google.com/"}
        self.sasl_response(json.dumps(error).encode())
        return None

    AUTH_MECHS = {"PLAIN": auth_plain, "LOGIN": auth_login,
                  "CRAM-MD5": auth_cram_md5, "XOAUTH2": auth_xoauth2}


class AuthAbort(Exception):
    """Client sent '*' or undecodable base64: 501, not 535."""


# --------------------------------------------------------------------------
# Server

class Handler(socketserver.BaseRequestHandler):
    def handle(self):
        server = self.server
        with server.id_lock:
            server.next_id += 1
            conn_id = server.next_id
        self.request.settimeout(server.options.idle_timeout)
        try:
            Session(server, self.request, self.client_address, conn_id).run()
        except Exception as e:            # a bug must end one connection, not the server
            server.log.write(conn_id, f"CLOSE (internal error: {e!r})")
            print(f"fixture_smtp: connection #{conn_id}: {e!r}", file=sys.stderr)


class FixtureServer(socketserver.ThreadingTCPServer):
    daemon_threads = True          # SIGTERM must not wait for idle clients
    allow_reuse_address = True
    request_queue_size = 128       # scanners open many connections at once

    def __init__(self, options):
        self.options = options
        if ":" in options.host:
            self.address_family = socket.AF_INET6
        self.log = LineLog(options.log)
        self.mailbox = Mailbox(options.mailbox)
        self.tls_context = make_tls_context(options) if options.mode != "plain" else None
        self.id_lock = threading.Lock()
        self.next_id = 0
        super().__init__((options.host, options.port), Handler)


def write_atomically(path, text):
    tmp = f"{path}.tmp.{os.getpid()}"
    with open(tmp, "w") as f:
        f.write(text)
    os.replace(tmp, path)


def main(argv):
    o = parse_options(argv)
    maybe_reexec_with_openssl_conf(o, argv)
    try:
        server = FixtureServer(o)
    except (OSError, ssl.SSLError, StartupError) as e:
        hint = ""
        if getattr(e, "reason", None) in ("EE_KEY_TOO_SMALL", "CA_KEY_TOO_SMALL",
                                          "CA_MD_TOO_WEAK", "EE_MD_TOO_WEAK"):
            hint = " (serve it with --ciphers 'DEFAULT:@SECLEVEL=0')"
        print(f"fixture_smtp: cannot start: {e}{hint}", file=sys.stderr)
        return 1
    finally:
        # The generated OpenSSL config has been read by now.
        conf = os.environ.get(REEXEC_ENV)
        if conf and os.path.exists(conf):
            os.unlink(conf)

    def stop(signum, frame):
        # shutdown() blocks until serve_forever returns, so not from its thread.
        threading.Thread(target=server.shutdown, daemon=True).start()
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)

    port = server.server_address[1]
    if o.pid_file:
        write_atomically(o.pid_file, f"{os.getpid()}\n")
    if o.port_file:
        write_atomically(o.port_file, f"{port}\n")
    try:
        server.serve_forever(poll_interval=0.05)    # = how fast SIGTERM takes effect
    finally:
        server.server_close()
        for path in (o.port_file, o.pid_file):
            if path and os.path.exists(path):
                os.unlink(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
