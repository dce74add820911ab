#!/usr/bin/env python3
"""A loopback OAuth2 token endpoint (RFC 6749) over HTTPS, for the tests.

usage: token_endpoint.py --config FILE --cert CHAIN.pem --key KEY.pem
                         --port-file F [--log F] [--chunked]

It answers POSTs the way the two providers smtpwiz knows do:

  /TENANT/oauth2/v2.0/token   Microsoft Entra ID's v2.0 endpoint: the
                              client-credentials grant (scope must be
                              https://outlook.office365.com/.default) and the
                              refresh-token grant; errors as Entra ID writes
                              them (AADSTS codes in error_description, with
                              error_codes, trace_id, correlation_id).
  /token                      Google's: the refresh-token grant; errors as
                              Google writes them (invalid_grant "Token has
                              been expired or revoked.", invalid_client "The
                              OAuth client was not found.").
  /introspect                 RFC 7662 token introspection, for Dovecot's
                              oauth2 passdb: token=... -> {"active": true,
                              "username": USER, ...} for the access token
                              issued, {"active": false} for anything else
                              (the "expired" token included).  Plain HTTP is
                              not offered: Dovecot is given the CA too.

The config file (JSON, 0600) holds what is valid:
  {"tenant": "...", "client_id": "...", "client_secret": "...",
   "refresh_token": "...", "access_token": "...", "user": "...",
   "expired_token": "..."}                       (expired_token optional)
Unknown tenants get AADSTS90002, unknown clients AADSTS700016 (Google:
invalid_client), a wrong secret AADSTS7000215, a wrong refresh token
AADSTS700082 (Google: invalid_grant), another scope AADSTS1002012, a
grant the client may not use unauthorized_client.

--chunked sends every answer with Transfer-Encoding: chunked (three
chunks), else Content-Length.  --log gets one line per request: the path,
the grant and the client id -- never a secret (the leak test reads it).
The port (0: any) is written to --port-file once listening.
"""

import argparse
import http.server
import json
import os
import ssl
import sys
import threading
import urllib.parse

MS_SCOPE = "https://outlook.office365.com/.default"


def entra_error(status, error, code, text):
    return status, {
        "error": error,
        "error_description": "AADSTS%d: %s Trace ID: 0f1e2d3c-0000-4000-8000-"
                             "000000000001 Correlation ID: 11111111-2222-4333-8444-"
                             "555555555555 Timestamp: 2026-12-07 09:00:00Z" % (code, text),
        "error_codes": [code],
        "timestamp": "2026-12-07 09:00:00Z",
        "trace_id": "0f1e2d3c-0000-4000-8000-000000000001",
        "correlation_id": "11111111-2222-4333-8444-555555555555",
        "error_uri": "https://login.microsoftonline.com/error?code=%d" % code,
    }


def entra(cfg, tenant, form):
    if tenant != cfg["tenant"]:
        return entra_error(400, "invalid_request", 90002,
                           "Tenant '%s' not found. Check to make sure you have the correct "
                           "tenant ID and are signing into the correct cloud." % tenant[:60])
    if form.get("client_id") != cfg["client_id"]:
        return entra_error(400, "unauthorized_client", 700016,
                           "Application with identifier '%s' was not found in the "
                           "directory '%s'." % (form.get("client_id", "")[:60], tenant))
    grant = form.get("grant_type")
    if grant == "client_credentials":
        if form.get("client_secret") != cfg["client_secret"]:
            return entra_error(401, "invalid_client", 7000215,
                               "Invalid client secret provided. Ensure the secret being "
                               "sent in the request is the client secret value, not the "
                               "client secret ID, for a secret added to app '%s'."
                               % cfg["client_id"])
        if form.get("scope") != MS_SCOPE:
            return entra_error(400, "invalid_scope", 1002012,
                               "The provided value for scope %s is not valid. Client "
                               "credential flows must have a scope value with /.default "
                               "suffixed to the resource identifier (application ID URI)."
                               % form.get("scope", "")[:80])
        return 200, {"token_type": "Bearer", "expires_in": 3599, "ext_expires_in": 3599,
                     "access_token": cfg["access_token"]}
    if grant == "refresh_token":
        if form.get("refresh_token") != cfg["refresh_token"]:
            return entra_error(400, "invalid_grant", 700082,
                               "The refresh token has expired due to inactivity. The "
                               "token was issued on 2026-09-01T09:00:00Z and was inactive "
                               "for 90.00:00:00.")
        return 200, {"token_type": "Bearer", "scope": "https://outlook.office.com/SMTP.Send",
                     "expires_in": 4493, "ext_expires_in": 4493,
                     "access_token": cfg["access_token"],
                     "refresh_token": cfg["refresh_token"] + "-next"}
    return entra_error(400, "unsupported_grant_type", 70003,
                       "The app requested an unsupported grant type '%s'." % (grant or "")[:40])


def google(cfg, form):
    if form.get("client_id") != cfg["client_id"]:
        return 401, {"error": "invalid_client", "error_description": "The OAuth client was not found."}
    if cfg.get("client_secret") and form.get("client_secret") != cfg["client_secret"]:
        return 401, {"error": "invalid_client", "error_description": "Unauthorized"}
    if form.get("grant_type") != "refresh_token":
        return 400, {"error": "unauthorized_client",
                     "error_description": "Client is unauthorized to retrieve access tokens "
                                          "using this method, or client not authorized for any "
                                          "of the scopes requested."}
    if form.get("refresh_token") != cfg["refresh_token"]:
        return 400, {"error": "invalid_grant", "error_description": "Token has been expired or revoked."}
    return 200, {"access_token": cfg["access_token"], "expires_in": 3599,
                 "scope": "https://mail.google.com/", "token_type": "Bearer"}


def introspect(cfg, form):
    token = form.get("token", "")
    if token and token == cfg["access_token"]:
        return 200, {"active": True, "username": cfg["user"], "sub": cfg["user"],
                     "email": cfg["user"], "scope": "https://outlook.office.com/SMTP.Send",
                     "client_id": cfg["client_id"], "token_type": "Bearer"}
    return 200, {"active": False}


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "token-endpoint/1"

    def log_message(self, fmt, *args):
        pass

    def note(self, text):
        if self.server.log:
            with self.server.lock, open(self.server.log, "a") as f:
                f.write(text + "\n")

    def do_POST(self):
        n = int(self.headers.get("Content-Length") or 0)
        if n > 65536:
            self.answer(413, {"error": "invalid_request"})
            return
        raw = self.rfile.read(n).decode("utf-8", "replace")
        form = {k: v[0] for k, v in urllib.parse.parse_qs(raw, keep_blank_values=True).items()}
        path = urllib.parse.urlsplit(self.path).path
        cfg = self.server.cfg
        self.note("POST %s grant=%s client_id=%s ctype=%s" % (
            path, form.get("grant_type", "-"), form.get("client_id", "-"),
            self.headers.get("Content-Type", "-")))
        parts = path.strip("/").split("/")
        if path == "/introspect":
            status, body = introspect(cfg, form)
        elif path == "/token":
            status, body = google(cfg, form)
        elif len(parts) == 4 and parts[1:] == ["oauth2", "v2.0", "token"]:
            status, body = entra(cfg, parts[0], form)
        else:
            status, body = 404, {"error": "not_found"}
        self.answer(status, body)

    def answer(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        if self.server.chunked:
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            third = max(1, len(data) // 3)
            for piece in (data[:third], data[third:2 * third], data[2 * third:]):
                if piece:
                    self.wfile.write(b"%x;ext=1\r\n%s\r\n" % (len(piece), piece))
            self.wfile.write(b"0\r\n\r\n")
        else:
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        self.wfile.flush()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--config", required=True)
    ap.add_argument("--cert", required=True)
    ap.add_argument("--key", required=True)
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--log")
    ap.add_argument("--chunked", action="store_true")
    ap.add_argument("--plain", action="store_true", help="no TLS (introspection for Dovecot)")
    a = ap.parse_args()
    with open(a.config) as f:
        cfg = json.load(f)
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", a.port), Handler)
    srv.daemon_threads = True
    srv.cfg, srv.log, srv.chunked, srv.lock = cfg, a.log, a.chunked, threading.Lock()
    if not a.plain:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.minimum_version = ssl.TLSVersion.TLSv1_2
        ctx.load_cert_chain(a.cert, a.key)
        srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
    tmp = a.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % srv.server_address[1])
    os.rename(tmp, a.port_file)
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
