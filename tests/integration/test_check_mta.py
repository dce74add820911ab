#!/usr/bin/python3
"""Step 1 against a real MTA (Exim, run from its Debian package unpacked
under build/, see tests/servers/mta.sh) on its plain, STARTTLS and
implicit-TLS ports: the detected mode, the capabilities before and after
TLS, and the mismatch findings.  Skipped, with the reason, where the MTA
tier cannot run.  TAP output.
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import swtest  # noqa: E402

try:
    import mta  # noqa: E402
except ImportError as e:
    swtest.skip_all("tests/lib/mta.py missing: %s" % e)

SW = swtest.smtpwiz_bin()


def check(port, *args):
    return swtest.run_json([SW, "check", "--steps", "1", "--format", "json",
                            *args, "127.0.0.1:%d" % port], timeout=90)


def step1(data):
    return data["steps"][0] if data else {}


def ids(data):
    return [f["id"] for f in step1(data).get("findings", [])]


def main():
    try:
        server = mta.Mta(users={"alice": "wonderland-42"})
        server.__enter__()
    except mta.MtaUnavailable as e:
        swtest.skip_all(str(e))
    try:
        with swtest.Suite() as t:
            data, code = check(server.starttls_port, "--mode", "starttls",
                               "--set", "mail.smtp.starttls.required=true")
            d = step1(data).get("data", {})
            t.check("MTA starttls: detected", d.get("detected_mode") == "starttls", d)
            t.check("MTA starttls: TLS completed", d.get("tls_ok") is True,
                    d.get("tls_error"))
            t.check("MTA starttls: AUTH after TLS only",
                    d.get("auth_before_tls") == [] and
                    "PLAIN" in d.get("auth_after_tls", []), d)
            t.check("MTA starttls: exit 0", code == 0, (code, ids(data)))

            data, code = check(server.starttls_port, "--mode", "ssl")
            t.check("MTA ssl on starttls port", "ssl-on-starttls-port" in ids(data),
                    ids(data))
            t.check("MTA ssl on starttls port: exit 1", code == 1, code)

            data, code = check(server.ssl_port, "--mode", "ssl")
            d = step1(data).get("data", {})
            t.check("MTA ssl: detected", d.get("detected_mode") == "ssl", d)
            t.check("MTA ssl: greeting over TLS", (d.get("greeting") or "") != "", d)
            t.check("MTA ssl: exit 0", code == 0, (code, ids(data)))

            data, code = check(server.ssl_port, "--mode", "starttls")
            t.check("MTA starttls on ssl port", "starttls-on-ssl-port" in ids(data),
                    ids(data))

            data, code = check(server.plain_port, "--mode", "starttls",
                               "--set", "mail.smtp.starttls.required=true")
            d = step1(data).get("data", {})
            t.check("MTA plain: detected", d.get("detected_mode") == "plain", d)
            t.check("MTA plain: starttls-not-offered", "starttls-not-offered" in ids(data),
                    ids(data))
            t.check("MTA plain: exit 1", code == 1, code)
    finally:
        server.__exit__(None, None, None)


if __name__ == "__main__":
    main()
