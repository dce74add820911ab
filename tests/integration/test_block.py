#!/usr/bin/python3
"""The settings block end to end: a deployed (wrong) properties file is
loaded, checked against the fixture, and the corrected block written with
-o in each format; the file replaces the old one atomically and the JSON
report's "properties" never carries a password.  TAP output.
"""

import json
import os
import stat
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import swtest  # noqa: E402

SW = swtest.smtpwiz_bin()


def parse_props(text):
    """A minimal reader for what our writer emits (no continuations)."""
    out = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        k, _, v = line.partition("=")
        out[k] = v
    return out


def main():
    tmp = tempfile.mkdtemp(prefix="swblock-")
    with swtest.Suite() as t, swtest.Fixture(mode="starttls", auth="PLAIN LOGIN") as fx:
        deployed = os.path.join(tmp, "mail.properties")
        with open(deployed, "w") as f:
            f.write("# as deployed\nmail.smtp.host=127.0.0.1\nmail.smtp.port=%d\n"
                    "mail.smtp.ssl.enable=true\nmail.smtp.user=alice\n"
                    "mail.smtp.from=app@example.com\n" % fx.port)
        out = os.path.join(tmp, "fixed.properties")
        with open(out, "w") as f:
            f.write("old content\n")
        p = swtest.run([SW, "check", "--steps", "1", "--load", deployed,
                        "--format", "properties", "-o", out])
        t.check("check exits 1: the deployed settings fail step 1", p.returncode == 1,
                (p.returncode, p.stderr))
        t.check("nothing on stdout with -o", p.stdout == "", p.stdout)
        text = open(out).read()
        props = parse_props(text)
        t.check("old file replaced", "old content" not in text, text)
        t.check("mode 0600 even without a password (it may gain one later)",
                stat.S_IMODE(os.stat(out).st_mode) == 0o600, oct(os.stat(out).st_mode))
        want = {"mail.smtp.host": "127.0.0.1", "mail.smtp.port": str(fx.port),
                "mail.smtp.ssl.enable": "false", "mail.smtp.starttls.enable": "true",
                "mail.smtp.starttls.required": "true", "mail.smtp.auth": "true",
                "mail.smtp.user": "alice", "mail.smtp.from": "app@example.com",
                "mail.smtp.ssl.checkserveridentity": "true"}
        for k, v in want.items():
            t.check("corrected block: %s=%s" % (k, v), props.get(k) == v, props.get(k))
        for k in ("mail.smtp.connectiontimeout", "mail.smtp.timeout",
                  "mail.smtp.writetimeout"):
            t.check("finite %s" % k, props.get(k, "").isdigit() and int(props[k]) > 0,
                    props.get(k))
        t.check("no password in the block by default", "mail.smtp.password" not in props)
        t.check("each key has a reason above it",
                all(text.splitlines()[i - 1].startswith("#")
                    for i, l in enumerate(text.splitlines()) if l and not l.startswith("#")),
                text)
        t.check("the header names the mail library", "JavaMail 1.6.2" in text, text[:200])

        # The same block as a Java program reads it: no commas in lists,
        # the corrected file checks clean.
        p = swtest.run([SW, "check", "--steps", "1", "--load", out, "--format", "json"])
        data = json.loads(p.stdout) if p.stdout.startswith("{") else {}
        t.check("the corrected file passes step 1", p.returncode == 0 and
                data["steps"][0]["verdict"] in ("pass", "warn"), (p.returncode, p.stderr))
        t.check("no finding left to fix in the corrected file",
                not any(f["severity"] == "fail" for f in data["steps"][0]["findings"]),
                data.get("steps", [{}])[0].get("findings"))

        # The JSON report's properties never carry the password.
        pwfile = os.path.join(tmp, "pw")
        with open(pwfile, "w") as f:
            f.write("Sup3r-S3cret\n")
        os.chmod(pwfile, 0o600)
        p = swtest.run([SW, "check", "--steps", "1", "--load", deployed, "--format", "json",
                        "--password-file", pwfile, "--block-password", "include"])
        t.check("JSON report: password not included", "Sup3r-S3cret" not in p.stdout)
        data = json.loads(p.stdout)
        t.check("JSON report: properties present",
                data["properties"].get("mail.smtp.starttls.enable") == "true",
                data.get("properties"))

        for fmt, needle in (("js7", 'mail.smtp.host                       "127.0.0.1"'),
                            ("js7-json", '"TYPE": "JobResource"'),
                            ("spring", "spring.mail.host=127.0.0.1"),
                            ("properties", "mail.smtp.starttls.required=true")):
            p = swtest.run([SW, "check", "--steps", "1", "--load", deployed, "--format", fmt])
            t.check("format %s" % fmt, needle in p.stdout, p.stdout)

        # An unwritable target: clear error, old file intact, no temp left.
        bad = os.path.join(tmp, "missing-dir", "x.properties")
        p = swtest.run([SW, "check", "--steps", "1", "--load", deployed, "--format",
                        "properties", "-o", bad])
        t.check("unwritable target: exit 70 and a message naming it",
                p.returncode == 70 and "missing-dir" in p.stderr, (p.returncode, p.stderr))
        t.check("unwritable target: nothing created", not os.path.exists(bad))
        p = swtest.run([SW, "check", "--format", "xml", "127.0.0.1"])
        t.check("bad --format: exit 64", p.returncode == 64, p.stderr)


if __name__ == "__main__":
    main()
