#!/usr/bin/python3
"""XOAUTH2 against a real MTA, end to end (issue 18): smtpwiz check fetches
an access token from the loopback HTTPS token endpoint (client credentials,
as the application would), then logs in to Exim (exim4-daemon-heavy, its
dovecot authenticator) whose SASL backend is Dovecot (dovecot-core, both
Debian 12 packages unpacked under build/, tests/servers/mta.sh and
dovecot.sh) with the oauth2 passdb validating the token at an RFC 7662
introspection endpoint (tests/servers/token_endpoint.py --plain).

- a good token: accepted by Dovecot, step 5 "ok", the block verified, exit 0;
- an expired token (the endpoint grants it, introspection says inactive):
  refused by Dovecot (the 334 JSON status 401, then 535), step 5 says so
  with the decoded cause, the verification fails, exit 5;
(Each refusal makes Dovecot's anvil wait longer before the next answer to
the same address -- 2, 4, 8, 15 s -- so the test refuses twice only: the
step 5 login and the verification of the expired token.)
- the secret, refresh and access tokens appear in none of smtpwiz's
  outputs, nor in Exim's or Dovecot's logs.
Skipped, with the reason, where the MTA tier cannot run.  TAP output.
"""

import json
import os
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import swtest  # noqa: E402

try:
    import mta  # noqa: E402
except ImportError as e:
    swtest.skip_all("tests/lib/mta.py missing: %s" % e)

SW = swtest.smtpwiz_bin()
USER = "svc-mailer@contoso.example"
GOOD = {"tenant": "contoso-test", "client_id": "5f0c7a1e-aaaa-4c3d-9e8f-0a1b2c3d4e5f",
        "client_secret": "Qx8~mta.SECRET_value-0077", "refresh_token": "0.AAAA-mta-refresh-31",
        "access_token": "eyJ0eXAiOiJKV1Qi.Good-Access-Token.1234", "user": USER}
# Grants a token the introspection endpoint (GOOD's) does not know: expired.
EXPIRED = dict(GOOD, access_token="eyJ0eXAiOiJKV1Qi.Expired-Access-Token.5678")
SECRETS = (GOOD["client_secret"], GOOD["refresh_token"], GOOD["access_token"],
           EXPIRED["access_token"])
TMP = tempfile.mkdtemp(prefix="swtest-oauth2-mta-")
OUTPUTS = []


def check(m, te, user=USER):
    log = os.path.join(TMP, "log-%d" % len(OUTPUTS))
    argv = [SW, "check", "--format", "json", "--timeout", "20", "-v", "--log", log,
            "--cafile", m.cafile, "--user", user, "--oauth2-client-id", GOOD["client_id"],
            "--oauth2-token-url", te.entra_url, "localhost:%d" % m.starttls_port]
    p = swtest.run(argv, timeout=180, env={"SMTPWIZ_OAUTH2_CLIENT_SECRET": GOOD["client_secret"],
                                           "SMTPWIZ_PASSWORD": None})
    try:
        with open(log) as f:
            text = f.read()
    except FileNotFoundError:
        text = ""
    OUTPUTS.append((argv, p.stdout + p.stderr + text))
    try:
        d = json.loads(p.stdout)
    except ValueError:
        d = {}
    s5 = next((s for s in d.get("steps", []) if s.get("step") == 5), {})
    return p, d, s5


def finding(s5, fid):
    return next((f for f in s5.get("findings", []) if f.get("id") == fid), None)


def main():
    with swtest.Suite() as t:
        try:
            mta.fetch("heavy")
            mta.fetch(script=mta.DOVECOT_SH)
        except mta.MtaUnavailable as e:
            swtest.skip_all("MTA tier: " + e.reason)
        # The token endpoint's certificate from the MTA's PKI: one
        # --cafile verifies both (the m2 build has a PKI of its own).
        pki = mta.pki_dir()
        with swtest.TokenEndpoint(GOOD, pki_dir=pki) as te, \
                swtest.TokenEndpoint(EXPIRED, pki_dir=pki) as tx, \
                swtest.TokenEndpoint(GOOD, plain=True) as ti, \
                mta.Dovecot("http://127.0.0.1:%d/introspect" % ti.port) as dv, \
                mta.Mta(exim="heavy", dovecot_socket=dv.socket, users={},
                        name="oauth2", tls_max="1.2") as m:
            # TLS 1.2 at most: verified on the 2.28 build too.
            p, d, s5 = check(m, te)
            data = s5.get("data", {})
            t.check("Exim+Dovecot offer XOAUTH2 under TLS only",
                    "XOAUTH2" in data.get("mechanisms_after_tls", []) and
                    "XOAUTH2" not in (data.get("mechanisms_before_tls") or []),
                    (data.get("mechanisms_before_tls"), data.get("mechanisms_after_tls")))
            t.check("good token: fetched, accepted by Dovecot's oauth2 passdb (235)",
                    data.get("oauth2_token", {}).get("got_token") is True and
                    data.get("result") == "ok" and data.get("mechanism") == "XOAUTH2" and
                    data.get("code") == 235, (data.get("result"), data.get("reply"), p.stderr[-600:]))
            t.check("good token: the block is verified against the real MTA, exit 0",
                    p.returncode == 0 and d.get("verification", {}).get("result") == "verified",
                    (p.returncode, d.get("verification")))
            intro = ti.log_text().count("POST /introspect")
            t.check("Dovecot asked the introspection endpoint (login and verification)",
                    intro >= 2, ti.log_text()[-300:])

            m.wait_idle()       # the first run's children reaped
            p, d, s5 = check(m, tx)
            data = s5.get("data", {})
            f = finding(s5, "auth-rejected") or {}
            msg = f.get("message", "")
            t.check("expired token: granted by the endpoint, refused by Dovecot",
                    data.get("oauth2_token", {}).get("got_token") is True and
                    data.get("result") == "rejected" and data.get("mechanism") == "XOAUTH2",
                    (data.get("result"), data.get("reply")))
            t.check("expired token: the cause decoded (the 334 JSON's status 401: expired, "
                    "revoked or lacking the scope)",
                    f.get("severity") == "fail" and "401" in msg and "expired" in msg and
                    "fresh access token" in msg, msg)
            t.check("expired token: the verification fails, exit 5",
                    p.returncode == 5 and d.get("verification", {}).get("result") != "verified",
                    (p.returncode, d.get("verification", {}).get("result")))

            logs = m.log_text() + dv.log_text()
            t.check("Dovecot's oauth2 passdb is the one that refused (its log says why)",
                    "Introspection failed: Provided token is not valid" in dv.log_text() and
                    "dovecot_XOAUTH2 authenticator failed" in m.log_text(),
                    (dv.log_text()[-400:], m.log_text()[-300:]))
        bad = []
        for argv, text in OUTPUTS + [(["exim+dovecot logs"], logs)]:
            for s in SECRETS:
                found = [x for x in swtest.secret_forms(USER, s) if x in text]
                if found:
                    bad.append((argv[-1], s[:12], found[:2]))
        t.check("no secret or token in smtpwiz's outputs, Exim's or Dovecot's logs",
                not bad and len(OUTPUTS) == 2, bad[:3])
    swtest.remove_dir(TMP, "swtest: oauth2 mta files")


if __name__ == "__main__":
    main()
