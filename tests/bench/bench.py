#!/usr/bin/python3
"""make bench: smtpwiz (steps 3+4) against sslscan (and testssl.sh when
installed) on the same loopback STARTTLS server, without and with a 2 s
greeting delay.  Prints, per tool and condition, the median wall time of
several runs, the ratio to sslscan, the TCP connections each tool opened
(counted at the server: the fixture logs one CONNECT line per accepted
connection) and how many cipher suites each found, as a sanity check.

A benchmark, not a test: it prints figures and exits 0 whatever they
are (non-zero only when it cannot run at all).

The server: the fixture (tests/servers/fixture_smtp.py, OpenSSL 3.0) with
TLSv1 to TLSv1.3 and ALL:COMPLEMENTOFALL:@SECLEVEL=0 -- 63 suites over
four versions (12 + 12 + 36 + 3), the "60-suite server" of issue 4.

Environment:
  RUNS=5          runs per tool without delay
  DELAY_RUNS=3    runs per tool with the 2 s delay (sslscan then needs
                  about 5 minutes a run)
  TESTSSL_RUNS=1  runs of testssl.sh per condition; 0 skips it
  DELAY=2         the greeting delay in seconds
  SMTPWIZ=path    the binary (default build/smtpwiz)
  TOOLS=a,b       only these tools (smtpwiz, sslscan, testssl.sh)
  VERIFY_RUNS=3   whole checks per condition, for what the verification
                  of the block costs beside the steps; 0 skips them
  NET_RUNS=3      runs per tool of the network cases below; 0 skips them
  NET_SSLSCAN_RUNS=1  sslscan runs through the delay proxy (~80 s each)
  DELAY_MS=50     the proxy's delay per direction (100 ms round trip)
  NET_CASES=rtt,greeting,limit  which network cases to run

The network cases (issue 19) put tests/servers/delay_proxy.py between
the tools and the same fixture: "100 ms RTT" (DELAY_MS per direction,
one round trip more to connect), and "2 conns/client" (no delay, at
most 2 connections at once, a slot held 0.5 s after a close, 421
beyond).  Beside sslscan, smtpwiz is compared with its floor:
  concurrency floor = ceil(connections / concurrency) x time per probe
  slot floor        = ceil(connections / 2) x (time per probe + hold)
where connections is what smtpwiz's own sweeps opened (steps 3 + 4,
less those the limit answered with 421) and the time per probe is that of one version probe through the same
path, measured in the same run (step 3 at --concurrency 1: five probes
one after the other; for the slot floor, straight to the server).  The 2 s greeting case gets its floor the same
way.
"""

import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "lib"))
import swtest  # noqa: E402

SW = swtest.smtpwiz_bin()
SSLSCAN = shutil.which("sslscan")
TESTSSL = shutil.which("testssl") or shutil.which("testssl.sh")
FIXTURE = dict(mode="starttls", tls_min="TLSv1", ciphers="ALL:COMPLEMENTOFALL:@SECLEVEL=0")


def env_int(name, default):
    try:
        return int(os.environ.get(name, default))
    except ValueError:
        return default


def count_smtpwiz(out):
    import json
    try:
        d = json.loads(out)
        acc = d["steps"][3]["data"]["accepted"]
        return sum(len(v) for v in acc.values() if isinstance(v, list))
    except (ValueError, KeyError, IndexError, TypeError):
        return None


def count_sslscan(out):
    return len(re.findall(r"^(Accepted|Preferred)\s", out, re.M))


def count_testssl(out):
    return len(re.findall(r"^ x[0-9a-f]+\s", out, re.M))


def tools(port):
    target = f"127.0.0.1:{port}"
    out = [("smtpwiz", [SW, "check", "--steps", "3-4", "--mode", "starttls",
                        "--format", "json", target], count_smtpwiz)]
    if SSLSCAN:
        out.append(("sslscan", [SSLSCAN, "--no-colour", "--starttls-smtp", target],
                    count_sslscan))
    if TESTSSL and env_int("TESTSSL_RUNS", 1) > 0:
        out.append(("testssl.sh", [TESTSSL, "--starttls", "smtp", "--quiet",
                                   "--color", "0", "--warnings", "off", "-p", "-E",
                                   target], count_testssl))
    only = [t for t in os.environ.get("TOOLS", "").split(",") if t]
    return [t for t in out if not only or t[0] in only]


def connects(fx):
    return fx.log_text().count(" CONNECT ")


def run_once(fx, argv, counter):
    before = connects(fx)
    t0 = time.monotonic()
    r = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       stdin=subprocess.DEVNULL, text=True, timeout=3600)
    took = time.monotonic() - t0
    time.sleep(0.3)                     # the fixture logs asynchronously
    return took, connects(fx) - before, counter(r.stdout)


def bench(delay, runs, rows):
    opts = dict(FIXTURE)
    if delay:
        opts["greeting_delay"] = float(delay)
    cond = f"{delay:g} s greeting" if delay else "no delay"
    with swtest.Fixture(**opts) as fx:
        for name, argv, counter in tools(fx.port):
            n = env_int("TESTSSL_RUNS", 1) if name == "testssl.sh" else runs
            if n <= 0:
                continue
            times, conns, found = [], [], []
            for i in range(n):
                took, c, s = run_once(fx, argv, counter)
                times.append(took)
                conns.append(c)
                found.append(s)
                print(f"# {cond:12} {name:10} run {i + 1}/{n}: {took:7.2f} s, "
                      f"{c} connections, {s} suites", flush=True)
            rows.append(dict(cond=cond, tool=name, runs=n,
                             median=statistics.median(times), lo=min(times),
                             hi=max(times), conns=int(statistics.median(conns)),
                             suites=found[-1]))


def bench_verify(delay, runs):
    """What the verification adds: a whole check (five steps + the
    verification) against the same server, the verification's own
    connections and time from its JSON beside the whole run's."""
    opts = dict(FIXTURE)
    if delay:
        opts["greeting_delay"] = float(delay)
    cond = f"{delay:g} s greeting" if delay else "no delay"
    argv = [SW, "check", "--format", "json", "--cafile",
            os.path.join(swtest.pki(), "root.pem")]
    with swtest.Fixture(**opts) as fx:
        totals, vms, vconns, all_conns = [], [], [], []
        for i in range(runs):
            before = connects(fx)
            t0 = time.monotonic()
            r = subprocess.run(argv + [f"localhost:{fx.port}"], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                               text=True, timeout=3600)
            totals.append(time.monotonic() - t0)
            time.sleep(0.3)
            all_conns.append(connects(fx) - before)
            try:
                v = json.loads(r.stdout)["verification"]
                vms.append(v["elapsed_ms"] / 1000.0)
                vconns.append(v["connections"])
                result = v["result"]
            except (ValueError, KeyError, TypeError):
                result = "no report"
            print(f"# {cond:12} check+verify run {i + 1}/{runs}: {totals[-1]:7.2f} s, "
                  f"{all_conns[-1]} connections, verification {result}", flush=True)
    if not vms:
        return
    tv, tt = statistics.median(vms), statistics.median(totals)
    print(f"verification {cond:12}: {statistics.median(vconns):.0f} connection(s) of "
          f"{statistics.median(all_conns):.0f}, {tv:.2f} s of {tt:.2f} s for the whole "
          f"check ({100 * tv / tt:.0f}%)")


class Proxy:
    """tests/servers/delay_proxy.py in front of port, stopped by PID."""

    def __init__(self, upstream, **opts):
        import tempfile
        self.dir = tempfile.mkdtemp(prefix="swbench-proxy-")
        pf = os.path.join(self.dir, "port")
        argv = [sys.executable, os.path.join(HERE, "..", "servers", "delay_proxy.py"),
                "--upstream", str(upstream), "--port-file", pf,
                "--log", os.path.join(self.dir, "log")]
        for k, v in opts.items():
            argv += ["--" + k.replace("_", "-"), str(v)]
        self.proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while not os.path.exists(pf):
            if time.monotonic() > deadline or self.proc.poll() is not None:
                self.stop()
                raise RuntimeError("delay proxy did not start")
            time.sleep(0.05)
        with open(pf) as f:
            self.port = int(f.read())

    def limits(self):
        try:
            with open(os.path.join(self.dir, "log")) as f:
                return f.read().count(" LIMIT")
        except OSError:
            return 0

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


def sw_json(argv):
    r = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       stdin=subprocess.DEVNULL, text=True, timeout=3600)
    try:
        return json.loads(r.stdout)
    except ValueError:
        return None


def sweep_facts(d):
    """Connections of both sweeps, concurrency, answers left unknown."""
    conns, conc, unknown = 0, 6, 0
    try:
        for st in d["steps"][2:4]:
            sw = st["data"].get("sweep") or {}
            # a 421 from the limit is a cost of pacing, not of the method
            conns += sw.get("connections", 0) - sw.get("greeting_4xx", 0)
            conc = sw.get("concurrency", conc)
        unknown = sum(1 for v in d["steps"][2]["data"]["accepted"].values()
                      if v not in (True, False))
    except (KeyError, IndexError, TypeError, AttributeError):
        pass
    return conns, conc, unknown


def per_probe(port):
    """Seconds per version probe through this path: step 3 at
    concurrency 1 is five probes one after the other."""
    t0 = time.monotonic()
    sw_json([SW, "check", "--steps", "3", "--mode", "starttls", "--concurrency", "1",
             "--format", "json", f"127.0.0.1:{port}"])
    return (time.monotonic() - t0) / 5


def bench_net(cond, fixture, proxy, runs, ssl_runs, floor_kind, hold=0.0):
    """One network case: smtpwiz against its floor, sslscan beside."""
    import math
    opts = dict(FIXTURE)
    opts.update(fixture)
    with swtest.Fixture(**opts) as fx:
        px = Proxy(fx.port, **proxy) if proxy else None
        port = px.port if px else fx.port
        try:
            times, floors, unknowns, conns = [], [], [], []
            for i in range(runs):
                # the slot floor's probe time is the server's own; through
                # the limit, back-to-back probes would measure the pacing
                probe = per_probe(fx.port if floor_kind == "slot" else port)
                t0 = time.monotonic()
                d = sw_json([SW, "check", "--steps", "3-4", "--mode", "starttls",
                             "--format", "json", f"127.0.0.1:{port}"])
                took = time.monotonic() - t0
                c, conc, unk = sweep_facts(d)
                width = 2 if floor_kind == "slot" else conc
                floor = math.ceil(c / width) * (probe + hold)
                times.append(took)
                floors.append(floor)
                unknowns.append(unk)
                conns.append(c)
                print(f"# {cond:15} smtpwiz run {i + 1}/{runs}: {took:6.2f} s, {c} "
                      f"connections, floor {floor:5.2f} s ({probe * 1000:.0f} ms/probe), "
                      f"{took / floor if floor else 0:.2f}x floor, {unk} versions unknown, "
                      f"{count_smtpwiz(json.dumps(d)) if d else '?'} suites", flush=True)
            ssl_t = []
            for i in range(ssl_runs if SSLSCAN else 0):
                t0 = time.monotonic()
                r = subprocess.run([SSLSCAN, "--no-colour", "--starttls-smtp",
                                    f"127.0.0.1:{port}"], stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                                   text=True, timeout=3600)
                ssl_t.append(time.monotonic() - t0)
                print(f"# {cond:15} sslscan run {i + 1}/{ssl_runs}: {ssl_t[-1]:6.2f} s, "
                      f"{count_sslscan(r.stdout)} suites", flush=True)
        finally:
            if px:
                px.stop()
    if not times:
        return
    tm, fm = statistics.median(times), statistics.median(floors)
    line = (f"network {cond:15}: smtpwiz median {tm:.2f} s ({min(times):.2f}-"
            f"{max(times):.2f}), {statistics.median(conns):.0f} connections, "
            f"{floor_kind} floor {fm:.2f} s, smtpwiz/floor {tm / fm if fm else 0:.2f}, "
            f"unknown versions {max(unknowns)}")
    if ssl_t:
        sm = statistics.median(ssl_t)
        line += f", sslscan {sm:.2f} s, smtpwiz/sslscan {tm / sm:.3f}"
    print(line, flush=True)


def table(rows):
    base = {r["cond"]: r for r in rows if r["tool"] == "sslscan"}
    print()
    print(f"{'condition':14} {'tool':11} {'runs':>4} {'median s':>9} {'min s':>8} "
          f"{'max s':>8} {'time/sslscan':>12} {'connections':>11} {'conn/sslscan':>12} "
          f"{'suites':>6}")
    print("-" * 104)
    for r in rows:
        b = base.get(r["cond"])
        tr = f"{r['median'] / b['median']:.3f}" if b and b["median"] > 0 else "-"
        cr = f"{r['conns'] / b['conns']:.2f}" if b and b["conns"] > 0 else "-"
        print(f"{r['cond']:14} {r['tool']:11} {r['runs']:>4} {r['median']:>9.2f} "
              f"{r['lo']:>8.2f} {r['hi']:>8.2f} {tr:>12} {r['conns']:>11} {cr:>12} "
              f"{r['suites'] if r['suites'] is not None else '?':>6}")
    print()
    sw = {r["cond"]: r for r in rows if r["tool"] == "smtpwiz"}
    for cond, target in (("no delay", 1.0),):
        if cond in sw and cond in base:
            print_target(cond, sw[cond], base[cond], target)
    for cond in sw:
        if cond != "no delay" and cond in base:
            print_target(cond, sw[cond], base[cond], 0.25)


def print_target(cond, s, b, target):
    tr = s["median"] / b["median"] if b["median"] else float("inf")
    cr = s["conns"] / b["conns"] if b["conns"] else float("inf")
    print(f"target {cond:12}: time ratio {tr:.3f} (<= {target}: "
          f"{'met' if tr <= target else 'MISSED'}), connections {s['conns']} vs "
          f"{b['conns']} = {cr:.2f} (<= 0.5: {'met' if cr <= 0.5 else 'MISSED'})")


def main():
    if not os.access(SW, os.X_OK):
        print(f"bench: {SW} is not built (make build-tests)", file=sys.stderr)
        return 2
    if not SSLSCAN:
        print("bench: sslscan is not installed (apt-get install sslscan); "
              "smtpwiz alone is measured", file=sys.stderr)
    runs, delay_runs = env_int("RUNS", 5), env_int("DELAY_RUNS", 3)
    delay = float(os.environ.get("DELAY", "2"))
    print(f"# server: fixture {FIXTURE}")
    print(f"# smtpwiz {SW}; sslscan {SSLSCAN or '-'}; testssl.sh {TESTSSL or '-'}")
    rows = []
    if runs > 0:
        bench(0, runs, rows)
    if delay > 0 and delay_runs > 0:
        bench(delay, delay_runs, rows)
    table(rows)
    nruns = env_int("NET_RUNS", 3)
    cases = os.environ.get("NET_CASES", "rtt,greeting,limit").split(",")
    if nruns > 0:
        dms = float(os.environ.get("DELAY_MS", "50"))
        if "rtt" in cases:
            bench_net(f"{2 * dms:g} ms RTT", {}, {"delay_ms": dms}, nruns,
                      env_int("NET_SSLSCAN_RUNS", 1), "concurrency")
        if delay > 0 and "greeting" in cases:
            bench_net(f"{delay:g} s greeting", {"greeting_delay": delay}, None, nruns,
                      0, "concurrency")
    if nruns > 0 and "limit" in cases:
        bench_net("2 conns/client", {}, {"delay_ms": 0, "max_conns": 2,
                                          "hold_ms": 500}, nruns, 0, "slot", hold=0.5)
    vruns = env_int("VERIFY_RUNS", 3)
    if vruns > 0:
        bench_verify(0, vruns)
        if delay > 0:
            bench_verify(delay, vruns)
    return 0


if __name__ == "__main__":
    sys.exit(main())
