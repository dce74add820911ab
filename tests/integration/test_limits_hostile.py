#!/usr/bin/python3
"""Hostile inputs against the caps issue 12 added (the man page's
LIMITS, checked against the code by test_limits_doc):

- a trust store of more than TRUSTSTORE_MAX_CERTS (10000) certificates:
  the first 10000 are read, the rest left out and reported
  (truststore-too-many, naming the limit and the number left out); the
  CA is still found when it comes first, and not -- said so -- when it
  is the 10001st.  Before the cap the cost grew with the square of the
  count (27000 certificates: 10 s).
- a java.security whose include lines fan out (JDK 24+) is covered by
  test_javart (test_include_fanout).

The filler certificates are the test leaf with other serial numbers:
distinct to the duplicate check, never an issuer.  TAP.
"""

import base64
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import certlib  # noqa: E402
import swtest  # noqa: E402

CAP = 10000       # TRUSTSTORE_MAX_CERTS in src/pki/truststore.h


def der_of(pem):
    r = subprocess.run(["openssl", "x509", "-in", pem, "-outform", "DER"],
                       capture_output=True, check=True)
    return r.stdout


def to_pem(der):
    return ("-----BEGIN CERTIFICATE-----\n" + base64.encodebytes(der).decode()
            + "-----END CERTIFICATE-----\n")


def fillers(leaf_der, n):
    """n copies of the leaf, each with its own serial number."""
    i = leaf_der.index(b"\xa0\x03\x02\x01\x02\x02") + 6
    slen, start = leaf_der[i], i + 1
    out = []
    for k in range(n):
        d = bytearray(leaf_der)
        d[start + slen - 4:start + slen] = (k + 1).to_bytes(4, "big")
        out.append(to_pem(bytes(d)))
    return out


def too_many(t, fx, tmp, pki):
    root = open(os.path.join(pki, "root.pem")).read()
    fill = fillers(der_of(os.path.join(pki, "leaf.pem")), CAP)
    for where, pems in (("first", [root] + fill), ("last", fill + [root])):
        path = os.path.join(tmp, "bundle-%s.pem" % where)
        with open(path, "w") as f:
            f.write("".join(pems))
        data, code = certlib.check(fx.port, *certlib.mode_args("starttls"),
                                   "--cafile", path, timeout=180)
        f = certlib.finding(data, "truststore-too-many") or {}
        msg = f.get("message", "")
        d = certlib.d2(data)
        t.check(f"CA {where} of {CAP + 1}: truststore-too-many names the "
                f"limit and the one left out",
                f.get("severity") == "warn" and f"more than {CAP}" in msg
                and "left 1 out" in msg, (code, f, certlib.ids(data)))
        if where == "first":
            t.check("the CA among the first 10000: trusted",
                    d.get("trusted") is True, d.get("trusted"))
        else:
            t.check("the CA left out: not trusted, and the finding says why "
                    "it may be missing", d.get("trusted") is False and
                    "is not seen" in msg, (d.get("trusted"), msg))


def main():
    if not shutil.which("openssl"):
        swtest.skip_all("openssl is not installed")
    pki = swtest.pki()
    tmp = tempfile.mkdtemp(prefix="swtest-limits-")
    try:
        with swtest.Suite() as t:
            with swtest.Fixture(mode="starttls") as fx:
                too_many(t, fx, tmp, pki)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
