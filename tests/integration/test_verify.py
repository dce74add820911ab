#!/usr/bin/python3
"""The verification of `smtpwiz check`: the final block run as Java would
run it, its verdict in the JSON report, in the block's header and in the
exit status.  The Java side of the same promise (a real JavaMail client
given the block) is test_verify_java.py; this file pins what the block
and the report say, and runs against both mbedTLS builds: with 2.28,
what Java would do over TLS 1.3 cannot be checked, and that must be a
"not-run" with a non-zero exit, never a pass.  TAP output.
"""

import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import swtest  # noqa: E402

SW = swtest.smtpwiz_bin()
TMP = tempfile.mkdtemp(prefix="swtest-verify-")
USER, PW = "alice", "V3rify-Secret-pw!"
PWFILE = os.path.join(TMP, "pw")
fd = os.open(PWFILE, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
with os.fdopen(fd, "w") as f:
    f.write(PW + "\n")


def check(fx, *args, fmt="json"):
    """check against fixture fx; returns (parsed JSON or block text, exit, proc)."""
    cafile = os.path.join(swtest.pki(), "root.pem")
    # By name: on Java 16+ an IP address in the certificate does not count.
    argv = [SW, "check", "--format", fmt, "--cafile", cafile, *args,
            f"localhost:{fx.port}"]
    p = swtest.run(argv, timeout=120, env={"SMTPWIZ_PASSWORD": None})
    if fmt == "json":
        try:
            return json.loads(p.stdout), p.returncode, p
        except ValueError:
            return None, p.returncode, p
    return p.stdout, p.returncode, p


def verification(data):
    return (data or {}).get("verification") or {}


def login_args():
    return ["--set", f"mail.smtp.user={USER}", "--password-file", PWFILE]


def main():
    t = swtest.Suite()
    can13 = swtest.tls13_build(SW)
    pw = {USER: PW}
    tls12 = dict(tls_max="TLSv1.2")

    with swtest.Fixture(mode="starttls", auth="PLAIN LOGIN", passwords=pw, **tls12) as fx:
        data, code, p = check(fx, *login_args())
        v = verification(data)
        t.check("starttls, right password: verified, exit 0",
                v.get("result") == "verified" and code == 0, json.dumps(v) + p.stderr)
        t.check("verified: one connection, the mechanism and TLS named",
                v.get("connections") == 1 and v.get("mechanism") in ("LOGIN", "PLAIN")
                and "TLSv1.2" in v.get("tls", ""), json.dumps(v))
        t.check("verified: the trust store Java must be given is named",
                v.get("trust_needs_java_setting") is True and "root.pem" in v.get("trust", ""),
                json.dumps(v))
        block, code, p = check(fx, *login_args(), fmt="properties")
        head = block.split("\n\n")[0]
        t.check("the block's header says VERIFIED", "# VERIFIED: Java 17" in head, head)
        t.check("the block holds no password", PW not in block and "password=" not in block,
                block)
        data, code, p = check(fx, "--set", f"mail.smtp.user={USER}", "--password-file",
                               os.path.join(TMP, "bad"))
        # (missing password file is a usage error, not a verification)
        t.check("a missing password file is a usage error", code == 64, p.stderr)
        bad = os.path.join(TMP, "bad")
        fd = os.open(bad, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write("wrong\n")
        data, code, p = check(fx, "--set", f"mail.smtp.user={USER}", "--password-file", bad)
        v = verification(data)
        t.check("wrong password: failed at auth, exit 5",
                v.get("result") == "failed" and v.get("stage") == "auth" and code == 5,
                json.dumps(v))
        t.check("wrong password: Java's exception is named",
                "AuthenticationFailedException" in (v.get("java_exception") or ""), json.dumps(v))
        block, code, p = check(fx, "--set", f"mail.smtp.user={USER}", "--password-file", bad,
                               fmt="properties")
        t.check("failed: the block's header says NOT WORKING YET",
                "# NOT WORKING YET: Java 17" in block.split("\n\n")[0], block)
        data, code, p = check(fx, "--set", f"mail.smtp.user={USER}", "--steps", "1-2")
        v = verification(data)
        t.check("a part of the steps: verification not-run, exit as the steps",
                v.get("result") == "not-run" and code == 0, json.dumps(v))
        block, code, p = check(fx, "--steps", "1-2", fmt="properties")
        t.check("a part of the steps: the header says NOT VERIFIED",
                "# NOT VERIFIED" in block.split("\n\n")[0], block)

    with swtest.Fixture(mode="plain", auth="PLAIN LOGIN", passwords=pw) as fx:
        data, code, p = check(fx, *login_args())
        v = verification(data)
        t.check("AUTH only in the clear: failed, no login without consent",
                v.get("result") == "failed" and v.get("stage") == "auth" and code != 0,
                json.dumps(v))
        data, code, p = check(fx, *login_args(), "--allow-plaintext-auth")
        v = verification(data)
        t.check("AUTH in the clear with --allow-plaintext-auth: verified, said so",
                v.get("result") == "verified" and v.get("plaintext_auth") is True
                and code == 0, json.dumps(v) + p.stderr)
        block, code, p = check(fx, *login_args(), "--allow-plaintext-auth", fmt="properties")
        t.check("the block warns that the password goes without TLS",
                "# WARNING: the password goes to the server without TLS" in block, block)

    with swtest.Fixture(mode="plain") as fx:
        data, code, p = check(fx, *login_args())
        v = verification(data)
        t.check("a user set, no AUTH offered: failed at auth (Java would skip the login)",
                v.get("result") == "failed" and v.get("stage") == "auth" and code == 5,
                json.dumps(v))

    with swtest.Fixture(mode="starttls", require_tls=True, **tls12) as fx:
        props = os.path.join(TMP, "deployed.properties")
        with open(props, "w") as f:
            f.write(f"mail.smtp.host=localhost\nmail.smtp.port={fx.port}\n"
                    "mail.smtp.starttls.enable=true \n"
                    "mail.smtp.starttls.enabled=true\n"
                    "mail.smtp.socketFactory.class=javax.net.ssl.SSLSocketFactory\n")
        cafile = os.path.join(swtest.pki(), "root.pem")
        p = swtest.run([SW, "check", "--format", "properties", "--cafile", cafile,
                        "--load", props], timeout=120)
        head = p.stdout.split("\n\n")[0]
        t.check("deployed file: verified after the corrections", p.returncode == 0
                and "# VERIFIED" in head, p.stdout + p.stderr)
        t.check("misspelt key left out and said",
                "Left out mail.smtp.starttls.enabled" in head
                and "\nmail.smtp.starttls.enabled" not in p.stdout, p.stdout)
        t.check("socketFactory.class left out and said",
                "Left out mail.smtp.socketFactory.class" in head
                and "\nmail.smtp.socketFactory.class" not in p.stdout, p.stdout)
        t.check("the trailing blank is gone", "mail.smtp.starttls.enable=true\n" in p.stdout,
                p.stdout)

    with swtest.Fixture(mode="starttls", greeting_delay=2, **tls12) as fx:
        data, code, p = check(fx, "--set", "mail.smtp.timeout=1000")
        v = verification(data)
        if v.get("result") == "verified":
            props = data.get("properties", {})
            t.check("slow greeting: verified only with a timeout above the delay",
                    int(props.get("mail.smtp.timeout", "0")) > 2000 and code == 0,
                    json.dumps(props))
        else:
            t.check("slow greeting, short timeout: fails at the greeting, Read timed out",
                    v.get("stage") == "greeting" and "Read timed out" in
                    (v.get("java_exception") or "") and code == 1, json.dumps(v))

    with swtest.Fixture(mode="starttls", tls_min="TLSv1.3") as fx:
        data, code, p = check(fx)
        v = verification(data)
        if can13:
            t.check("TLS 1.3 only: verified over TLSv1.3",
                    v.get("result") == "verified" and "TLSv1.3" in v.get("tls", "")
                    and code == 0, json.dumps(v))
        else:
            t.check("TLS 1.3 only, 2.28 build: not-run and a non-zero exit, never a pass",
                    v.get("result") == "not-run" and code != 0, json.dumps(v))
    with swtest.Fixture(mode="starttls", tls_min="TLSv1.3", pki_cert="expired") as fx:
        data, code, p = check(fx)
        v = verification(data)
        t.check("TLS 1.3 only, expired certificate: never a pass", code != 0
                and v.get("result") != "verified", json.dumps(v))
    return t.done()


if __name__ == "__main__":
    sys.exit(main())
