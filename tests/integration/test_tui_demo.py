#!/usr/bin/python3
"""`make run` with no target: tests/tools/run-wizard.sh offers the bundled
demo, and a newcomer sees the wizard find and fix real problems.  Driven
in tmux like the other TUI tests (test_tui_common.py).

Covered: the [Y/n] offer; the start screen naming the demo's planted
faults; step 1 finding SSL on a STARTTLS port and "a" fixing it; step 2
finding the certificate sent without its intermediate; step 5 logging
in once TLS is right; the result block with the fix; q restoring the
terminal, printing the block without the demo password, and stopping the
demo server; and `run-wizard.sh BIN ARGS` running BIN with ARGS only.
TAP.
"""

import os
import socket
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import test_tui_common as tc  # noqa: E402
from test_tui_common import all_of  # noqa: E402
import swtest  # noqa: E402

SCRIPT = os.path.join(swtest.repo_root(), "tests", "tools", "run-wizard.sh")


def listening(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def demo(t, tm):
    s = "demo"
    tm.start(s, [tc.SW], prog=["bash", SCRIPT])
    ok, scr = tm.wait(s, "Start the demo mail server on 127.0.0.1? [Y/n]")
    t.check("run-wizard.sh offers the demo", ok, scr)
    tm.keys(s, "Enter")
    ok, scr = tm.wait(s, all_of("Demo:", "SSL on a STARTTLS port", "intermediate",
                                "Where to connect"), timeout=30)
    t.check("the start screen names the demo's planted faults", ok, scr)
    try:
        port = int(open(os.path.join(swtest.build_dir(), "demo", "port")).read())
    except (OSError, ValueError):
        port = None
    tm.keys(s, "Enter")
    ok, scr = tm.wait(s, "FAIL ssl-on-starttls-port", timeout=20)
    t.check("demo step 1: SSL configured on a STARTTLS port", ok, scr)
    tm.keys(s, "a")
    ok, scr = tm.wait(s, lambda x: "INFO mode-ok" in x and "FAIL ssl-on-starttls" not in x,
                      timeout=20)
    t.check("demo step 1: a fixes it, the re-probe agrees", ok, scr)
    tm.keys(s, "n")
    ok, scr = tm.wait(s, all_of("Step 2 of 5", "FAIL chain-incomplete"), timeout=20)
    t.check("demo step 2: the certificate comes without its intermediate", ok, scr)
    for _ in range(3):
        tm.keys(s, "n")
    ok, scr = tm.wait(s, lambda x: "Step 5 of 5" in x and "verdict: pass" in x,
                      timeout=20)
    t.check("demo step 5: the demo account logs in over STARTTLS", ok, scr)
    tm.keys(s, "n")
    ok, scr = tm.wait(s, tc.result_settled, timeout=30)
    text = tc.whole_block(tm, s, "Result:")
    t.check("demo result: the block has the fix, its header the verdict",
            ok and "mail.smtp.ssl.enable=false" in text
            and "NOT WORKING YET" in text, text)
    tm.keys(s, "q")
    rc, flags, text = tc.exit_state(tm, s, timeout=15)
    t.check("demo: q exits as check would and restores the terminal",
            tc.verdict_status(rc) and tc.terminal_sane(tm, s, flags), {"rc": rc, "flags": flags})
    t.check("demo: the block is printed, without the demo password",
            "mail.smtp.starttls.enable=true" in text and "password=demo" not in text,
            text[-1500:])
    t.check("demo: the server is stopped when the wizard exits",
            port is not None and not listening(port), port)
    tm.kill_session(s)


def passthrough(t, tm, workdir):
    """With arguments the script runs BIN with them and nothing else."""
    s = "args"
    fake = os.path.join(workdir, "fake-bin")
    with open(fake, "w") as f:
        f.write("#!/bin/sh\necho \"FAKE ARGS: $*\"\n")
    os.chmod(fake, 0o755)
    tm.start(s, [fake, "mail.example.org:587"], prog=["bash", SCRIPT])
    rc, _, text = tc.exit_state(tm, s)
    t.check("run-wizard.sh BIN host:587 runs BIN host:587, no demo",
            rc == 0 and "FAKE ARGS: mail.example.org:587" in text
            and "[Y/n]" not in text, text[-500:])
    tm.kill_session(s)


def main():
    if not os.access("/usr/bin/python3", os.X_OK):
        swtest.skip_all("the demo needs /usr/bin/python3")
    with tc.wizard_suite("demo") as (t, tm, workdir):
        demo(t, tm)
        passthrough(t, tm, workdir)


if __name__ == "__main__":
    main()
