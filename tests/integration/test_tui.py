#!/usr/bin/python3
"""The wizard end to end: the real binary in tmux, driven by send-keys and
read back with capture-pane (tmux's own regress style).  A private tmux
server (-L swtest-PID, -f /dev/null) keeps the user's sessions out of it.
Every wait polls for a marker with a deadline; nothing sleeps blindly.

Covered: the start screen; typing host and port; step 1 finding
ssl-on-starttls-port and the fix applied with "a" (re-probe shows mode-ok);
walking n/p through every screen; the result block; q restoring the
terminal and printing the block; TERM=vt100 + LANG=C without line-drawing
bytes; the polite message below 80x24 and recovery after a resize; a key
answered within 100 ms while a slow server (greeting delay 5 s) is probed;
cancelling that probe; Ctrl-C.  TAP output.
"""

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
SECRET = "Pa55-w0rd"


class Tmux:
    """One private tmux server; one session per scenario."""

    def __init__(self, workdir):
        self.sock = f"swtest-{os.getpid()}"
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

    def start(self, name, args, x=80, y=24, env=None):
        """Runs smtpwiz ARGS in a new session; the shell prints its exit
        status afterwards and waits, so the pane keeps what was printed."""
        env = dict({"LC_ALL": "C.UTF-8", "TERM": "screen"}, **(env or {}))
        # build/smtpwiz finds ../assets itself; other builds are told.
        if os.path.dirname(os.path.abspath(SW)) != swtest.build_dir():
            env.setdefault("SMTPWIZ_ASSETS", os.path.join(swtest.repo_root(), "assets"))
        setenv = " ".join(f"{k}={swtest_quote(v)}" for k, v in env.items())
        cmd = (f"cd {swtest_quote(self.dir)} && env {setenv} {swtest_quote(SW)} "
               + " ".join(swtest_quote(a) for a in args)
               + f"; echo {EXITED}$?; exec sleep 600")
        r = self.run("new-session", "-d", "-s", name, "-x", str(x), "-y", str(y), cmd)
        if r.returncode != 0:
            raise RuntimeError(f"tmux new-session failed: {r.stderr}")

    def keys(self, name, *keys, literal=False):
        self.run("send-keys", "-t", name, *(["-l"] if literal else []), *keys)

    def screen(self, name):
        return self.run("capture-pane", "-p", "-t", name).stdout

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


def all_of(*markers):
    """A screen test: every marker is there.  Waiting for all of them, not
    the first, keeps a capture taken half way through a redraw out."""
    return lambda screen: all(m in screen for m in markers)


def swtest_quote(s):
    return "'" + str(s).replace("'", "'\\''") + "'"


def type_field(tm, name, text):
    """Enter opens the editor on the selected row; Ctrl-U clears it."""
    tm.keys(name, "Enter")
    ok, _ = tm.wait(name, " =")
    tm.keys(name, "C-u")
    tm.keys(name, text, literal=True)
    tm.keys(name, "Enter")
    return ok


def main_flow(t, tm, fx):
    """Start screen → step 1 → fix → all screens → result → q."""
    s = "flow"
    tm.start(s, [])
    ok, scr = tm.wait(s, all_of("Where to connect", "Mail server host", "q quit"))
    t.check("start screen appears", ok, scr)

    type_field(tm, s, "127.0.0.1")
    ok, scr = tm.wait(s, "Mail server host       127.0.0.1")
    t.check("host typed into the host field", ok, scr)
    tm.keys(s, "Down")
    type_field(tm, s, str(fx.port))
    ok, scr = tm.wait(s, lambda x: f"Port                   {fx.port}" in x)
    t.check("port typed into the port field", ok, scr)
    tm.keys(s, "Down", "Space", "Space")          # plain → starttls → ssl
    ok, scr = tm.wait(s, "Connection type        ssl")
    t.check("connection type set to ssl", ok, scr)

    tm.keys(s, "n")
    ok, scr = tm.wait(s, "Step 1 of 5")
    t.check("n goes to step 1", ok, scr)
    ok, scr = tm.wait(s, "FAIL ssl-on-starttls-port", timeout=20)
    t.check("step 1 finds ssl-on-starttls-port", ok, scr)

    tm.keys(s, "a")
    ok, scr = tm.wait(s, lambda x: "INFO mode-ok" in x
                      and "FAIL ssl-on-starttls-port" not in x, timeout=20)
    t.check("a applies the fix and the re-probe shows mode-ok", ok, scr)
    t.check("mode field shows starttls after the fix",
            "mode       starttls" in scr, scr)

    tm.keys(s, "?")
    ok, scr = tm.wait(s, all_of("Help: Protocol and port", "A mail server port speaks"))
    t.check("? shows step 1's help text from assets/help", ok, scr)
    tm.keys(s, "Escape")
    tm.wait(s, "Step 1 of 5")

    tm.keys(s, "d")
    ok, scr = tm.wait(s, all_of("What the server said", "Greeting", "EHLO reply",
                                "STARTTLS"))
    t.check("d shows step 1's data view", ok, scr)
    tm.keys(s, "d")

    walk = ["Step 2 of 5", "Step 3 of 5", "Step 4 of 5", "Step 5 of 5", "Result:"]
    seen = []
    for marker in walk:
        tm.keys(s, "n")
        ok, scr = tm.wait(s, marker)
        seen.append(ok)
    for marker in reversed(["Where to connect", "Step 1 of 5"] + walk[:-1]):
        tm.keys(s, "p")
        ok, scr = tm.wait(s, marker)
        seen.append(ok)
    for key, marker in [("Tab", "Step 1 of 5"), ("Right", "Step 2 of 5"),
                        ("BTab", "Step 1 of 5"), ("Left", "Where to connect")]:
        tm.keys(s, key)
        ok, scr = tm.wait(s, marker)
        seen.append(ok)
    t.check("n/p, Tab/Shift-Tab and Right/Left walk all screens and back",
            all(seen), {"steps": seen, "screen": scr})

    for _ in range(5):
        tm.keys(s, "n")
    ok, scr = tm.wait(s, all_of("Step 5 of 5", "Probed at"))
    tm.keys(s, "Home", "Down", "Down")
    tm.keys(s, "Enter")
    tm.wait(s, "mail.smtp.password =")
    tm.keys(s, SECRET, literal=True)
    ok, scr = tm.wait(s, "*" * len(SECRET))
    t.check("the password is typed hidden", ok and SECRET not in scr, scr)
    tm.keys(s, "Enter")
    ok, scr = tm.wait(s, "(set, hidden)")
    t.check("the password field never shows the password",
            ok and SECRET not in scr, scr)

    tm.keys(s, "n")
    ok, scr = tm.wait(s, all_of("Result:", "mail.smtp.ssl.enable=false",
                                "mail.smtp.starttls.required=true", "s save"))
    t.check("result screen shows mail.smtp.ssl.enable=false", ok, scr)
    t.check("result block leaves the password out",
            SECRET not in scr and "password is set but left out" in scr, scr)

    tm.keys(s, "y")
    ok, scr = tm.wait(s, "to the clipboard")
    buf = tm.run("show-buffer").stdout
    t.check("y copies the block with OSC 52",
            ok and "mail.smtp.ssl.enable=false" in buf and SECRET not in buf,
            {"buffer": buf, "screen": scr})

    path = os.path.join(tm.dir, "saved.properties")
    tm.keys(s, "s")
    ok, scr = tm.wait(s, "Save the block to:")
    tm.keys(s, "C-u")
    tm.keys(s, path, literal=True)
    tm.keys(s, "Enter")
    ok, scr = tm.wait(s, "Saved to")
    try:
        mode = os.stat(path).st_mode & 0o777
        with open(path) as f:
            text = f.read()
    except OSError as e:
        mode, text = None, str(e)
    t.check("s saves the block with mode 0600",
            ok and mode == 0o600 and "mail.smtp.ssl.enable=false" in text
            and SECRET not in text, {"mode": mode, "text": text, "screen": scr})

    tm.keys(s, "t")
    ok, scr = tm.wait(s, all_of("Transcript", "following", "Esc close"))
    t.check("t opens the transcript at its end", ok, scr)
    tm.keys(s, "Home")
    ok, scr = tm.wait(s, all_of("==== step 1: Protocol and port", "C: EHLO", " 1-"))
    t.check("Home scrolls the transcript to the first dialogue", ok, scr)
    tm.keys(s, "Escape")
    tm.wait(s, "Result:")

    tm.keys(s, "q")
    ok, scr = tm.wait(s, EXITED)
    t.check("q exits with status 0", ok and f"{EXITED}0" in scr, scr)
    t.check("the block is printed after exit, without the password",
            "mail.smtp.ssl.enable=false" in scr and "mail.smtp.host=127.0.0.1" in scr
            and SECRET not in scr, scr)
    t.check("terminal restored: alternate screen off, cursor visible",
            tm.fmt(s, "#{alternate_on} #{cursor_flag}") == "0 1",
            tm.fmt(s, "#{alternate_on} #{cursor_flag}"))
    tm.kill_session(s)


def ascii_terminal(t, tm, fx):
    s = "vt100"
    tm.start(s, [f"127.0.0.1:{fx.port}"], env={"TERM": "vt100", "LANG": "C", "LC_ALL": "C"})
    ok, scr = tm.wait(s, "Where to connect")
    t.check("TERM=vt100 LANG=C: start screen appears", ok, scr)
    tm.keys(s, "Enter")
    ok, scr = tm.wait(s, all_of("Probed at", "starttls-not-enabled", "q quit"),
                      timeout=20)
    bad = sorted({c for c in scr if ord(c) > 126 or (ord(c) < 32 and c != "\n")})
    t.check("TERM=vt100 LANG=C: step 1 drawn in plain ASCII", ok and not bad,
            {"bad": [hex(ord(c)) for c in bad], "screen": scr})
    t.check("TERM=vt100 LANG=C: rules are dashes, not line-drawing letters",
            "- Settings this step decides ---" in scr and "qqqq" not in scr, scr)
    tm.keys(s, "q")
    ok, scr = tm.wait(s, EXITED)
    t.check("TERM=vt100: q exits", ok and f"{EXITED}0" in scr, scr)
    tm.kill_session(s)


COLOUR_SGR = re.compile(r"\x1b\[(?:[0-9;]*;)?(?:3[0-7]|4[0-7]|9[0-7]|38;5;[0-9]+)[;m]")


def colours(t, tm, fx):
    """Colours by default on a colour terminal; none with NO_COLOR."""
    for name, env, want in [("colour", {}, True), ("nocolour", {"NO_COLOR": "1"}, False)]:
        tm.start(name, [f"127.0.0.1:{fx.port}"], env=env)
        tm.wait(name, all_of("Where to connect", "q quit"))
        raw = tm.run("capture-pane", "-p", "-e", "-t", name).stdout
        has = COLOUR_SGR.search(raw) is not None
        t.check(f"{'colours by default' if want else 'NO_COLOR: no colours'}",
                has == want, repr(raw[:400]))
        tm.keys(name, "q")
        tm.wait(name, EXITED)
        tm.kill_session(name)


def small_window(t, tm, fx):
    s = "small"
    tm.start(s, [f"127.0.0.1:{fx.port}"], x=60, y=20)
    ok, scr = tm.wait(s, all_of("needs at least 80x24", "60x20", "q quits"))
    t.check("60x20: the polite size message", ok, scr)
    t.check("60x20: nothing else is drawn", "Where to connect" not in scr, scr)
    tm.run("resize-window", "-t", s, "-x", "80", "-y", "24")
    ok, scr = tm.wait(s, "Where to connect")
    t.check("resized to 80x24: the start screen comes back", ok, scr)
    tm.run("resize-window", "-t", s, "-x", "70", "-y", "24")
    ok, scr = tm.wait(s, "this terminal is 70x24")
    t.check("shrunk to 70x24: the message again", ok, scr)
    tm.keys(s, "q")
    ok, scr = tm.wait(s, EXITED)
    t.check("q quits from the size message", ok, scr)
    tm.kill_session(s)


def time_key(tm, s, key, marker, gone=None):
    """Seconds from send-keys until marker is on screen (polled tightly:
    this is the measurement, not a wait)."""
    t0 = time.monotonic()
    tm.keys(s, key)
    ok, _ = tm.wait(s, (lambda x: marker in x and (gone is None or gone not in x)),
                    timeout=2.0, poll=0.002)
    return time.monotonic() - t0 if ok else None


def slow_server(t, tm):
    with swtest.Fixture(mode="starttls", greeting_delay=5) as fx:
        s = "slow"
        tm.start(s, [f"127.0.0.1:{fx.port}"])
        tm.wait(s, "Where to connect")
        tm.keys(s, "Enter")
        ok, scr = tm.wait(s, "Probing:")
        t.check("slow server: the spinner and progress line show", ok, scr)
        times = []
        for _ in range(3):
            times.append(time_key(tm, s, "t", "Transcript ("))
            tm.keys(s, "Escape")
            tm.wait(s, "Step 1 of 5")
        ok, scr = tm.wait(s, "Probing:")
        valid = [x for x in times if x is not None]
        median = sorted(valid)[len(valid) // 2] if len(valid) == 3 else None
        t.diag("key to transcript on screen: " + ", ".join(
            "%.0f ms" % (x * 1000) if x is not None else "timeout" for x in times))
        t.check("a key during the probe is answered within 100 ms",
                median is not None and median < 0.100,
                {"seconds": times, "still probing": ok})
        t.check("the probe was still running meanwhile", ok, scr)
        took = time_key(tm, s, "c", "Cancelled after")
        t.check("c cancels the probe promptly", took is not None and took < 1.0, took)
        tm.keys(s, "r")
        ok, scr = tm.wait(s, "Probing:")
        tm.keys(s, "C-c")
        ok, scr = tm.wait(s, EXITED, timeout=3)
        t.check("Ctrl-C during a probe exits at once with 130",
                ok and f"{EXITED}130" in scr, scr)
        t.check("Ctrl-C: terminal restored",
                tm.fmt(s, "#{alternate_on} #{cursor_flag}") == "0 1")
        tm.kill_session(s)


def main():
    if shutil.which("tmux") is None:
        swtest.skip_all("tmux is not installed")
    if not os.access(SW, os.X_OK):
        swtest.skip_all(f"{SW} is not built")
    workdir = tempfile.mkdtemp(prefix="swtest-tui-")
    with swtest.Suite() as t:
        tm = None
        try:
            tm = Tmux(workdir)
            with swtest.Fixture(mode="starttls", auth="PLAIN LOGIN") as fx:
                main_flow(t, tm, fx)
                ascii_terminal(t, tm, fx)
                colours(t, tm, fx)
                small_window(t, tm, fx)
            slow_server(t, tm)
        finally:
            if tm is not None:
                tm.kill_server()
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
