"""A real MTA (Exim, GnuTLS) on loopback for the integration tests.

    from mta import Mta, MtaUnavailable

    try:
        with Mta() as m:                      # PKI leaf cert, one user
            smtplib.SMTP("127.0.0.1", m.starttls_port) ...
            m.wait_mail("Subject: hello")      # delivery is asynchronous
    except MtaUnavailable as e:
        ...report a skip with e.reason...

Mta runs tests/servers/mta.sh: `fetch` (once per process; unpacks the
Debian package into build/mta, never touching the machine's own MTA), then
`start` in a fresh run dir under build/test-mta/ on three free loopback
ports: plain (no STARTTLS), STARTTLS, implicit TLS.  AUTH PLAIN, LOGIN and
CRAM-MD5 are offered only under TLS.  Every recipient of every domain is
delivered to one mbox file (`mailbox_path`); nothing leaves the machine.
Leaving the with-block stops the daemon by PID and deletes the run dir,
unless the block raised or MTA_KEEP=1 is set.  Stdlib only.

As root, where the daemon's user (Debian-exim) cannot search the parents of
build/ (a clone inside a 0700 `mktemp -d` dir), mta.sh runs a copy of the
binary with the daemon's files in a private 0711 dir under /tmp instead
(`private_dir`, None otherwise), reached from the run dir by symlinks, and
moves them back into the run dir when it stops; the paths below work alike.
"""

import atexit
import fcntl
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
MTA_SH = os.path.join(REPO, "tests", "servers", "mta.sh")
MKPKI_SH = os.path.join(REPO, "tests", "servers", "mkpki.sh")
BUILD = os.path.join(REPO, os.environ.get("BUILD", "build"))
SKIP = 77


class MtaUnavailable(Exception):
    """The MTA tier cannot run here (mta.sh exited 77); .reason says why."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


class MtaError(RuntimeError):
    """mta.sh failed for a reason that is not "cannot run here"."""


def pki_dir():
    """build/test-pki, made by tests/servers/mkpki.sh on first use.

    Same protocol as tests/lib/swtest.py (flock on test-pki.lock, mkpki.sh's
    .done marker), so the two never race, but without importing it."""
    path = os.path.join(BUILD, "test-pki")
    os.makedirs(BUILD, exist_ok=True)
    with open(path + ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not os.path.exists(os.path.join(path, ".done")):
            r = subprocess.run(["bash", MKPKI_SH, path], capture_output=True,
                               text=True, timeout=120)
            if r.returncode != 0:
                raise MtaError(f"mkpki.sh failed ({r.returncode}):\n{r.stderr}")
    return path


def _free_ports(n):
    """n distinct loopback TCP ports that were free a moment ago."""
    socks = []
    try:
        for _ in range(n):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.bind(("127.0.0.1", 0))
            socks.append(s)
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


def _run_sh(*args, timeout=300, exim="light", script=None):
    env = dict(os.environ, MTA_EXIM=exim)
    r = subprocess.run(["bash", script or MTA_SH, *args], capture_output=True, text=True,
                       timeout=timeout, stdin=subprocess.DEVNULL, env=env)
    if r.returncode == SKIP:
        line = (r.stdout.strip().splitlines() or ["SKIP: (no reason given)"])[-1]
        raise MtaUnavailable(line[5:].strip() if line.startswith("SKIP:") else line)
    return r


_fetched = {}          # per flavour: True, or the MtaUnavailable raised


def fetch(exim="light", script=None):
    """Run `mta.sh fetch` (or script's) once per process and flavour;
    raises MtaUnavailable/MtaError."""
    key = (exim, script)
    if _fetched.get(key) is True:
        return
    if isinstance(_fetched.get(key), Exception):
        raise _fetched[key]
    try:
        r = _run_sh("fetch", timeout=600, exim=exim, script=script)
    except MtaUnavailable as e:
        _fetched[key] = e
        raise
    if r.returncode != 0:
        raise MtaError(f"{script or 'mta.sh'} fetch failed ({r.returncode}):\n"
                       f"{r.stdout}{r.stderr}")
    _fetched[key] = True


class Mta:
    """One Exim daemon on 127.0.0.1 for the duration of a with-block.

    cert, key   PEM chain (leaf + intermediates) and key; default the PKI's
                leaf-chain.pem / leaf.key (root.pem in .cafile verifies it)
    users       {name: password}; default one user with a random password
                (.user, .password)
    tls_priority  GnuTLS priority string (default "NORMAL")
    tls_min, tls_max   "1.0" .. "1.3", narrowing the priority's versions
    name        prefix of the run dir under build/test-mta/
    exim        "light" (exim4-daemon-light) or "heavy" (exim4-daemon-heavy,
                which has the dovecot authenticator)
    dovecot_socket  a Dovecot auth-client socket (Dovecot.socket): XOAUTH2
                and OAUTHBEARER are offered under TLS and checked there
    """

    def __init__(self, cert=None, key=None, users=None, tls_priority=None,
                 tls_min=None, tls_max=None, name="mta", start_timeout=15,
                 exim="light", dovecot_socket=None):
        self.exim, self.dovecot_socket = exim, dovecot_socket
        self.cert, self.key = cert, key
        self.cafile = None
        if users is None:
            users = {"alice": "pw-" + secrets.token_hex(8)}
        self.users = dict(users)
        self.user, self.password = next(iter(self.users.items()), (None, None))
        self.tls_priority, self.tls_min, self.tls_max = tls_priority, tls_min, tls_max
        self.name = name
        self.start_timeout = start_timeout
        self.run_dir = None
        self.private_dir = None    # the private dir mta.sh used, if any
        self.pid = None
        self.plain_port = self.starttls_port = self.ssl_port = None
        self.start_output = ""

    # -- lifecycle

    def start(self):
        fetch(self.exim)
        if self.cert is None or self.key is None:
            pki = pki_dir()
            self.cert = self.cert or os.path.join(pki, "leaf-chain.pem")
            self.key = self.key or os.path.join(pki, "leaf.key")
            self.cafile = os.path.join(pki, "root.pem")
        top = os.path.join(BUILD, "test-mta")
        os.makedirs(top, exist_ok=True)
        self.run_dir = tempfile.mkdtemp(prefix=f"{self.name}-{os.getpid()}-", dir=top)
        pwfile = os.path.join(self.run_dir, "users.txt")
        fd = os.open(pwfile, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            for u, p in self.users.items():
                f.write(f"{u}:{p}\n")
        last = ""
        for _attempt in range(3):      # a "free" port may be taken meanwhile
            self.plain_port, self.starttls_port, self.ssl_port = _free_ports(3)
            args = ["start", self.run_dir,
                    "--plain-port", str(self.plain_port),
                    "--starttls-port", str(self.starttls_port),
                    "--ssl-port", str(self.ssl_port),
                    "--cert", self.cert, "--key", self.key,
                    "--passwd-file", pwfile,
                    "--timeout", str(self.start_timeout)]
            if self.tls_priority:
                args += ["--tls-priority", self.tls_priority]
            if self.tls_min:
                args += ["--tls-min", str(self.tls_min)]
            if self.tls_max:
                args += ["--tls-max", str(self.tls_max)]
            if self.dovecot_socket:
                args += ["--dovecot-socket", self.dovecot_socket]
            try:
                r = _run_sh(*args, timeout=self.start_timeout + 30, exim=self.exim)
            except MtaUnavailable:
                # nothing ran: no log worth keeping
                shutil.rmtree(self.run_dir, ignore_errors=True)
                raise
            self.start_output = r.stdout + r.stderr
            if r.returncode == 0:
                with open(os.path.join(self.run_dir, "pid")) as f:
                    self.pid = int(f.read().strip())
                link = os.path.join(self.run_dir, "private")
                self.private_dir = os.readlink(link) if os.path.islink(link) else None
                atexit.register(self.stop)
                return self
            last = self.start_output
            if "Address already in use" not in last:
                break
        raise MtaError(f"mta.sh start failed:\n{last}")

    def stop(self):
        """Stop the daemon by its PID (idempotent)."""
        if self.pid is None:
            return
        r = _run_sh("stop", self.run_dir, timeout=30, exim=self.exim)
        self.pid = None
        if r.returncode != 0:
            raise MtaError(f"mta.sh stop failed:\n{r.stdout}{r.stderr}")

    def remove(self):
        """Stop, then delete the run dir (logs, spool, mailbox)."""
        self.stop()
        if self.run_dir and os.path.isdir(self.run_dir):
            shutil.rmtree(self.run_dir, ignore_errors=True)

    def __enter__(self):
        return self.start()

    def __exit__(self, exc_type, exc, tb):
        # The run dir is kept when the block failed or MTA_KEEP is set.
        if exc_type is None and not os.environ.get("MTA_KEEP"):
            self.remove()
        else:
            self.stop()
            sys.stderr.write(f"# MTA run dir kept: {self.run_dir}\n")
        return False

    # -- what the tests look at

    @property
    def mailbox_path(self):
        return os.path.join(self.run_dir, "mail", "mbox")

    @property
    def log_path(self):
        return os.path.join(self.run_dir, "log", "mainlog")

    def mailbox_text(self):
        """The mbox file's text ("" before the first delivery)."""
        try:
            with open(self.mailbox_path, encoding="utf-8", errors="replace") as f:
                return f.read()
        except FileNotFoundError:
            return ""

    def log_text(self):
        try:
            with open(self.log_path, encoding="utf-8", errors="replace") as f:
                return f.read()
        except FileNotFoundError:
            return ""

    def _children(self):
        """PIDs whose parent is the Exim daemon, zombies too."""
        kids = []
        for d in os.listdir("/proc"):
            if not d.isdigit():
                continue
            try:
                with open(f"/proc/{d}/stat") as f:
                    stat = f.read()
            except OSError:
                continue
            if int(stat[stat.rindex(")") + 2:].split()[1]) == self.pid:
                kids.append(int(d))
        return kids

    def wait_idle(self, timeout=30.0):
        """Waits until the daemon has no child left, reaped ones included:
        Exim counts a connection against smtp_accept_max until it has
        reaped its child, which on a loaded machine can outlast a check
        run that just opened ~50 connections, and the next run's step 1
        then meets "421 too many connections".  True when idle in time."""
        deadline = time.monotonic() + timeout
        while self.pid is not None and time.monotonic() < deadline:
            if not self._children():
                return True
            time.sleep(0.1)
        return self.pid is not None and not self._children()

    def wait_mail(self, needle, count=1, timeout=10.0):
        """Poll until `needle` occurs `count` times in the mailbox (Exim
        delivers in a child after "250 OK"); returns the mailbox text or
        raises TimeoutError."""
        deadline = time.monotonic() + timeout
        while True:
            text = self.mailbox_text()
            if text.count(needle) >= count:
                return text
            if time.monotonic() >= deadline:
                raise TimeoutError(f"{needle!r} x{count} not in {self.mailbox_path} "
                                   f"after {timeout}s")
            time.sleep(0.02)


class _Daemon:
    """Stop and log of a daemon a tests/servers script started in run_dir
    (its files in run_dir/private, its log there as LOG)."""

    SCRIPT = LOG = None
    run_dir = None
    _log = ""

    def stop(self):
        if self.run_dir is None:
            return
        self._log = self.log_text()
        _run_sh("stop", self.run_dir, script=self.SCRIPT, timeout=30)
        shutil.rmtree(self.run_dir, ignore_errors=True)
        self.run_dir = None

    def __exit__(self, *exc):
        self.stop()
        return False

    def log_text(self):
        if self.run_dir is None:
            return self._log
        try:
            with open(os.path.join(self.run_dir, "private", self.LOG),
                      encoding="utf-8", errors="replace") as f:
                return f.read()
        except OSError:
            return ""


DOVECOT_SH = os.path.join(REPO, "tests", "servers", "dovecot.sh")


class Dovecot(_Daemon):
    """Dovecot's auth service (tests/servers/dovecot.sh) for a with-block:
    its oauth2 passdb asks introspection_url (RFC 7662) about each token.
    .socket is the auth-client socket for Mta(dovecot_socket=...);
    .log_text() Dovecot's log (auth_verbose)."""

    def __init__(self, introspection_url, start_timeout=15):
        self.url, self.start_timeout = introspection_url, start_timeout
        self.socket = None

    def __enter__(self):
        fetch(script=DOVECOT_SH)
        top = os.path.join(BUILD, "test-mta")
        os.makedirs(top, exist_ok=True)
        self.run_dir = tempfile.mkdtemp(prefix=f"dovecot-{os.getpid()}-", dir=top)
        r = _run_sh("start", self.run_dir, "--introspection-url", self.url,
                    "--timeout", str(self.start_timeout), script=DOVECOT_SH,
                    timeout=self.start_timeout + 30)
        if r.returncode != 0:
            shutil.rmtree(self.run_dir, ignore_errors=True)
            raise MtaError(f"dovecot.sh start failed:\n{r.stdout}{r.stderr}")
        self.socket = r.stdout.strip().splitlines()[-1]
        atexit.register(self.stop)
        return self

    SCRIPT, LOG = DOVECOT_SH, "log"


POSTFIX_SH = os.path.join(REPO, "tests", "servers", "postfix.sh")


class Postfix(_Daemon):
    """Postfix (tests/servers/postfix.sh, Debian's package unpacked under
    build/) for a with-block: one loopback STARTTLS port (.starttls_port)
    with the PKI's leaf certificate (.cafile verifies it), SASL by
    Dovecot's auth-client socket (Dovecot.socket), XOAUTH2 and OAUTHBEARER
    among its mechanisms; every message is discarded.  .log_text() is
    Postfix's log.  Raises MtaUnavailable where it cannot run."""

    def __init__(self, dovecot_socket, start_timeout=15):
        self.dovecot_socket, self.start_timeout = dovecot_socket, start_timeout
        self.starttls_port = self.cafile = self.pid = None

    def __enter__(self):
        fetch(script=POSTFIX_SH)
        pki = pki_dir()
        self.cafile = os.path.join(pki, "root.pem")
        top = os.path.join(BUILD, "test-mta")
        os.makedirs(top, exist_ok=True)
        self.run_dir = tempfile.mkdtemp(prefix=f"postfix-{os.getpid()}-", dir=top)
        self.starttls_port = _free_ports(1)[0]
        r = _run_sh("start", self.run_dir, "--port", str(self.starttls_port),
                    "--cert", os.path.join(pki, "leaf-chain.pem"),
                    "--key", os.path.join(pki, "leaf.key"),
                    "--dovecot-socket", self.dovecot_socket,
                    "--timeout", str(self.start_timeout), script=POSTFIX_SH,
                    timeout=self.start_timeout + 30)
        if r.returncode != 0:
            shutil.rmtree(self.run_dir, ignore_errors=True)
            self.run_dir = None
            raise MtaError(f"postfix.sh start failed:\n{r.stdout}{r.stderr}")
        with open(os.path.join(self.run_dir, "pid")) as f:
            self.pid = int(f.read().strip())
        atexit.register(self.stop)
        return self

    SCRIPT, LOG = POSTFIX_SH, "maillog"
