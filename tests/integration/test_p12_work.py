#!/usr/bin/python3
"""The total key-derivation work of a PKCS12 trust store is capped per
file (issue 12): a store whose MAC and encrypted certificate bag ask for
5 100 000 iterations each (10 200 000 in all, each one under the
per-derivation limit) is refused with a message naming the cap of
10 000 000, before the second derivation runs.  Made with `openssl
pkcs12 -export -iter` at test time.  TAP.
"""

import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import certlib  # noqa: E402
import swtest  # noqa: E402

ITER = 5100000
CAP = 10000000


def main():
    if not shutil.which("openssl"):
        swtest.skip_all("openssl is not installed")
    tmp = tempfile.mkdtemp(prefix="swtest-p12work-")
    root = os.path.join(swtest.pki(), "root.pem")
    try:
        with swtest.Suite() as t:
            p12 = os.path.join(tmp, "heavy.p12")
            t0 = time.monotonic()
            r = subprocess.run(["openssl", "pkcs12", "-export", "-nokeys", "-in", root,
                                "-out", p12, "-passout", "pass:changeit",
                                "-iter", str(ITER)], capture_output=True, text=True,
                               timeout=300)
            t.diag("openssl made it in %.1f s" % (time.monotonic() - t0))
            if not t.check("openssl made a store with %d iterations per "
                           "derivation" % ITER, r.returncode == 0, r.stderr):
                return
            with swtest.Fixture(mode="ssl") as fx:
                t0 = time.monotonic()
                data, code = certlib.check(fx.port, *certlib.mode_args("ssl"),
                                           "--truststore", p12, timeout=240)
                took = time.monotonic() - t0
            t.diag("smtpwiz refused it in %.1f s" % took)
            ts = certlib.d2(data).get("trust_store", {})
            err = ts.get("error") or ""
            t.check("refused, naming the cap of %d in all" % CAP,
                    "more than %d key derivation iterations in all" % CAP in err
                    and "5100000 more asked" in err, ts)
            t.check("the store is not trusted blindly",
                    certlib.d2(data).get("trusted") is not True, certlib.d2(data))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
