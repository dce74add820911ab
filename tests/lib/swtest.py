"""swtest -- tiny helpers for smtpwiz's Python integration tests.

Standard library only; runs with Debian's /usr/bin/python3 (3.11).

    import sys, os
    sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
    import swtest

    with swtest.Suite() as t:                      # prints TAP, exits 0/1 at the end
        with swtest.Fixture(mode="starttls", auth="PLAIN",
                            passwords={"alice": "s3cret"}) as fx:
            data, code = swtest.run_json([swtest.smtpwiz_bin(), "check",
                                          "--format", "json", f"127.0.0.1:{fx.port}"])
            t.check("exit status 0", code == 0, diag=data)

Output is TAP: "ok N - name", "not ok N - name" followed by "# " diagnostic
lines, "ok N - name # SKIP reason", and the plan "1..N" at the end.
swtest.skip_all(reason) skips a whole file (TAP "1..0 # SKIP", exit 77, the
automake convention for a skipped test).
"""

import fcntl
import json
import os
import pathlib
import re
import signal
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import traceback

# --------------------------------------------------------------------------
# TAP


def _diag_lines(diag):
    if diag is None or diag == "":
        return []
    if not isinstance(diag, str):
        try:
            diag = json.dumps(diag, indent=2, default=str)
        except (TypeError, ValueError):
            diag = repr(diag)
    return ["# " + line for line in diag.rstrip("\n").split("\n")]


class Suite:
    """A TAP test run.  Use as a context manager, or call done() yourself.

    check(name, cond, diag="")  -> bool(cond); diag (str, or anything JSON-able)
                                   is printed only when the check fails
    skip(name, reason)
    diag(text)                  -> free "# " comment lines
    done()                      -> prints the plan, exits 0 if nothing failed, else 1
    An exception escaping the with-block is reported as a failed test.
    """

    def __init__(self):
        self.n = 0
        self.failed = 0
        # TAP consumers read stdout line by line; interleaving with stderr
        # of child processes is easier to follow unbuffered.
        sys.stdout.reconfigure(line_buffering=True)

    def check(self, name, cond, diag=""):
        self.n += 1
        ok = bool(cond)
        name = name.replace("\n", " ").replace("#", "\\#")
        print(f"{'ok' if ok else 'not ok'} {self.n} - {name}")
        if not ok:
            self.failed += 1
            for line in _diag_lines(diag):
                print(line)
        return ok

    def skip(self, name, reason):
        self.n += 1
        print(f"ok {self.n} - {name} # SKIP {reason}")

    def diag(self, text):
        for line in _diag_lines(text):
            print(line)

    def done(self):
        print(f"1..{self.n}")
        sys.exit(1 if self.failed else 0)

    def __enter__(self):
        return self

    def __exit__(self, etype, value, tb):
        if etype is SystemExit:
            return False
        if etype is not None:
            self.check(f"no unexpected exception ({etype.__name__})", False,
                       "".join(traceback.format_exception(etype, value, tb)))
        self.done()


def skip_all(reason):
    """Skip the whole test file: TAP skip-all line, exit status 77."""
    print(f"1..0 # SKIP {reason}")
    sys.stdout.flush()
    sys.exit(77)


# --------------------------------------------------------------------------
# Paths

def repo_root():
    return str(pathlib.Path(__file__).resolve().parents[2])


def build_dir():
    return os.path.join(repo_root(), "build")


def smtpwiz_bin():
    return os.environ.get("SMTPWIZ") or os.path.join(build_dir(), "smtpwiz")


def tls13_build(binary=None):
    """Can this build complete a TLS 1.3 handshake (mbedTLS 3.6: yes,
    2.28: no)?  Read from the first line of `smtpwiz --version`.  Tests
    of what needs TLS 1.3 assert the real verdict on the one build and
    "not checked" with a non-zero exit on the other."""
    out = subprocess.run([binary or smtpwiz_bin(), "--version"], capture_output=True,
                         text=True, timeout=30).stdout
    return re.search(r"completes handshakes with \S+ to TLSv1\.3", out) is not None


def servers_dir():
    return os.path.join(repo_root(), "tests", "servers")


# soon.pem expires 10 days after the PKI is made and leaf.pem after a year:
# a PKI older than this is made again so "soon" stays soon and "leaf" valid.
PKI_MAX_AGE = 2 * 86400


def _pki_fresh(done):
    try:
        return time.time() - os.stat(done).st_mtime < PKI_MAX_AGE
    except FileNotFoundError:
        return False


def pki():
    """The test PKI directory (build/test-pki), generated on first use.

    Several test processes may call this at once: an flock on a lock file
    serialises them, and mkpki.sh's .done marker makes later calls free.
    """
    path = os.path.join(build_dir(), "test-pki")
    done = os.path.join(path, ".done")
    if _pki_fresh(done):
        return path
    os.makedirs(build_dir(), exist_ok=True)
    with open(path + ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)      # released when the file closes
        if not _pki_fresh(done):
            if os.path.exists(done):
                os.remove(done)               # stale: mkpki.sh redoes everything
            r = subprocess.run(["bash", os.path.join(servers_dir(), "mkpki.sh"), path],
                               capture_output=True, text=True)
            if r.returncode != 0:
                raise RuntimeError(f"mkpki.sh failed ({r.returncode}):\n{r.stderr}")
    return path


# --------------------------------------------------------------------------
# Processes

def free_port(host="127.0.0.1"):
    """A port that was free a moment ago (racy by nature: prefer port=0)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def run(args, input=None, timeout=60, env=None):
    """Run a command, text in and out.  Never raises on failure or timeout.

    env: variables to set on top of os.environ (a value of None removes one).
    A timeout kills the command and returns returncode 124 (like timeout(1))
    with whatever output it had produced.
    """
    full_env = dict(os.environ)
    for k, v in (env or {}).items():
        if v is None:
            full_env.pop(k, None)
        else:
            full_env[k] = v
    args = [str(a) for a in args]
    try:
        return subprocess.run(args, input=input, capture_output=True, text=True,
                              timeout=timeout, env=full_env)
    except subprocess.TimeoutExpired as e:
        def text(b):
            return b.decode("utf-8", "replace") if isinstance(b, bytes) else (b or "")
        return subprocess.CompletedProcess(
            args, 124, text(e.stdout),
            text(e.stderr) + f"\n[swtest: killed after {timeout}s timeout]\n")


class JsonResult(tuple):
    """(data, code) -- unpacks as a pair; .proc is the CompletedProcess.

    data is None when stdout is not JSON (look at .proc.stdout then).
    """

    def __new__(cls, data, code, proc):
        self = super().__new__(cls, (data, code))
        self.proc = proc
        return self

    data = property(lambda self: self[0])
    code = property(lambda self: self[1])


def run_json(args, input=None, timeout=60, env=None):
    proc = run(args, input=input, timeout=timeout, env=env)
    try:
        data = json.loads(proc.stdout)
    except ValueError:
        data = None
    return JsonResult(data, proc.returncode, proc)


class CheckRunner:
    """`smtpwiz check` as the tests that log in run it: no terminal (a new
    session, stdin from /dev/null), SMTPWIZ_PASSWORD and the proxy's
    password out of the environment unless given, a --log per run, the
    secrets in 0600 files.  Everything a run printed or logged (and its
    argv) is kept in .outputs, where the leak checks look for a secret.
    """

    def __init__(self, prefix):
        self.tmp = tempfile.mkdtemp(prefix=prefix)
        self.outputs = []
        self.last_log = ""          # the transcript of the last run

    def secret_file(self, secret, name=None):
        """secret and a newline in a new 0600 file; its path."""
        path = os.path.join(self.tmp, name or "pw-%d" % len(self.outputs))
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secret + "\n")
        return path

    def run(self, args, fmt="json", env=None, timeout=120):
        """smtpwiz check --format fmt --log LOG ARGS...: (proc, data),
        data the parsed JSON report, or None (not JSON, or not asked)."""
        log = os.path.join(self.tmp, "log-%d" % len(self.outputs))
        argv = [smtpwiz_bin(), "check", "--format", fmt, "--log", log] + \
            [str(a) for a in args]
        full = dict(os.environ)
        full.setdefault("SMTPWIZ_ASSETS", os.path.join(repo_root(), "assets"))
        full.pop("SMTPWIZ_PASSWORD", None)
        full.pop("SMTPWIZ_PROXY_PASSWORD", None)
        full.update(env or {})
        p = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True,
                           text=True, timeout=timeout, env=full,
                           start_new_session=True)
        try:
            with open(log) as f:
                logged = f.read()
        except FileNotFoundError:
            logged = ""
        self.outputs.append(" ".join(argv) + p.stdout + p.stderr + logged)
        self.last_log = logged
        try:
            data = json.loads(p.stdout) if fmt == "json" else None
        except ValueError:
            data = None
        return p, data


def step(data, n):
    """Step n's object of a report ({} when absent)."""
    for s in (data or {}).get("steps", []):
        if s.get("step") == n:
            return s
    return {}


def finding(data, n, fid):
    """The finding fid of step n, or None."""
    for f in step(data, n).get("findings", []):
        if f["id"] == fid:
            return f
    return None


# --------------------------------------------------------------------------
# The fixture SMTP server

def terminate(proc, grace):
    """Stops a server started with Popen: SIGTERM, then SIGKILL after
    grace seconds; waits for it either way."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(grace)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def remove_dir(path, what):
    """Removes a test's temp dir, or with SWTEST_KEEP=1 keeps it and says
    where ("<what> kept in <path>" on stderr)."""
    if os.environ.get("SWTEST_KEEP"):
        print(f"{what} kept in {path}", file=sys.stderr)
    else:
        shutil.rmtree(path, ignore_errors=True)


class Fixture:
    """Run tests/servers/fixture_smtp.py for the duration of a with-block.

    Keyword arguments become its options: tls_max="TLSv1.2" -> --tls-max TLSv1.2,
    server_order=True -> --server-order, False/None -> left out, a list or
    tuple is joined with spaces (ehlo_extra with commas).  Extras:
      passwords={"user": "pw"}  written to a 0600 file, passed as --passwd-file
      pki_cert="expired"        serve PKI cert NAME-chain.pem (or NAME.pem if
                                there is no chain file) with NAME.key
    starttls/ssl modes with no cert serve the good leaf-chain.pem.
    The log and mailbox go to the fixture's temp dir unless given.

    Attributes: .host .port .pid .dir .returncode (after exit)
    Methods:    .log_text() .mailbox_text() .commands() .wait_log(text)
    Set SWTEST_KEEP=1 to keep the temp dir (its path goes to stderr).
    """

    START_DEADLINE = 10.0
    STOP_GRACE = 3.0

    def __init__(self, **opts):
        self.opts = opts
        self.host = opts.get("host", "127.0.0.1")
        self.port = None
        self.pid = None
        self.proc = None
        self.dir = None
        self.returncode = None
        self._cache = {}

    # ---- start / stop --------------------------------------------------
    def _argv(self):
        opts = dict(self.opts)
        passwords = opts.pop("passwords", None)
        pki_cert = opts.pop("pki_cert", None)
        if passwords is not None:
            path = os.path.join(self.dir, "passwd")
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w") as f:
                f.writelines(f"{u}:{p}\n" for u, p in passwords.items())
            opts["passwd_file"] = path
        if pki_cert or (opts.get("mode") in ("starttls", "ssl") and "cert" not in opts):
            base = os.path.join(pki(), pki_cert or "leaf")
            opts.setdefault("cert", base + "-chain.pem"
                            if os.path.exists(base + "-chain.pem") else base + ".pem")
            opts.setdefault("key", base + ".key")
        opts.setdefault("log", os.path.join(self.dir, "log"))
        opts.setdefault("mailbox", os.path.join(self.dir, "mailbox"))
        opts["port_file"] = os.path.join(self.dir, "port")
        opts["pid_file"] = os.path.join(self.dir, "pid")

        argv = [sys.executable, os.path.join(servers_dir(), "fixture_smtp.py")]
        for key, value in opts.items():
            flag = "--" + key.replace("_", "-")
            if value is True:
                argv.append(flag)
            elif value is False or value is None:
                continue
            elif isinstance(value, (list, tuple)):
                sep = "," if key == "ehlo_extra" else " "
                argv += [flag, sep.join(str(v) for v in value)]
            else:
                argv += [flag, str(value)]
        return argv

    def start(self):
        self.dir = tempfile.mkdtemp(prefix="swtest-fixture-")
        self.argv = self._argv()
        self._stderr = open(os.path.join(self.dir, "stderr"), "w+")
        self.proc = subprocess.Popen(self.argv, stdin=subprocess.DEVNULL,
                                     stdout=self._stderr, stderr=self._stderr)
        port_file = os.path.join(self.dir, "port")
        deadline = time.monotonic() + self.START_DEADLINE
        while True:
            if os.path.exists(port_file):
                with open(port_file) as f:
                    self.port = int(f.read())
                break
            if self.proc.poll() is not None or time.monotonic() > deadline:
                why = ("exited with status %d" % self.proc.returncode
                       if self.proc.returncode is not None
                       else f"no port file after {self.START_DEADLINE:.0f}s")
                err = self.stderr_text()
                self.stop()
                raise RuntimeError(f"fixture_smtp.py {why}\nargv: {self.argv}\n{err}")
            time.sleep(0.02)       # polling the port file, bounded by the deadline
        self.pid = self.proc.pid   # the server re-executes itself, keeping its PID
        return self

    def stop(self):
        if self.proc is None:
            return
        terminate(self.proc, self.STOP_GRACE)
        self.returncode = self.proc.returncode
        # Keep what tests may still ask for after the with-block.
        self._cache = {"log": self.log_text(), "mailbox": self.mailbox_text(),
                       "stderr": self.stderr_text()}
        self._stderr.close()
        self.proc = None
        remove_dir(self.dir, "swtest: fixture files")

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
        return False

    # ---- what the server saw ---------------------------------------------
    def _read(self, what, path):
        if self.proc is None and what in self._cache:
            return self._cache[what]
        try:
            with open(path, encoding="utf-8", errors="replace") as f:
                return f.read()
        except FileNotFoundError:
            return ""

    def log_text(self):
        return self._read("log", self.opts.get("log") or os.path.join(self.dir, "log"))

    def mailbox_text(self):
        return self._read("mailbox", self.opts.get("mailbox")
                          or os.path.join(self.dir, "mailbox"))

    def stderr_text(self):
        return self._read("stderr", os.path.join(self.dir, "stderr"))

    def commands(self):
        """Every line the server received, in order, across all connections."""
        out = []
        for line in self.log_text().splitlines():
            _, _, rest = line.partition(" C: ")
            if " C: " in line:
                out.append(rest)
        return out

    def wait_log(self, text, timeout=5.0):
        """True once `text` appears in the log (the server logs asynchronously
        to the client, e.g. CLOSE or TLS-FAIL lines)."""
        deadline = time.monotonic() + timeout
        while text not in self.log_text():
            if time.monotonic() > deadline:
                return False
            time.sleep(0.02)
        return True

    @property
    def addr(self):
        return (self.host, self.port)


def secret_forms(user, secret):
    """A secret as it is, in the base64 forms the AUTH mechanisms (and a
    form body) send, percent-encoded, and the base64 'core' of it at each
    of the three byte alignments (found inside any base64 text that embeds
    it): what a leak check looks for."""
    import base64
    import urllib.parse
    b64 = lambda b: base64.b64encode(b).decode()
    u, p = user.encode(), secret.encode()
    forms = {secret, b64(p), b64(b"\0" + u + b"\0" + p), b64(u + b"\0" + p),
             b64(u + b"\0" + u + b"\0" + p),
             b64(b"user=" + u + b"\x01auth=Bearer " + p + b"\x01\x01"),
             urllib.parse.quote_plus(secret)}
    for k in range(3):
        enc = b64(b"\0" * k + p)
        core = "".join(c for i, c in enumerate(enc)
                       if 6 * i >= 8 * k and 6 * i + 6 <= 8 * (k + len(p)))
        forms.add(core)
    return sorted(forms, key=len)


class TokenEndpoint:
    """tests/servers/token_endpoint.py for a with-block: a loopback HTTPS
    OAuth2 token endpoint with the test PKI's good certificate (valid for
    "localhost"), holding cfg (tenant, client_id, client_secret,
    refresh_token, access_token, user) in a 0600 file.

    .url(path) gives https://localhost:PORT/path; .entra_url is the
    tenant's v2.0 endpoint, .google_url Google's; .log_text() what it
    logged (paths, grants, client ids: never secrets)."""

    def __init__(self, cfg, chunked=False, plain=False, pki_dir=None):
        self.cfg, self.chunked, self.plain = cfg, chunked, plain
        self.pki_dir = pki_dir          # None: pki()
        self.proc = self.port = self.dir = None

    def __enter__(self):
        self.dir = tempfile.mkdtemp(prefix="swtest-token-")
        conf = os.path.join(self.dir, "config.json")
        fd = os.open(conf, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as f:
            json.dump(self.cfg, f)
        port_file = os.path.join(self.dir, "port")
        base = os.path.join(self.pki_dir or pki(), "leaf")
        argv = [sys.executable, os.path.join(servers_dir(), "token_endpoint.py"),
                "--config", conf, "--cert", base + "-chain.pem", "--key", base + ".key",
                "--port-file", port_file, "--log", os.path.join(self.dir, "log")]
        if self.chunked:
            argv.append("--chunked")
        if self.plain:
            argv.append("--plain")
        self._err = open(os.path.join(self.dir, "stderr"), "w+")
        self.proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=self._err,
                                     stderr=self._err)
        deadline = time.monotonic() + 10
        while not os.path.exists(port_file):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self._err.seek(0)
                err = self._err.read()
                self.__exit__()
                raise RuntimeError("token_endpoint.py did not start:\n" + err)
            time.sleep(0.02)
        with open(port_file) as f:
            self.port = int(f.read())
        return self

    def __exit__(self, *exc):
        if self.proc is not None:
            terminate(self.proc, 3.0)
            self._log = self.log_text()
            self._err.close()
            self.proc = None
            remove_dir(self.dir, "swtest: token endpoint files")
        return False

    def url(self, path):
        scheme = "http" if self.plain else "https"
        return "%s://localhost:%d%s" % (scheme, self.port, path)

    @property
    def entra_url(self):
        return self.url("/%s/oauth2/v2.0/token" % self.cfg["tenant"])

    @property
    def google_url(self):
        return self.url("/token")

    def log_text(self):
        if self.proc is None and hasattr(self, "_log"):
            return self._log
        try:
            with open(os.path.join(self.dir, "log")) as f:
                return f.read()
        except FileNotFoundError:
            return ""
