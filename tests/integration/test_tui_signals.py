#!/usr/bin/python3
"""The wizard gives the terminal back on every signal (issue 12):
Ctrl-\\ (SIGQUIT) restores and exits with 131; ^Z under a job-control
shell stops with the terminal restored (normal screen, cursor shown) and
`fg` brings the wizard back drawn; a crash (SIGSEGV, SIGABRT) restores
the terminal and still dies of the signal (139, 134), so a core can be
written where the user allows one.  Driven in tmux like test_tui_term.py.
TAP.
"""

import os
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import test_tui_common as tc  # noqa: E402
import swtest  # noqa: E402

START = "Where to connect"


def wizard_pid(tm, s):
    """The smtpwiz process under the pane's shell (or below bash)."""
    shell = tm.fmt(s, "#{pane_pid}")
    todo = [shell]
    while todo:
        pid = todo.pop()
        try:
            if os.path.basename(os.readlink(f"/proc/{pid}/exe")) == "smtpwiz":
                return int(pid)
        except OSError:
            pass
        r = subprocess.run(["pgrep", "-P", pid], capture_output=True, text=True)
        todo += r.stdout.split()
    return None


def sigquit(t, tm):
    s = "quit"
    tm.start(s, [])
    ok, scr = tm.wait(s, START)
    t.check("SIGQUIT: wizard up", ok, scr)
    tm.keys(s, "C-\\")
    rc, flags, text = tc.exit_state(tm, s, timeout=5)
    t.check("Ctrl-\\ (SIGQUIT): exits with 131", rc == 131, text[-400:])
    t.check("Ctrl-\\: terminal restored (modes, normal screen, cursor)",
            tc.terminal_sane(tm, s, flags), flags)
    tm.kill_session(s)


def crash(t, tm, signo, want):
    name = signal.Signals(signo).name
    s = "crash-" + name.lower()
    tm.start(s, [])
    ok, scr = tm.wait(s, START)
    pid = wizard_pid(tm, s)
    t.check(f"{name}: wizard up, pid found", ok and pid is not None, (pid, scr))
    if pid is None:
        return
    os.kill(pid, signo)
    rc, flags, text = tc.exit_state(tm, s, timeout=5)
    t.check(f"{name}: still dies of it ({want})", rc == want, text[-400:])
    t.check(f"{name}: terminal restored first", tc.terminal_sane(tm, s, flags),
            flags)
    tm.kill_session(s)


def suspend(t, tm):
    s = "tstp"
    script = ('"$0" "$@"; echo "STOPPED-$?"; read -r _go; fg')
    tm.start(s, [], prog=["bash", "--norc", "--noprofile", "-i", "-c", script,
                          tc.SW])
    ok, scr = tm.wait(s, START)
    t.check("^Z: wizard up under bash with job control", ok, scr)
    tm.keys(s, "C-z")
    ok, scr = tm.wait(s, "STOPPED-148", timeout=5)
    t.check("^Z: the wizard stops (bash sees 148)", ok, scr)
    t.check("^Z: normal screen and cursor while stopped",
            tm.fmt(s, "#{alternate_on} #{cursor_flag}") == "0 1",
            tm.fmt(s, "#{alternate_on} #{cursor_flag}"))
    tm.keys(s, "Enter")                         # bash runs fg
    ok, scr = tm.wait(s, tc.all_of(START, "q quit"), timeout=5)
    t.check("fg: the wizard is back, drawn whole",
            ok and tm.fmt(s, "#{alternate_on}") == "1", scr)
    tm.keys(s, "q")
    rc, flags, text = tc.exit_state(tm, s, timeout=10)
    t.check("after fg, q exits normally, terminal restored",
            rc is not None and rc < 128 and tc.terminal_sane(tm, s, flags),
            (rc, flags, text[-400:]))
    tm.kill_session(s)


def main():
    with tc.wizard_suite("sig") as (t, tm, workdir):
        sigquit(t, tm)
        crash(t, tm, signal.SIGSEGV, 139)
        crash(t, tm, signal.SIGABRT, 134)
        suspend(t, tm)


if __name__ == "__main__":
    main()
