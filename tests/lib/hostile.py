"""hostile -- run tests/servers/hostile_smtp.py from a test, and judge
what smtpwiz printed about it.

    import sys, os
    sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
    import hostile

    with hostile.Hostile("endless-greeting") as srv:
        ... smtpwiz check 127.0.0.1:{srv.port} ...
        srv.log_text()          # what the server saw (C: lines, RESET, ...)

    problems = hostile.output_problems(proc_stdout_bytes + stderr_bytes)

Hostile(behaviour, host="127.0.0.1", tls=None) -- tls=True gives the
server the test PKI's leaf certificate (handshake-cut uses it to send
half of a real flight); by default it is given for the behaviours that
need it.  Started on a free port (the server writes a port file),
stopped by PID with SIGTERM, then SIGKILL.  The TUI tests (tmux) use
the same helper and the same behaviour names.
"""

import os
import subprocess
import sys
import tempfile
import time

import swtest

BEHAVIOURS = [
    "endless-greeting", "long-line", "no-crlf", "slow", "escapes",
    "starttls-garbage", "starttls-tls-garbage", "tls-absurd-length",
    "starttls-absurd-length", "handshake-cut", "starttls-handshake-cut",
    "silent", "reset-after-ehlo", "421-close", "auth-loop", "ehlo-10000",
]

_NEEDS_CERT = {"handshake-cut", "starttls-handshake-cut"}


def server_path():
    return os.path.join(swtest.servers_dir(), "hostile_smtp.py")


class Hostile:
    START_DEADLINE = 10.0
    STOP_GRACE = 3.0

    def __init__(self, behaviour, host="127.0.0.1", tls=None,
                 max_conn_seconds=60):
        if behaviour not in BEHAVIOURS:
            raise ValueError(f"unknown behaviour {behaviour!r}")
        self.behaviour = behaviour
        self.host = host
        self.tls = behaviour in _NEEDS_CERT if tls is None else tls
        self.max_conn_seconds = max_conn_seconds
        self.port = self.pid = self.proc = self.dir = None
        self._log_cache = ""

    def start(self):
        self.dir = tempfile.mkdtemp(prefix="swtest-hostile-")
        port_file = os.path.join(self.dir, "port")
        argv = [sys.executable, server_path(), "--behaviour", self.behaviour,
                "--host", self.host, "--port-file", port_file,
                "--pid-file", os.path.join(self.dir, "pid"),
                "--log", os.path.join(self.dir, "log"),
                "--max-conn-seconds", str(self.max_conn_seconds)]
        if self.tls:
            pki = swtest.pki()
            argv += ["--cert", os.path.join(pki, "leaf-chain.pem"),
                     "--key", os.path.join(pki, "leaf.key")]
        self._stderr = open(os.path.join(self.dir, "stderr"), "w+")
        self.proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL,
                                     stdout=self._stderr, stderr=self._stderr)
        deadline = time.monotonic() + self.START_DEADLINE
        while not os.path.exists(port_file):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self._stderr.seek(0)
                err = self._stderr.read()
                self.stop()
                raise RuntimeError(f"hostile_smtp.py did not start: {argv}\n{err}")
            time.sleep(0.02)      # polling the port file, bounded above
        with open(port_file) as f:
            self.port = int(f.read())
        self.pid = self.proc.pid
        return self

    def stop(self):
        if self.proc is None:
            return
        swtest.terminate(self.proc, self.STOP_GRACE)
        self._log_cache = self.log_text()
        self._stderr.close()
        self.proc = None
        swtest.remove_dir(self.dir, "hostile: files")

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
        return False

    def log_text(self):
        if self.proc is None:
            return self._log_cache
        try:
            with open(os.path.join(self.dir, "log"), encoding="latin-1") as f:
                return f.read()
        except FileNotFoundError:
            return ""

    @property
    def target(self):
        return (f"[{self.host}]" if ":" in self.host else self.host) + f":{self.port}"


def output_problems(data):
    """What is wrong with bytes smtpwiz printed: [] when they are safe
    for a terminal (no ESC, no NUL, no other C0 control but TAB/LF/CR,
    no C1 control, valid UTF-8)."""
    problems = []
    esc, nul = data.find(b"\x1b"), data.find(b"\x00")
    if esc >= 0:
        problems.append(f"raw ESC at offset {esc}")
    if nul >= 0:
        problems.append(f"NUL at offset {nul}")
    for b in set(data):
        if b < 0x20 and b not in (0x09, 0x0a, 0x0d, 0x1b, 0x00):
            problems.append(f"control byte 0x{b:02x}")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        problems.append(f"invalid UTF-8: {e}")
        return problems
    for ch in text:
        if 0x80 <= ord(ch) < 0xa0 or ord(ch) in (0x202e, 0x202d, 0x2066,
                                                  0x2067, 0x2068):
            problems.append(f"unsafe character U+{ord(ch):04X}")
            break
    return problems
