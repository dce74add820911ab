#!/usr/bin/python3
"""The wizard against hostile servers (tests/servers/hostile_smtp.py via
tests/lib/hostile.py, the same behaviours the batch tests use): the
screen stays intact and readable, and no byte the server sent reaches
the terminal as it was.

Each behaviour runs in its own tmux session, all at once.  Servers that
stall (silent, no CRLF, one byte a second) are judged mid-probe: the
screen answers and c stops the probe.  tmux
pipe-pane records every byte smtpwiz writes to the terminal; the
server's escape sequences (window title, OSC 52 clipboard, OSC 8 links,
8-bit CSI, bidi overrides, NUL) must not be among them.  Then per
session: step 1 ends within a bound and says what happened, the frame
is whole, the data view shows the server's text with visible escapes
(over-long lines cut visibly), the transcript opens at once even after
10,000 EHLO lines, the window title and the clipboard are untouched,
and q restores the terminal.  Also: an AUTH challenge loop (after the
wizard asked before sending the password without TLS), and a
certificate whose names carry escape sequences, shown on step 2.  TAP.
"""

import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import test_tui_common as tc  # noqa: E402
from test_tui_common import all_of  # noqa: E402
import swtest  # noqa: E402

try:
    import hostile  # noqa: E402  (tests/lib, on the path via test_tui_common)
except ImportError:
    hostile = None

# Behaviour -> (what the findings must say, what the data view shows).
CASES = {
    "escapes": ([], ["\\x1b[2J", "owned"]),  # escapes made visible
    "ehlo-10000": (["ehlo-bad-reply", "more than 256"], ["EHLO reply"]),
    "long-line": (["not-smtp", "longer than 2048"], ["Greeting"]),
    "endless-greeting": (["not-smtp", "more than 256"], ["Greeting"]),
    "reset-after-ehlo": ([], ["Greeting"]),
    "421-close": (["421"], ["421"]),
    "starttls-garbage": ([], ["STARTTLS"]),
    "starttls-tls-garbage": ([], ["TLS"]),
    "starttls-absurd-length": ([], ["TLS"]),
    "starttls-handshake-cut": ([], ["TLS"]),
    "tls-absurd-length": ([], ["Mode"]),
    "handshake-cut": ([], ["Mode"]),
}

# Servers that stall: the probe would wait for its 30 s read timeout, so
# the test checks the screen answers meanwhile and that c stops it.
STALLS = ["silent", "no-crlf", "slow"]

# Raw bytes of the server's payload that must never reach the terminal.
FORBIDDEN = [b"\x1b]0;", b"\x1b]52;", b"\x1b]8;", b"\xc2\x9b", b"\x9b6n",
             b"\xe2\x80\xae", b"\x00", b"\x07", b"\x7f", b"\x1b[31;1m"]


def session(name):
    return name.replace(".", "-")


def start_all(tm, servers, workdir):
    for name, srv in servers.items():
        raw = os.path.join(workdir, f"{session(name)}.raw")
        tm.start(session(name), [srv.target], raw_log=raw)
    for name in servers:
        tm.wait(session(name), "Step 1 of 5")


def judge(t, tm, name, srv, workdir):
    s = session(name)
    t0 = time.monotonic()
    ok, scr = tm.wait(s, lambda x: ("Probed at" in x or "could not run" in x)
                      and "Probing:" not in x, timeout=40)
    t.check(f"{name}: step 1 ends within the bound and says so",
            ok, {"seconds": time.monotonic() - t0, "screen": scr})
    findings, data = CASES[name]
    t.check(f"{name}: frame intact, the finding says what happened",
            tc.frame_intact(scr) and all(w in scr for w in findings), scr)
    tm.keys(s, "d")
    ok, scr = tm.wait(s, "What the server said")
    t.check(f"{name}: the data view shows the server's text, readable",
            ok and tc.frame_intact(scr) and all(w in scr for w in data), scr)
    took = tc.time_key(tm, s, "t", "Transcript (", timeout=3.0)
    ok, scr = tm.wait(s, "Esc close")
    t.check(f"{name}: the transcript opens at once, frame intact",
            took is not None and took < 0.5 and tc.frame_intact(scr, keys="Esc close"),
            {"seconds": took, "screen": scr})
    tm.keys(s, "Home")
    ok, scr = tm.wait(s, "==== step 1")
    t.check(f"{name}: the transcript's top, frame intact",
            ok and tc.frame_intact(scr, keys="Esc close"), scr)
    if name == "escapes":
        t.check("escapes: over-long lines are cut visibly in the transcript",
                scr.count("\u2026\n") >= 4, scr)
    tm.keys(s, "Escape")
    title = tm.fmt(s, "#{pane_title}")
    t.check(f"{name}: the window title is untouched", "owned" not in title, title)
    tm.keys(s, "q")
    rc, flags, text = tc.exit_state(tm, s)
    t.check(f"{name}: q exits as check would, terminal restored",
            tc.verdict_status(rc) and tc.terminal_sane(tm, s, flags), {"rc": rc, "flags": flags})
    tm.run("pipe-pane", "-t", s)             # closes the recording
    tm.kill_session(s)
    try:
        with open(os.path.join(workdir, f"{s}.raw"), "rb") as f:
            raw = f.read()
    except OSError:
        raw = b""
    # The shell's own output after exit is in the recording too: only
    # what came before "EXITED" is smtpwiz's.
    raw = raw.split(tc.EXITED.encode())[0]
    found = [repr(b) for b in FORBIDDEN if b in raw]
    t.check(f"{name}: none of the server's control bytes reached the terminal",
            raw and not found, {"found": found, "bytes": len(raw)})


def auth_loop(t, tm, workdir):
    """auth-loop: AUTH answered with 334 forever.  It has no TLS, so the
    wizard asks first; after y the step must still end, readable."""
    props = os.path.join(workdir, "auth.properties")
    with open(props, "w") as f:
        f.write("mail.smtp.auth=true\nmail.smtp.user=alice\n"
                "mail.smtp.password=not-a-secret\n")
    with hostile.Hostile("auth-loop") as srv:
        s = "authloop"
        tm.start(s, ["--load", props, srv.target])
        tm.wait(s, "Step 1 of 5")
        tm.wait(s, "Probed at", timeout=20)
        for _ in range(4):
            tm.keys(s, "n")
        ok, scr = tm.wait(s, "Send the password unencrypted? [y/N]", timeout=20)
        t.check("auth-loop: asked before the password goes out without TLS", ok, scr)
        tm.keys(s, "y")
        ok, scr = tm.wait(s, lambda x: "Step 5 of 5" in x and "Probed at" in x
                          and "Probing:" not in x and "[y/N]" not in x, timeout=40)
        t.check("auth-loop: step 5 ends, frame intact", ok and tc.frame_intact(scr), scr)
        tm.keys(s, "q")
        rc, flags, _ = tc.exit_state(tm, s)
        t.check("auth-loop: q restores the terminal",
                tc.verdict_status(rc) and tc.terminal_sane(tm, s, flags), flags)
        tm.kill_session(s)


def stall(t, tm, name):
    s = session(name)
    ok, scr = tm.wait(s, "Probing:")
    took = tc.time_key(tm, s, "t", "Transcript (")
    t.check(f"{name}: the screen answers a key during the stall",
            ok and took is not None and took < 0.5, {"seconds": took, "screen": scr})
    tm.keys(s, "Escape")
    tm.wait(s, "Step 1 of 5")
    took = tc.time_key(tm, s, "c", "Cancelled after")
    ok, scr = tm.wait(s, "Cancelled after")
    t.check(f"{name}: c stops the probe at once, frame intact",
            took is not None and took < 1.0 and tc.frame_intact(scr),
            {"seconds": took, "screen": scr})
    tm.keys(s, "q")
    rc, flags, _ = tc.exit_state(tm, s)
    t.check(f"{name}: q restores the terminal",
            tc.verdict_status(rc) and tc.terminal_sane(tm, s, flags), flags)
    tm.kill_session(s)


def evil_certificate(t, tm, workdir):
    """A certificate whose subject and issuer names carry escape
    sequences and a bidi override: step 2 shows them, defused."""
    key, cert = os.path.join(workdir, "evil.key"), os.path.join(workdir, "evil.pem")
    subj = ("/CN=evil\x1b]0;owned\x07\x1b[2Jname\u202e"
            "/O=\x1b]52;c;cHduZWQ=\x07corp")
    r = subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                        "-keyout", key, "-out", cert, "-days", "30", "-utf8",
                        "-subj", subj, "-addext",
                        "subjectAltName=DNS:localhost,IP:127.0.0.1"],
                       capture_output=True)
    if r.returncode != 0:
        t.skip("a certificate with escapes in its names", "openssl could not make it")
        return
    raw_path = os.path.join(workdir, "evilcert.raw")
    with swtest.Fixture(mode="starttls", cert=cert, key=key) as fx:
        s = "evilcert"
        tm.start(s, [f"127.0.0.1:{fx.port}"], raw_log=raw_path)
        tm.wait(s, "Step 1 of 5")
        tm.wait(s, "Probed at", timeout=20)
        tm.keys(s, "n")
        ok, scr = tm.wait(s, all_of("Step 2 of 5", "Probed at"), timeout=20)
        t.check("evil certificate: step 2 probed, frame intact",
                ok and tc.frame_intact(scr), scr)
        tm.keys(s, "d")
        ok, scr = tm.wait(s, all_of("What the server said", "owned"))
        t.check("evil certificate: its names shown with visible escapes",
                ok and "\\x1b" in scr and tc.frame_intact(scr), scr)
        title = tm.fmt(s, "#{pane_title}")
        tm.keys(s, "q")
        rc, flags, _ = tc.exit_state(tm, s)
        sane = tc.terminal_sane(tm, s, flags)
        tm.run("pipe-pane", "-t", s)
        tm.kill_session(s)
    t.check("evil certificate: window title untouched, terminal restored",
            "owned" not in title and tc.verdict_status(rc) and sane,
            {"title": title, "rc": rc, "flags": flags})
    try:
        raw = open(raw_path, "rb").read().split(tc.EXITED.encode())[0]
    except OSError:
        raw = b""
    found = [repr(b) for b in FORBIDDEN if b in raw]
    t.check("evil certificate: none of its control bytes reached the terminal",
            raw and not found, {"found": found, "bytes": len(raw)})


def main():
    tc.require_tools()
    if hostile is None:
        swtest.skip_all("tests/lib/hostile.py is missing")
    workdir = tempfile.mkdtemp(prefix="swtest-tui-hostile-")
    with swtest.Suite() as t:
        tm = None
        servers = {}
        try:
            tm = tc.Tmux(workdir, "hostile")
            for name in list(CASES) + STALLS:
                servers[name] = hostile.Hostile(name).start()
            start_all(tm, servers, workdir)
            for name in STALLS:
                stall(t, tm, name)
            for name in CASES:
                judge(t, tm, name, servers[name], workdir)
            auth_loop(t, tm, workdir)
            evil_certificate(t, tm, workdir)
            bufs = tm.run("list-buffers", "-F", "#{buffer_sample}").stdout
            t.check("no OSC 52 from a server reached the clipboard",
                    "pwned" not in bufs and "cHduZWQ" not in bufs, bufs)
        finally:
            for srv in servers.values():
                srv.stop()
            if tm is not None:
                tm.kill_server()
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
