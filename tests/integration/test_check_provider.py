#!/usr/bin/python3
"""Providers (assets/providers.txt) end to end: the fixture server greets
as Microsoft 365, Gmail or nobody in particular, and `smtpwiz check`
says in step 1 which provider it is and what it requires (data.provider,
the "provider" and "provider-port" findings), in step 5 what that means
for the login ("provider-auth": passwords ending, OAuth2 offered as an
opt-in choice, never applied by itself), and writes the OAuth2 block
(auth.mechanisms=XOAUTH2, LOGIN and PLAIN off, the header saying what
Java must do) when XOAUTH2 is asked for -- verified against the server.
The token never shows in any output.  TAP output.
"""

import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import swtest  # noqa: E402

SW = swtest.smtpwiz_bin()
USER = "alice@example.com"
PW = "Zq7-known-Pa55word!x"
TOKEN = "eyJ0eXAiOiJKV1Qi.Known-Access-Token-0123456789"
CHK = swtest.CheckRunner("swtest-provider-")
M365 = "AM0PR02CA0012.outlook.office365.com Microsoft ESMTP MAIL Service ready at Mon, 7 Dec 2026 09:00:00 +0000"
GMAIL = "smtp.gmail.com ESMTP d9443c01a7336-21c0 - gsmtp"
OUTPUTS = CHK.outputs


def check(port, *args, fmt="json", pw=PW, user=USER):
    argv = ["--timeout", "15", "--cafile", os.path.join(swtest.pki(), "root.pem")]
    if user:
        argv += ["--user", user, "--password-file", CHK.secret_file(pw)]
    return CHK.run(argv + list(args) + ["localhost:%d" % port], fmt=fmt)


step = swtest.step
finding = swtest.finding


def main():
    with swtest.Suite() as t:
        # TLS 1.2 at most: what is verified here holds on every build
        # (a 2.28 build cannot verify TLS 1.3 and says so, test_tls13.py).
        with swtest.Fixture(mode="starttls", banner=M365, auth="LOGIN PLAIN XOAUTH2",
                            passwords={USER: PW}, tls_max="TLSv1.2") as fx:
            p, d = check(fx.port, "--steps", "1")
            prov = step(d, 1).get("data", {}).get("provider") or {}
            t.check("M365 greeting: data.provider", prov.get("id") == "microsoft365" and
                    prov.get("recognised_by") == "greeting", prov)
            f = finding(d, 1, "provider") or {}
            m = f.get("message", "")
            t.check("M365: step 1 says what it requires",
                    f.get("severity") == "info" and "587 with STARTTLS" in m and
                    "December 2026" in m and "5.7.139" in m and
                    "outlook.office365.com/.default" in m, m)
            f = finding(d, 1, "provider-port") or {}
            t.check("M365 on another port: provider-port warns",
                    f.get("severity") == "warn" and "587" in f.get("message", ""), f)

            p, d = check(fx.port)
            f = finding(d, 5, "provider-auth") or {}
            t.check("M365 password login: provider-auth warns of the end of passwords",
                    f.get("severity") == "warn" and "December 2026" in f.get("message", ""), f)
            t.check("M365: OAuth2 offered as a choice",
                    f.get("suggest", {}).get("mail.smtp.auth.mechanisms") == "XOAUTH2", f)
            props = (d or {}).get("properties", {})
            t.check("M365: the choice is not applied by itself (password still works)",
                    "mail.smtp.auth.mechanisms" not in props and
                    (d or {}).get("verification", {}).get("result") == "verified",
                    (props, (d or {}).get("verification")))

        with swtest.Fixture(mode="starttls", banner=M365, auth="LOGIN PLAIN XOAUTH2",
                            passwords={USER: TOKEN}, tls_max="TLSv1.2") as fx:
            p, _ = check(fx.port, "--set", "mail.smtp.auth.mechanisms=XOAUTH2",
                         fmt="properties", pw=TOKEN)
            out = p.stdout
            t.check("OAuth2 block: verified, exit 0",
                    p.returncode == 0 and "# VERIFIED:" in out and "with XOAUTH2" in out,
                    out[-3000:] + p.stderr)
            t.check("OAuth2 block: XOAUTH2 alone, LOGIN and PLAIN off",
                    "\nmail.smtp.auth.mechanisms=XOAUTH2\n" in out and
                    "\nmail.smtp.auth.login.disable=true\n" in out and
                    "\nmail.smtp.auth.plain.disable=true\n" in out, out[-3000:])
            t.check("OAuth2 block: the header says what Java must do",
                    "# OAuth2 (XOAUTH2): mail.smtp.password must be a current" in out and
                    "expire after about an hour" in out, out[:2000])
            p, d = check(fx.port, "--set", "mail.smtp.auth.mechanisms=XOAUTH2", pw=TOKEN)
            f = finding(d, 5, "provider-auth") or {}
            t.check("XOAUTH2 in use: provider-auth is information, no choice left",
                    f.get("severity") == "info" and not f.get("suggest") and
                    "about an hour" in f.get("message", ""), f)
            p, _ = check(fx.port, "--set", "mail.smtp.auth.mechanisms=XOAUTH2",
                         fmt="js7", pw=TOKEN)
            t.check("OAuth2 block in JS7 form: the note and the keys",
                    "# OAuth2 (XOAUTH2)" in p.stdout and "XOAUTH2" in p.stdout and
                    "renew the token" in p.stdout, p.stdout[:3000])

        with swtest.Fixture(mode="ssl", banner=GMAIL, auth="LOGIN PLAIN XOAUTH2",
                            passwords={USER: PW}) as fx:
            p, d = check(fx.port, "--mode", "ssl")
            prov = step(d, 1).get("data", {}).get("provider") or {}
            t.check("Gmail greeting: data.provider", prov.get("id") == "gmail", prov)
            f = finding(d, 5, "provider-auth") or {}
            t.check("Gmail: App Password or OAuth2, said as information",
                    f.get("severity") == "info" and "App Password" in f.get("message", "") and
                    "https://mail.google.com/" in f.get("message", ""), f)

        with swtest.Fixture(mode="starttls", auth="LOGIN PLAIN", passwords={USER: PW}) as fx:
            p, d = check(fx.port, "--steps", "1", user=None)
            t.check("an ordinary server: provider null, no provider finding",
                    d is not None and step(d, 1).get("data", {}).get("provider") is None and
                    finding(d, 1, "provider") is None, step(d, 1).get("data"))

        # --- the token endpoints' and the proxies' errors, decoded -----
        for text, want in (
                ("AADSTS7000215: Invalid client secret provided.", "oauth2-invalid-secret"),
                ("AADSTS700016: Application with identifier 'x' was not found", "oauth2-unknown-app"),
                ("AADSTS65001: The user or administrator has not consented", "oauth2-consent"),
                ('{"error": "unauthorized_client", "error_description": "Client is unauthorized"}',
                 "oauth2-consent"),
                ('{"error": "invalid_client", "error_description": "The OAuth client was not found."}',
                 "oauth2-invalid-client"),
                ('{"error": "invalid_grant", "error_description": "Token has been expired or revoked."}',
                 "oauth2-invalid-grant"),
                ("java.net.SocketException: SOCKS : authentication failed", "socks-login"),
                ("java.net.SocketException: SOCKS: Connection not allowed by ruleset", "socks-refused"),
                ("java.net.ConnectException: connection through proxy p:3128 to smtp.gmail.com:587 "
                 "failed: HTTP/1.1 403 Forbidden", "http-proxy-refused")):
            p = subprocess.run([SW, "explain", "--format", "json", text], capture_output=True,
                               text=True, timeout=30)
            try:
                ids = [h.get("id") for h in json.loads(p.stdout)]
            except ValueError:
                ids = []
            t.check("explain: %s -> %s" % (text[:40], want), ids[:1] == [want], (ids, p.stdout[:300]))

        leaks = [i for i, o in enumerate(OUTPUTS) if TOKEN in o or PW in o]
        t.check("no token or password in any output or transcript (%d runs)" % len(OUTPUTS),
                not leaks, leaks)


if __name__ == "__main__":
    main()
