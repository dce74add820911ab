#!/usr/bin/python3
"""make install / make uninstall, the installed binary, and the man page.

* `make install PREFIX=<temp>` puts the binary in bin/, the man page in
  share/man/man1/ and a copy of every file of assets/ in share/smtpwiz/.
* The installed binary, run from outside the source tree with
  SMTPWIZ_ASSETS unset, finds its data in PREFIX/share/smtpwiz: `check`
  against the fixture server runs all steps (steps 3 and 4 need the
  cipher-suite registry and the Java profiles), `explain` decodes.  Hiding
  one installed data file makes `explain` fail naming PREFIX/share/smtpwiz,
  which proves it read the installed copy and not the tree's.  A symlink
  to the binary finds the same data.
* `make install DESTDIR=... PREFIX=/usr/local` stages under DESTDIR.
* `make uninstall` leaves no file behind.
* The man page: `groff -ww -mandoc` prints no warning, `man -l` renders
  it without complaint, `man -M PREFIX/share/man smtpwiz` finds the
  installed page, every option and subcommand of `smtpwiz --help` and
  `smtpwiz explain --help` appears in it, and every option it documents
  exists.  `--help` fits in 80 columns.

The binary under test is $BUILD/smtpwiz (tests/run.sh exports BUILD), so
`make asan-test` installs the sanitizer build.  TAP output.
"""

import filecmp
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import swtest  # noqa: E402

ROOT = swtest.repo_root()
BUILD = os.environ.get("BUILD", "build")
MAN_SRC = os.path.join(ROOT, "smtpwiz.1")


def make_env():
    env = dict(os.environ)
    # Inherited from an outer `make test`: a jobserver or flags meant for it.
    for k in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES"):
        env.pop(k, None)
    return env


def make(*args):
    """make in the tree.  A variant build (build/asan, build/m3) was made
    with flags this make does not know (SAN, MBEDTLS_PREFIX): -o keeps
    make from rebuilding its binary with the plain ones, so exactly the
    binary under test is installed."""
    keep = [] if BUILD == "build" else ["-o", f"{BUILD}/smtpwiz"]
    return subprocess.run(["make", "--no-print-directory", f"BUILD={BUILD}", *keep, *args],
                          cwd=ROOT, env=make_env(), capture_output=True, text=True,
                          timeout=600)


def files_under(top):
    out = []
    for d, _, names in os.walk(top):
        for n in names:
            out.append(os.path.relpath(os.path.join(d, n), top))
    return sorted(out)


def _run_in(args, cwd):
    """Runs args in cwd as a user would run the installed binary: no
    SMTPWIZ_ASSETS, no controlling terminal."""
    env = dict(os.environ)
    env.pop("SMTPWIZ_ASSETS", None)
    try:
        return subprocess.run([str(a) for a in args], cwd=cwd, env=env, text=True,
                              capture_output=True, timeout=120,
                              stdin=subprocess.DEVNULL, start_new_session=True)
    except subprocess.TimeoutExpired as e:
        return subprocess.CompletedProcess(args, 124, e.stdout or "", "timed out")


def help_options(text):
    """Long and short options named in a --help text."""
    longs = set(re.findall(r"(?<![\w-])(--[a-z][a-z0-9-]*)", text))
    shorts = set(re.findall(r"(?<![\w-])(-[a-zA-Z])(?![\w-])", text))
    return longs | shorts


def check_install(t, prefix, work):
    p = make("install", f"PREFIX={prefix}")
    t.check("make install PREFIX=... succeeds", p.returncode == 0,
            (p.returncode, p.stdout[-1500:], p.stderr[-1500:]))
    binary = os.path.join(prefix, "bin", "smtpwiz")
    page = os.path.join(prefix, "share", "man", "man1", "smtpwiz.1")
    data = os.path.join(prefix, "share", "smtpwiz")
    t.check("the binary is installed in PREFIX/bin, executable",
            os.path.isfile(binary) and os.stat(binary).st_mode & 0o111 == 0o111,
            files_under(prefix))
    t.check("the man page is installed in PREFIX/share/man/man1, mode 0644",
            os.path.isfile(page) and stat.S_IMODE(os.stat(page).st_mode) == 0o644,
            files_under(prefix))
    t.check("the installed man page is smtpwiz.1",
            os.path.isfile(page) and filecmp.cmp(page, MAN_SRC, shallow=False))
    want = files_under(os.path.join(ROOT, "assets"))
    have = files_under(data) if os.path.isdir(data) else []
    # Besides the data: the classes make compiles from assets/java/*.java.
    built = [f for f in have if re.match(r"java/\w+(\$\w+)?\.class$", f) and
             "java/" + re.split(r"[$.]", f[5:])[0] + ".java" in want]
    have = [f for f in have if f not in built]
    t.check("every file of assets/ is in PREFIX/share/smtpwiz", want == have,
            {"missing": sorted(set(want) - set(have)),
             "extra": sorted(set(have) - set(want))})
    same = [f for f in want if f in have and not filecmp.cmp(
        os.path.join(ROOT, "assets", f), os.path.join(data, f), shallow=False)]
    t.check("the installed data files are copies of assets/", not same, same)
    return binary, page, data


def check_installed_binary(t, binary, data, work):
    if not os.access(binary, os.X_OK):
        t.skip("the installed binary runs", "not installed")
        return
    p = _run_in([binary, "--version"], work)
    t.check("installed: --version", p.returncode == 0 and p.stdout.startswith("smtpwiz "),
            (p.returncode, p.stdout, p.stderr))

    p = _run_in([binary, "explain", "--format", "json", "PKIX path building failed"], work)
    try:
        hits = json.loads(p.stdout)
    except ValueError:
        hits = []
    t.check("installed: explain decodes with the installed tables",
            p.returncode == 0 and hits and hits[0].get("id") == "pkix-path",
            (p.returncode, p.stdout[:500], p.stderr))

    with swtest.Fixture(mode="starttls", auth="PLAIN LOGIN") as fx:
        p = _run_in([binary, "check", "--format", "json", f"127.0.0.1:{fx.port}"], work)
        try:
            r = json.loads(p.stdout)
        except ValueError:
            r = None
        t.check("installed: check runs against the fixture (exit 0-5)",
                r is not None and 0 <= p.returncode <= 5, (p.returncode, p.stderr[-1500:]))
        steps = {s["step"]: s for s in (r or {}).get("steps", [])}
        ids = [f["id"] for s in steps.values() for f in s.get("findings", [])]
        for n in (1, 2, 3, 4):
            t.check(f"installed: step {n} ran", steps.get(n, {}).get("verdict")
                    not in (None, "skipped"), steps.get(n))
        asset_trouble = [i for i in ids if i in ("registry-missing", "java-profile-missing",
                                                 "java-profile-unknown")]
        t.check("installed: steps 3-4 found the cipher suites and Java profiles",
                not asset_trouble and steps.get(3, {}).get("data", {}).get("recommended"),
                {"findings": asset_trouble, "step 3": steps.get(3)})

        # Through a symlink from elsewhere: /proc/self/exe still leads home.
        link_dir = os.path.join(work, "link")
        os.makedirs(link_dir, exist_ok=True)
        link = os.path.join(link_dir, "smtpwiz")
        os.symlink(binary, link)
        p = _run_in([link, "explain", "Read timed out"], work)
        t.check("installed: a symlink to the binary finds the data too",
                p.returncode == 0, (p.returncode, p.stderr))

    # Hide one installed table: the error must name the installed place.
    table = os.path.join(data, "errors-java.txt")
    hidden = table + ".hidden"
    if os.path.exists(table):
        os.rename(table, hidden)
        try:
            p = _run_in([binary, "explain", "PKIX path building failed"], work)
        finally:
            os.rename(hidden, table)
        t.check("installed: without its installed table explain fails (exit 70) "
                "naming PREFIX/share/smtpwiz",
                p.returncode == 70 and os.path.join("share", "smtpwiz") in p.stderr,
                (p.returncode, p.stderr))


def check_help(t, binary):
    for args in ([binary, "--help"], [binary, "explain", "--help"]):
        p = _run_in(args, None)
        lines = p.stdout.splitlines()
        wide = [l for l in lines if len(l) > 80]
        t.check(f"`smtpwiz {' '.join(args[1:])}`: exit 0, fits in 80 columns",
                p.returncode == 0 and lines and not wide, (p.returncode, wide, p.stderr))


def check_man(t, binary, prefix, work):
    groff = shutil.which("groff")
    man = shutil.which("man")
    if groff is None:
        t.skip("groff -ww -mandoc: no warnings", "groff is not installed (groff-base)")
    else:
        p = subprocess.run([groff, "-ww", "-mandoc", "-Tutf8", MAN_SRC],
                           capture_output=True, text=True)
        t.check("groff -ww -mandoc -Tutf8 smtpwiz.1: no warnings",
                p.returncode == 0 and p.stderr == "", p.stderr)
    if man is None:
        t.skip("man -l smtpwiz.1 renders", "man is not installed (man-db)")
        t.skip("man finds the installed page", "man is not installed (man-db)")
    else:
        env = dict(os.environ, MANWIDTH="80", MANPAGER="cat", PAGER="cat")
        p = subprocess.run([man, "-l", MAN_SRC], capture_output=True, text=True, env=env)
        t.check("man -l smtpwiz.1 renders without complaint",
                p.returncode == 0 and p.stderr == "" and "SYNOPSIS" in p.stdout,
                (p.returncode, p.stderr))
        p = subprocess.run([man, "-M", os.path.join(prefix, "share", "man"), "smtpwiz"],
                           capture_output=True, text=True, env=env)
        t.check("man -M PREFIX/share/man smtpwiz finds the installed page",
                p.returncode == 0 and "smtpwiz" in p.stdout and "EXIT STATUS" in p.stdout,
                (p.returncode, p.stderr))

    # Option coverage, on the page as people read it (\- rendered as -).
    if groff is not None:
        text = subprocess.run([groff, "-mandoc", "-Tascii", "-P-cbou", MAN_SRC],
                              capture_output=True, text=True).stdout
    else:
        text = open(MAN_SRC, encoding="utf-8").read().replace("\\-", "-")
    helps = (_run_in([binary, "--help"], None).stdout +
             _run_in([binary, "explain", "--help"], None).stdout)
    opts = help_options(helps)
    missing = sorted(o for o in opts if not re.search(
        r"(?<![\w-])" + re.escape(o) + r"(?![a-z0-9-])", text))
    t.check("every option of smtpwiz --help and explain --help is in the man page",
            opts and not missing, {"missing": missing, "options": sorted(opts)})
    for sub in ("check", "explain"):
        t.check(f"the man page describes `smtpwiz {sub}`", f"smtpwiz {sub}" in text)
    documented = help_options(text)
    # Options of the tools the page mentions, not smtpwiz's own.
    foreign = {"-importcert", "-l", "-M", "-ww", "-Djavax"}
    unknown = sorted(o for o in documented - opts - foreign
                     if o not in ("-h", "-V"))
    t.check("every option the man page documents exists in --help", not unknown, unknown)
    for section in ("NAME", "SYNOPSIS", "DESCRIPTION", "OPTIONS", "EXIT STATUS",
                    "ENVIRONMENT", "FILES", "LIMITS", "EXAMPLES", "SECURITY", "SEE ALSO"):
        t.check(f"the man page has the section {section}",
                re.search(r"^" + re.escape(section) + r"$", text, flags=re.M))
    for word in ("NO_COLOR", "SMTPWIZ_PASSWORD", "SMTPWIZ_ASSETS"):
        t.check(f"the man page explains {word}", word in text)


def check_destdir(t, work):
    dest = os.path.join(work, "stage")
    p = make("install", f"DESTDIR={dest}", "PREFIX=/usr/local")
    staged = files_under(dest) if os.path.isdir(dest) else []
    t.check("make install DESTDIR=... stages under DESTDIR/PREFIX",
            p.returncode == 0 and "usr/local/bin/smtpwiz" in staged
            and "usr/local/share/man/man1/smtpwiz.1" in staged,
            (p.returncode, p.stderr[-800:], staged[:20]))
    p = make("uninstall", f"DESTDIR={dest}", "PREFIX=/usr/local")
    left = files_under(dest) if os.path.isdir(dest) else []
    t.check("make uninstall DESTDIR=... removes what it staged",
            p.returncode == 0 and not left, (p.returncode, left))


def main():
    binary_built = os.path.join(ROOT, BUILD, "smtpwiz")
    if shutil.which("make") is None:
        swtest.skip_all("make is not installed")
    if not os.access(binary_built, os.X_OK):
        swtest.skip_all(f"{binary_built} is not built")
    work = tempfile.mkdtemp(prefix="swtest-install-")
    prefix = os.path.join(work, "prefix")
    with swtest.Suite() as t:
        try:
            binary, page, data = check_install(t, prefix, work)
            check_installed_binary(t, binary, data, work)
            check_help(t, binary if os.access(binary, os.X_OK) else binary_built)
            check_man(t, binary if os.access(binary, os.X_OK) else binary_built,
                      prefix, work)
            p = make("uninstall", f"PREFIX={prefix}")
            left = files_under(prefix) if os.path.isdir(prefix) else []
            t.check("make uninstall removes every installed file",
                    p.returncode == 0 and not left, (p.returncode, left, p.stderr))
            check_destdir(t, work)
        finally:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
