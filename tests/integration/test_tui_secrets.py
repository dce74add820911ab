#!/usr/bin/python3
"""The wizard holds each secret once, in locked memory (issue 12), seen
from outside: the running wizard's memory (/proc/PID/maps and mem, as
root or ptrace would read it) is searched for the password while it
waits in tmux.

Covered: a password from SMTPWIZ_PASSWORD is in memory exactly once on
step 1, on step 5 after the login and on the result screen after the
verification (it used to be twice: main's copy and the settings'), and
that copy lies in pages that are all locked (smaps Locked = Size); a
new password typed on step 5 replaces it -- the old one is then gone
from memory, the new one there once; the trust store's password from
--storepass-file or SMTPWIZ_STOREPASS opens the store on step 2 (no
truststore-password finding; without it there is one), is in memory
once, locked, and SMTPWIZ_STOREPASS is gone from /proc/PID/environ.
--help says the argv --storepass is visible to other users.  TAP.
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import certlib  # noqa: E402
import test_tui_common as tc  # noqa: E402
from test_tui_common import all_of  # noqa: E402
import swtest  # noqa: E402

PW = "Zq7-mem-Pa55w0rd-q1"      # unlikely anywhere else in memory
PW2 = "Kx4-typed-later-Pa55-z8"
STOREPASS = "St0re-mem-secret-v3"


wizard_pid = tc.wizard_pid


def mappings(pid):
    """[(start, end, perms, name, locked_kb, size_kb)] from smaps."""
    out, cur = [], None
    with open(f"/proc/{pid}/smaps") as f:
        for line in f:
            m = re.match(r"([0-9a-f]+)-([0-9a-f]+) (\S+) \S+ \S+ \S+\s*(.*)", line)
            if m:
                cur = [int(m.group(1), 16), int(m.group(2), 16), m.group(3),
                       m.group(4), 0, 0]
                out.append(cur)
            elif line.startswith("Locked:") and cur:
                cur[4] = int(line.split()[1])
            elif line.startswith("Size:") and cur:
                cur[5] = int(line.split()[1])
    return out


def copies(pid, needle):
    """Where needle is in the process's readable memory: a list of
    (address, mapping name, every page of that mapping locked)."""
    found = []
    with open(f"/proc/{pid}/mem", "rb", 0) as mem:
        for start, end, perms, name, locked, size in mappings(pid):
            if "r" not in perms or name in ("[vvar]", "[vsyscall]", "[vdso]"):
                continue
            try:
                mem.seek(start)
                data = mem.read(end - start)
            except (OSError, OverflowError, ValueError):
                continue
            for m in re.finditer(re.escape(needle.encode()), data):
                found.append((hex(start + m.start()), name or "anon",
                              size > 0 and locked == size))
    return found


def readable(pid):
    try:
        with open(f"/proc/{pid}/mem", "rb", 0) as mem:
            mem.seek(mappings(pid)[0][0])
            mem.read(1)
        return True
    except OSError:
        return False


def settled(pid, needle, most=1, timeout=20.0):
    """The copies once a job's own (held while it runs) is gone: at
    most `most` of them, or what is there when the deadline passes."""
    deadline = time.monotonic() + timeout
    while True:
        found = copies(pid, needle)
        if len(found) <= most or time.monotonic() > deadline:
            return found
        time.sleep(0.1)


def once_locked(t, what, found):
    t.check(what + ": in memory once", len(found) == 1, found)
    t.check(what + ": in locked pages", len(found) == 1 and found[0][2], found)


def password_copies(t, tm, fx):
    s = "pw"
    tm.start(s, ["--user", "alice", f"127.0.0.1:{fx.port}"],
             env={"SMTPWIZ_PASSWORD": PW})
    ok, scr = tm.wait(s, "Step 1 of 5", timeout=20)
    t.check("the wizard starts on step 1", ok, scr)
    pid = wizard_pid(tm, s)
    if pid is None or not readable(pid):
        t.skip("the password's copies in memory",
               "cannot read the wizard's memory (not root, no ptrace)")
        tm.kill_session(s)
        return
    once_locked(t, "step 1: SMTPWIZ_PASSWORD", settled(pid, PW))
    tm.keys(s, "5")
    ok, scr = tm.wait(s, lambda x: "Step 5 of 5" in x and "(set, hidden)" in x
                      and "verdict: pass" in x and "Probing" not in x, timeout=30)
    t.check("step 5 logs in with it", ok, scr)
    once_locked(t, "step 5 after the login", settled(pid, PW))
    tm.keys(s, "n")
    ok, scr = tm.wait(s, tc.result_settled, timeout=60)
    t.check("the result screen's verification ran", ok, scr)
    once_locked(t, "result screen after the verification", settled(pid, PW))
    # A new password typed on step 5 replaces the old one everywhere.
    tm.keys(s, "5")
    tm.wait(s, "Step 5 of 5")
    tm.keys(s, "g", "Down", "Down")             # auth, user, password
    tm.keys(s, "Enter")
    ok, scr = tm.wait(s, "mail.smtp.password =")
    t.check("the password field's editor opens", ok, scr)
    tm.keys(s, PW2, literal=True)
    tm.wait(s, "(typed, hidden)")
    tm.keys(s, "Enter")
    # Step 5 probes again by itself; its job holds a copy of its own
    # until it ends, so wait for the one copy left at rest.
    ok, scr = tm.wait(s, lambda x: "Probing" not in x and "(set, hidden)" in x
                      and len(copies(pid, PW2)) == 1, timeout=30)
    t.check("the typed password is taken, step 5 probed with it", ok, scr)
    old = settled(pid, PW, most=0)
    t.check("the old password is wiped from memory", old == [], old)
    once_locked(t, "the typed password", settled(pid, PW2))
    tm.keys(s, "q")
    rc, flags, text = tc.exit_state(tm, s, timeout=20)
    t.check("q quits normally", tc.verdict_status(rc), text[-400:])
    t.check("nothing printed on quit holds a password",
            PW not in text and PW2 not in text, text[-400:])
    tm.kill_session(s)


def store_copies(t, tm, fx, tmp, stores):
    jks, spf = certlib.store_with_password(tmp, stores.root, STOREPASS)
    target = f"localhost:{fx.port}"
    step2 = lambda x: ("Step 2 of 5" in x and "Probing" not in x
                       and re.search(r"verdict: (pass|warn|fail)", x))
    cases = [("--storepass-file", ["--storepass-file", spf], {}),
             ("SMTPWIZ_STOREPASS", [], {"SMTPWIZ_STOREPASS": STOREPASS}),
             ("no store password", [], {})]
    for name, args, env in cases:
        s = "sp%d" % len(name)
        tm.start(s, ["--truststore", jks, *args, target], env=env)
        tm.wait(s, "Step 1 of 5", timeout=20)
        tm.keys(s, "2")
        ok, scr = tm.wait(s, step2, timeout=30)
        bad = "truststore-password" in scr
        if env or args:
            t.check(name + ": step 2 opens the store with it (no "
                    "truststore-password)", ok and not bad, scr)
            pid = wizard_pid(tm, s)
            if pid is not None and readable(pid):
                once_locked(t, name, settled(pid, STOREPASS))
            if pid is not None and env and readable(pid):
                with open(f"/proc/{pid}/environ", "rb") as f:
                    environ = f.read()
                t.check(name + ": SMTPWIZ_STOREPASS not in the environment",
                        STOREPASS.encode() not in environ and environ != b"",
                        environ[:200])
            if pid is None or not readable(pid):
                t.skip(name + ": in memory once", "cannot read the memory")
        else:
            t.check(name + ": the default is wrong for this store "
                    "(truststore-password)", ok and bad, scr)
        tm.keys(s, "q")
        tc.exit_state(tm, s, timeout=20)
        tm.kill_session(s)
    r = swtest.run([tc.SW, "--help"])
    wiz = r.stdout[r.stdout.find("wizard:"):]
    t.check("--help: the wizard takes --storepass-file, argv is visible",
            "--storepass-file" in wiz and "visible to other users" in wiz, wiz)


def main():
    tc.require_tools()
    tmp = tempfile.mkdtemp(prefix="swtest-tui-secrets-")
    tm = tc.Tmux(tmp, "secrets")
    try:
        with swtest.Suite() as t:
            with swtest.Fixture(mode="starttls", auth="PLAIN",
                                passwords={"alice": PW, "bob": PW2}) as fx:
                password_copies(t, tm, fx)
            if not certlib.keytool():
                t.skip("the trust store's password", "no keytool")
            else:
                stores = certlib.Stores()
                try:
                    with swtest.Fixture(mode="starttls") as fx:
                        store_copies(t, tm, fx, tmp, stores)
                finally:
                    stores.close()
    finally:
        tm.kill_server()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
