#!/usr/bin/python3
"""Hostile servers against the batch path (issue 7, point 2).

For each behaviour of tests/servers/hostile_smtp.py, `smtpwiz check
--steps 1 --timeout 5` (and --steps 1-2 where TLS is involved) must

  - end within BOUND seconds (the --timeout is 5 s; nothing may hang),
  - exit with a status that is a verdict, not a crash (< 64, never a
    signal, never 70),
  - say what is wrong in specific words: the finding id the behaviour
    deserves, and a message naming the limit or the event,
  - print nothing a terminal would interpret: no ESC, no NUL, no other
    control byte, only valid UTF-8 -- on stdout, stderr and in the
    --log transcript,
  - and in JSON mode print one valid JSON document.

The text and JSON runs of a case go in parallel (the server takes any
number of connections).  Where smtpwiz is known to be vague in a file
this suite does not own, the check is reported as SKIP with the reason
and turns into a real check once the message is specific.
"""

import json
import os
import re
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import swtest   # noqa: E402
import hostile  # noqa: E402

SW = swtest.smtpwiz_bin()
BOUND = 15.0            # seconds a check may take with --timeout 5

# behaviour -> (extra args, {step: (finding ids, one of them expected),
#                              message regex}) ; KNOWN: vague messages
CASES = [
    ("endless-greeting", ["--steps", "1"], 1, {"not-smtp"}, r"more than 256 lines"),
    ("long-line", ["--steps", "1"], 1, {"not-smtp"}, r"line longer than 2048 bytes"),
    ("no-crlf", ["--steps", "1"], 1, {"greeting-timeout"}, r"without a line end"),
    ("slow", ["--steps", "1"], 1, {"greeting-timeout"}, r"within 5 s"),
    ("escapes", ["--steps", "1"], 1, {"no-encryption", "mode-ok"}, r""),
    ("starttls-garbage", ["--steps", "1"], 1, {"starttls-bad-reply"},
     r"not an SMTP reply: .*3-digit code"),
    ("starttls-tls-garbage", ["--steps", "1"], 1, {"tls-handshake-failed"},
     r"did not answer in TLS"),
    ("starttls-tls-garbage", ["--steps", "1-2", "--mode", "starttls"], 2,
     {"tls-failed", "tls-handshake-failed"}, r"did not answer in TLS"),
    ("tls-absurd-length", ["--steps", "1"], 1, {"tls-handshake-failed"},
     r"record.*(65535|length|too (long|large))"),
    ("tls-absurd-length", ["--steps", "1-2", "--mode", "ssl"], 2,
     {"tls-failed", "tls-handshake-failed"}, r"record.*(65535|length|too (long|large))"),
    ("starttls-absurd-length", ["--steps", "1-2", "--mode", "starttls"], 1,
     {"tls-handshake-failed"}, r"record.*(65535|length|too (long|large))"),
    ("handshake-cut", ["--steps", "1"], 1, {"tls-handshake-failed"},
     r"closed the connection during the TLS handshake"),
    ("handshake-cut", ["--steps", "1-2", "--mode", "ssl"], 2,
     {"tls-failed", "tls-handshake-failed"}, r"closed the connection during the TLS handshake"),
    ("starttls-handshake-cut", ["--steps", "1-2", "--mode", "starttls"], 1,
     {"tls-handshake-failed"}, r"closed the connection during the TLS handshake"),
    ("silent", ["--steps", "1"], 1, {"no-greeting"}, r"no greeting within 5 s"),
    ("reset-after-ehlo", ["--steps", "1"], 1, {"closed-after-ehlo"}, r"after EHLO"),
    ("421-close", ["--steps", "1"], 1, {"greeting-421"}, r"421 4\.3\.2"),
    ("ehlo-10000", ["--steps", "1"], 1, {"ehlo-bad-reply"}, r"more than 256 lines"),
]

# Messages known to be vague, owned by other files: (regex, reason).
KNOWN_VAGUE = []


def run_check(target, args, fmt, log):
    argv = [SW, "check", "--timeout", "5", "--format", fmt, "--log", log,
            *args, target]
    return subprocess.Popen(argv, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def finish(proc, t0):
    try:
        out, err = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
        return 124, out, err, time.monotonic() - t0
    return proc.returncode, out, err, time.monotonic() - t0


def findings(data, step):
    for s in (data or {}).get("steps", []):
        if s.get("step") == step:
            return s.get("findings", [])
    return []


def one_case(t, behaviour, args, step, want_ids, want_msg, tmp):
    name = f"{behaviour} ({' '.join(args)})"
    with hostile.Hostile(behaviour) as srv:
        logs = {f: os.path.join(tmp, f"{behaviour}-{f}.log") for f in ("text", "json")}
        t0 = time.monotonic()
        procs = {f: run_check(srv.target, args, f, logs[f]) for f in ("text", "json")}
        res = {f: finish(p, t0) for f, p in procs.items()}
        server_log = srv.log_text()

    for fmt, (code, out, err, secs) in res.items():
        t.check(f"{name} {fmt}: ends within {BOUND:.0f} s ({secs:.1f} s)",
                code != 124 and secs < BOUND, (code, secs, server_log[-800:]))
        t.check(f"{name} {fmt}: exit {code} is a verdict, not a crash",
                0 <= code < 64, (code, err.decode("utf-8", "replace")[-2000:]))
        try:
            with open(logs[fmt], "rb") as f:
                transcript = f.read()
        except FileNotFoundError:
            transcript = b""
        problems = hostile.output_problems(out + err)
        t.check(f"{name} {fmt}: output safe for a terminal", not problems,
                (problems, (out + err)[:600]))
        problems = hostile.output_problems(transcript)
        t.check(f"{name} {fmt}: --log transcript safe", not problems,
                (problems, transcript[:600]))

    code, out, err, _ = res["json"]
    try:
        data = json.loads(out)
    except ValueError as e:
        data = None
        t.check(f"{name}: valid JSON", False, f"{e}: {out[:400]!r}")
    else:
        t.check(f"{name}: valid JSON", isinstance(data.get("steps"), list), data)
    fs = findings(data, step)
    ids = [f.get("id") for f in fs]
    t.check(f"{name}: step {step} finding one of {sorted(want_ids)}",
            want_ids & set(ids), ids)
    if not want_msg:
        return data
    text = " ".join(f.get("message", "") for f in fs if f.get("id") in want_ids)
    for pat, reason in KNOWN_VAGUE:
        if re.search(pat, text) and not re.search(want_msg, text):
            t.skip(f"{name}: message specific ({want_msg})", f"KNOWN: {reason}")
            return data
    t.check(f"{name}: message specific ({want_msg})", re.search(want_msg, text),
            text)
    return data


def escapes_extra(t, data):
    """The escapes case: the hostile bytes are shown, escaped, not lost."""
    step = (data or {}).get("steps", [{}])[0]
    greeting = step.get("data", {}).get("greeting") or ""
    t.check("escapes: greeting kept, ESC shown as \\x1b", "\\x1b[2J" in greeting,
            greeting)
    t.check("escapes: NUL shown as \\x00", "\\x00" in greeting, greeting)
    t.check("escapes: invalid UTF-8 shown as \\xff", "\\xff" in greeting, greeting)
    t.check("escapes: RTL override shown as \\u202e", "\\u202e" in greeting,
            greeting)


def auth_loop(t, tmp):
    """334 forever: step 5 must stop after a bounded number of rounds."""
    pwfile = os.path.join(tmp, "pw")
    fd = os.open(pwfile, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.write(fd, b"s3cret\n")
    os.close(fd)
    name = "auth-loop (--steps 5, plain, --allow-plaintext-auth)"
    with hostile.Hostile("auth-loop") as srv:
        t0 = time.monotonic()
        p = subprocess.run([SW, "check", "--steps", "5", "--timeout", "5",
                            "--format", "json", "--mode", "plain", "--user", "alice",
                            "--password-file", pwfile, "--allow-plaintext-auth",
                            srv.target], capture_output=True, timeout=60,
                           env=dict(os.environ, SMTPWIZ_PASSWORD="s3cret"))
        secs = time.monotonic() - t0
        log = srv.log_text()
    t.check(f"{name}: ends within {BOUND:.0f} s ({secs:.1f} s)", secs < BOUND, secs)
    t.check(f"{name}: exit {p.returncode} is a verdict", 0 <= p.returncode < 64,
            p.stderr[-1500:])
    t.check(f"{name}: output safe", not hostile.output_problems(p.stdout + p.stderr))
    try:
        data = json.loads(p.stdout)
    except ValueError:
        data = None
    t.check(f"{name}: valid JSON", data is not None, p.stdout[:400])
    s5 = (data or {}).get("steps", [{}] * 5)[4]
    d5 = s5.get("data", {})
    text = json.dumps(s5)
    if s5.get("verdict") == "skipped" and "no password" in text:
        t.skip(f"{name}: bounded AUTH exchange", "KNOWN: step 5 does not read "
               "--password-file / SMTPWIZ_PASSWORD yet (src/cli/cmd_check.c, AUTH "
               "work in progress)")
        return
    rounds = log.count(" C: ")
    t.check(f"{name}: the client gave up after a bounded number of lines "
            f"({rounds} sent)", rounds < 100, log[-600:])
    t.check(f"{name}: result is not ok", d5.get("result") != "ok", d5)
    t.check(f"{name}: message names the endless challenges",
            re.search(r"334|challenge", text), text)
    ids = [f.get("id") for f in s5.get("findings", [])]
    t.check(f"{name}: reported as an endless challenge, not a wrong password",
            "auth-endless-challenge" in ids and "auth-rejected" not in ids, ids)
    t.check(f"{name}: password not in output", b"s3cret" not in p.stdout + p.stderr)


def main():
    if not os.access(SW, os.X_OK):
        swtest.skip_all(f"{SW} not built")
    with swtest.Suite() as t, tempfile.TemporaryDirectory(prefix="swtest-hostile-") as tmp:
        for behaviour, args, step, ids, msg in CASES:
            data = one_case(t, behaviour, args, step, ids, msg, tmp)
            if behaviour == "escapes":
                escapes_extra(t, data)
        auth_loop(t, tmp)


if __name__ == "__main__":
    main()
