#!/usr/bin/python3
"""The wizard end to end, whole sessions against the fixture server: the
real binary in tmux, driven by send-keys and read back with capture-pane
(helpers in test_tui_common.py; every wait polls for a marker with a
deadline).

Covered: the start screen; typing host and port; step 1 finding
ssl-on-starttls-port and the fix applied with "a" (re-probe shows
mode-ok); editing the port on step 1 (re-probes by itself); help and the
data view; walking every screen forward and back; the result screen
probing what is stale; the saved .properties file byte for byte equal to
`smtpwiz check --format properties` for the same server and settings;
OSC 52 copy; the form choice; the password choice (placeholder, and the
real one only after a yes, masked on screen, in the saved file 0600);
the transcript; q restoring the terminal and printing the block; step 5
asking before it sends a password without TLS (n: nothing sent, y: it
logs in); the error decoder: a bracketed paste decoded when it ends, its
settings applied with "a" and the jump to step 1, the start screen's row,
typed lines and Ctrl-D, and a paste on a step screen opening the decoder
(its "q" is text, not quit).  TAP output.
"""

import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import test_tui_common as tc  # noqa: E402
from test_tui_common import all_of, type_field, EXITED  # noqa: E402
import swtest  # noqa: E402

SECRET = "Pa55-w0rd"
USER = "alice"


def core_limit(tm, s):
    """smtpwiz's soft core-file limit ("0", "unlimited"), or None."""
    shell = tm.fmt(s, "#{pane_pid}")
    r = subprocess.run(["pgrep", "-P", shell], capture_output=True, text=True)
    for pid in r.stdout.split():
        try:
            for line in open(f"/proc/{pid}/limits"):
                if line.startswith("Max core file size"):
                    return line.split()[4]
        except OSError:
            pass
    return None


def start_to_step1(t, tm, s, fx):
    """Start screen: host, port, connection type ssl (wrong), then step 1
    finds the mismatch and "a" fixes it."""
    # Core dumps allowed, so that the test can see the wizard forbid
    # them while a password is held.
    tm.start(s, [], prog=["sh", "-c", 'ulimit -S -c unlimited 2>/dev/null; '
                          'exec "$0" "$@"', tc.SW])
    ok, scr = tm.wait(s, all_of("Where to connect", "Mail server host", "q quit"))
    t.check("start screen appears", ok, scr)
    type_field(tm, s, "127.0.0.1")
    ok, scr = tm.wait(s, "Mail server host       127.0.0.1")
    t.check("host typed into the host field", ok, scr)
    tm.keys(s, "Down")
    type_field(tm, s, str(fx.port))
    ok, scr = tm.wait(s, f"Port                   {fx.port}")
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


def edit_port(t, tm, s, fx, other):
    """The port field on step 1: a new port re-probes by itself."""
    tm.keys(s, "g", "Down")                    # host, then port
    type_field(tm, s, str(other.port))
    ok, scr = tm.wait(s, all_of(f"port       {other.port}",
                                "FAIL starttls-not-offered"), timeout=20)
    t.check("step 1: editing the port re-probes the new port", ok, scr)
    tm.keys(s, "g", "Down")
    type_field(tm, s, str(fx.port))
    ok, scr = tm.wait(s, lambda x: f"port       {fx.port}" in x and "INFO mode-ok" in x
                      and "starttls-not-offered" not in x, timeout=20)
    t.check("step 1: the port edited back, mode-ok again", ok, scr)


def help_and_data(t, tm, s):
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


def walk(t, tm, s):
    steps = ["Step 2 of 5", "Step 3 of 5", "Step 4 of 5", "Step 5 of 5", "Result:"]
    seen = []
    for marker in steps:
        tm.keys(s, "n")
        ok, scr = tm.wait(s, marker)
        seen.append(ok)
    for marker in reversed(["Where to connect", "Step 1 of 5"] + steps[:-1]):
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
    # The walk cancelled the probes it passed; the wizard runs them
    # again, so the verdicts come, later under load.
    ok, scr = tm.wait(s, lambda x: "Where to connect" in x and "pass" in x and
                      "fail" in x, timeout=60)
    t.check("the start screen lists each step's verdict", ok, scr)


def optin_fix(t, tm, s):
    """Step 2's last-resort fix (mail.smtp.ssl.trust) is applied only
    after a yes; removing it again restores the settings."""
    tm.keys(s, "n", "n")
    ok, scr = tm.wait(s, all_of("Step 2 of 5", "Probed at"), timeout=20)
    mark = "\u25b6 INFO ssl-trust-last-resort"
    for _ in range(12):
        if mark in scr:
            break
        tm.keys(s, "Down")
        ok, scr = tm.wait(s, lambda x, old=scr: x != old, timeout=1.0)
    t.check("step 2: the last-resort fix is marked as the user's choice",
            mark in scr and "only if you choose:" in scr, scr)
    tm.keys(s, "a")
    ok, scr = tm.wait(s, "Apply this fix? It is your choice")
    t.check("a on it asks first, naming what it sets",
            ok and "mail.smtp.ssl.trust=127.0.0.1" in scr, scr)
    tm.keys(s, "n")
    ok, scr = tm.wait(s, "ssl-trust-last-resort: not applied")
    t.check("n: not applied", ok and "trust      (not set)" in scr, scr)
    tm.keys(s, "a")
    tm.wait(s, "[y/N]")
    tm.keys(s, "y")
    ok, scr = tm.wait(s, lambda x: "trust      127.0.0.1" in x and "Probed at" in x,
                      timeout=20)
    t.check("y: applied, and step 2 probes again", ok, scr)
    tm.keys(s, "g")
    type_field(tm, s, "")
    ok, scr = tm.wait(s, lambda x: "trust      (not set)" in x and "Probed at" in x,
                      timeout=20)
    t.check("the trust field emptied: the key is gone again", ok, scr)
    tm.keys(s, "p", "p")
    tm.wait(s, "Where to connect")


def save_as(tm, s, path):
    """s on the result screen, the path typed over the proposed one."""
    tm.keys(s, "s")
    tm.wait(s, "Save the block to:")
    tm.keys(s, "C-u")
    tm.keys(s, path, literal=True)
    tm.keys(s, "Enter")


def result_ready(screen):
    """The result screen with every step probed for these settings and
    the verification's outcome above the block (whose header is long now:
    its keys are read with tc.whole_block)."""
    return tc.result_settled(screen)


def save_and_compare(t, tm, s, fx, workdir):
    """The saved file is what `check --format properties` writes."""
    for _ in range(6):
        tm.keys(s, "n")
    ok, scr = tm.wait(s, result_ready, timeout=30)
    text = tc.whole_block(tm, s, "Result:")
    t.check("result screen: every step probed, the block shown",
            ok and "mail.smtp.host=127.0.0.1" in text, text)
    t.check("result screen shows the fix: mail.smtp.ssl.enable=false",
            "mail.smtp.ssl.enable=false" in text, text)
    path = os.path.join(workdir, "saved.properties")
    save_as(tm, s, path)
    ok, scr = tm.wait(s, "Saved to")
    try:
        mode = os.stat(path).st_mode & 0o777
        with open(path, "rb") as f:
            saved = f.read()
    except OSError as e:
        mode, saved = None, str(e).encode()
    t.check("s saves the block without a password with mode 0644",
            ok and mode == 0o644 and "mode 0644" in scr, {"mode": mode, "screen": scr})
    # The same path again: asked, n keeps it, y keeps the old as .bak.
    for answer in ("n", "y"):
        save_as(tm, s, path)
        ok, scr = tm.wait(s, "The file exists. Replace it?")
        t.check(f"s over an existing file asks first ({answer})", ok, scr)
        tm.keys(s, answer)
        if answer == "n":
            ok, scr = tm.wait(s, "left as it was")
            t.check("n: nothing written, no .bak", ok and
                    not os.path.exists(path + ".bak"), scr)
        else:
            ok, scr = tm.wait(s, "Saved to")
            t.check("y: saved, the old file kept as FILE.bak", ok and
                    os.path.exists(path + ".bak") and os.path.exists(path), scr)
    r = swtest.run([tc.SW, "check", "--format", "properties",
                    "--set", "mail.smtp.ssl.enable=false",
                    "--set", "mail.smtp.starttls.enable=true",
                    "--set", "mail.smtp.starttls.required=true",
                    f"127.0.0.1:{fx.port}"])
    t.check("the saved file is byte for byte what `smtpwiz check --format "
            "properties` writes for the same server and settings",
            saved == r.stdout.encode() and len(saved) > 100,
            {"saved": saved.decode(errors="replace"), "check": r.stdout,
             "check stderr": r.stderr})


def forms_and_copy(t, tm, s):
    tm.keys(s, "y")
    ok, scr = tm.wait(s, "Copied the block")
    buf = tm.run("show-buffer").stdout
    t.check("y copies the block with OSC 52",
            ok and "mail.smtp.ssl.enable=false" in buf, {"buffer": buf, "screen": scr})
    # The verdict heads every form, so a form's keys may be below the fold.
    for form, marker, name in [
            ("[JS7 arguments]", "mail.smtp.ssl.enable", "JS7 Job Resource arguments"),
            ("[JS7 JSON]", '"TYPE": "JobResource"', "importable JS7 JSON"),
            ("[Spring Boot]", "spring.mail.host=127.0.0.1", "Spring Boot properties"),
            ("[JSON]", '"mail.smtp.host": "127.0.0.1"', "JSON"),
            ("[properties]", "mail.smtp.host=127.0.0.1", None)]:
        tm.keys(s, "f")
        ok, scr = tm.wait(s, form)
        text = tc.whole_block(tm, s, form)
        t.check(f"f: the block as {name}" if name else "f: back to properties",
                ok and marker in text and (form != "[JS7 arguments]"
                                           or "JS7 Job Resource" in text), text)


def credentials(t, tm, s):
    """Step 5: user and hidden password; the step logs in by itself."""
    tm.keys(s, "p")
    tm.wait(s, "Step 5 of 5")
    tm.keys(s, "g", "Down")                    # auth, then user
    type_field(tm, s, USER)
    before = core_limit(tm, s)
    tm.keys(s, "Down")
    tm.keys(s, "Enter")
    tm.wait(s, "mail.smtp.password =")
    tm.keys(s, SECRET, literal=True)
    ok, scr = tm.wait(s, "(typed, hidden)")
    t.check("the password is typed hidden, not even its length shown",
            ok and SECRET not in scr and "*" * len(SECRET) not in scr, scr)
    tm.keys(s, "Enter")
    ok, scr = tm.wait(s, lambda x: "(set, hidden)" in x and "verdict: pass" in x
                      and "Probing" not in x, timeout=20)
    t.check("step 5 logs in with the new credentials by itself",
            ok and SECRET not in scr, scr)
    after = core_limit(tm, s)
    if before == "unlimited":
        t.check("no core dumps while the password is held", after == "0",
                {"before": before, "after": after})
    else:           # an ASan build turns them off at start-up itself
        t.skip("no core dumps while the password is held",
               f"core dumps were off from the start (limit {before})")


def password_choice(t, tm, s, workdir):
    tm.keys(s, "n")
    ok, scr = tm.wait(s, result_ready, timeout=30)
    text = tc.whole_block(tm, s, "Result:")
    t.check("result: the block names the user, leaves the password out",
            ok and "mail.smtp.user=alice" in text and SECRET not in text
            and "mail.smtp.password" not in text, text)
    tm.keys(s, "w")
    ok, scr = tm.wait(s, "[placeholder]")
    text = tc.whole_block(tm, s, "[placeholder]")
    t.check("w: a placeholder for the password",
            ok and "mail.smtp.password=<password>" in text, text)
    tm.keys(s, "w")
    ok, scr = tm.wait(s, all_of("Put the real password into the block? [y/N]",
                                "any other key: no"))
    t.check("w: the real password only after a question", ok, scr)
    tm.keys(s, "n")
    ok, scr = tm.wait(s, lambda x: "[placeholder]" in x and "[y/N]" not in x)
    t.check("n: the password stays out", ok and SECRET not in scr, scr)
    tm.keys(s, "w")
    tm.wait(s, "[y/N]")
    tm.keys(s, "y")
    ok, scr = tm.wait(s, "[included]")
    text = tc.whole_block(tm, s, "[included]")
    t.check("y: included, but masked on the screen",
            ok and "mail.smtp.password=********" in text and SECRET not in text, text)
    path = os.path.join(workdir, "with-password.properties")
    save_as(tm, s, path)
    ok, scr = tm.wait(s, "WITH the password")
    try:
        mode = os.stat(path).st_mode & 0o777
        text = open(path).read()
    except OSError as e:
        mode, text = None, str(e)
    t.check("the saved file holds the real password, mode 0600",
            ok and mode == 0o600 and f"mail.smtp.password={SECRET}" in text,
            {"mode": mode, "screen": scr})
    tm.keys(s, "w")
    ok, scr = tm.wait(s, "[left out]")
    t.check("w: back to left out", ok and "mail.smtp.password" not in scr, scr)


def transcript_and_quit(t, tm, s):
    tm.keys(s, "t")
    ok, scr = tm.wait(s, all_of("Transcript", "following", "Esc close"))
    t.check("t opens the transcript at its end", ok, scr)
    tm.keys(s, "Home")
    ok, scr = tm.wait(s, all_of("==== step 1: Protocol and port", "C: EHLO", " 1-"))
    t.check("Home scrolls the transcript to the first dialogue", ok, scr)
    hist = tm.history(s)
    t.check("the transcript never shows the password", SECRET not in hist)
    tm.keys(s, "Escape")
    tm.wait(s, "Result:")
    tm.keys(s, "q")
    rc, flags, text = tc.exit_state(tm, s)
    fails = re.findall(r"^Step (\d) [^:\n]*: FAIL", text, re.M)
    want = int(fails[0]) if fails else 0 if "\nVerification: VERIFIED" in text else None
    t.check("q exits as check would: the first failing step, 0 only when verified",
            rc is not None and (rc == want if want is not None else 1 <= rc <= 5),
            {"rc": rc, "text": text[-2000:]})
    t.check("the block is printed after exit, without the password",
            "mail.smtp.ssl.enable=false" in text and "mail.smtp.user=alice" in text
            and SECRET not in text, text[-2000:])
    t.check("q: terminal restored (icanon, echo; alternate screen off)",
            tc.terminal_sane(tm, s, flags), flags)
    tm.kill_session(s)


def main_flow(t, tm, fx, plain, workdir):
    s = "flow"
    start_to_step1(t, tm, s, fx)
    edit_port(t, tm, s, fx, plain)
    help_and_data(t, tm, s)
    walk(t, tm, s)
    optin_fix(t, tm, s)
    save_and_compare(t, tm, s, fx, workdir)
    forms_and_copy(t, tm, s)
    credentials(t, tm, s)
    password_choice(t, tm, s, workdir)
    transcript_and_quit(t, tm, s)


def rush(t, tm, fx):
    """n pressed six times at once: every step's probe is started and
    cancelled in turn; the result screen still gets every step probed."""
    s = "rush"
    tm.start(s, [f"127.0.0.1:{fx.port}"])
    tm.wait(s, "Step 1 of 5")
    tm.keys(s, "n", "n", "n", "n", "n")
    ok, scr = tm.wait(s, lambda x: result_ready(x) and "Steps:  1 " in x, timeout=30)
    t.check("rushing to the result: every step probed all the same", ok, scr)
    tm.keys(s, "q")
    rc, flags, _ = tc.exit_state(tm, s)
    t.check("rush: q restores the terminal", tc.verdict_status(rc) and tc.terminal_sane(tm, s, flags),
            flags)
    tm.kill_session(s)


def plaintext_auth(t, tm, plain):
    """A server with AUTH but no TLS: step 5 asks before the password
    goes out; only y sends it."""
    s = "plain"
    tm.start(s, [f"127.0.0.1:{plain.port}"])
    tm.wait(s, "Step 1 of 5")
    tm.wait(s, "Probed at", timeout=20)
    for _ in range(4):
        tm.keys(s, "n")
    tm.wait(s, "Step 5 of 5")
    tm.keys(s, "g", "Down")
    type_field(tm, s, USER)
    tm.keys(s, "Down", "Enter")
    tm.wait(s, "mail.smtp.password =")
    tm.keys(s, SECRET, literal=True)
    tm.keys(s, "Enter")
    ok, scr = tm.wait(s, all_of("Send the password unencrypted? [y/N]",
                                "any other key: no"), timeout=20)
    t.check("no TLS: step 5 asks before sending the password", ok, scr)
    tm.keys(s, "n")
    ok, scr = tm.wait(s, "The password was not sent")
    t.check("n: the password is not sent",
            ok and "C: AUTH" not in plain.log_text(), scr)
    tm.keys(s, "R")
    ok, scr = tm.wait(s, "[y/N]", timeout=20)
    t.check("r: asked again", ok, scr)
    tm.keys(s, "y")
    ok, scr = tm.wait(s, lambda x: "verdict:" in x and "Probing" not in x
                      and "[y/N]" not in x and "logs in without TLS" in x, timeout=20)
    t.check("y: step 5 logs in without TLS",
            ok and plain.wait_log("C: AUTH"), {"screen": scr, "log": plain.log_text()[-800:]})
    tm.keys(s, "q")
    rc, flags, text = tc.exit_state(tm, s)
    t.check("plain: q restores the terminal", tc.verdict_status(rc) and tc.terminal_sane(tm, s, flags),
            flags)
    tm.kill_session(s)


JAVA_ERROR = """\
2026-11-29 03:12:44.120 ERROR [service-monitor] notification failed
javax.mail.MessagingException: Could not connect to SMTP host: 127.0.0.1, port: 587;
  nested exception is:
\tjavax.net.ssl.SSLException: Unsupported or unrecognized SSL message
\tat java.base/sun.security.ssl.SSLSocketInputRecord.handleUnknownRecord(SSLSocketInputRecord.java:451)
\tat com.sun.mail.smtp.SMTPTransport.openServer(SMTPTransport.java:2120)
"""


def explain_flow(t, tm, fx, workdir):
    """e: paste an exception (bracketed paste: decoded when the paste
    ends), apply what it says and land on the step that fixes it; then
    the start screen's row, typed text and Ctrl-D."""
    s = "explain"
    tm.start(s, [f"127.0.0.1:{fx.port}"])
    tm.wait(s, "Probed at", timeout=20)           # started at once
    tm.keys(s, "0")
    tm.wait(s, "Where to connect")
    tm.keys(s, "g", "Down", "Down", "Space", "Space")    # ssl: wrong
    ok, scr = tm.wait(s, "Connection type        ssl")
    tm.keys(s, "e")
    ok, scr = tm.wait(s, all_of("Paste an error message", "Ctrl-D or F10",
                                "Bracketed paste is on"))
    t.check("e opens the paste dialog (bracketed paste on)", ok, scr)
    path = os.path.join(workdir, "error.txt")
    with open(path, "w") as f:
        f.write(JAVA_ERROR)
    tm.run("load-buffer", "-b", "err", path)
    tm.run("paste-buffer", "-p", "-b", "err", "-t", s)
    ok, scr = tm.wait(s, all_of("Decoded:", "Unsupported or unrecognized SSL",
                                "mail.smtp.ssl.enable=false"))
    t.check("the paste is decoded as soon as it ends, root cause first", ok, scr)
    t.check("the decoded entry names its step and fix",
            "step 1" in scr and "Step 1: Protocol and port" in scr, scr)
    tm.keys(s, "a")
    ok, scr = tm.wait(s, lambda x: "Step 1 of 5" in x and "INFO mode-ok" in x
                      and "mode       starttls" in x, timeout=20)
    t.check("a applies its settings and jumps to step 1, which probes: mode-ok",
            ok, scr)
    tm.keys(s, "p")
    tm.wait(s, "Where to connect")
    tm.keys(s, "G", "Up")                       # the "Paste an error" row
    ok, scr = tm.wait(s, "paste the exception from the application's log")
    tm.keys(s, "Enter")
    ok2, scr = tm.wait(s, "Paste an error message")
    t.check("the start screen's row opens the dialog too", ok and ok2, scr)
    tm.keys(s, "535 5.7.8 Error: authentication failed: UGFzc3dvcmQ6",
            literal=True)
    tm.keys(s, "Enter")
    ok, scr = tm.wait(s, "2 lines")
    tm.keys(s, "C-d")
    ok, scr = tm.wait(s, all_of("Decoded:", "step 5"))
    t.check("typed text, Ctrl-D: the SMTP reply decoded to step 5", ok, scr)
    tm.keys(s, "Enter")
    ok, scr = tm.wait(s, "Step 5 of 5")
    t.check("Enter jumps to step 5", ok, scr)
    # A paste on a step screen is text for the decoder, never keys.
    with open(path, "w") as f:
        f.write("Caused by: sun.security.validator.ValidatorException: PKIX path "
                "building failed\nq\n")
    tm.run("load-buffer", "-b", "err", path)
    tm.run("paste-buffer", "-p", "-b", "err", "-t", s)
    ok, scr = tm.wait(s, all_of("Decoded:", "step 2"))
    t.check("a paste on a step screen opens the decoder with it", ok, scr)
    tm.keys(s, "Enter")
    ok, scr = tm.wait(s, "Step 2 of 5")
    t.check("Enter jumps to step 2 (certificates)", ok, scr)
    tm.keys(s, "q")
    rc, flags, text = tc.exit_state(tm, s)
    t.check("explain: q restores the terminal (bracketed paste off)",
            tc.verdict_status(rc) and tc.terminal_sane(tm, s, flags), flags)
    tm.kill_session(s)


def main():
    with tc.wizard_suite("flow") as (t, tm, workdir):
        with swtest.Fixture(mode="starttls", auth="PLAIN LOGIN",
                            passwords={USER: SECRET}) as fx, \
                swtest.Fixture(mode="plain", auth="PLAIN LOGIN",
                               passwords={USER: SECRET}) as plain:
            main_flow(t, tm, fx, plain, workdir)
            rush(t, tm, fx)
            plaintext_auth(t, tm, plain)
            explain_flow(t, tm, fx, workdir)


if __name__ == "__main__":
    main()
