#!/usr/bin/python3
"""Issue 17: Java TLS debug logs (-Djavax.net.debug=ssl / all).

`smtpwiz explain` reads the four logs in tests/data/explain/debuglog/ --
JDK 11 (Debian 11's, fetched by tests/tools/fetch-jdk.sh), JDK 17 and
JDK 25 made with the test bed's Java against openssl s_server (a TLS
1.0-only server; a self-signed certificate; only a static-RSA suite),
and a JDK 8u202 log written in the legacy format (no JDK 8 here) -- and
reports what that Java
offered, what the server chose or the alert, and the chain; JSON has a
"tls-debug-log" element.  --profile-out writes the runtime's profile,
and `check --java FILE` / `check --java-from-debug-log LOG` judge steps
3 and 4 with it against the fixture server (the temporary profile is
removed afterwards).  TAP output.
"""

import glob
import json
import os
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import swtest  # noqa: E402

SW = swtest.smtpwiz_bin()
LOGS = os.path.join(swtest.repo_root(), "tests", "data", "explain", "debuglog")

# log -> (format, offered versions, server version or None, alert, from,
#         first chain subject or None, the error explain must report first)
EXPECT = {
    "jdk8u202-legacy-pkix.log": ("jdk8-legacy", ["TLSv1.2"], "TLSv1.2",
                                 "certificate_unknown", "java",
                                 "CN=mail.example.com", "pkix-path"),
    "jdk11-protocol-version.log": ("ssllogger", ["TLSv1.3", "TLSv1.2"], None,
                                   "protocol_version", "server", None,
                                   "alert-protocol-version"),
    "jdk17-selfsigned.log": ("ssllogger", ["TLSv1.3", "TLSv1.2"], "TLSv1.3",
                             "certificate_unknown", "java",
                             "CN=mail.example.com", "pkix-path"),
    "jdk25-handshake-failure.log": ("ssllogger", ["TLSv1.3", "TLSv1.2"], None,
                                    "handshake_failure", "server", None,
                                    "alert-handshake-failure"),
}


def read(name):
    with open(os.path.join(LOGS, name), encoding="utf-8", errors="replace") as f:
        return f.read()


def bystep(data, n):
    for s in (data or {}).get("steps", []):
        if s.get("step") == n:
            return s
    return {}


def main():
    with swtest.Suite() as t:
        t.check("four debug logs", sorted(os.path.basename(p) for p in
                glob.glob(os.path.join(LOGS, "*.log"))) == sorted(EXPECT))
        for name, (fmt, vers, sver, alert, frm, subj, first) in sorted(EXPECT.items()):
            data, code = swtest.run_json([SW, "explain", "--format", "json", "-"],
                                         input=read(name))
            data = data or []
            dl = [o for o in data if o.get("id") == "tls-debug-log"]
            d = dl[0]["debug_log"] if dl else {}
            t.check(f"{name}: exit 0 and one tls-debug-log element",
                    code == 0 and len(dl) == 1, (code, [o.get("id") for o in data]))
            t.check(f"{name}: format {fmt}", d.get("format") == fmt, d.get("format"))
            t.check(f"{name}: offered {vers}", d.get("offered_versions") == vers,
                    d.get("offered_versions"))
            t.check(f"{name}: suites and server name", len(d.get("cipher_suites", [])) >= 20
                    and d.get("server_name") == "mail.example.com", d)
            t.check(f"{name}: server chose {sver}", d.get("server_version") == sver,
                    d.get("server_version"))
            t.check(f"{name}: alert {alert} from {frm}",
                    (d.get("alert") or {}) == {"description": alert, "from": frm},
                    d.get("alert"))
            chain = d.get("chain", [])
            t.check(f"{name}: chain", (chain[0]["subject"] if chain else None) == subj and
                    all(c.get("issuer") for c in chain), chain)
            t.check(f"{name}: the error first: {first}", data and data[0]["id"] == first,
                    [o.get("id") for o in data])
            t.check(f"{name}: one failure counted once (debug lines are no incidents)",
                    data and data[0].get("count") == 1, data and data[0].get("count"))
            p = swtest.run([SW, "explain", "-"], input=read(name))
            t.check(f"{name}: text section", "TLS debug log (" in p.stdout and
                    "Java offered:" in p.stdout and "Server chose:" in p.stdout, p.stdout[-800:])

        tmp = tempfile.mkdtemp(prefix="swtest-debuglog-")
        prof = os.path.join(tmp, "java.profile")
        p = swtest.run([SW, "explain", "--profile-out", prof, "-"],
                       input=read("jdk17-selfsigned.log"))
        text = open(prof).read() if os.path.exists(prof) else ""
        t.check("--profile-out writes the profile", p.returncode == 0 and
                "profile.protocols.client=TLSv1.3 TLSv1.2" in text and
                "TLS_AES_256_GCM_SHA384" in text, (p.returncode, p.stderr, text[:300]))
        p = swtest.run([SW, "explain", "--profile-out", prof, "no debug log here"])
        t.check("--profile-out on text without a ClientHello: exit 1, says why",
                p.returncode == 1 and "ClientHello" in p.stderr, (p.returncode, p.stderr))

        with swtest.Fixture(mode="starttls", tls_max="TLSv1.2") as fx:
            data, code = swtest.run_json([SW, "check", "--steps", "3-4", "--format", "json",
                                          "--java", prof, f"127.0.0.1:{fx.port}"], timeout=120)
            s3 = bystep(data, 3)
            t.check("check --java PROFILE: step 3 judges with the file",
                    s3.get("data", {}).get("java_profile") == prof and
                    s3.get("data", {}).get("recommended") == "TLSv1.2",
                    (code, s3.get("data"), s3.get("findings")))
            before = set(glob.glob(os.path.join(tmp, "smtpwiz-java-*")))
            env = {"TMPDIR": tmp}
            for name, want in (("jdk17-selfsigned.log", "TLSv1.2"),
                               ("jdk8u202-legacy-pkix.log", "TLSv1.2")):
                data, code = swtest.run_json(
                    [SW, "check", "--steps", "3-4", "--format", "json",
                     "--java-from-debug-log", os.path.join(LOGS, name),
                     f"127.0.0.1:{fx.port}"], timeout=120, env=env)
                d3 = bystep(data, 3).get("data", {})
                d4 = bystep(data, 4).get("data", {})
                t.check(f"--java-from-debug-log {name}: steps 3 and 4 with its offer",
                        "smtpwiz-java-" in str(d3.get("java_profile")) and
                        d3.get("recommended") == want and
                        (d4.get("java_negotiates") or {}).get("suite"),
                        (code, d3, d4.get("java_negotiates")))
            t.check("--java-from-debug-log removes its temporary profile",
                    set(glob.glob(os.path.join(tmp, "smtpwiz-java-*"))) == before)
        p = swtest.run([SW, "check", "--java-from-debug-log", "/nonexistent.log",
                        "127.0.0.1:1"])
        t.check("--java-from-debug-log with a missing file: usage error",
                p.returncode == 64 and "nonexistent" in p.stderr, (p.returncode, p.stderr))
        p = swtest.run([SW, "check", "--java", "./no-such.profile", "127.0.0.1:1"])
        t.check("--java with a missing profile file: usage error", p.returncode == 64,
                (p.returncode, p.stderr))


if __name__ == "__main__":
    main()
