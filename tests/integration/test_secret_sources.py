#!/usr/bin/python3
"""Every source of a secret gets the same guard (issue 12): a password
read from --load (mail.smtp.password=) makes the process refuse core
dumps like one from --password-file, and SMTPWIZ_PASSWORD is wiped from
the environment whichever source wins; the trust store's password comes
from --storepass-file or SMTPWIZ_STOREPASS, not only from argv.

The guard is seen from outside while smtpwiz waits for a slow greeting:
/proc/PID/limits (soft core limit 0, started with `ulimit -c
unlimited`) and /proc/PID/environ (the variable's value gone).  TAP.
"""

import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import certlib  # noqa: E402
import swtest  # noqa: E402

SW = swtest.smtpwiz_bin()
PW = "L0aded-Pa55"
ENV_PW = "Env-Pa55-w0rd"
STOREPASS = "St0re-secret"


def watch(args, env):
    """Starts smtpwiz (core dumps allowed), reads its core limit and
    environment while it waits, returns (limit, environ, proc)."""
    # An ASan build turns core dumps off itself unless told not to.
    env = dict(env, ASAN_OPTIONS=(env.get("ASAN_OPTIONS", "") +
                                  ":disable_coredump=0").lstrip(":"))
    proc = subprocess.Popen(["sh", "-c", 'ulimit -S -c unlimited; exec "$0" "$@"',
                             SW, *args], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    limit, environ = None, b""
    deadline = time.time() + 5
    while time.time() < deadline and limit is None:
        time.sleep(0.2)
        try:
            if os.readlink(f"/proc/{proc.pid}/exe") != os.path.realpath(SW):
                continue
            time.sleep(0.3)      # past option parsing
            for line in open(f"/proc/{proc.pid}/limits"):
                if line.startswith("Max core file size"):
                    limit = line.split()[4]
            with open(f"/proc/{proc.pid}/environ", "rb") as f:
                environ = f.read()
        except OSError:
            pass
    out, err = proc.communicate(timeout=60)
    return limit, environ, proc, out, err


def loaded_password(t, tmp):
    props = os.path.join(tmp, "deployed.properties")
    with open(props, "w") as f:
        f.write("mail.smtp.user=alice\nmail.smtp.password=%s\n" % PW)
    os.chmod(props, 0o600)
    env = dict(os.environ, SMTPWIZ_PASSWORD=ENV_PW)
    with swtest.Fixture(greeting_delay=1.5) as fx:
        limit, environ, proc, out, err = watch(
            ["check", "--steps", "1", "--load", props, "--format", "properties",
             "--block-password", "include", "localhost:%d" % fx.port], env)
    t.check("--load with a password: core dumps off while it is held",
            limit == "0", (limit, err))
    t.check("--load wins over SMTPWIZ_PASSWORD, which is wiped anyway",
            ENV_PW.encode() not in environ and environ != b"", environ[:200])
    t.check("--load: the password still reaches the block (include)",
            proc.returncode == 0 and "mail.smtp.password=%s" % PW in out,
            (proc.returncode, out, err))
    # Without a password anywhere, the limit is left alone.
    plain = os.path.join(tmp, "plain.properties")
    with open(plain, "w") as f:
        f.write("mail.smtp.user=alice\n")
    env = dict(os.environ)
    env.pop("SMTPWIZ_PASSWORD", None)
    with swtest.Fixture(greeting_delay=1.5) as fx:
        limit, _, proc, out, err = watch(
            ["check", "--steps", "1", "--load", plain, "localhost:%d" % fx.port], env)
    t.check("no password: core limit untouched", limit == "unlimited",
            (limit, err))


def password_file_wipes_env(t, tmp):
    pwf = os.path.join(tmp, "pw")
    with open(pwf, "w") as f:
        f.write("From-File-1\n")
    os.chmod(pwf, 0o600)
    env = dict(os.environ, SMTPWIZ_PASSWORD=ENV_PW)
    with swtest.Fixture(greeting_delay=1.5) as fx:
        limit, environ, proc, out, err = watch(
            ["check", "--steps", "1", "--set", "mail.smtp.user=alice",
             "--password-file", pwf, "localhost:%d" % fx.port], env)
    t.check("--password-file wins; SMTPWIZ_PASSWORD wiped all the same",
            limit == "0" and ENV_PW.encode() not in environ and environ != b"",
            (limit, environ[:200]))


def storepass(t, tmp):
    if not certlib.keytool():
        t.skip("--storepass-file", "no keytool")
        return
    stores = certlib.Stores()
    try:
        jks, spf = certlib.store_with_password(tmp, stores.root, STOREPASS)
        with swtest.Fixture(mode="starttls") as fx:
            base = [*certlib.mode_args("starttls"), "--truststore", jks]
            data, code = certlib.check(fx.port, *base, "--storepass-file", spf)
            ts = certlib.d2(data).get("trust_store", {})
            t.check("--storepass-file: integrity ok, trusted",
                    ts.get("integrity") == "ok" and certlib.d2(data).get("trusted")
                    is True, ts)
            env = dict(os.environ, SMTPWIZ_STOREPASS=STOREPASS)
            r = swtest.run_json([SW, "check", "--steps", "1-2", "--format", "json",
                                 *base, "localhost:%d" % fx.port], env=env,
                                timeout=90)
            ts = certlib.d2(r[0]).get("trust_store", {})
            t.check("SMTPWIZ_STOREPASS: integrity ok", ts.get("integrity") == "ok", ts)
            data, code = certlib.check(fx.port, *base)
            ts = certlib.d2(data).get("trust_store", {})
            t.check("no store password: changeit, integrity not ok",
                    ts.get("integrity") != "ok", ts)
            text = ((r.proc.stdout or "") + (r.proc.stderr or ""))
            t.check("the store password is not in the output", STOREPASS not in text)
        r = swtest.run([SW, "--help"])
        t.check("--help names --storepass-file and says argv is visible",
                "--storepass-file" in r.stdout and "process list" in r.stdout,
                r.stdout[-600:])
    finally:
        stores.close()


def main():
    tmp = tempfile.mkdtemp(prefix="swtest-secret-src-")
    try:
        with swtest.Suite() as t:
            loaded_password(t, tmp)
            password_file_wipes_env(t, tmp)
            storepass(t, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
