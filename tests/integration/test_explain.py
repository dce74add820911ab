#!/usr/bin/python3
"""`smtpwiz explain`: TEXT and stdin, text and JSON output, exit codes
(0 recognised, 1 nothing, 64 usage or input over 4 MiB, 70 tables
missing or broken), hostile input never reaching the terminal raw.
TAP output.  Skips when the binary does not dispatch `explain` yet.
"""

import json
import os
import re
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import swtest  # noqa: E402

SW = swtest.smtpwiz_bin()
DATA = os.path.join(swtest.repo_root(), "tests", "data", "explain")
ASSETS = os.path.join(swtest.repo_root(), "assets")
MiB = 1024 * 1024


def data(name):
    with open(os.path.join(DATA, name), encoding="utf-8") as f:
        return f.read()


def explain(*args, input=None, env=None):
    return swtest.run([SW, "explain", *args], input=input, env=env)


def text_ids(out):
    """Ids in the order the text report lists them ("  [id]")."""
    return re.findall(r"^   .*  \[([a-z0-9.-]+)\]$", out, re.M)


def main():
    p = explain("--help")
    if p.returncode == 64:
        swtest.skip_all("smtpwiz does not dispatch `explain` yet "
                        "(main.c needs the cmd_explain line)")
    with swtest.Suite() as t:
        t.check("--help exits 0", p.returncode == 0, p.stderr)
        t.check("--help names --format and -", "--format" in p.stdout and " - " in p.stdout,
                p.stdout)
        t.check("--help fits in 80 columns",
                all(len(l) <= 80 for l in p.stdout.splitlines()))

        # TEXT on the command line.
        p = explain("javax.net.ssl.SSLException: Unsupported or unrecognized SSL message")
        t.check("TEXT recognised: exit 0", p.returncode == 0, (p.returncode, p.stderr))
        t.check("TEXT: id, step title, fix, settings",
                "[unrecognized-ssl-message]" in p.stdout and
                "Step 1: Protocol and port" in p.stdout and "Fix:" in p.stdout and
                "mail.smtp.ssl.enable=false" in p.stdout and
                "mail.smtp.starttls.enable=true" in p.stdout, p.stdout)
        t.check("TEXT: output fits 80 columns except the quoted text",
                all(len(l) <= 80 for l in p.stdout.splitlines()
                    if not l.startswith("   Seen:")), p.stdout)
        p = explain("535", "5.7.139", "Authentication", "unsuccessful")
        t.check("several TEXT words are one text",
                p.returncode == 0 and text_ids(p.stdout) == ["smtp-535-5.7.139"],
                p.stdout)
        p = explain("--", "-1 javax.mail.AuthenticationFailedException: [EOF]")
        t.check("-- ends the options", p.returncode == 0 and
                text_ids(p.stdout) == ["auth-eof"], (p.returncode, p.stdout, p.stderr))

        # A whole log on stdin: innermost cause first, each once.
        p = explain("-", input=data("02-js7-service-monitor.log"))
        t.check("stdin log: exit 0", p.returncode == 0, p.stderr)
        t.check("stdin log: innermost first, duplicates dropped",
                text_ids(p.stdout) == ["alert-handshake-failure", "starttls-convert"],
                p.stdout)
        t.check("stdin log: step of the cause",
                "Step 4: Cipher suites; also step 2  [alert-handshake-failure]"
                in p.stdout, p.stdout)

        # JSON.
        p = explain("--format", "json", "-", input=data("03-pkix-jdk8.txt"))
        try:
            arr = json.loads(p.stdout)
        except ValueError:
            arr = None
        t.check("json: exit 0 and a JSON array", p.returncode == 0 and isinstance(arr, list),
                p.stdout)
        arr = arr or []
        t.check("json: ids in order", [o.get("id") for o in arr] ==
                ["pkix-path", "starttls-convert"], arr)
        t.check("json: every object has id, step, cause, fix, suggest{}, match",
                all(isinstance(o.get(k), str) for o in arr
                    for k in ("id", "step", "cause", "fix", "match")) and
                all(isinstance(o.get("suggest"), dict) for o in arr), arr)
        t.check("json: step is the token", arr and arr[0]["step"] == "2" and
                arr[0]["step_title"] == "Step 2: Certificates", arr)
        t.check("json: match is the line seen", arr and
                "PKIX path building failed" in arr[0]["match"], arr)
        data_, code = swtest.run_json([SW, "explain", "--format", "json",
                                       "javax.net.ssl.SSLHandshakeException: No appropriate "
                                       "protocol (protocol is disabled or cipher suites are "
                                       "inappropriate)"])
        t.check("json: suggest holds the settings",
                code == 0 and data_ and data_[0]["suggest"] ==
                {"mail.smtp.ssl.protocols": "TLSv1.2"}, data_)
        data_, code = swtest.run_json([SW, "explain", "--format", "json",
                                       "AuthenticationFailedException: 535 5.7.8 "
                                       "Username and Password not accepted"])
        t.check("json: a reply carries code and enhanced code",
                code == 0 and data_ and data_[0]["id"] == "smtp-535-5.7.8-gmail" and
                {k: data_[0]["reply"].get(k) for k in ("code", "enhanced")} ==
                {"code": 535, "enhanced": "5.7.8"}, data_)
        t.check("json: the enhanced code read part by part (RFC 3463)",
                data_ and data_[0]["reply"].get("class", "").startswith("Permanent") and
                data_[0]["reply"].get("subject", "").startswith("Security") and
                data_[0]["reply"].get("detail") == "Authentication credentials invalid" and
                data_[0]["reply"].get("detail_ref") == "RFC 4954" and
                data_[0]["temporary"] is False and data_[0]["count"] == 1, data_)
        data_, code = swtest.run_json([SW, "explain", "--format", "json",
                                       "451 4.7.1 <ops@example.org>: Recipient address "
                                       "rejected: Greylisted, see http://postgrey.example/"])
        t.check("json: a 4xx reply is temporary with retry advice",
                code == 0 and data_ and data_[0]["id"] == "smtp-greylisted" and
                data_[0]["temporary"] is True and data_[0]["retry"] is True and
                data_[0]["reply"]["class"].startswith("Temporary"), data_)
        data_, code = swtest.run_json([SW, "explain", "--format", "json",
                                       "ConnectException: Connection refused"])
        t.check("json: NET step", code == 0 and data_ and data_[0]["step"] == "NET" and
                data_[0]["steps"] == ["NET", "1"], data_)

        # Nothing recognised.
        p = explain("everything is fine")
        t.check("nothing recognised: exit 1", p.returncode == 1, p.returncode)
        t.check("nothing recognised: hint names smtpwiz check HOST:PORT",
                "smtpwiz check HOST:PORT" in p.stdout, p.stdout)
        p = explain("--format", "json", "-", input="220 smtp.example.com ESMTP\n")
        t.check("nothing recognised, json: [] on stdout, hint on stderr, exit 1",
                p.returncode == 1 and json.loads(p.stdout or "null") == [] and
                "smtpwiz check" in p.stderr, (p.returncode, p.stdout, p.stderr))
        p = explain("-", input="")
        t.check("empty stdin: exit 1", p.returncode == 1, (p.returncode, p.stderr))

        # Usage errors: exit 64, one line on stderr, nothing on stdout.
        for args, word in ((["explain"], "no TEXT"),
                           (["explain", "--format", "xml", "x"], "--format"),
                           (["explain", "--bogus", "x"], "--bogus"),
                           (["explain", "--format"], "needs a value"),
                           (["explain", "-", "more"], "stdin"),
                           (["explain", "--list", "x"], "--list")):
            p = swtest.run([SW] + args, input="")
            errs = p.stderr.strip().splitlines()
            name = " ".join(args)
            t.check("usage %s: exit 64" % name, p.returncode == 64, (p.returncode, p.stderr))
            t.check("usage %s: one line naming %s" % (name, word),
                    len(errs) == 1 and word in errs[0], errs)
            t.check("usage %s: nothing on stdout" % name, p.stdout == "", p.stdout)

        # Input limits.
        log = data("01-javamail162-ssl-on-587.txt")
        big = (log * (5 * MiB // len(log) + 1))[:5 * MiB]
        p = explain("-", input=big)
        t.check("5 MiB on stdin: exit 64", p.returncode == 64, p.returncode)
        t.check("5 MiB on stdin: says the limit", "4 MiB" in p.stderr and
                len(p.stderr.splitlines()) == 1, p.stderr)
        t.check("5 MiB on stdin: nothing on stdout", p.stdout == "", p.stdout[:200])
        exact = big[:4 * MiB]
        p = explain("-", input=exact)
        t.check("exactly 4 MiB is accepted", p.returncode == 0 and
                "[unrecognized-ssl-message]" in p.stdout, (p.returncode, p.stderr))
        line = "x" * MiB + " Received fatal alert: protocol_version " + "y" * MiB + "\n"
        p = explain("-", input=line)
        t.check("a 2 MiB line: recognised", p.returncode == 0 and
                "[alert-protocol-version]" in p.stdout, (p.returncode, p.stderr))
        t.check("a 2 MiB line: the quote is cut",
                max(len(l) for l in p.stdout.splitlines()) < 300, p.stdout[:600])

        # Hostile input never comes out raw.
        evil = ("\x1b]0;pwned\x07\x1b[2J\x9b31m\u202e" +
                "javax.net.ssl.SSLHandshakeException: Received fatal alert: "
                "handshake_failure \x1b[5m\x00\x00\n")
        for fmt in ("text", "json"):
            p = swtest.run([SW, "explain", "--format", fmt, "-"], input=evil)
            out = p.stdout + p.stderr
            t.check("escapes in input (%s): recognised" % fmt, p.returncode == 0,
                    (p.returncode, p.stderr))
            t.check("escapes in input (%s): no ESC, BEL, CSI, NUL or bidi override out"
                    % fmt, not any(c in out for c in "\x1b\x07\x9b\x00\u202e"), repr(out))
        p = swtest.run([SW, "explain", "-"], input="\x00\x01\xff binary junk\n")
        t.check("binary junk: exit 1, clean output", p.returncode == 1 and
                "\x00" not in p.stdout and "\x01" not in p.stdout, repr(p.stdout))

        # --list.
        p = explain("--list")
        ids = [l.split()[0] for l in p.stdout.splitlines() if l.strip()]
        t.check("--list: exit 0, 100+ entries", p.returncode == 0 and len(ids) >= 100,
                len(ids))
        t.check("--list: ids unique", len(ids) == len(set(ids)))
        data_, code = swtest.run_json([SW, "explain", "--list", "--format", "json"])
        t.check("--list json", code == 0 and data_ and
                sorted(o["id"] for o in data_) == sorted(ids))

        # The tables: missing or broken means exit 70 with a reason.
        p = explain("x", env={"SMTPWIZ_ASSETS": "/nonexistent"})
        t.check("assets missing: exit 70 naming SMTPWIZ_ASSETS",
                p.returncode == 70 and "SMTPWIZ_ASSETS" in p.stderr,
                (p.returncode, p.stderr))
        tmp = tempfile.mkdtemp(prefix="swtest-explain-")
        try:
            for name in os.listdir(ASSETS):
                src = os.path.join(ASSETS, name)
                if os.path.isfile(src):
                    shutil.copy(src, tmp)
            with open(os.path.join(tmp, "errors-smtp.txt"), "a") as f:
                f.write("\nid: broken\ntitle: t\nstep: 9\nreply: 599\ncause: c\nfix: f\n")
            p = explain("x", env={"SMTPWIZ_ASSETS": tmp})
            t.check("malformed asset: exit 70 with file:line",
                    p.returncode == 70 and
                    re.search(r"errors-smtp\.txt:\d+: step \"9\"", p.stderr),
                    (p.returncode, p.stderr))
        finally:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
