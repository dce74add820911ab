#!/usr/bin/python3
"""The wizard over SSH at 3 a.m.: terminals, sizes, colours, locales,
resizes, slow and dying servers, and the terminal always coming back.
The real binary in tmux (helpers in test_tui_common.py; every wait polls
for a marker with a deadline).

Covered: TERM=xterm-256color, screen, tmux-256color, linux and vt100
(with LANG=C: ASCII only, dashes for rules, no bracketed paste, the
decoder by typed lines and Ctrl-D); colours by default and none with
NO_COLOR; the polite message below 80x24; resizing while a probe runs;
a key answered within 100 ms while a slow server is probed; cancelling;
Ctrl-C; a server killed mid-probe; and, with an LD_PRELOAD shim that
slows getaddrinfo() down and records the calling thread, that no name
lookup or connect() ever runs on the UI thread, that the screen answers
during a slow lookup and that Ctrl-C leaves at once even then.  After
every exit the pane's `stty -a` shows icanon and echo on again.  TAP.
"""

import os
import re
import shutil
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import test_tui_common as tc  # noqa: E402
from test_tui_common import all_of  # noqa: E402
import swtest  # noqa: E402

# (session, TERM, extra environment): every terminal type of issue 6,
# and a non-UTF-8 locale both on a colour terminal and on a vt100.
TERMS = [("xterm-256color", "xterm-256color", {}), ("screen", "screen", {}),
         ("tmux-256color", "tmux-256color", {}), ("linux", "linux", {}),
         ("vt100", "vt100", {"LANG": "C", "LC_ALL": "C"}),
         ("xterm-C", "xterm-256color", {"LANG": "C", "LC_ALL": "C"})]


def terminals(t, tm, fx):
    """Every terminal type at once (sessions run in parallel), then each
    is judged: step 1 probed and readable, q restores the terminal."""
    started = []
    for name, term, env in TERMS:
        if subprocess.run(["infocmp", term], capture_output=True).returncode != 0:
            t.skip(f"TERM={term}", "no terminfo entry on this system")
            continue
        tm.start(name, [f"127.0.0.1:{fx.port}"], env=dict(env, TERM=term))
        started.append((name, term, env))
    for name, term, env in started:
        tm.wait(name, "Step 1 of 5")
    for name, term, env in started:
        label = f"TERM={term}" + (" LANG=C" if env else "")
        ok, scr = tm.wait(name, all_of("Probed at", "starttls-not-enabled", "q quit"),
                          timeout=20)
        t.check(f"{label}: step 1 probed, frame intact", ok and tc.frame_intact(scr), scr)
        if env:
            ascii_checks(t, tm, name, label, scr)
        if term == "vt100":
            vt100_checks(t, tm, name)
        tm.keys(name, "q")
        rc, flags, text = tc.exit_state(tm, name)
        t.check(f"{label}: q exits as check would, terminal restored",
                tc.verdict_status(rc) and tc.terminal_sane(tm, name, flags), {"rc": rc, "flags": flags})
        tm.kill_session(name)


def ascii_checks(t, tm, s, label, scr):
    bad = sorted({c for c in scr if ord(c) > 126 or (ord(c) < 32 and c != "\n")})
    t.check(f"{label}: step 1 drawn in plain ASCII", not bad,
            {"bad": [hex(ord(c)) for c in bad], "screen": scr})
    t.check(f"{label}: rules are dashes, not line-drawing letters",
            "- Settings this step decides ---" in scr and "qqqq" not in scr, scr)


def vt100_checks(t, tm, s):
    raw = tm.run("capture-pane", "-p", "-e", "-t", s).stdout
    t.check("vt100: a terminal without colours gets none",
            COLOUR_SGR.search(raw) is None, repr(raw[:400]))
    tm.keys(s, "e")
    ok, scr = tm.wait(s, all_of("Paste an error message", "Enter starts a new line",
                                "Ctrl-D or F10"))
    t.check("vt100: no bracketed paste; the dialog says Ctrl-D or F10", ok, scr)
    t.check("vt100: the paste box has ASCII corners", "+-" in scr and "|" in scr, scr)
    tm.keys(s, "sun.security.validator.ValidatorException: PKIX path building "
            "failed", literal=True)
    tm.keys(s, "Enter", "C-d")
    ok, scr = tm.wait(s, all_of("Decoded:", "step 2"))
    t.check("vt100: typed lines and Ctrl-D decode PKIX to step 2", ok, scr)
    tm.keys(s, "Escape")
    tm.wait(s, "Step 1 of 5")


COLOUR_SGR = re.compile(r"\x1b\[(?:[0-9;]*;)?(?:3[0-7]|4[0-7]|9[0-7]|38;5;[0-9]+)[;m]")


def colours(t, tm, fx):
    """Colours by default on a colour terminal; none with NO_COLOR."""
    for name, env, want in [("colour", {}, True), ("nocolour", {"NO_COLOR": "1"}, False)]:
        tm.start(name, [f"127.0.0.1:{fx.port}"], env=env)
    for name, env, want in [("colour", {}, True), ("nocolour", {"NO_COLOR": "1"}, False)]:
        tm.wait(name, all_of("Step 1 of 5", "q quit"))
        raw = tm.run("capture-pane", "-p", "-e", "-t", name).stdout
        has = COLOUR_SGR.search(raw) is not None
        t.check(f"{'colours by default' if want else 'NO_COLOR: no colours'}",
                has == want, repr(raw[:400]))
        tm.keys(name, "q")
        tm.wait(name, tc.STTY_END)
        tm.kill_session(name)


def small_window(t, tm, fx):
    s = "small"
    tm.start(s, [f"127.0.0.1:{fx.port}"], x=60, y=20)
    ok, scr = tm.wait(s, all_of("needs at least 80x24", "60x20", "q quits"))
    t.check("60x20: the polite size message", ok, scr)
    t.check("60x20: nothing else is drawn", "Where to connect" not in scr, scr)
    tm.resize(s, 80, 24)
    ok, scr = tm.wait(s, "Step 1 of 5")
    t.check("resized to 80x24: step 1 comes back", ok and tc.frame_intact(scr),
            scr)
    tm.resize(s, 70, 24)
    ok, scr = tm.wait(s, "this terminal is 70x24")
    t.check("shrunk to 70x24: the message again", ok, scr)
    tm.keys(s, "q")
    rc, flags, _ = tc.exit_state(tm, s)
    t.check("q quits from the size message, terminal restored",
            tc.verdict_status(rc) and tc.terminal_sane(tm, s, flags), flags)
    tm.kill_session(s)


def resize_mid_probe(t, tm):
    """The window changes while step 1 waits for a slow greeting."""
    with swtest.Fixture(mode="starttls", greeting_delay=2.5) as fx:
        s = "resize"
        tm.start(s, [f"127.0.0.1:{fx.port}"])
        tm.wait(s, "Step 1 of 5")
        ok, scr = tm.wait(s, "Probing:")
        tm.resize(s, 100, 30)
        ok, scr = tm.wait(s, lambda x: "Probing:" in x and tc.frame_intact(x, 100, 30))
        t.check("mid-probe resize to 100x30: redrawn whole at the new size", ok, scr)
        tm.resize(s, 60, 20)
        ok, scr = tm.wait(s, "this terminal is 60x20")
        t.check("mid-probe shrink to 60x20: the polite message", ok, scr)
        tm.resize(s, 80, 24)
        ok, scr = tm.wait(s, lambda x: "Step 1 of 5" in x and tc.frame_intact(x))
        t.check("back to 80x24 mid-probe: the step screen again", ok, scr)
        ok, scr = tm.wait(s, all_of("Probed at", "greeting-slow"), timeout=20)
        t.check("the probe finished across the resizes", ok and tc.frame_intact(scr), scr)
        tm.keys(s, "q")
        rc, flags, _ = tc.exit_state(tm, s)
        t.check("resize: q restores the terminal", tc.verdict_status(rc) and tc.terminal_sane(tm, s, flags),
                flags)
        tm.kill_session(s)


def slow_server(t, tm):
    with swtest.Fixture(mode="starttls", greeting_delay=5) as fx:
        s = "slow"
        tm.start(s, [f"127.0.0.1:{fx.port}"])
        tm.wait(s, "Step 1 of 5")
        ok, scr = tm.wait(s, lambda x: re.search(r"Probing: \d+\.\d s: ", x))
        t.check("slow server: the progress line shows the elapsed time first",
                ok, scr)
        times = []
        for _ in range(3):
            times.append(tc.time_key(tm, s, "t", "Transcript ("))
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
        took = tc.time_key(tm, s, "c", "Cancelled after")
        t.check("c cancels the probe promptly", took is not None and took < 1.0, took)
        tm.keys(s, "R")
        ok, scr = tm.wait(s, "Probing:")
        t0 = time.monotonic()
        tm.keys(s, "C-c")
        rc, flags, text = tc.exit_state(tm, s, timeout=3)
        t.check("Ctrl-C during a probe exits at once with 130",
                rc == 130 and time.monotonic() - t0 < 2, text[-500:])
        t.check("Ctrl-C: terminal restored (icanon, echo)",
                tc.terminal_sane(tm, s, flags), flags)
        tm.kill_session(s)


def server_dies(t, tm):
    """The server is killed (SIGKILL) while step 1 waits for it."""
    fx = swtest.Fixture(mode="starttls", greeting_delay=5).start()
    try:
        s = "dies"
        tm.start(s, [f"127.0.0.1:{fx.port}"])
        tm.wait(s, "Step 1 of 5")
        ok, scr = tm.wait(s, "Probing:")
        os.kill(fx.pid, signal.SIGKILL)
        ok, scr = tm.wait(s, lambda x: ("Probed at" in x or "could not run" in x)
                          and "Probing:" not in x, timeout=15)
        t.check("server killed mid-probe: the step ends and says so",
                ok and tc.frame_intact(scr), scr)
        tm.keys(s, "q")
        rc, flags, _ = tc.exit_state(tm, s)
        t.check("server killed mid-probe: q restores the terminal",
                tc.verdict_status(rc) and tc.terminal_sane(tm, s, flags), flags)
        tm.kill_session(s)
    finally:
        fx.stop()


SHIM = r"""
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

/* One line per call: which thread (the main one is the UI's), what. */
static void
note(const char *what, const char *arg)
{
	const char *path = getenv("SWSHIM_LOG");
	int fd;

	if (path == NULL || (fd = open(path, O_WRONLY | O_APPEND | O_CREAT |
	    O_CLOEXEC, 0600)) < 0)
		return;
	dprintf(fd, "%s %s %s\n", syscall(SYS_gettid) == getpid() ?
	    "UI-THREAD" : "worker", what, arg ? arg : "");
	close(fd);
}

int
getaddrinfo(const char *node, const char *service,
    const struct addrinfo *hints, struct addrinfo **res)
{
	int (*real)(const char *, const char *, const struct addrinfo *,
	    struct addrinfo **) = dlsym(RTLD_NEXT, "getaddrinfo");
	const char *d = getenv("SWSHIM_DNS_DELAY_MS");

	note("getaddrinfo", node);
	if (d != NULL)
		usleep((useconds_t)atoi(d) * 1000);
	return real(node, service, hints, res);
}

struct hostent *
gethostbyname(const char *name)
{
	struct hostent *(*real)(const char *) = dlsym(RTLD_NEXT,
	    "gethostbyname");

	note("gethostbyname", name);
	return real(name);
}

int
connect(int fd, const struct sockaddr *sa, socklen_t len)
{
	int (*real)(int, const struct sockaddr *, socklen_t) =
	    dlsym(RTLD_NEXT, "connect");

	note("connect", "");
	return real(fd, sa, len);
}
"""


def build_shim(workdir):
    cc = shutil.which("cc") or shutil.which("gcc") or shutil.which("clang")
    if cc is None:
        return None, "no C compiler"
    src, so = os.path.join(workdir, "shim.c"), os.path.join(workdir, "shim.so")
    with open(src, "w") as f:
        f.write(SHIM)
    r = subprocess.run([cc, "-shared", "-fPIC", "-o", so, src, "-ldl"],
                       capture_output=True, text=True)
    return (so, "") if r.returncode == 0 else (None, r.stderr)


def dns_off_ui_thread(t, tm, fx, workdir):
    so, why = build_shim(workdir)
    if so is None:
        t.skip("DNS off the UI thread", f"cannot build the shim: {why}")
        return
    log = os.path.join(workdir, "shim.log")
    env = {"LD_PRELOAD": so, "SWSHIM_LOG": log, "SWSHIM_DNS_DELAY_MS": "3000",
           # an ASan build would refuse a preloaded library before it
           "ASAN_OPTIONS": "verify_asan_link_order=0:detect_leaks=0"}
    s = "dns"
    tm.start(s, [f"localhost:{fx.port}"], env=env)
    tm.wait(s, "Step 1 of 5")
    ok, scr = tm.wait(s, "Probing:")
    took = tc.time_key(tm, s, "t", "Transcript (")
    t.check("a key during a 3 s name lookup is answered within 100 ms",
            took is not None and took < 0.100, {"seconds": took})
    tm.keys(s, "Escape")
    ok, scr = tm.wait(s, all_of("Probed at", "q quit"), timeout=15)
    t.check("the slow lookup ends and step 1 is probed", ok, scr)
    # Ctrl-C while the worker sits in a lookup no cancel can reach.
    tm.keys(s, "R")
    tm.wait(s, "Probing:")
    t0 = time.monotonic()
    tm.keys(s, "C-c")
    rc, flags, text = tc.exit_state(tm, s, timeout=5)
    took = time.monotonic() - t0
    t.check("Ctrl-C during a slow name lookup leaves within 2 s",
            rc == 130 and took < 2.0, {"rc": rc, "seconds": took})
    t.check("Ctrl-C during a lookup: terminal restored", tc.terminal_sane(tm, s, flags),
            flags)
    tm.kill_session(s)
    try:
        calls = open(log).read()
    except OSError:
        calls = ""
    t.check("the shim saw the worker resolve the host (it was active)",
            "worker getaddrinfo localhost" in calls, calls)
    t.check("no getaddrinfo(), gethostbyname() or connect() on the UI thread",
            calls and "UI-THREAD" not in calls, calls)


def main():
    with tc.wizard_suite("term") as (t, tm, workdir):
        with swtest.Fixture(mode="starttls", auth="PLAIN LOGIN") as fx:
            terminals(t, tm, fx)
            colours(t, tm, fx)
            small_window(t, tm, fx)
            dns_off_ui_thread(t, tm, fx, workdir)
        resize_mid_probe(t, tm)
        slow_server(t, tm)
        server_dies(t, tm)


if __name__ == "__main__":
    main()
