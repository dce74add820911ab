#!/usr/bin/python3
"""Step 1 (protocol and port) end to end: `smtpwiz check --steps 1`
against the fixture server in every mode and with every fault, asserting
the detected mode, the finding ids, the JSON contract and the exit
status.  TAP output.
"""

import os
import socket
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import swtest  # noqa: E402

SW = swtest.smtpwiz_bin()


def check(fx_port, *args, host="127.0.0.1", timeout=60):
    target = "%s:%d" % (("[%s]" % host) if ":" in host else host, fx_port)
    return swtest.run_json([SW, "check", "--steps", "1", "--format", "json",
                            *args, target], timeout=timeout)


def step1(data):
    return data["steps"][0] if data else {}


def ids(data):
    return [f["id"] for f in step1(data).get("findings", [])]


def finding(data, fid):
    for f in step1(data).get("findings", []):
        if f["id"] == fid:
            return f
    return None


def main():
    with swtest.Suite() as t:
        # --- the three modes, configured right ---
        with swtest.Fixture(mode="starttls", auth="PLAIN LOGIN") as fx:
            data, code = check(fx.port, "--mode", "starttls",
                               "--set", "mail.smtp.starttls.required=true")
            d = step1(data).get("data", {})
            t.check("starttls: detected", d.get("detected_mode") == "starttls", d)
            t.check("starttls: exit 0", code == 0, (code, ids(data)))
            t.check("starttls: verdict pass", step1(data).get("verdict") == "pass",
                    step1(data).get("verdict"))
            t.check("starttls: mode-ok", "mode-ok" in ids(data), ids(data))
            t.check("starttls: offered true", d.get("starttls_offered") is True, d)
            t.check("starttls: EHLO listed", "STARTTLS" in d.get("ehlo", []), d.get("ehlo"))
            t.check("starttls: TLS completed", d.get("tls_ok") is True, d.get("tls_error"))
            t.check("starttls: AUTH only after TLS",
                    d.get("auth_before_tls") == [] and
                    d.get("auth_after_tls") == ["PLAIN", "LOGIN"], d)
            t.check("starttls: greeting kept", (d.get("greeting") or "").startswith("220"),
                    d.get("greeting"))
            t.check("starttls: address listed", d.get("addresses") == ["127.0.0.1"], d)
            t.check("contract: tool/target",
                    data["tool"]["name"] == "smtpwiz" and
                    data["tool"]["tls_library"].lower().startswith("mbed tls") and
                    data["target"] == {"host": "127.0.0.1", "port": fx.port,
                                       "mode": "starttls"}, data.get("target"))
            t.check("contract: five steps, 2-5 skipped",
                    len(data["steps"]) == 5 and
                    all(s["verdict"] == "skipped" for s in data["steps"][1:]),
                    [s["verdict"] for s in data["steps"]])
            # the same server with ssl.enable=true: Java's classic mistake
            data, code = check(fx.port, "--mode", "ssl")
            t.check("ssl on starttls port: finding", "ssl-on-starttls-port" in ids(data),
                    ids(data))
            f = finding(data, "ssl-on-starttls-port") or {}
            t.check("ssl on starttls port: suggests STARTTLS",
                    f.get("suggest", {}).get("mail.smtp.ssl.enable") == "false" and
                    f.get("suggest", {}).get("mail.smtp.starttls.enable") == "true", f)
            t.check("ssl on starttls port: names Java's error",
                    "Unsupported or unrecognized SSL message" in f.get("message", ""), f)
            t.check("ssl on starttls port: exit 1", code == 1, code)
            # plain settings on a STARTTLS port
            data, code = check(fx.port, "--mode", "plain")
            t.check("plain on starttls port: starttls-not-enabled",
                    "starttls-not-enabled" in ids(data), ids(data))
            t.check("plain on starttls port: warn, exit 0",
                    step1(data).get("verdict") == "warn" and code == 0, (code, ids(data)))
            # starttls without required
            data, code = check(fx.port, "--mode", "starttls")
            t.check("starttls without required: suggestion",
                    "starttls-not-required" in ids(data), ids(data))

        with swtest.Fixture(mode="ssl") as fx:
            data, code = check(fx.port, "--mode", "ssl")
            d = step1(data).get("data", {})
            t.check("ssl: detected", d.get("detected_mode") == "ssl", d)
            t.check("ssl: exit 0", code == 0, (code, ids(data)))
            t.check("ssl: greeting read over TLS",
                    (d.get("greeting") or "").startswith("220"), d)
            t.check("ssl: EHLO after TLS", len(d.get("ehlo_after_tls", [])) > 0, d)
            t.check("ssl: STARTTLS unknown before TLS",
                    d.get("starttls_offered") is None, d.get("starttls_offered"))
            start = time.monotonic()
            data, code = check(fx.port, "--mode", "starttls")
            took = time.monotonic() - start
            t.check("starttls on ssl port: finding", "starttls-on-ssl-port" in ids(data),
                    ids(data))
            f = finding(data, "starttls-on-ssl-port") or {}
            t.check("starttls on ssl port: suggests ssl.enable",
                    f.get("suggest", {}).get("mail.smtp.ssl.enable") == "true", f)
            t.check("starttls on ssl port: exit 1", code == 1, code)
            t.check("starttls on ssl port: found in < 10 s", took < 10, took)
            data, code = check(fx.port, "--mode", "plain")
            t.check("plain on ssl port: finding", "plain-on-ssl-port" in ids(data),
                    ids(data))

        with swtest.Fixture(mode="plain") as fx:
            data, code = check(fx.port, "--mode", "plain")
            d = step1(data).get("data", {})
            t.check("plain: detected", d.get("detected_mode") == "plain", d)
            t.check("plain: STARTTLS false", d.get("starttls_offered") is False, d)
            t.check("plain: no-encryption warning", "no-encryption" in ids(data), ids(data))
            t.check("plain: TLS unknown", d.get("tls_ok") is None, d)
            data, code = check(fx.port, "--mode", "ssl")
            t.check("ssl on plain port", "ssl-on-plain-port" in ids(data), ids(data))

        # --- faults ---
        with swtest.Fixture(mode="starttls", no_starttls=True) as fx:
            data, code = check(fx.port, "--mode", "starttls",
                               "--set", "mail.smtp.starttls.required=true")
            t.check("no STARTTLS offered: finding", "starttls-not-offered" in ids(data),
                    ids(data))
            t.check("no STARTTLS offered: exit 1", code == 1, code)
            t.check("no STARTTLS offered: detected plain",
                    step1(data)["data"]["detected_mode"] == "plain", step1(data)["data"])

        with swtest.Fixture(mode="starttls", starttls_454=True) as fx:
            data, code = check(fx.port, "--mode", "starttls")
            t.check("454 to STARTTLS: finding", "starttls-refused" in ids(data), ids(data))
            f = finding(data, "starttls-refused") or {}
            t.check("454 to STARTTLS: reply quoted", "454" in f.get("message", ""), f)
            t.check("454 to STARTTLS: exit 1", code == 1, code)

        with swtest.Fixture(mode="starttls", greeting_delay=4) as fx:
            data, code = check(fx.port, "--mode", "starttls")
            d = step1(data).get("data", {})
            t.check("slow greeting: still detected starttls",
                    d.get("detected_mode") == "starttls", d)
            t.check("slow greeting: greeting-slow", "greeting-slow" in ids(data), ids(data))
            t.check("slow greeting: waited >= 4 s", d.get("greeting_ms", 0) >= 3900,
                    d.get("greeting_ms"))
            f = finding(data, "greeting-slow") or {}
            t.check("slow greeting: suggests a timeout above it",
                    int(f.get("suggest", {}).get("mail.smtp.timeout", "0")) > 4000, f)
            u = finding(data, "timeouts-unset") or {}
            t.check("slow greeting: one timeout value, not 30000 beside it",
                    u.get("suggest", {}).get("mail.smtp.timeout") ==
                    f.get("suggest", {}).get("mail.smtp.timeout"), (f, u))
            main_conn = [l for l in fx.log_text().splitlines() if " #1 " in l]
            t.check("slow greeting: the main connection stayed clean (no bytes "
                    "before the greeting)", main_conn and
                    not any("before the greeting" in l for l in main_conn), main_conn)

        # A later step alone finds out what the port speaks (issue 16):
        # no --mode, so the settings say plain; the port says STARTTLS.
        with swtest.Fixture(mode="starttls") as fx:
            data, code = swtest.run_json([SW, "check", "--steps", "2", "--format",
                                          "json", f"127.0.0.1:{fx.port}"], timeout=60)
            st2 = [x for x in (data or {}).get("steps", []) if x.get("step") == 2]
            st2 = st2[0] if st2 else {}
            t.check("--steps 2 alone: the chain is fetched over STARTTLS, not skipped",
                    st2.get("verdict") not in (None, "skipped") and
                    st2.get("data", {}).get("chain"), st2.get("skip_reason") or st2)

        with swtest.Fixture(mode="starttls", multiline_greeting=True) as fx:
            data, code = check(fx.port, "--mode", "starttls")
            d = step1(data).get("data", {})
            t.check("multi-line greeting: all lines kept",
                    (d.get("greeting") or "").count("\n") >= 2, d.get("greeting"))
            t.check("multi-line greeting: detected", d.get("detected_mode") == "starttls", d)

        with swtest.Fixture(mode="starttls", greeting_421=True) as fx:
            data, code = check(fx.port, "--mode", "starttls")
            t.check("421 greeting: finding", "greeting-421" in ids(data), ids(data))
            t.check("421 greeting: exit 1", code == 1, code)
            t.check("421 greeting: mode unknown, not plain",
                    step1(data)["data"]["detected_mode"] == "unknown" and
                    step1(data)["data"]["starttls_offered"] is None, step1(data)["data"])

        with swtest.Fixture(mode="starttls", close_after_ehlo=True) as fx:
            data, code = check(fx.port, "--mode", "starttls")
            t.check("close after EHLO: finding", "closed-after-ehlo" in ids(data),
                    ids(data))
            d = step1(data).get("data", {})
            t.check("close after EHLO: STARTTLS offered (seen in EHLO)",
                    d.get("starttls_offered") is True, d)
            t.check("close after EHLO: TLS and caps after TLS unknown, not 'no'",
                    d.get("tls_ok") is None and d.get("auth_after_tls") is None and
                    d.get("ehlo_after_tls") is None, d)
            t.check("close after EHLO: exit 1", code == 1, (code, ids(data)))

        # --- network failures ---
        port = swtest.free_port()
        data, code = check(port, "--mode", "starttls")
        t.check("refused: finding", "connection-refused" in ids(data), ids(data))
        t.check("refused: exit 1", code == 1, code)
        t.check("refused: address recorded",
                step1(data)["data"]["connect"][0]["status"] == "refused",
                step1(data)["data"])

        data, code = swtest.run_json([SW, "check", "--steps", "1", "--format", "json",
                                      "no-such-host.invalid:587"])
        t.check("DNS failure: finding", "dns-failure" in ids(data), ids(data))
        t.check("DNS failure: exit 1", code == 1, code)

        # A listener that accepts and never speaks, not even TLS.
        silent = socket.socket()
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        start = time.monotonic()
        data, code = check(silent.getsockname()[1], "--mode", "starttls",
                           "--timeout", "4")
        took = time.monotonic() - start
        silent.close()
        t.check("silent port: no-greeting", "no-greeting" in ids(data), ids(data))
        t.check("silent port: bounded by --timeout", 3.5 < took < 9, took)
        t.check("silent port: exit 1", code == 1, code)

        # IPv6 loopback, when the machine has it.
        try:
            with swtest.Fixture(mode="starttls", host="::1") as fx:
                data, code = check(fx.port, "--mode", "starttls", host="::1")
                t.check("IPv6: connected", step1(data)["data"]["addresses"] == ["::1"] and
                        step1(data)["data"]["detected_mode"] == "starttls",
                        step1(data).get("data"))
        except Exception as e:  # no ::1 here
            t.skip("IPv6: connected", "no IPv6 loopback: %s" % e)

        # --discover: a STARTTLS server on 587 is not ours to use, so
        # only check that the four ports are reported.
        with swtest.Fixture(mode="starttls") as fx:
            data, code = check(fx.port, "--mode", "starttls", "--discover",
                               "--timeout", "3", "--connect-timeout", "2")
            ports = [x["port"] for x in step1(data)["data"].get("discover", [])]
            t.check("discover: four ports tried", sorted(ports) == [25, 465, 587, 2525],
                    ports)

        # --- text report ---
        with swtest.Fixture(mode="starttls") as fx:
            p = swtest.run([SW, "check", "--steps", "1", "--no-color", "--mode", "ssl",
                            "127.0.0.1:%d" % fx.port])
            t.check("text: verdict line", "Step 1  Protocol and port" in p.stdout and
                    "fail" in p.stdout, p.stdout)
            t.check("text: finding id and suggestion",
                    "ssl-on-starttls-port" in p.stdout and
                    "set: mail.smtp.ssl.enable=false" in p.stdout, p.stdout)
            t.check("text: no escape codes with --no-color", "\033" not in p.stdout)
            t.check("text: exit 1", p.returncode == 1, p.returncode)


if __name__ == "__main__":
    main()
