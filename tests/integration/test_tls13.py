#!/usr/bin/python3
"""TLS 1.3 where it matters (issue 13): fixture servers that speak only
TLS 1.3, over STARTTLS and implicit TLS, with each certificate problem
(expired, wrong name, missing intermediate, self-signed) and a good
chain, against their TLS 1.2-only twins.

On a build that completes TLS 1.3 (mbedTLS 3.6) every twin pair must get
the same step-2 verdict, problems, trust and name verdicts and exit
status, and the same verification result; step 1 reports the version and
suite the fixture logged for the handshake, and step 5 logs in over TLS
1.3.  On a build that cannot (mbedTLS 2.28) the TLS 1.3 server's
certificates and login are "not checked", the verification is not-run,
and the exit status is never 0.  Connects by name (localhost): the
verification judges the name as Java 16+ does.  TAP output.
"""

import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import certlib  # noqa: E402
import swtest  # noqa: E402

SW = swtest.smtpwiz_bin()
PROBLEMS = ("good", "expired", "wrongname", "missing-intermediate", "selfsigned")
TWINS = {"TLSv1.2": dict(tls_max="TLSv1.2"), "TLSv1.3": dict(tls_min="TLSv1.3")}
USER, PW = "alice", "Tls13-Secret-pw!"


def fixture(name, mode, version, **extra):
    v = certlib.VARIANTS[name]
    pki = swtest.pki()
    return swtest.Fixture(mode=mode, cert=os.path.join(pki, v["cert"]),
                          key=os.path.join(pki, v["key"]), **TWINS[version], **extra)


def full_check(port, mode, root):
    """The whole check (steps 1-5 and the verification), as JSON."""
    return swtest.run_json([SW, "check", "--format", "json", "--cafile", root,
                            *certlib.mode_args(mode), f"localhost:{port}"], timeout=120)


def facts(data, code, full):
    """What must agree between the twins: step 2 of `--steps 1-2` (data,
    code) and the verification of the whole check (full)."""
    s2, d = certlib.step2(data), certlib.d2(data)
    v = (full or {}).get("verification") or {}
    return {"step2": s2.get("verdict"), "problems": sorted(d.get("problems", [])),
            "trusted": d.get("trusted"), "hostname_match": d.get("hostname_match"),
            "exit_steps_1_2": code}, {"result": v.get("result"), "stage": v.get("stage"),
                                      "step": v.get("step")}


def cert_twins(t, can13, root):
    for name in PROBLEMS:
        for mode in ("starttls", "ssl"):
            seen = {}
            for version in ("TLSv1.2", "TLSv1.3"):
                with fixture(name, mode, version) as fx:
                    data, code = certlib.check(fx.port, *certlib.mode_args(mode),
                                               "--cafile", root)
                    full, fcode = full_check(fx.port, mode, root)
                    step2, verif = facts(data, code, full)
                    seen[version] = dict(step2=step2, verif=verif, exit=fcode,
                                         tls=certlib.d2(data).get("tls") or "",
                                         vtls=((full or {}).get("verification") or {})
                                         .get("tls") or "", ids=certlib.ids(data))
            label = f"{name} {mode}"
            a, b = seen["TLSv1.2"], seen["TLSv1.3"]
            t.check(f"{label}: TLS 1.2 twin read the chain over TLSv1.2",
                    a["tls"].startswith("TLSv1.2"), a)
            want = certlib.VARIANTS[name]
            t.check(f"{label}: TLS 1.2 twin has the variant's problems",
                    set(a["step2"]["problems"]) == want["problems"], a)
            if can13:
                t.check(f"{label}: TLS 1.3 server judged over TLSv1.3",
                        b["tls"].startswith("TLSv1.3"), b)
                t.check(f"{label}: step 2 as over TLS 1.2", a["step2"] == b["step2"],
                        (a["step2"], b["step2"]))
                t.check(f"{label}: verification as over TLS 1.2",
                        a["verif"] == b["verif"] and a["exit"] == b["exit"],
                        (a["verif"], a["exit"], b["verif"], b["exit"]))
                if b["verif"]["result"] == "verified":
                    t.check(f"{label}: verified over TLSv1.3", b["vtls"].startswith("TLSv1.3"),
                            b)
            else:
                t.check(f"{label}, 2.28 build: certificates not checked, step 2 fails",
                        b["step2"]["step2"] == "fail" and b["step2"]["exit_steps_1_2"] == 2
                        and "tls-version-unsupported-by-build" in b["ids"]
                        and b["step2"]["problems"] == [] and b["step2"]["trusted"] is None,
                        b)
                t.check(f"{label}, 2.28 build: verification not-run, exit non-zero",
                        b["verif"]["result"] == "not-run" and b["exit"] != 0, b)
            if name == "good":
                t.check(f"{label}: good chain over TLS 1.2 verified, exit 0",
                        a["verif"]["result"] == "verified" and a["exit"] == 0, a)
            elif name in ("expired", "missing-intermediate", "selfsigned"):
                t.check(f"{label}: never a pass", a["exit"] != 0 and b["exit"] != 0
                        and "verified" not in (a["verif"]["result"], b["verif"]["result"]),
                        (a, b))


def step1_and_login(t, can13, root):
    for mode in ("starttls", "ssl"):
        with fixture("good", mode, "TLSv1.3", auth="PLAIN LOGIN",
                     passwords={USER: PW}) as fx:
            data, code = swtest.run_json(
                [SW, "check", "--format", "json", "--cafile", root,
                 *certlib.mode_args(mode), "--set", f"mail.smtp.user={USER}",
                 f"localhost:{fx.port}"], timeout=120, env={"SMTPWIZ_PASSWORD": PW})
            steps = (data or {}).get("steps", [])
            s1 = steps[0].get("data", {}) if steps else {}
            s5 = steps[4] if len(steps) > 4 else {}
            v = (data or {}).get("verification") or {}
            logged = re.findall(r"#(\d+) TLS (TLSv\S+ \S+)", fx.log_text())
            auth_conns = set(re.findall(r"#(\d+) C: AUTH ", fx.log_text()))
            tls_of = dict(logged)
            if can13:
                t.check(f"{mode}: step 1 reports the handshake the server logged",
                        s1.get("tls_ok") is True and bool(logged) and
                        s1.get("tls") == logged[0][1] and s1["tls"].startswith("TLSv1.3 "),
                        (s1.get("tls"), logged))
                t.check(f"{mode}: step 5 logs in over TLS 1.3",
                        s5.get("data", {}).get("result") == "ok" and auth_conns and
                        all(tls_of.get(c, "").startswith("TLSv1.3") for c in auth_conns),
                        (s5.get("data"), auth_conns, logged))
                t.check(f"{mode}: verified over TLS 1.3 with the login, exit 0",
                        v.get("result") == "verified" and v.get("mechanism") == "LOGIN"
                        and v.get("tls", "").startswith("TLSv1.3") and code == 0,
                        (v, code))
            else:
                t.check(f"{mode}, 2.28 build: step 1 says the handshake failed",
                        s1.get("tls_ok") is False and "no TLS version in common"
                        in (s1.get("tls_error") or ""), s1)
                ids = [(f["id"], f["severity"]) for f in s5.get("findings", [])]
                t.check(f"{mode}, 2.28 build: the login not checked, a failure",
                        ("auth-not-checked", "fail") in ids and
                        s5.get("verdict") == "fail" and not auth_conns, (ids, s5))
                t.check(f"{mode}, 2.28 build: not-run, exit non-zero",
                        v.get("result") == "not-run" and code != 0, (v, code))


def main():
    can13 = swtest.tls13_build(SW)
    root = os.path.join(swtest.pki(), "root.pem")
    with swtest.Suite() as t:
        cert_twins(t, can13, root)
        step1_and_login(t, can13, root)


if __name__ == "__main__":
    main()
