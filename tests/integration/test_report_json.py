#!/usr/bin/python3
"""The report JSON against its contract (DESIGN.md, "The batch report
(JSON) -- a stable contract": add fields freely, rename none).

Two runs against the fixture: every step with a login and the
verification (STARTTLS, the test PKI's leaf, AUTH PLAIN LOGIN), and step
1 alone (the other steps "not requested", the verification not run).

* The contract's names: each is there with its type, and the words of
  its enumerations (verdict, severity, mode, protocol versions,
  certificate problems, step 5 result, verification result and stage)
  are the contract's.
* The golden list tests/data/report/json-paths.txt: every key path a
  report of these runs had when it was written ("steps[2].data.chain[]
  .subject"; lists as [], steps by number, versions and setting names
  as placeholders, the Java runtime found not entered) must be there: a path
  that disappears is a renamed or dropped field.  New paths pass and
  are listed as a diagnostic; SWTEST_REGOLD=1 rewrites the file (after
  adding a field on purpose, never to hide a missing one).

TAP output.
"""

import os
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import swtest  # noqa: E402

SW = swtest.smtpwiz_bin()
GOLDEN = os.path.join(swtest.repo_root(), "tests", "data", "report", "json-paths.txt")
USER, PW = "alice", "Golden-Pa55word-x"
VERDICTS = {"pass", "warn", "fail", "skipped"}
SEVERITIES = {"info", "warn", "fail"}
MODES = {"plain", "starttls", "ssl"}
VERSIONS = {"SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"}
PROBLEMS = {"expired", "not-yet-valid", "expiring-soon", "self-signed", "untrusted",
            "incomplete-chain", "hostname-mismatch", "weak-key", "weak-signature",
            "java-certpath"}
AUTH_RESULTS = {"ok", "rejected", "refused-plaintext", "unsupported", "skipped"}
VERIFY_RESULTS = {"verified", "failed", "not-run"}
STAGES = {"resolve", "connect", "greeting", "ehlo", "starttls", "handshake", "trust", "hostname",
          "auth", "mail-from", "rcpt-to"}
NAMES = {1: "connection", 2: "certificates", 3: "protocols", 4: "ciphers",
         5: "authentication"}


# Maps whose keys are data, not names: setting names, and what this
# machine's Java runtime holds (there or not where the suite runs).
KEYED = ("properties", "suggest")
OPAQUE = ("java_runtime",)


def paths(v, prefix=""):
    """Every key path of v: dicts by key (a protocol version as
    {version}, a setting name as {key}), lists as [], steps by number."""
    out = set()
    if isinstance(v, dict):
        if prefix.rsplit(".", 1)[-1] in OPAQUE:
            return out
        for k, x in v.items():
            if prefix.rsplit(".", 1)[-1] in KEYED:
                k = "{key}"
            elif k in VERSIONS:
                k = "{version}"
            p = f"{prefix}.{k}" if prefix else k
            out.add(p)
            out |= paths(x, p)
    elif isinstance(v, list):
        for x in v:
            if prefix == "steps" and isinstance(x, dict) and "step" in x:
                p = f"steps[{x['step']}]"
                out.add(p)
                out |= paths(x, p)
            else:
                out |= paths(x, prefix + "[]")
    return out


def is_str_list(v):
    return isinstance(v, list) and all(isinstance(x, str) for x in v)


def contract(t, rep, label):
    """The names and words DESIGN.md promises, in one report."""
    tool = rep.get("tool", {})
    t.check(f"{label}: tool name, version, tls_library",
            tool.get("name") == "smtpwiz" and isinstance(tool.get("version"), str) and
            isinstance(tool.get("tls_library"), str), tool)
    tg = rep.get("target", {})
    t.check(f"{label}: target host, port, mode",
            isinstance(tg.get("host"), str) and isinstance(tg.get("port"), int) and
            tg.get("mode") in MODES, tg)
    t.check(f"{label}: java_profile", isinstance(rep.get("java_profile"), str),
            rep.get("java_profile"))
    steps = rep.get("steps")
    t.check(f"{label}: five steps, numbered and named as the contract says",
            isinstance(steps, list) and
            [(s.get("step"), s.get("name")) for s in steps] == sorted(NAMES.items()),
            steps and [(s.get("step"), s.get("name")) for s in steps])
    for s in steps or []:
        n = s.get("step")
        t.check(f"{label}: step {n} verdict is a contract word", s.get("verdict") in VERDICTS,
                s.get("verdict"))
        for f in s.get("findings", []):
            t.check(f"{label}: step {n} finding {f.get('id')}: id, severity, message, suggest",
                    isinstance(f.get("id"), str) and f.get("severity") in SEVERITIES and
                    isinstance(f.get("message"), str) and isinstance(f.get("suggest"), dict),
                    f)
    v = rep.get("verification", {})
    t.check(f"{label}: verification result is a contract word",
            v.get("result") in VERIFY_RESULTS, v)
    t.check(f"{label}: verification stage is null or a contract word",
            v.get("stage") is None or v.get("stage") in STAGES, v.get("stage"))
    t.check(f"{label}: properties maps names to strings",
            isinstance(rep.get("properties"), dict) and
            all(isinstance(x, str) for x in rep["properties"].values()), rep.get("properties"))


def data_contract(t, rep):
    """The data of each step of the full run."""
    steps = {s["step"]: s for s in rep["steps"]}
    d = steps[1].get("data", {})
    t.check("step 1 data: addresses, greeting, ehlo, starttls_offered, detected_mode",
            is_str_list(d.get("addresses")) and isinstance(d.get("greeting"), str) and
            is_str_list(d.get("ehlo")) and d.get("starttls_offered") is True and
            d.get("detected_mode") in MODES, d)
    d = steps[2].get("data", {})
    chain = d.get("chain") or [{}]
    keys = {"subject", "issuer", "san", "not_before", "not_after", "key", "signature",
            "sha256"}
    t.check("step 2 data: chain entries with the contract's fields",
            isinstance(d.get("chain"), list) and d["chain"] and
            all(keys <= set(c) for c in d["chain"]) and is_str_list(chain[0].get("san")),
            chain[0])
    t.check("step 2 data: trusted and hostname_match are booleans",
            isinstance(d.get("trusted"), bool) and isinstance(d.get("hostname_match"), bool),
            {k: d.get(k) for k in ("trusted", "hostname_match")})
    t.check("step 2 data: problems are contract words",
            is_str_list(d.get("problems")) and set(d["problems"]) <= PROBLEMS,
            d.get("problems"))
    d = steps[3].get("data", {})
    acc = d.get("accepted")
    t.check("step 3 data: accepted maps every Java version name to a boolean or null",
            isinstance(acc, dict) and set(acc) == VERSIONS and
            all(x is None or isinstance(x, bool) for x in acc.values()), acc)
    t.check("step 3 data: java_enabled and recommended",
            is_str_list(d.get("java_enabled")) and set(d["java_enabled"]) <= VERSIONS and
            d.get("recommended") in VERSIONS | {None}, d)
    d = steps[4].get("data", {})
    acc = d.get("accepted")
    t.check("step 4 data: accepted maps versions to IANA suite names",
            isinstance(acc, dict) and set(acc) <= VERSIONS and
            all(is_str_list(x) and all(s.startswith("TLS_") for s in x)
                for x in acc.values()) and any(acc.values()), acc)
    jn = d.get("java_negotiates")
    t.check("step 4 data: server_order and java_negotiates {version, suite}",
            "server_order" in d and isinstance(jn, dict) and jn.get("version") in VERSIONS and
            str(jn.get("suite")).startswith("TLS_"), {"server_order": d.get("server_order"),
                                                      "java_negotiates": jn})
    d = steps[5].get("data", {})
    t.check("step 5 data: mechanisms, result ok, a 235 reply",
            is_str_list(d.get("mechanisms")) and d.get("result") in AUTH_RESULTS and
            d.get("result") == "ok" and str(d.get("reply", "")).startswith("235"), d)


def main():
    tmp = tempfile.mkdtemp(prefix="swtest-report-")
    pw = os.path.join(tmp, "pw")
    fd = os.open(pw, os.O_WRONLY | os.O_CREAT, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(PW + "\n")
    root = os.path.join(swtest.pki(), "root.pem")
    with swtest.Suite() as t:
        with swtest.Fixture(mode="starttls", auth="PLAIN LOGIN",
                            passwords={USER: PW}, hostname="localhost") as fx:
            target = f"localhost:{fx.port}"
            full = swtest.run_json([SW, "check", "--format", "json", "--cafile", root,
                                    "--user", USER, "--password-file", pw, target],
                                   timeout=180)
            one = swtest.run_json([SW, "check", "--format", "json", "--steps", "1",
                                   "--cafile", root, target], timeout=60)
        t.check("the full run prints JSON", full.data is not None, full.proc.stderr[-2000:])
        t.check("step 1 alone prints JSON", one.data is not None, one.proc.stderr[-2000:])
        if full.data is None or one.data is None:
            return
        t.check("the full run: the password is nowhere in the report",
                PW not in full.proc.stdout)
        contract(t, full.data, "full run")
        contract(t, one.data, "step 1 alone")
        data_contract(t, full.data)
        skipped = [s for s in one.data["steps"] if s["step"] > 1]
        t.check("step 1 alone: steps 2-5 skipped with a reason",
                all(s.get("verdict") == "skipped" and s.get("reason") for s in skipped),
                skipped)
        t.check("step 1 alone: the verification did not run",
                one.data["verification"].get("result") == "not-run", one.data["verification"])

        have = paths(full.data) | paths(one.data)
        if os.environ.get("SWTEST_REGOLD") == "1":
            with open(GOLDEN, "w") as f:
                f.write("# Key paths of the report JSON (test_report_json.py; "
                        "SWTEST_REGOLD=1 rewrites).\n")
                f.writelines(p + "\n" for p in sorted(have))
        with open(GOLDEN) as f:
            golden = {l.strip() for l in f if l.strip() and not l.startswith("#")}
        missing = sorted(golden - have)
        t.check(f"every one of the {len(golden)} golden key paths is still there "
                "(none renamed or dropped)", not missing, {"missing": missing})
        new = sorted(have - golden)
        if new:
            t.diag("paths not in the golden list (added fields): " + ", ".join(new))


if __name__ == "__main__":
    main()
