#!/usr/bin/python3
"""XOAUTH2 against Postfix, end to end (issue 18): test_check_oauth2_mta's
good and expired tokens, here with Postfix (Debian 12's postfix package
unpacked under build/, tests/servers/postfix.sh, OpenSSL where Exim has
GnuTLS) as the MTA, `smtpd_sasl_type = dovecot` on the same kind of Dovecot
(tests/servers/dovecot.sh) whose oauth2 passdb checks each token at the
loopback RFC 7662 introspection endpoint.

- a good token: accepted (235), step 5 "ok", the block verified, exit 0;
- an expired token: refused (535), step 5 with the decoded cause, exit 5;
(A Dovecot of its own, so the refusals of test_check_oauth2_mta do not add
to its anvil's delays; two refusals here: step 5 and the verification.)
- the secret and tokens in none of smtpwiz's outputs, Postfix's or
  Dovecot's logs.
Skipped, with the reason, where the postfix package cannot be fetched or
Postfix cannot run (its master needs root).  TAP output.
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import swtest  # noqa: E402
import test_check_oauth2_mta as om  # noqa: E402

try:
    import mta  # noqa: E402
except ImportError as e:
    swtest.skip_all("tests/lib/mta.py missing: %s" % e)


def main():
    with swtest.Suite() as t:
        try:
            mta.fetch(script=mta.DOVECOT_SH)
            mta.fetch(script=mta.POSTFIX_SH)
        except mta.MtaUnavailable as e:
            swtest.skip_all("Postfix tier: " + e.reason)
        pki = mta.pki_dir()
        with swtest.TokenEndpoint(om.GOOD, pki_dir=pki) as te, \
                swtest.TokenEndpoint(om.EXPIRED, pki_dir=pki) as tx, \
                swtest.TokenEndpoint(om.GOOD, plain=True) as ti, \
                mta.Dovecot("http://127.0.0.1:%d/introspect" % ti.port) as dv, \
                mta.Postfix(dv.socket) as m:
            p, d, s5 = om.check(m, te)
            data = s5.get("data", {})
            t.check("Postfix+Dovecot offer XOAUTH2 under TLS only",
                    "XOAUTH2" in data.get("mechanisms_after_tls", []) and
                    "XOAUTH2" not in (data.get("mechanisms_before_tls") or []),
                    (data.get("mechanisms_before_tls"), data.get("mechanisms_after_tls")))
            t.check("good token: fetched, accepted by Postfix via Dovecot's oauth2 passdb (235)",
                    data.get("oauth2_token", {}).get("got_token") is True and
                    data.get("result") == "ok" and data.get("mechanism") == "XOAUTH2" and
                    data.get("code") == 235, (data.get("result"), data.get("reply"), p.stderr[-600:]))
            t.check("good token: the block is verified against Postfix, exit 0",
                    p.returncode == 0 and d.get("verification", {}).get("result") == "verified",
                    (p.returncode, d.get("verification")))
            t.check("Dovecot asked the introspection endpoint (login and verification)",
                    ti.log_text().count("POST /introspect") >= 2, ti.log_text()[-300:])

            p, d, s5 = om.check(m, tx)
            data = s5.get("data", {})
            f = om.finding(s5, "auth-rejected") or {}
            msg = f.get("message", "")
            t.check("expired token: granted by the endpoint, refused by Postfix (535)",
                    data.get("oauth2_token", {}).get("got_token") is True and
                    data.get("result") == "rejected" and data.get("mechanism") == "XOAUTH2",
                    (data.get("result"), data.get("reply")))
            t.check("expired token: the cause decoded (the 334 JSON's status 401)",
                    f.get("severity") == "fail" and "401" in msg and "expired" in msg and
                    "fresh access token" in msg, msg)
            t.check("expired token: the verification fails, exit 5",
                    p.returncode == 5 and d.get("verification", {}).get("result") != "verified",
                    (p.returncode, d.get("verification", {}).get("result")))
            t.check("Dovecot refused it and Postfix logged the SASL failure",
                    "Introspection failed: Provided token is not valid" in dv.log_text() and
                    "SASL XOAUTH2 authentication failed" in m.log_text(),
                    (dv.log_text()[-400:], m.log_text()[-400:]))
            pid = m.pid
        logs = m.log_text() + dv.log_text()
        t.check("Postfix's master and its daemons are gone after the with-block",
                not os.path.exists("/proc/%d/exe" % pid) or
                not os.path.realpath("/proc/%d/exe" % pid).endswith("/master"), pid)
        bad = []
        for argv, text in om.OUTPUTS + [(["postfix+dovecot logs"], logs)]:
            for s in om.SECRETS:
                found = [x for x in swtest.secret_forms(om.USER, s) if x in text]
                if found:
                    bad.append((argv[-1], s[:12], found[:2]))
        t.check("no secret or token in smtpwiz's outputs, Postfix's or Dovecot's logs",
                not bad and len(om.OUTPUTS) == 2 and "SASL" in logs, bad[:3])
    swtest.remove_dir(om.TMP, "swtest: oauth2 postfix files")


if __name__ == "__main__":
    main()
