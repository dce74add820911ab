#!/usr/bin/env python3
"""smtpwiz check gets an OAuth2 token the way the application does, then
logs in with it (XOAUTH2) -- issue 18.

A loopback HTTPS token endpoint (tests/servers/token_endpoint.py, the test
PKI's certificate) speaks Microsoft Entra ID's v2.0 dialect and Google's:
the client-credentials grant and the refresh-token grant succeed, and each
provider's error answers (AADSTS7000215, 700016, 90002, 1002012, 700082;
invalid_client, invalid_grant, unauthorized_client) come back decoded into
the cause and the fix of the error tables.  The fixture SMTP server takes
the access token the endpoint issues, and nothing else, as the XOAUTH2
token: a whole check is verified with it.  The endpoint is refused when its
certificate does not verify (nothing is sent), and over plain http.

The client secret, the refresh token and the access token appear in no
output -- report, stderr with -v, the --log transcript, the endpoint's own
log -- plain, base64 or percent-encoded, and never on a command line.
TAP output.
"""

import json
import os
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import swtest  # noqa: E402

SW = swtest.smtpwiz_bin()
USER = "svc-mailer@contoso.example"
CFG = {"tenant": "contoso-test", "client_id": "5f0c7a1e-1d2b-4c3d-9e8f-0a1b2c3d4e5f",
       "client_secret": "Qx8~cl1ent.SECRET_value-0042",
       "refresh_token": "0.AAAA-Refresh-Token.kN0wn-9911",
       "access_token": "eyJ0eXAiOiJKV1QiLCJhbGciOi.Issued-Access-Token.7788", "user": USER}
SECRETS = (CFG["client_secret"], CFG["refresh_token"], CFG["access_token"])
TMP = tempfile.mkdtemp(prefix="swtest-oauth2-")
CA = os.path.join(swtest.pki(), "root.pem")
RUNS = []


def secret_file(text):
    path = os.path.join(TMP, "s-%d" % len(os.listdir(TMP)))
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(text + "\n")
    return path


class Out:
    def __init__(self, proc, log):
        self.proc, self.rc = proc, proc.returncode
        try:
            self.data = json.loads(proc.stdout)
        except ValueError:
            self.data = None
        try:
            with open(log) as f:
                self.log = f.read()
        except FileNotFoundError:
            self.log = ""

    def everything(self):
        return "\n".join([self.proc.stdout, self.proc.stderr, self.log])

    def step5(self):
        for s in (self.data or {}).get("steps", []):
            if s.get("step") == 5:
                return s
        return {}

    def token(self):
        return self.step5().get("data", {}).get("oauth2_token") or {}

    def finding(self, fid):
        for f in self.step5().get("findings", []):
            if f.get("id") == fid:
                return f
        return None

    def verification(self):
        return (self.data or {}).get("verification") or {}


def check(port, *args, steps="5", env=None, cafile=True, fmt="json"):
    log = os.path.join(TMP, "log-%d" % len(RUNS))
    argv = [SW, "check", "--steps", steps, "--format", fmt, "--timeout", "15",
            "--log", log, "-v", "--user", USER]
    if cafile:
        argv += ["--cafile", CA]
    argv += list(args) + ["localhost:%d" % port]
    full_env = {"SMTPWIZ_OAUTH2_CLIENT_SECRET": None, "SMTPWIZ_OAUTH2_REFRESH_TOKEN": None,
                "SMTPWIZ_PASSWORD": None}
    full_env.update(env or {})
    out = Out(swtest.run(argv, env=full_env), log)
    RUNS.append((argv, out))
    return out


def cc(te, secret=CFG["client_secret"], client=CFG["client_id"], url=None, extra=()):
    return ["--oauth2-client-id", client, "--oauth2-token-url", url or te.entra_url,
            "--oauth2-client-secret-file", secret_file(secret)] + list(extra)


def refused(t, name, o, decoded, status, words):
    tok = o.token()
    f = o.finding("oauth2-token-refused") or {}
    m = f.get("message", "")
    t.check(name + ": refused, decoded as " + decoded,
            tok.get("got_token") is False and tok.get("decoded") == decoded and
            tok.get("http_status") == status and f.get("severity") == "fail" and
            all(w in m for w in words) and "Fix:" in m,
            (tok, m[:600], o.proc.stderr[-400:]))
    t.check(name + ": no login tried, exit 5",
            o.rc == 5 and o.step5().get("data", {}).get("result") == "skipped" and
            not o.step5().get("data", {}).get("attempts"), (o.rc, o.step5().get("data")))


def main():
    with swtest.Suite() as t, \
            swtest.TokenEndpoint(CFG) as te, \
            swtest.TokenEndpoint(CFG, chunked=True) as tc, \
            swtest.Fixture(mode="starttls", auth="LOGIN PLAIN XOAUTH2",
                           passwords={USER: CFG["access_token"]},
                           tls_max="TLSv1.2") as fx:
        # TLS 1.2 at most: what is verified here is verified on the 2.28
        # build too, which cannot run the TLS 1.3 Java 17 would.
        # --- client credentials, the whole check verified ------------------
        o = check(fx.port, *cc(te), steps="1-5")
        tok = o.token()
        t.check("client credentials: a token, then XOAUTH2 logs in",
                tok.get("got_token") is True and tok.get("flow") == "client-credentials" and
                tok.get("http_status") == 200 and tok.get("expires_in") == 3599 and
                o.step5().get("data", {}).get("result") == "ok" and
                o.step5().get("data", {}).get("mechanism") == "XOAUTH2",
                (tok, o.step5().get("data", {}).get("reason"), o.proc.stderr[-800:]))
        f = o.finding("oauth2-token") or {}
        t.check("client credentials: the grant is a finding (endpoint, lifetime)",
                f.get("severity") == "info" and "localhost" in f.get("message", "") and
                "3599 s" in f.get("message", ""), f)
        t.check("client credentials: the block is verified with the token, exit 0",
                o.rc == 0 and o.verification().get("result") == "verified" and
                o.verification().get("mechanism") == "XOAUTH2" and
                (o.data or {}).get("properties", {}).get("mail.smtp.auth.mechanisms") == "XOAUTH2",
                (o.rc, o.verification()))
        posts = [l for l in te.log_text().splitlines() if "grant=client_credentials" in l]
        t.check("client credentials: one form POST per check, as a form",
                len(posts) == 1 and "application/x-www-form-urlencoded" in posts[0], posts)
        t.check("progress (-v) says where the token came from",
                "asking for an OAuth2 access token" in o.proc.stderr and
                "TLS verified, POST to localhost" in o.proc.stderr, o.proc.stderr[-600:])

        # --- the secret from the environment; chunked answers ---------------
        o = check(fx.port, "--oauth2-client-id", CFG["client_id"], "--oauth2-token-url",
                  tc.entra_url, env={"SMTPWIZ_OAUTH2_CLIENT_SECRET": CFG["client_secret"]})
        t.check("secret from SMTPWIZ_OAUTH2_CLIENT_SECRET, chunked answer: logged in",
                o.token().get("got_token") is True and
                o.step5().get("data", {}).get("result") == "ok", (o.token(), o.proc.stderr[-500:]))

        # --- refresh token: Entra ID and Google -----------------------------
        o = check(fx.port, "--oauth2-client-id", CFG["client_id"], "--oauth2-token-url",
                  te.entra_url, "--oauth2-refresh-token-file", secret_file(CFG["refresh_token"]))
        t.check("refresh token at Entra ID: refresh-token grant, logged in",
                o.token().get("flow") == "refresh-token" and o.token().get("got_token") is True and
                o.step5().get("data", {}).get("result") == "ok", (o.token(), o.proc.stderr[-500:]))
        t.check("refresh token at Entra ID: asked with the SMTP scope... of the URL given",
                "grant=refresh_token" in te.log_text(), te.log_text()[-300:])
        o = check(fx.port, "--oauth2-client-id", CFG["client_id"], "--oauth2-token-url",
                  tc.google_url, env={"SMTPWIZ_OAUTH2_REFRESH_TOKEN": CFG["refresh_token"],
                                      "SMTPWIZ_OAUTH2_CLIENT_SECRET": CFG["client_secret"]})
        t.check("refresh token at Google (chunked): logged in",
                o.token().get("got_token") is True and
                o.step5().get("data", {}).get("result") == "ok", (o.token(), o.proc.stderr[-500:]))

        # --- Entra ID's refusals --------------------------------------------
        refused(t, "wrong client secret", check(fx.port, *cc(te, secret="not-the-value-1234")),
                "oauth2-invalid-secret", 401, ("AADSTS7000215", "Secret ID"))
        refused(t, "unknown client id", check(fx.port, *cc(te, client="0000-unknown-app")),
                "oauth2-unknown-app", 400, ("AADSTS700016", "Application (client) ID"))
        refused(t, "unknown tenant",
                check(fx.port, *cc(te, url=te.url("/fabrikam-none/oauth2/v2.0/token"))),
                "oauth2-unknown-app", 400, ("AADSTS90002",))
        refused(t, "wrong scope",
                check(fx.port, *cc(te, extra=("--oauth2-scope", "https://graph.microsoft.com/.default"))),
                "oauth2-invalid-scope", 400, ("AADSTS1002012", "/.default"))
        refused(t, "expired refresh token (Entra ID)",
                check(fx.port, "--oauth2-client-id", CFG["client_id"], "--oauth2-token-url",
                      te.entra_url, "--oauth2-refresh-token-file", secret_file("0.AAAA-stale-token-1")),
                "oauth2-invalid-grant", 400, ("AADSTS700082", "Sign the user in again"))

        # --- Google's refusals ----------------------------------------------
        refused(t, "revoked refresh token (Google)",
                check(fx.port, "--oauth2-client-id", CFG["client_id"], "--oauth2-token-url",
                      tc.google_url, "--oauth2-refresh-token-file", secret_file("1//revoked-token-5"),
                      env={"SMTPWIZ_OAUTH2_CLIENT_SECRET": CFG["client_secret"]}),
                "oauth2-invalid-grant", 400, ("Token has been expired or revoked",))
        refused(t, "unknown OAuth client (Google)",
                check(fx.port, "--oauth2-client-id", "nobody.apps.googleusercontent.com",
                      "--oauth2-token-url", te.google_url, "--oauth2-refresh-token-file",
                      secret_file(CFG["refresh_token"])),
                "oauth2-invalid-client", 401, ("The OAuth client was not found",))
        refused(t, "client credentials at Google",
                check(fx.port, *cc(te, url=te.google_url)),
                "oauth2-consent", 400, ("unauthorized_client",))

        # --- a token the endpoint gives but the mail server refuses ---------
        with swtest.Fixture(mode="starttls", auth="XOAUTH2",
                            passwords={USER: "some-other-token-xyz"}) as fx2:
            o = check(fx2.port, *cc(te))
            f = o.finding("auth-rejected") or {}
            t.check("token granted, refused by the server: the 334 JSON decoded",
                    o.token().get("got_token") is True and
                    o.step5().get("data", {}).get("result") == "rejected" and
                    "XOAUTH2" in f.get("message", "") and "401" in f.get("message", ""),
                    (o.step5().get("data", {}).get("result"), f))

        # --- the endpoint must be trusted, and https ------------------------
        before = te.log_text().count("POST")
        o = check(fx.port, *cc(te), cafile=False)
        f = o.finding("oauth2-token-failed") or {}
        t.check("untrusted endpoint certificate: no token, said why",
                o.token().get("got_token") is False and o.token().get("http_status") is None and
                "not issued by a trusted CA" in f.get("message", "") and
                "--cafile" in f.get("message", ""), (o.token(), f))
        t.check("untrusted endpoint certificate: nothing was POSTed to it",
                te.log_text().count("POST") == before, te.log_text()[-300:])
        o = check(fx.port, *cc(te, url="http://localhost:%d/t/oauth2/v2.0/token" % te.port))
        t.check("http:// token endpoint: usage error 64, named",
                o.rc == 64 and "https://" in o.proc.stderr, (o.rc, o.proc.stderr))
        o = check(fx.port, *cc(te, url="https://localhost:%d/t" % swtest.free_port()))
        f = o.finding("oauth2-token-failed") or {}
        t.check("endpoint not listening: a finding, exit 5",
                o.rc == 5 and "localhost" in f.get("message", ""), (o.rc, f))

        # --- usage: what is missing is named; no secret in argv -------------
        o = check(fx.port, "--oauth2-client-id", CFG["client_id"], "--oauth2-token-url", te.entra_url)
        t.check("no client secret and no terminal: exit 64, says where to give it",
                o.rc == 64 and "SMTPWIZ_OAUTH2_CLIENT_SECRET" in o.proc.stderr, o.proc.stderr)
        o = check(fx.port, "--oauth2-client-secret", "x", "--oauth2-client-id", "y")
        t.check("no --oauth2-client-secret option (argv is readable by all)", o.rc == 64,
                o.proc.stderr)
        o = check(fx.port, "--oauth2-client-secret-file", secret_file(CFG["client_secret"]))
        t.check("no client id: exit 64, named", o.rc == 64 and "--oauth2-client-id" in o.proc.stderr,
                o.proc.stderr)
        o = check(fx.port, "--oauth2-client-id", "x", "--oauth2-client-secret-file",
                  secret_file(CFG["client_secret"]))
        t.check("no endpoint for an unknown provider: exit 64, says --oauth2-token-url",
                o.rc == 64 and "--oauth2-token-url" in o.proc.stderr, o.proc.stderr)

        # --- no secret anywhere ---------------------------------------------
        t.check("leak check covers runs", len(RUNS) >= 15, len(RUNS))
        bad = []
        for argv, out in RUNS:
            for secret in SECRETS:
                found = [f for f in swtest.secret_forms(USER, secret) if f in out.everything()]
                if found:
                    bad.append((argv[-1], secret[:6], found[:2]))
        t.check("secret, refresh token, access token: in no output, transcript or message "
                "(plain, base64, percent-encoded)", not bad, bad[:3])
        t.check("the leak check would see the XOAUTH2 line (sanity)",
                any(f in "C: AUTH XOAUTH2 " + __import__("base64").b64encode(
                    ("user=%s\x01auth=Bearer %s\x01\x01" % (USER, CFG["access_token"])).encode()
                ).decode() for f in swtest.secret_forms(USER, CFG["access_token"])))
        in_argv = [a for a, _ in RUNS if any(s in str(x) for x in a for s in SECRETS)]
        t.check("no secret was ever on a command line", not in_argv, in_argv[:1])
        logs = te.log_text() + tc.log_text()
        t.check("the endpoint's log holds no secret either (what the leak test reads)",
                not any(s in logs for s in SECRETS) and "POST" in logs, logs[-300:])
    swtest.remove_dir(TMP, "swtest: oauth2 files")


if __name__ == "__main__":
    main()
