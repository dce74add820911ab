#!/usr/bin/python3
"""Step 2 against a real MTA (Exim with GnuTLS, tests/lib/mta.py): every
PKI variant of the test bed served by Exim on its STARTTLS and its
implicit-TLS port, judged against --cafile root.pem and against a JKS
trust store made by keytool; the same expectations as the fixture-server
test (certlib.VARIANTS).  Skipped, with the reason, where the MTA tier
cannot run.  TAP.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import certlib  # noqa: E402
import swtest  # noqa: E402

try:
    import mta  # noqa: E402
except ImportError as e:
    swtest.skip_all("tests/lib/mta.py missing: %s" % e)

# GnuTLS refuses to sign with an RSA-1024 key or to offer a SHA-1-signed
# certificate under its default priorities; this lets Exim be that bad.
WEAK_PRIORITY = "NORMAL:%PROFILE_VERY_WEAK:+SIGN-RSA-SHA1"


def start(pki, v):
    kw = dict(cert=os.path.join(pki, v["cert"]), key=os.path.join(pki, v["key"]),
              name="mta-cert")
    if v.get("ciphers"):
        kw["tls_priority"] = WEAK_PRIORITY
    return mta.Mta(**kw).start()


def main():
    stores = certlib.Stores()
    pki = stores.pki
    try:
        try:
            mta.fetch()
        except mta.MtaUnavailable as e:
            swtest.skip_all(e.reason)
        with swtest.Suite() as t:
            if not stores.jks:
                t.skip("JKS trust store cases", "keytool not found")
            for name, v in certlib.VARIANTS.items():
                try:
                    server = start(pki, v)
                except mta.MtaError as e:
                    t.check(f"MTA {name}: Exim starts", False, str(e))
                    continue
                try:
                    for mode, port in (("starttls", server.starttls_port),
                                       ("ssl", server.ssl_port)):
                        for kind in stores.kinds():
                            label = f"MTA {name} {mode} {kind}"
                            res = certlib.check(port, *certlib.mode_args(mode),
                                                *stores.args(kind))
                            data, code = res
                            s2, d = certlib.step2(data), certlib.d2(data)
                            diag = {"exit": code, "data": d, "stderr": res.proc.stderr,
                                    "findings": [(f["id"], f["message"]) for f in
                                                 s2.get("findings", [])]}
                            if not t.check(f"{label}: chain read", d.get("chain"), diag):
                                continue
                            t.check(f"{label}: problems {sorted(v['problems'])}",
                                    set(d.get("problems", [])) == v["problems"], diag)
                            t.check(f"{label}: trusted {v['trusted']}",
                                    d.get("trusted") is v["trusted"], diag)
                            t.check(f"{label}: hostname_match {v['hostname']}",
                                    d.get("hostname_match") is v["hostname"], diag)
                            t.check(f"{label}: verdict {v['verdict']}, exit {v['exit']}",
                                    s2.get("verdict") == v["verdict"] and
                                    code == v["exit"], diag)
                            errs = certlib.contract_errors(data)
                            t.check(f"{label}: JSON contract", not errs, errs)
                finally:
                    server.remove()
    finally:
        stores.close()


if __name__ == "__main__":
    main()
