#!/usr/bin/python3
"""Step 2 (certificates and trust) end to end against the fixture server:
every PKI variant of the test bed (good chain, missing intermediate,
expired, not yet valid, expiring soon, self-signed, wrong name, weak key,
SHA-1, ECDSA), over STARTTLS and over implicit TLS, judged against
--cafile root.pem and against a JKS trust store made by keytool at test
time.  Asserts the exact problem words, `trusted`, `hostname_match`, the
step's verdict, the exit status and the JSON contract of steps[1].  TAP.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import certlib  # noqa: E402
import swtest  # noqa: E402


def variant_cases(t, stores):
    pki = stores.pki
    for name, v in certlib.VARIANTS.items():
        for mode in ("starttls", "ssl"):
            opts = dict(mode=mode, cert=os.path.join(pki, v["cert"]),
                        key=os.path.join(pki, v["key"]))
            if v.get("ciphers"):
                opts["ciphers"] = v["ciphers"]
            with swtest.Fixture(**opts) as fx:
                for kind in stores.kinds():
                    label = f"{name} {mode} {kind}"
                    res = certlib.check(fx.port, *certlib.mode_args(mode),
                                        *stores.args(kind))
                    data, code = res
                    s2, d = certlib.step2(data), certlib.d2(data)
                    diag = {"exit": code, "findings": [(f["id"], f["message"])
                            for f in s2.get("findings", [])], "data": d,
                            "stderr": res.proc.stderr}
                    if not t.check(f"{label}: step 2 ran", s2.get("verdict") in
                                   ("pass", "warn", "fail") and d.get("chain"), diag):
                        continue
                    t.check(f"{label}: problems {sorted(v['problems'])}",
                            set(d.get("problems", [])) == v["problems"], diag)
                    t.check(f"{label}: trusted {v['trusted']}",
                            d.get("trusted") is v["trusted"], diag)
                    t.check(f"{label}: hostname_match {v['hostname']}",
                            d.get("hostname_match") is v["hostname"], diag)
                    t.check(f"{label}: verdict {v['verdict']}",
                            s2.get("verdict") == v["verdict"], diag)
                    t.check(f"{label}: exit {v['exit']}", code == v["exit"], diag)
                    errs = certlib.contract_errors(data)
                    t.check(f"{label}: JSON contract", not errs, errs)
                    want = certlib.openssl_fingerprint(os.path.join(pki, v["cert"]))
                    t.check(f"{label}: leaf fingerprint", d["chain"][0]["sha256"] == want,
                            (d["chain"][0]["sha256"], want))
                    kind_want = "pem" if kind == "cafile" else "keystore"
                    t.check(f"{label}: trust store {kind_want}",
                            d.get("trust_store", {}).get("kind") == kind_want,
                            d.get("trust_store"))


def detail_cases(t, stores):
    """What the report says about a chain, beyond the problem words."""
    pki = stores.pki
    with swtest.Fixture(mode="starttls") as fx:
        # DNS name instead of an IP: matched through the SAN DNS entry.
        data, code = certlib.check(fx.port, *certlib.mode_args("starttls"),
                                   "--cafile", stores.root, host="localhost")
        d = certlib.d2(data)
        t.check("localhost: hostname_match via DNS SAN",
                d.get("hostname_match") is True and code == 0, (code, d))
        t.check("localhost: name checked is the target",
                d.get("host") == "localhost", d.get("host"))
        data, code = certlib.check(fx.port, *certlib.mode_args("starttls"),
                                   "--cafile", stores.root)
        d = certlib.d2(data)
        chain = d.get("chain", [])
        t.check("good: two certificates, leaf then intermediate",
                len(chain) == 2 and chain[0]["role"] == "leaf" and
                chain[1]["role"] == "intermediate", chain)
        t.check("good: subject and issuer",
                "CN=localhost" in chain[0]["subject"] and
                "smtpwiz Test Intermediate CA" in chain[0]["issuer"] and
                "smtpwiz Test Root CA" in chain[1]["issuer"], chain)
        t.check("good: SANs listed",
                {"DNS:localhost", "IP:127.0.0.1", "IP:::1"} <= set(chain[0]["san"]),
                chain[0]["san"])
        t.check("good: key and signature",
                chain[0]["key"] == "RSA 2048" and
                chain[0]["signature"] == "sha256WithRSAEncryption", chain[0])
        t.check("good: days left about a year",
                360 <= chain[0]["days_left"] <= 366, chain[0]["days_left"])
        t.check("good: anchor is the test root",
                "smtpwiz Test Root CA" in (d.get("anchor") or ""), d.get("anchor"))
        t.check("good: handshake, TLS named", d.get("source") == "handshake" and
                (d.get("tls") or "").startswith("TLSv1."), d)
        t.check("good: cert-ok finding", "cert-ok" in certlib.ids(data),
                certlib.ids(data))
        t.check("good: checkserveridentity suggested on",
                (certlib.finding(data, "checkserveridentity-off") or {})
                .get("suggest", {}).get("mail.smtp.ssl.checkserveridentity") == "true",
                certlib.ids(data))
        t.check("good: the settings block keeps checkserveridentity on",
                data.get("properties", {}).get("mail.smtp.ssl.checkserveridentity")
                in (None, "true"), data.get("properties"))
        # checkserveridentity=true: the same chain still passes.
        data, code = certlib.check(fx.port, *certlib.mode_args("starttls"),
                                   "--cafile", stores.root, "--set",
                                   "mail.smtp.ssl.checkserveridentity=true")
        t.check("good + checkserveridentity: pass, exit 0",
                certlib.step2(data).get("verdict") == "pass" and code == 0,
                (code, certlib.ids(data)))

    with swtest.Fixture(mode="starttls", cert=os.path.join(pki, "wrongname-chain.pem"),
                        key=os.path.join(pki, "wrongname.key")) as fx:
        data, code = certlib.check(fx.port, *certlib.mode_args("starttls"),
                                   "--cafile", stores.root, "--set",
                                   "mail.smtp.ssl.checkserveridentity=true")
        f = certlib.finding(data, "hostname-mismatch") or {}
        t.check("wrongname + checkserveridentity: fail, exit 2",
                certlib.step2(data).get("verdict") == "fail" and code == 2 and
                f.get("severity") == "fail", (code, f))
        t.check("wrongname: says what Java says",
                "No subject alternative DNS name matching localhost found"
                in f.get("message", ""), f)
        # A SAN is the server's word: never a host to set, and a name
        # that does not resolve is not even advice (issue 11).
        t.check("wrongname: no host from the certificate, keeps the check",
                "mail.smtp.host" not in f.get("suggest", {}) and
                "wrong.example.invalid" not in f.get("message", "") and
                f.get("suggest", {}).get("mail.smtp.ssl.checkserveridentity") == "true",
                f)
        data, code = certlib.check(fx.port, *certlib.mode_args("starttls"),
                                   "--cafile", stores.root)
        f = certlib.finding(data, "hostname-mismatch") or {}
        t.check("wrongname, JavaMail default: warning naming the library",
                f.get("severity") == "warn" and "JavaMail 1.6.2" in f.get("message", "")
                and code == 0, (code, f))

    with swtest.Fixture(mode="ssl", cert=os.path.join(pki, "leaf.pem"),
                        key=os.path.join(pki, "leaf.key")) as fx:
        data, code = certlib.check(fx.port, *certlib.mode_args("ssl"),
                                   "--cafile", stores.root)
        d = certlib.d2(data)
        t.check("missing intermediate: names the missing issuer",
                "smtpwiz Test Intermediate CA" in (d.get("missing_issuer") or ""), d)
        f = certlib.finding(data, "cert-untrusted") or {}
        t.check("missing intermediate: PKIX message",
                "PKIX path building failed" in f.get("message", ""), f)
        t.check("missing intermediate: fix is on the server",
                "chain-incomplete" in certlib.ids(data) and
                "nothing here to import" in f.get("message", ""), certlib.ids(data))

    with swtest.Fixture(mode="starttls", cert=os.path.join(pki, "expired-chain.pem"),
                        key=os.path.join(pki, "expired.key")) as fx:
        data, code = certlib.check(fx.port, *certlib.mode_args("starttls"),
                                   "--cafile", stores.root)
        d = certlib.d2(data)
        f = certlib.finding(data, "cert-expired") or {}
        t.check("expired: days_left negative, date named",
                d["chain"][0]["days_left"] < -365 and "2021-01-01" in f.get("message", ""),
                (d["chain"][0], f))

    with swtest.Fixture(mode="starttls", cert=os.path.join(pki, "ecdsa-chain.pem"),
                        key=os.path.join(pki, "ecdsa.key")) as fx:
        data, code = certlib.check(fx.port, *certlib.mode_args("starttls"),
                                   "--cafile", stores.root)
        c = certlib.d2(data)["chain"][0]
        t.check("ecdsa: key EC 256 secp256r1", c["key"] == "EC 256 secp256r1", c)

    with swtest.Fixture(mode="starttls", cert=os.path.join(pki, "weakkey-chain.pem"),
                        key=os.path.join(pki, "weakkey.key"),
                        ciphers=certlib.WEAK_CIPHERS) as fx:
        data, code = certlib.check(fx.port, *certlib.mode_args("starttls"),
                                   "--cafile", stores.root)
        f = certlib.finding(data, "weak-key") or {}
        t.check("weakkey: RSA 1024 named, Java's 1024-bit limit explained",
                certlib.d2(data)["chain"][0]["key"] == "RSA 1024" and
                "1024" in f.get("message", "") and f.get("severity") == "warn", f)

    with swtest.Fixture(mode="starttls", cert=os.path.join(pki, "sha1-chain.pem"),
                        key=os.path.join(pki, "sha1.key"),
                        ciphers=certlib.WEAK_CIPHERS) as fx:
        data, code = certlib.check(fx.port, *certlib.mode_args("starttls"),
                                   "--cafile", stores.root)
        f = certlib.finding(data, "weak-signature") or {}
        t.check("sha1: signature named, jdkCA rule explained",
                certlib.d2(data)["chain"][0]["signature"] == "sha1WithRSAEncryption" and
                "jdkCA" in f.get("message", ""), f)


def main():
    stores = certlib.Stores()
    try:
        with swtest.Suite() as t:
            if not stores.jks:
                t.skip("JKS trust store cases", "keytool not found (Debian: "
                       "openjdk-17-jre-headless)")
            variant_cases(t, stores)
            detail_cases(t, stores)
    finally:
        stores.close()


if __name__ == "__main__":
    main()
