"""Shared by the TUI tests (test_tui*.py): the real smtpwiz binary in a
private tmux server, driven with send-keys and read back with
capture-pane (tmux's own regress style).  Not a test itself: it is not
executable, so tests/run.sh leaves it alone.

A private server (-L swtest-PID-NAME, -f /dev/null) keeps the user's
sessions out.  Every wait polls for a marker with a deadline; nothing
sleeps blindly.  After smtpwiz exits, the session's shell prints
EXITED rc=N and then `stty -a`, so a test can see that the terminal
came back in canonical mode with echo on.
"""

import contextlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import swtest  # noqa: E402

SW = swtest.smtpwiz_bin()
POLL = 0.05         # seconds between two looks at the screen
EXITED = "EXITED rc="
STTY_END = "STTY-END"


@contextlib.contextmanager
def wizard_suite(tag):
    """The frame of every wizard test: the tools checked, a TAP suite
    and a private tmux server in a temporary directory.  Yields
    (t, tm, workdir); the server is killed and the directory removed
    however the block ends."""
    require_tools()
    workdir = tempfile.mkdtemp(prefix=f"swtest-tui-{tag}-")
    with swtest.Suite() as t:
        tm = None
        try:
            tm = Tmux(workdir, tag)
            yield t, tm, workdir
        finally:
            if tm is not None:
                tm.kill_server()
            shutil.rmtree(workdir, ignore_errors=True)


def quote(s):
    return "'" + str(s).replace("'", "'\\''") + "'"


def require_tools():
    """Skips the whole file when tmux or the binary is missing."""
    import shutil
    if shutil.which("tmux") is None:
        swtest.skip_all("tmux is not installed")
    if not os.access(SW, os.X_OK):
        swtest.skip_all(f"{SW} is not built")


class Tmux:
    """One private tmux server; one session per scenario."""

    def __init__(self, workdir, tag="tui"):
        self.sock = f"swtest-{os.getpid()}-{tag}"
        self.dir = workdir
        # A session that lives as long as the test: killing the last
        # session stops the server, and a new-session racing with that
        # shutdown fails ("server exited unexpectedly").
        r = self.run("new-session", "-d", "-s", "keeper", "exec sleep 3600")
        if r.returncode != 0:
            raise RuntimeError(f"tmux new-session failed: {r.stderr}")
        # OSC 52 from the application becomes a tmux paste buffer.
        self.run("set-option", "-s", "set-clipboard", "on")

    def run(self, *args):
        return subprocess.run(["tmux", "-L", self.sock, "-f", "/dev/null", *args],
                              capture_output=True, text=True, timeout=10)

    def start(self, name, args, x=80, y=24, env=None, prog=None, raw_log=None):
        """Runs smtpwiz ARGS (or prog) in a new session.  Afterwards the
        shell prints the exit status and `stty -a`, then waits, so the
        pane keeps what was printed.  raw_log: a file that gets every
        byte the program writes to the terminal (tmux pipe-pane)."""
        env = dict({"LC_ALL": "C.UTF-8", "TERM": "screen"}, **(env or {}))
        # build/smtpwiz finds ../assets itself; other builds are told.
        if os.path.dirname(os.path.abspath(SW)) != swtest.build_dir():
            env.setdefault("SMTPWIZ_ASSETS", os.path.join(swtest.repo_root(), "assets"))
        setenv = " ".join(f"{k}={quote(v)}" for k, v in env.items())
        argv = prog or [SW]
        wait = "read -r _go; " if raw_log else ""
        cmd = (f"cd {quote(self.dir)} && {wait}env {setenv} "
               + " ".join(quote(a) for a in list(argv) + list(args))
               + f"; echo {EXITED}$?; stty -a; echo {STTY_END}; exec sleep 600")
        r = self.run("new-session", "-d", "-s", name, "-x", str(x), "-y", str(y), cmd)
        if r.returncode != 0:
            raise RuntimeError(f"tmux new-session failed: {r.stderr}")
        if raw_log:
            # The program starts only once the pipe is in place.
            self.run("pipe-pane", "-o", "-t", name, f"cat >> {quote(raw_log)}")
            self.keys(name, "Enter")

    def keys(self, name, *keys, literal=False):
        self.run("send-keys", "-t", name, *(["-l"] if literal else []), *keys)

    def screen(self, name):
        return self.run("capture-pane", "-p", "-t", name).stdout

    def history(self, name):
        """The whole pane, scroll-back included."""
        return self.run("capture-pane", "-p", "-S", "-", "-t", name).stdout

    def fmt(self, name, fmt):
        return self.run("display-message", "-p", "-t", name, fmt).stdout.strip()

    def wait(self, name, cond, timeout=10.0, poll=POLL):
        """(True, screen) once cond (a string, or a function of the screen)
        holds; (False, last screen) when the deadline passes."""
        test = cond if callable(cond) else (lambda s: cond in s)
        deadline = time.monotonic() + timeout
        while True:
            s = self.screen(name)
            if test(s):
                return True, s
            if time.monotonic() > deadline:
                return False, s
            time.sleep(poll)

    def resize(self, name, x, y):
        self.run("resize-window", "-t", name, "-x", str(x), "-y", str(y))

    def kill_session(self, name):
        self.run("kill-session", "-t", name)

    def kill_server(self):
        """Stops the server and removes its socket file, which tmux leaves."""
        path = self.run("display-message", "-p", "#{socket_path}").stdout.strip()
        self.run("kill-server")
        if path.endswith("/" + self.sock):
            try:
                os.unlink(path)
            except OSError:
                pass


def wizard_pid(tm, s):
    """The PID of the program running in session s (the shell's child),
    or None."""
    shell = tm.fmt(s, "#{pane_pid}")
    r = subprocess.run(["pgrep", "-P", shell], capture_output=True, text=True)
    pids = r.stdout.split()
    return int(pids[0]) if pids else None


def all_of(*markers):
    """A screen test: every marker is there.  Waiting for all of them, not
    the first, keeps a capture taken half way through a redraw out."""
    return lambda screen: all(m in screen for m in markers)


def type_field(tm, name, text):
    """Enter opens the editor on the selected row; Ctrl-U clears it."""
    tm.keys(name, "Enter")
    ok, _ = tm.wait(name, " =")
    tm.keys(name, "C-u")
    tm.keys(name, text, literal=True)
    tm.keys(name, "Enter")
    return ok


def exit_state(tm, name, timeout=10.0):
    """After smtpwiz exits: (exit status or None, stty flags dict, screen).
    The flags say whether icanon and echo are on again."""
    ok, scr = tm.wait(name, STTY_END, timeout=timeout)
    text = tm.history(name)
    m = re.search(re.escape(EXITED) + r"(\d+)", text)
    rc = int(m.group(1)) if m else None
    tail = text[text.rfind(EXITED):] if EXITED in text else ""
    flags = {}
    for flag in ("icanon", "echo", "isig", "icrnl", "opost"):
        mm = re.search(r"(?:^|\s)(-?)" + flag + r"(?=\s|$)", tail, re.M)
        flags[flag] = None if mm is None else mm.group(1) != "-"
    return rc, flags, text


def verdict_status(rc):
    """q left the wizard normally: the exit status is check's rule (0 only
    when the block was verified, else the first failing or unchecked
    step, 1-5), not a signal's 128+N or a crash."""
    return rc is not None and 0 <= rc <= 5


def result_settled(screen):
    """The result screen with every step probed and the verification's
    outcome above the block (VERIFIED, NOT WORKING YET, NOT VERIFIED)."""
    head = screen.split("Form      (f)")[0]
    return ("Result:" in head and "probing" not in head and "stale" not in head
            and "not run" not in head and "Verifying" not in head
            and ("\nVERIFIED: " in head or "NOT WORKING YET" in head
                 or ("NOT VERIFIED:" in head and "runs once" not in head
                     and "not run yet" not in head)))


def whole_block(tm, s, marker):
    """The result screen's block from top to bottom: it is longer than
    the window, so page down until its last key (the write timeout) or
    a page that does not change."""
    tm.keys(s, "g")
    ok, scr = tm.wait(s, marker)
    pages = [scr]
    for _ in range(6):
        if "mail.smtp.writetimeout" in pages[-1]:
            break
        tm.keys(s, "PageDown")
        ok, scr = tm.wait(s, lambda x: x != pages[-1], timeout=1.0)
        if not ok:
            break
        pages.append(scr)
    tm.keys(s, "g")
    tm.wait(s, lambda x: x == pages[0], timeout=2.0)
    return "".join(pages)


def terminal_sane(tm, name, flags):
    """The terminal as a shell expects it: canonical mode, echo, signals,
    output processing; alternate screen off, cursor visible."""
    return (all(flags.get(f) for f in ("icanon", "echo", "isig", "icrnl", "opost"))
            and tm.fmt(name, "#{alternate_on} #{cursor_flag}") == "0 1")


def frame_intact(screen, cols=80, rows=24, keys="q quit"):
    """The wizard's frame is whole: the title row, the key row (keys:
    what it must show), and no row wider than the window (a raw byte
    that moved the cursor would show as a broken frame)."""
    lines = screen.split("\n")
    while len(lines) > rows and lines[-1] == "":
        lines.pop()
    return (len(lines) == rows and lines[0].startswith(" smtpwiz ")
            and keys in lines[-1]
            and all(len(line) <= cols for line in lines))


def time_key(tm, s, key, marker, gone=None, timeout=2.0):
    """Seconds from send-keys until marker is on screen (polled tightly:
    this is the measurement, not a wait)."""
    t0 = time.monotonic()
    tm.keys(s, key)
    ok, _ = tm.wait(s, (lambda x: marker in x and (gone is None or gone not in x)),
                    timeout=timeout, poll=0.002)
    return time.monotonic() - t0 if ok else None
