#!/usr/bin/python3
"""The wizard at 3 a.m. (issue 16), in tmux against the fixture server
(helpers in test_tui_common.py), at 80x24, and on vt100 with LANG=C.

Covered: a target on the command line starts step 1 at once; 1-5, 0,
Home, r and End jump between screens, and steps already probed are not
probed again on the way; Esc backs out of the data view, then to the
Start screen; / searches the transcript (n, N) and a step's data; the
findings out of view are counted (▲/▼, ^/v on vt100); Enter opens a
finding and never applies it; y copies its command (keytool), printed
again on quit; s on step 2 saves the chain; F10 quits from a view; a
PKIX error pasted on the Start screen of a STARTTLS server jumps to
step 2, which probes the server for real; --user alone asks for the
password.  TAP output.
"""

import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import test_tui_common as tc  # noqa: E402
from test_tui_common import all_of  # noqa: E402
import swtest  # noqa: E402

PKIX = ("javax.mail.MessagingException: Could not convert socket to TLS;\n"
        "Caused by: sun.security.validator.ValidatorException: PKIX path "
        "building failed: unable to find valid certification path to "
        "requested target\n")


def probed(step):
    return lambda x: f"Step {step} of 5" in x and "Probed at" in x


def navigation(t, tm, fx, workdir):
    s = "nav"
    # By name: the whole diagnosis runs (Java 16+ ignores an IP SAN).
    tm.start(s, [f"localhost:{fx.port}"])
    ok, scr = tm.wait(s, probed(1), timeout=20)
    t.check("a target on the command line: step 1 probes at once, no Enter",
            ok and "Where to connect" not in scr, scr)
    for key, marker in [("4", probed(4)), ("2", probed(2)), ("r", "Result:"),
                        ("0", "Where to connect"), ("End", "Result:"),
                        ("Home", "Where to connect"), ("5", "Step 5 of 5")]:
        tm.keys(s, key)
        ok, scr = tm.wait(s, marker, timeout=30)
        t.check(f"{key} jumps to its screen", ok, scr)
    tm.keys(s, "r")
    ok, scr = tm.wait(s, tc.result_settled, timeout=60)
    t.check("the result settles (every step probed, verified or not)", ok, scr)
    before = len(fx.commands())
    for key, marker in [("1", "Step 1 of 5"), ("3", "Step 3 of 5"), ("r", "Result:")]:
        tm.keys(s, key)
        tm.wait(s, marker)
    time.sleep(0.5)
    t.check("steps already probed are not probed again on the way",
            len(fx.commands()) == before, (before, len(fx.commands())))

    # Esc: data view -> findings -> Start.
    tm.keys(s, "1")
    tm.wait(s, probed(1))
    tm.keys(s, "d")
    ok, scr = tm.wait(s, "What the server said")
    tm.keys(s, "Escape")
    ok, scr = tm.wait(s, lambda x: "Findings (" in x and "What the server said" not in x)
    t.check("Esc closes the data view", ok, scr)
    tm.keys(s, "Escape")
    ok, scr = tm.wait(s, "Where to connect")
    t.check("Esc on a step goes up to the Start screen", ok, scr)

    # / in a step's data, then in the transcript with n and N.
    tm.keys(s, "1")
    tm.wait(s, probed(1))
    tm.keys(s, "/")
    ok, scr = tm.wait(s, "Search the data for")
    tm.keys(s, "STARTTLS", literal=True)
    tm.keys(s, "Enter")
    ok, scr = tm.wait(s, all_of("What the server said", '"STARTTLS" in line'))
    t.check("/ in a step searches its data", ok, scr)
    tm.keys(s, "Escape", "t")
    ok, scr = tm.wait(s, "Transcript (")
    tm.keys(s, "/")
    tm.wait(s, "Search this view for")
    tm.keys(s, "==== step", literal=True)
    tm.keys(s, "Enter")
    ok, first = tm.wait(s, lambda x: "Transcript (" in x and "==== step" in x
                        and "Search this view" not in x)
    t.check("/ in the transcript moves to a match", ok, first)
    tm.keys(s, "n")
    ok, second = tm.wait(s, lambda x: x != first and "==== step" in x, timeout=3)
    t.check("n moves to the next match", ok, second)
    tm.keys(s, "N")
    ok, back = tm.wait(s, lambda x: x == first, timeout=3)
    t.check("N goes back to the previous match", ok, back)
    tm.keys(s, "F10")
    rc, flags, text = tc.exit_state(tm, s)
    t.check("F10 quits from a view; verdicts printed",
            tc.verdict_status(rc) and "Verification:" in text, text[-800:])
    tm.kill_session(s)


def findings(t, tm, fx, workdir, term, lang):
    """Step 2 of an untrusted chain: markers, Enter, y, s."""
    s = "find-" + term
    env = {"TERM": term, "LC_ALL": lang}
    tm.start(s, [f"localhost:{fx.port}"], env=env)
    tm.wait(s, probed(1), timeout=20)
    tm.keys(s, "2")
    down, up = ("▼", "▲") if lang != "C" else ("v", "^")
    ok, scr = tm.wait(s, lambda x: probed(2)(x) and f"{down} " in x and
                      "more (Down)" in x, timeout=30)
    t.check(f"{term}: findings below are counted ({down} N more)", ok, scr)
    tm.keys(s, "G")
    ok, scr = tm.wait(s, lambda x: f"{up} " in x and "more (Up)" in x)
    t.check(f"{term}: at the last finding the ones above are counted ({up})",
            ok, scr)
    # Up to import-ca, whose message ends in the keytool command.
    for _ in range(12):
        cur = tm.screen(s)
        if "▶ INFO import-ca" in cur or "> INFO import-ca" in cur:
            break
        tm.keys(s, "Up")
        tm.wait(s, lambda x, cur=cur: x != cur, timeout=2.0)
    tm.keys(s, "Enter")
    ok, scr = tm.wait(s, all_of("Finding import-ca", "keytool -importcert"))
    t.check(f"{term}: Enter opens the finding with its command, applies nothing",
            ok and "Applied" not in scr, scr)
    tm.keys(s, "Escape")
    tm.wait(s, probed(2))
    tm.keys(s, "y")
    ok, scr = tm.wait(s, "Copied import-ca")
    t.check(f"{term}: y copies the finding's command", ok, scr)
    path = os.path.join(workdir, f"chain-{term}.pem")
    tm.keys(s, "s")
    tm.wait(s, "Save the chain (PEM) to")
    tm.keys(s, "C-u")
    tm.keys(s, path, literal=True)
    tm.keys(s, "Enter")
    ok, scr = tm.wait(s, "Chain saved to", timeout=20)
    t.check(f"{term}: s on step 2 saves the chain",
            ok and os.path.isfile(path) and
            "BEGIN CERTIFICATE" in open(path).read(), scr)
    tm.keys(s, "q")
    rc, flags, text = tc.exit_state(tm, s)
    t.check(f"{term}: quitting prints what y copied",
            "Copied (y):" in text and "keytool -importcert" in text, text[-1500:])
    tm.kill_session(s)


def paste_probes(t, tm, fx, workdir):
    """A PKIX error pasted before any probe: step 2 probes for real."""
    s = "paste"
    props = os.path.join(workdir, "deployed.properties")
    with open(props, "w") as f:
        f.write(f"mail.smtp.host=localhost\nmail.smtp.port={fx.port}\n")
    tm.start(s, ["--load", props])
    ok, scr = tm.wait(s, "Where to connect")
    t.check("--load without a target: the Start screen waits", ok, scr)
    tm.keys(s, "e")
    tm.wait(s, "Paste an error message")
    path = os.path.join(workdir, "pkix.txt")
    with open(path, "w") as f:
        f.write(PKIX)
    tm.run("load-buffer", "-b", "err", path)
    tm.run("paste-buffer", "-p", "-b", "err", "-t", s)
    ok, scr = tm.wait(s, all_of("Decoded:", "step 2"))
    tm.keys(s, "Enter")
    ok, scr = tm.wait(s, probed(2), timeout=30)
    t.check("the jump to step 2 probes the STARTTLS server for real",
            ok and "skipped" not in scr and "cert-untrusted" in scr, scr)
    tm.keys(s, "q")
    tc.exit_state(tm, s)
    tm.kill_session(s)


def user_prompt(t, tm, fx):
    """--user without a password: the wizard asks for it first."""
    s = "user"
    tm.start(s, ["--user", "alice", f"localhost:{fx.port}"])
    ok, scr = tm.wait(s, "Password for alice")
    t.check("--user alone: the wizard asks for the password", ok, scr)
    tm.keys(s, "not-shown-pw", literal=True)
    tm.keys(s, "Enter")
    tm.wait(s, probed(1), timeout=20)
    tm.keys(s, "5")
    ok, scr = tm.wait(s, all_of("Step 5 of 5", "(set, hidden)"), timeout=20)
    t.check("the password asked for is the one step 5 uses, never shown",
            ok and "not-shown-pw" not in tm.history(s), scr)
    tm.keys(s, "q")
    tc.exit_state(tm, s)
    tm.kill_session(s)


def slow_progress(t, tm):
    """A slow server: steps 3 and 4 show what they do, the elapsed time
    and "N of M hellos", M the total the sweep plans (re-planned as
    answers come), from the first progress line on, within 80 columns."""
    import re
    pat = re.compile(r"Probing: (\d+\.\d) s, (\d+) of (\d+) hellos: (cipher suites|protocol)")
    with swtest.Fixture(mode="starttls", greeting_delay=2) as fx:
        s = "slow"
        tm.start(s, [f"localhost:{fx.port}"])
        tm.wait(s, probed(1), timeout=30)
        tm.keys(s, "3")
        ok, scr = tm.wait(s, lambda x: pat.search(x), timeout=20)
        t.check("step 3 on a slow server: elapsed time and N of M hellos",
                ok and all(len(line) <= 80 for line in scr.splitlines()), scr)
        tm.wait(s, probed(3), timeout=60)
        tm.keys(s, "4")
        samples, first, wide, done = [], None, [], 0
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            scr = tm.screen(s)
            # Done when two captures in a row say so: tmux can capture
            # the switch to step 4 half drawn, its new title over step
            # 3's "Probed at" line (the sweep had not begun).
            done = done + 1 if probed(4)(scr) else 0
            if done == 2:
                break
            m = pat.search(scr)
            if m:
                samples.append((int(m.group(2)), int(m.group(3))))
                if first is None:
                    first = samples[-1]
            wide += [line for line in scr.splitlines() if len(line) > 80]
            time.sleep(0.3)
        # Before the sweep plans (step 4 first waits out the 2 s greeting
        # once) the line has no count.  The first count names the plan's
        # total: more than the 6 hellos that can be out at once, which is
        # all a count of the hellos sent so far could show at that time.
        t.check("step 4: the first N of M already names the planned total",
                first is not None and first[1] > 6, (first, samples[:5]))
        t.check("step 4: N of M with M >= N on every screen, the planned "
                "total re-planned as answers come",
                len(samples) >= 3 and all(m >= n for n, m in samples) and
                samples[-1][0] > samples[0][0], samples)
        t.check("step 4: every progress screen fits 80 columns", not wide, wide)
        tm.keys(s, "q")
        tc.exit_state(tm, s, timeout=20)
        tm.kill_session(s)


def main():
    with tc.wizard_suite("keys") as (t, tm, workdir):
        with swtest.Fixture(mode="starttls") as fx:
            navigation(t, tm, fx, workdir)
            findings(t, tm, fx, workdir, "screen", "C.UTF-8")
            findings(t, tm, fx, workdir, "vt100", "C")
            paste_probes(t, tm, fx, workdir)
            user_prompt(t, tm, fx)
        slow_progress(t, tm)


if __name__ == "__main__":
    main()
