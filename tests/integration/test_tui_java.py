#!/usr/bin/python3
"""Issue 15 in the wizard: v on the result screen lets the user's own
Java run the block (as `check --confirm-with-java`), in tmux at 80x24
against the fixture server (helpers in test_tui_common.py).

Covered:
- the key line of the result screen names v, and its help says what v
  does;
- v waits for smtpwiz's verification, then the Java on PATH runs the
  block on the worker: the screen keeps answering keys while the JVM
  runs (JVM start-up and two sessions take seconds), its outcome
  and agreement stand under the verification's, q prints them and
  exits 0;
- the password (--password-file, a server that requires a login)
  reaches that Java through a pipe: the login succeeds, and the
  MailConfirm process never has it in its argv or environment;
- --cafile: smtpwiz verifies, the real Java (which reads no PEM) fails:
  the screen says DISAGREES, and the exit status is the real Java's
  failing step, not 0;
- --confirm-with-java and --mail-lib angus: the Jakarta Mail block runs
  by itself after the verification, with jakarta.mail;
- --java-from-debug-log LOG (check's option): the wizard judges with the
  offer of the Java that wrote LOG, says so on the result screen and
  when it quits, and removes its temporary profile; the Start screen's
  Java field keeps that Java among its choices; a LOG that is missing
  is a usage error (64) before the screen is taken.
TAP output.
"""

import os
import re
import shutil
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import test_tui_common as tc  # noqa: E402
import swtest  # noqa: E402
import certlib  # noqa: E402
import jvmcopy  # noqa: E402

USER = "alice@example.org"
PW = "pw-Tui-8kq-not-in-argv"
# TLS 1.2 at most: what the flow verifies is verified on the 2.28 build too.
AUTHED = dict(auth="PLAIN LOGIN", passwords={USER: PW}, require_auth=True,
              tls_max="TLSv1.2")


def java_done(screen):
    head = screen.split("Form      (f)")[0]
    return re.search(r"Your Java (CONFIRMED|FAILED)|Your Java could not run|"
                     r"Your Java: the run", head) is not None


def head_of(screen):
    return screen.split("Form      (f)")[0]


def watch_java(deadline):
    """Polls /proc while the wizard's Java runs: (seen, leaked pids)."""
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        seen, leaked = jvmcopy.scan_mail_confirm(PW)
        if seen:
            return seen, leaked
        time.sleep(0.02)
    return False, []


def confirmed_flow(t, tm, p12, pwfile):
    """v: the login block confirmed by the Java on PATH, screen alive."""
    s = "confirm"
    with swtest.Fixture(mode="starttls", **AUTHED) as fx:
        tm.start(s, ["--truststore", p12, "--user", USER, "--password-file", pwfile,
                     f"localhost:{fx.port}"])
        tm.wait(s, "Step 1 of 5")
        tm.keys(s, "r")
        ok, scr = tm.wait(s, tc.result_settled, timeout=120)
        t.check("the result screen is verified", ok and "\nVERIFIED: " in head_of(scr),
                scr)
        keyline = scr.rstrip("\n").split("\n")[-1]
        t.check("the key line names v", "v your Java" in keyline, keyline)
        t.check("before v: the screen says what v does",
                "Your Java: v lets Java " in scr, scr)
        tm.keys(s, "v")
        ok, scr = tm.wait(s, lambda x: "Your Java: Java " in x and "runs the block" in x,
                          timeout=20)
        t.check("v: the Java runs on the worker, its progress shown", ok, scr)
        seen, leaked = watch_java(15)
        tm.keys(s, "f")
        ok, scr = tm.wait(s, lambda x: "Form: JS7 arguments" in x and
                          "Your Java: Java " in x, timeout=3)
        t.check("while the JVM runs, keys still act (f: the form changed)", ok, scr)
        t.check("the MailConfirm process was seen; the password in neither its "
                "argv nor its environment", seen and not leaked, (seen, leaked))
        ok, scr = tm.wait(s, java_done, timeout=90)
        head = head_of(scr)
        t.check("the real Java's outcome under the verification's: CONFIRMED, "
                "it agrees", ok and "Your Java CONFIRMED the block: Java " in head
                and "It agrees with smtpwiz's verification." in head and
                head.find("VERIFIED: ") < head.find("Your Java CONFIRMED"), scr)
        t.check("the login reached that Java (the server saw AUTH twice: the "
                "verification's and Java's)",
                sum(1 for c in fx.commands() if c.upper().startswith("AUTH")) >= 2,
                fx.commands()[-20:])
        tm.keys(s, "?")
        ok, scr = tm.wait(s, "Help: Result")
        found = False
        for _ in range(8):
            if "lets your own Java run the block" in scr:
                found = True
                break
            # Wait for the page to turn before the next key: under ASan a
            # redraw can take over a second, and a second PageDown sent
            # meanwhile turned two pages, past the line looked for.
            tm.keys(s, "PageDown")
            _, scr = tm.wait(s, lambda x, prev=scr: x != prev, timeout=10.0)
        t.check("help on the result screen says what v does", found, scr)
        tm.keys(s, "Escape")
        tm.wait(s, "Form      (f)")
        tm.keys(s, "q")
        rc, flags, text = tc.exit_state(tm, s, timeout=30)
        out = text[:text.rfind(tc.EXITED)]
        t.check("q prints the real Java's outcome after the verification's, "
                "exit 0", rc == 0 and "Your Java CONFIRMED the block" in out and
                out.find("Verification: ") < out.find("Your Java CONFIRMED"),
                (rc, out[-2500:]))
        t.check("the password is not in what q printed", PW not in text)
        tm.kill_session(s)


def disagree_flow(t, tm):
    """--cafile: smtpwiz verifies; Java reads no PEM and fails."""
    s = "disagree"
    root = os.path.join(swtest.pki(), "root.pem")
    # TLS 1.2: every build (2.28 too) can verify it.
    with swtest.Fixture(mode="starttls", tls_max="TLSv1.2") as fx:
        tm.start(s, ["--cafile", root, f"localhost:{fx.port}"])
        tm.wait(s, "Step 1 of 5")
        tm.keys(s, "r")
        ok, scr = tm.wait(s, tc.result_settled, timeout=120)
        tm.keys(s, "v")
        ok, scr = tm.wait(s, java_done, timeout=90)
        head = head_of(scr)
        t.check("--cafile: smtpwiz VERIFIED, the real Java FAILED (step 2)",
                ok and "\nVERIFIED: " in head and
                "Your Java FAILED with the block (step 2" in head, scr)
        t.check("the disagreement is said plainly, and who decides",
                "It DISAGREES with smtpwiz's verification (it works): your Java's "
                "outcome decides the exit status." in head.replace("\n", "")
                or "It DISAGREES with smtpwiz's verification" in head, scr)
        t.check("the message line says so too", "Your Java and smtpwiz disagree" in scr,
                scr)
        tm.keys(s, "q")
        rc, flags, text = tc.exit_state(tm, s, timeout=30)
        check = swtest.run([tc.SW, "check", "--cafile", root, "--confirm-with-java",
                            f"localhost:{fx.port}"], timeout=150)
        t.check("the exit status is the real Java's step, as check "
                "--confirm-with-java says", rc == 2 and check.returncode == 2,
                {"wizard": rc, "check": check.returncode, "out": text[-1500:]})
        tm.kill_session(s)


def automatic_flow(t, tm, p12):
    """--confirm-with-java --mail-lib angus: runs by itself, jakarta.mail."""
    s = "auto"
    jar = "/usr/share/java/jakarta-mail.jar"
    if not os.path.exists(jar):
        t.skip("--mail-lib angus in the wizard", f"{jar} missing")
        return
    with swtest.Fixture(mode="starttls") as fx:
        tm.start(s, ["--truststore", p12, "--confirm-with-java", "--mail-lib", "angus",
                     "--mail-jar", jar, f"localhost:{fx.port}"])
        tm.wait(s, "Step 1 of 5")
        tm.keys(s, "r")
        ok, scr = tm.wait(s, java_done, timeout=150)
        head = head_of(scr)
        t.check("--confirm-with-java: the real Java runs without v; --mail-lib "
                "angus: a Jakarta Mail block", ok and "Jakarta Mail 2.x" in head and
                "Your Java CONFIRMED the block" in head, scr)
        tm.keys(s, "q")
        rc, flags, text = tc.exit_state(tm, s, timeout=30)
        out = text[:text.rfind(tc.EXITED)].replace("\n", "")
        t.check("... run with jakarta.mail from --mail-jar; exit 0, the terminal "
                "restored", rc == 0 and "jakarta.mail" in out and
                tc.terminal_sane(tm, s, flags), (rc, flags, out[-1500:]))
        tm.kill_session(s)
    r = swtest.run([tc.SW, "--mail-lib", "cobol"])
    t.check("the wizard's --mail-lib takes check's values (usage error 64)",
            r.returncode == 64 and "--mail-lib must be javamail" in r.stderr, r.stderr)


def debuglog_flow(t, tm, workdir):
    """--java-from-debug-log: the offer of the Java that wrote the log."""
    s = "debuglog"
    log = os.path.join(swtest.repo_root(), "tests", "data", "explain", "debuglog",
                       "jdk17-selfsigned.log")
    tmpdir = os.path.join(workdir, "tmp")
    os.makedirs(tmpdir, exist_ok=True)
    with swtest.Fixture(mode="starttls", tls_max="TLSv1.2") as fx:
        tm.start(s, ["--java-from-debug-log", log, f"localhost:{fx.port}"],
                 env={"TMPDIR": tmpdir})
        tm.wait(s, "Step 1 of 5")
        made = os.listdir(tmpdir)
        tm.keys(s, "r")
        ok, scr = tm.wait(s, tc.result_settled, timeout=120)
        t.check("--java-from-debug-log: the result judges with the Java of the log "
                "(its profile written to TMPDIR)", ok and
                "on the Java of " in head_of(scr) and any(
                    n.startswith("smtpwiz-java-") for n in made), (made, scr))
        tm.keys(s, "q")
        rc, flags, text = tc.exit_state(tm, s, timeout=30)
        out = text[:text.rfind(tc.EXITED)].replace("\n", "")
        t.check("... q names that Java; its temporary profile is removed",
                "Java: the one that wrote " in out and rc is not None and
                not [n for n in os.listdir(tmpdir) if n.startswith("smtpwiz-java-")],
                (rc, os.listdir(tmpdir), out[-1200:]))
        tm.kill_session(s)
    # The Start screen's Java field cycles through the runtimes, the log's
    # Java and the built-in profiles: round, the log's Java comes back.
    tm.start(s + "3", ["--java-from-debug-log", log], env={"TMPDIR": tmpdir})
    tm.wait(s + "3", "Where to connect")
    tm.keys(s + "3", "Down", "Down", "Down")
    first, scr = tm.wait(s + "3", "the Java of ")
    seen = []
    for _ in range(30):
        prev = scr
        tm.keys(s + "3", "Enter")
        ok, scr = tm.wait(s + "3", lambda x, p=prev: x != p, timeout=5)
        line = [ln for ln in scr.splitlines() if "Java runtime" in ln]
        seen.append(line[0].strip() if line else "?")
        if "the Java of " in scr:
            break
    t.check("the Java field: round the runtimes and built-in profiles, the "
            "log's Java comes back", first and len(seen) > 1 and
            "the Java of " in seen[-1] and
            not any("the Java of " in v for v in seen[:-1]) and
            any("built-in profile" in v for v in seen), (seen, scr))
    tm.kill_session(s + "3")


def profile_file_flow(t, tm, workdir):
    """--java FILE (explain --profile-out): the wizard takes what check takes."""
    s = "proffile"
    log = os.path.join(swtest.repo_root(), "tests", "data", "explain", "debuglog",
                       "jdk17-selfsigned.log")
    prof = os.path.join(workdir, "jdk17.profile")
    with open(log) as f:
        swtest.run([tc.SW, "explain", "--profile-out", prof, "-"], input=f.read())
    t.check("explain --profile-out wrote the profile", os.path.exists(prof), prof)
    with swtest.Fixture(mode="starttls", tls_max="TLSv1.2") as fx:
        tm.start(s, ["--java", prof, f"localhost:{fx.port}"])
        tm.wait(s, "Step 1 of 5")
        tm.keys(s, "r")
        ok, scr = tm.wait(s, tc.result_settled, timeout=120)
        t.check("--java FILE: the wizard judges with the profile file and names it "
                "(not a built-in profile)", ok and
                "on the Java profile in /" in head_of(scr) and
                "built-in profile" not in head_of(scr),
                scr)
        tm.keys(s, "q")
        rc, flags, text = tc.exit_state(tm, s, timeout=30)
        out = text[:text.rfind(tc.EXITED)].replace("\n", "")
        t.check("... q names the profile file; the user's file is kept",
                "Java: the profile in " + prof in out and os.path.exists(prof),
                (rc, out[-1200:]))
        tm.kill_session(s)
    for bad in ("bogus", os.path.join(workdir, "no-such.profile")):
        w = swtest.run([tc.SW, "--java", bad, "127.0.0.1:1"])
        c = swtest.run([tc.SW, "check", "--java", bad, "127.0.0.1:1"])
        t.check(f"--java {os.path.basename(bad)}: the wizard refuses it as check "
                "does (usage error 64, the same words)",
                w.returncode == 64 and c.returncode == 64 and
                "--java must be one of" in w.stderr and
                w.stderr.split("--java", 1)[1].split("(see")[0].strip() ==
                c.stderr.split("--java", 1)[1].split("(see")[0].strip(),
                (w.stderr, c.stderr))
    tm.start(s + "2", ["--java-from-debug-log", "/nonexistent.log", "localhost:1"])
    rc, flags, text = tc.exit_state(tm, s + "2", timeout=20)
    t.check("--java-from-debug-log with a missing file: usage error 64, said",
            rc == 64 and "--java-from-debug-log" in text and "nonexistent" in text,
            (rc, text[-600:]))
    tm.kill_session(s + "2")


def main():
    tc.require_tools()
    for tool in ("java", "keytool"):
        if not shutil.which(tool):
            swtest.skip_all(f"{tool} not found (Debian: openjdk-17-jdk-headless)")
    if not os.path.exists("/usr/share/java/javax.mail.jar"):
        swtest.skip_all("/usr/share/java/javax.mail.jar missing (Debian: libmail-java)")
    workdir = tempfile.mkdtemp(prefix="swtest-tuij-")
    with swtest.Suite() as t:
        tm = None
        try:
            p12 = certlib.make_keystore(os.path.join(workdir, "trust.p12"),
                                        {"smtpwiz-test-root":
                                         os.path.join(swtest.pki(), "root.pem")},
                                        storetype="PKCS12")
            pwfile = os.path.join(workdir, "pw")
            with open(pwfile, "w") as f:
                f.write(PW + "\n")
            os.chmod(pwfile, 0o600)
            tm = tc.Tmux(workdir, "java")
            confirmed_flow(t, tm, p12, pwfile)
            disagree_flow(t, tm)
            automatic_flow(t, tm, p12)
            debuglog_flow(t, tm, workdir)
            profile_file_flow(t, tm, workdir)
        finally:
            if tm is not None:
                tm.kill_server()
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
