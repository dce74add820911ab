"""Shared helpers of the step-2 integration tests (test_check_cert*.py).

Not a test itself (tests/run.sh runs only test_*.py): the PKI variants and
what step 2 must find for each, keystores made at test time with keytool
(Debian's openjdk-17-jre-headless), and a runner for `smtpwiz check
--steps 1-2`.
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import swtest  # noqa: E402

SW = swtest.smtpwiz_bin()

# OpenSSL at Debian's security level 2 refuses to serve RSA-1024 and
# SHA-1 certificates; level 0 lets the server be as bad as real ones.
WEAK_CIPHERS = "DEFAULT:@SECLEVEL=0"

# name -> (fixture cert file in the PKI, key file, expectations).
# "problems" is the exact set step 2 must report with the test root as the
# trust anchor; "verdict"/"exit" are step 2's verdict and the exit status
# of `check --steps 1-2` (step 1 passes or warns in every case).
VARIANTS = {
    "good": dict(cert="leaf-chain.pem", key="leaf.key", trusted=True,
                 hostname=True, problems=set(), verdict="pass", exit=0),
    "missing-intermediate": dict(cert="leaf.pem", key="leaf.key", trusted=False,
                                 hostname=True,
                                 problems={"untrusted", "incomplete-chain"},
                                 verdict="fail", exit=2),
    "expired": dict(cert="expired-chain.pem", key="expired.key", trusted=True,
                    hostname=True, problems={"expired"}, verdict="fail", exit=2),
    "notyet": dict(cert="notyet-chain.pem", key="notyet.key", trusted=True,
                   hostname=True, problems={"not-yet-valid"}, verdict="fail",
                   exit=2),
    "soon": dict(cert="soon-chain.pem", key="soon.key", trusted=True,
                 hostname=True, problems={"expiring-soon"}, verdict="warn", exit=0),
    "selfsigned": dict(cert="selfsigned.pem", key="selfsigned.key", trusted=False,
                       hostname=True, problems={"self-signed", "untrusted"},
                       verdict="fail", exit=2),
    # JavaMail 1.6.2 (the default library) does not check the name: a
    # warning; with checkserveridentity=true a failure (tested separately).
    "wrongname": dict(cert="wrongname-chain.pem", key="wrongname.key", trusted=True,
                      hostname=False, problems={"hostname-mismatch"},
                      verdict="warn", exit=0),
    "weakkey": dict(cert="weakkey-chain.pem", key="weakkey.key", trusted=True,
                    hostname=True, problems={"weak-key"}, verdict="warn", exit=0,
                    ciphers=WEAK_CIPHERS),
    # SHA-1 under a CA the JDK does not ship: Java accepts, we warn.
    "sha1": dict(cert="sha1-chain.pem", key="sha1.key", trusted=True,
                 hostname=True, problems={"weak-signature"}, verdict="warn",
                 exit=0, ciphers=WEAK_CIPHERS),
    "ecdsa": dict(cert="ecdsa-chain.pem", key="ecdsa.key", trusted=True,
                  hostname=True, problems=set(), verdict="pass", exit=0),
}

ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
FPR = re.compile(r"^([0-9A-F]{2}:){31}[0-9A-F]{2}$")


def keytool():
    return shutil.which("keytool")


def make_keystore(path, certs, storetype="JKS", password="changeit", extra=()):
    """A keystore at path holding the PEM files certs {alias: file},
    made by keytool; raises RuntimeError with keytool's output."""
    for alias, cert in certs.items():
        r = subprocess.run([keytool(), "-importcert", "-noprompt", "-alias", alias,
                            "-file", cert, "-keystore", path, "-storetype", storetype,
                            "-storepass", password, *extra],
                           capture_output=True, text=True, timeout=120)
        if r.returncode != 0:
            raise RuntimeError(f"keytool failed: {r.stdout}{r.stderr}")
    return path


def store_with_password(tmp, root, password):
    """A JKS in tmp trusting root under password, and a 0600 file whose
    first line is the password: (store, password file)."""
    jks = make_keystore(os.path.join(tmp, "trust.jks"),
                        {"smtpwiz-test-root": root}, password=password)
    spf = os.path.join(tmp, "storepass")
    with open(spf, "w") as f:
        f.write(password + "\n")
    os.chmod(spf, 0o600)
    return jks, spf


class Stores:
    """The trust stores the variants are checked against: --cafile
    root.pem and, where keytool exists, a JKS holding root.pem."""

    def __init__(self):
        self.pki = swtest.pki()
        self.dir = tempfile.mkdtemp(prefix="swtest-cert-")
        self.root = os.path.join(self.pki, "root.pem")
        self.jks = None
        if keytool():
            self.jks = make_keystore(os.path.join(self.dir, "trust.jks"),
                                     {"smtpwiz-test-root": self.root})

    def args(self, kind):
        if kind == "cafile":
            return ["--cafile", self.root]
        return ["--truststore", self.jks]

    def kinds(self):
        return ["cafile", "jks"] if self.jks else ["cafile"]

    def close(self):
        shutil.rmtree(self.dir, ignore_errors=True)


def mode_args(mode):
    if mode == "starttls":
        return ["--mode", "starttls", "--set", "mail.smtp.starttls.required=true"]
    return ["--mode", "ssl"]


def check(port, *args, host="localhost", timeout=90):
    # By name, as applications connect: on Java 16+ the mail libraries'
    # host-name check ignores IP addresses in the certificate.
    target = "%s:%d" % (("[%s]" % host) if ":" in host else host, port)
    return swtest.run_json([SW, "check", "--steps", "1-2", "--format", "json",
                            *args, target], timeout=timeout)


def step2(data):
    return data["steps"][1] if data and len(data.get("steps", [])) > 1 else {}


def d2(data):
    return step2(data).get("data", {})


def ids(data):
    return [f["id"] for f in step2(data).get("findings", [])]


def finding(data, fid):
    for f in step2(data).get("findings", []):
        if f["id"] == fid:
            return f
    return None


def contract_errors(data):
    """What is wrong with steps[1] against DESIGN.md's JSON contract."""
    errs = []
    s = step2(data)
    if s.get("step") != 2 or s.get("name") != "certificates":
        errs.append(f"step/name: {s.get('step')} {s.get('name')}")
    d = s.get("data", {})
    for key in ("chain", "trusted", "hostname_match", "problems"):
        if key not in d:
            errs.append(f"data.{key} missing")
    for i, c in enumerate(d.get("chain", [])):
        for key in ("subject", "issuer", "san", "not_before", "not_after", "key",
                    "signature", "sha256"):
            if key not in c:
                errs.append(f"chain[{i}].{key} missing")
        if not ISO.match(c.get("not_before") or ""):
            errs.append(f"chain[{i}].not_before {c.get('not_before')!r}")
        if not ISO.match(c.get("not_after") or ""):
            errs.append(f"chain[{i}].not_after {c.get('not_after')!r}")
        if not FPR.match(c.get("sha256") or ""):
            errs.append(f"chain[{i}].sha256 {c.get('sha256')!r}")
        if not isinstance(c.get("san"), list):
            errs.append(f"chain[{i}].san not a list")
    words = {"expired", "not-yet-valid", "expiring-soon", "self-signed", "untrusted",
             "incomplete-chain", "hostname-mismatch", "weak-key", "weak-signature",
             "java-certpath"}
    for p in d.get("problems", []):
        if p not in words:
            errs.append(f"problem word {p!r} not in the contract")
    return errs


def openssl_fingerprint(pem_file):
    r = subprocess.run(["openssl", "x509", "-in", pem_file, "-noout", "-fingerprint",
                        "-sha256"], capture_output=True, text=True)
    return r.stdout.strip().split("=", 1)[-1]
