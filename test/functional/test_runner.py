#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The Smithcoin Core developers; the licence text is in LICENSE.
"""Run the functional test suite.

Each test script runs as its own process, several at once; a table of results follows. Arguments that
start with "--" and are not this runner's own are handed to every test script; the other arguments name
the tests to run. A script's own options are listed by running it with -h.
"""

import argparse
import configparser
import datetime
import enum
import json
import logging
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unittest
from dataclasses import dataclass, field
from typing import IO, Optional

# Exit codes of a test script (test_framework.py).
TEST_EXIT_PASSED = 0
TEST_EXIT_SKIPPED = 77

# Framework modules whose self-tests run before any script.
TEST_FRAMEWORK_MODULES = [
    "util",
    "test_node",
]

# Only with --extended. Slowest first, so a parallel run ends sooner.
EXTENDED_SCRIPTS = []

# The default run. Slowest first, so a parallel run ends sooner.
BASE_SCRIPTS = [
    "feature_crash_recovery.py",
    "feature_pruning_lite.py",
    "feature_pruning_auto.py",
    "feature_notifications.py",
    "feature_signet.py",
    "mining_basic.py",
    "feature_reorg.py",
    "feature_core_fixture.py",
    "rpc_blockchain.py",
    "interface_rest.py",
    "feature_blocksdir.py",
    "feature_config_args.py",
    "feature_startup.py",
    "interface_smithcoin_cli.py",
    "rpc_users.py",
    "tool_smithcoin.py",
    "interface_rpc.py",
    "feature_filelock.py",
    "feature_help.py",
    "rpc_invalidateblock.py",
    "rpc_preciousblock.py",
    "interface_http_fuzz.py",
    "feature_loadblock.py",
    "interface_ipc.py",
    "interface_ipc_mining.py",
    "interface_ipc_robustness.py",
]

ALL_SCRIPTS = EXTENDED_SCRIPTS + BASE_SCRIPTS

# Python files here that are not test scripts.
NON_SCRIPTS = [
    "create_cache.py",
    "test_runner.py",
]

# A script that sets this starts from genesis; every other one copies the cached 199-block chain.
CLEAN_CHAIN_RE = re.compile(r"^\s*self\.setup_clean_chain\s*=\s*True\b", re.MULTILINE)

# A script's name starts with the area it tests.
GOOD_PREFIXES_RE = re.compile("^(example|feature|interface|mempool|mining|p2p|rpc|wallet|tool)_")

# The line test_framework.py logs when a test skips itself.
SKIP_REASON_RE = re.compile(r"Test Skipped: (.*)")

# Below this much free space in the temp directory, print a warning.
MIN_FREE_SPACE = 1100 * 1024 * 1024

POLL_SECONDS = 0.5


# --- Output style ------------------------------------------------------------------------------------

def _glyphs_encodable():
    try:
        "\u2713\u2716\u25cb".encode(sys.stdout.encoding or "ascii")
        return True
    except (UnicodeEncodeError, LookupError):
        return False


@dataclass
class Style:
    """Escape sequences (start, reset) and status glyphs; all escapes are empty without --ansi."""
    bold: tuple = ("", "")
    green: tuple = ("", "")
    red: tuple = ("", "")
    grey: tuple = ("", "")
    glyphs: dict = field(default_factory=dict)

    @classmethod
    def make(cls, ansi):
        fancy = _glyphs_encodable()
        glyphs = {"Passed": "✓ " if fancy else "P ", "Failed": "✖ " if fancy else "x ",
                  "Skipped": "○ " if fancy else "o "}
        if not ansi or os.name == "nt":
            return cls(glyphs=glyphs)
        reset = "\033[0m"
        return cls(bold=("\033[1m", reset), green=("\033[0;32m", reset), red=("\033[0;31m", reset),
                   grey=("\033[1;30m", reset), glyphs=glyphs)

    def strong(self, text):
        return f"{self.bold[0]}{text}{self.bold[1]}"

    def colour(self, status):
        return {"Passed": self.green, "Failed": self.red, "Skipped": self.grey}[status]


STYLE = Style.make(ansi=False)


def warn(text):
    print(f"{STYLE.strong('WARNING!')} {text}")


# --- Results -----------------------------------------------------------------------------------------

class Status(str, enum.Enum):
    PASSED = "Passed"
    FAILED = "Failed"
    SKIPPED = "Skipped"


STATUS_ORDER = [Status.PASSED, Status.SKIPPED, Status.FAILED]


@dataclass
class TestResult:
    name: str
    status: Status
    time: int
    skip_reason: Optional[str] = None

    def sort_key(self):
        return STATUS_ORDER.index(self.status), self.name.lower()

    @property
    def was_successful(self):
        return self.status != Status.FAILED

    def row(self, width):
        start, end = STYLE.colour(self.status.value)
        label = STYLE.glyphs[self.status.value] + self.status.value.ljust(7)
        return f"{start}{self.name.ljust(width)} | {label} | {self.time} s{end}\n"


def classify(returncode, stderr):
    """A pass needs exit code 0 and an empty stderr; 77 is a skip; anything else fails."""
    if returncode == TEST_EXIT_PASSED and stderr == "":
        return Status.PASSED
    if returncode == TEST_EXIT_SKIPPED:
        return Status.SKIPPED
    return Status.FAILED


def skip_reason(stdout):
    found = SKIP_REASON_RE.search(stdout)
    return found.group(1).strip() if found else "no reason given"


def count(results, status):
    return sum(1 for r in results if r.status == status)


def print_table(results, width, runtime):
    results.sort(key=TestResult.sort_key)
    header = f"{'TEST'.ljust(width)} | {'STATUS'.ljust(9)} | DURATION"
    lines = ["", STYLE.strong(header), ""] + [r.row(width).rstrip("\n") for r in results]
    ok = all(r.was_successful for r in results)
    status = STYLE.glyphs["Passed" if ok else "Failed"] + ("Passed" if ok else "Failed")
    total = f"{'ALL'.ljust(width)} | {status.ljust(9)} | {sum(r.time for r in results)} s (accumulated)"
    total = STYLE.strong(total)
    lines += ["", total if ok else f"{STYLE.red[0]}{total}{STYLE.red[1]}", f"Runtime: {runtime} s", ""]
    print("\n".join(lines))


def print_summary(test_results):
    """The counts as one plain line (no colour, no glyphs) for CI logs."""
    print(f"{count(test_results, Status.PASSED)} passed, {count(test_results, Status.FAILED)} failed, "
          f"{count(test_results, Status.SKIPPED)} skipped")


def write_counts(test_results, other_skips, other_passed=0):
    """Write the counts to $SMITHCOIN_TEST_COUNTS for ctest's skip summary (cmake/module/TestCounts.cmake).

    other_skips: (name, reason) pairs skipped outside the scripts (framework self-tests, the whole
    suite); other_passed: how many framework self-tests passed.
    """
    path = os.environ.get("SMITHCOIN_TEST_COUNTS")
    if not path:
        return
    skipped = [f"{r.name}: {r.skip_reason}" for r in test_results if r.status == Status.SKIPPED]
    skipped += [f"{name}: {why}" for name, why in other_skips]
    counts = {"passed": other_passed + count(test_results, Status.PASSED),
              "failed": count(test_results, Status.FAILED), "skipped": skipped}
    out = pathlib.Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(counts, indent=1) + "\n", encoding="utf8")


# --- Running scripts ---------------------------------------------------------------------------------

@dataclass
class Job:
    name: str
    started: float
    proc: subprocess.Popen
    testdir: str
    out: IO[bytes]
    err: IO[bytes]

    def elapsed(self):
        return int(time.time() - self.started)

    def collect(self):
        """The captured (stdout, stderr) as text; closes the capture files."""
        texts = []
        for capture in (self.out, self.err):
            capture.seek(0)
            texts.append(capture.read().decode("utf-8", errors="replace"))
            capture.close()
        return texts


class JobPool:
    """Keeps up to `width` scripts running and hands back those that finish."""

    def __init__(self, *, width, tests_dir, tmpdir, tests, flags, dots):
        assert width >= 1
        self.width = width
        self.tests_dir = pathlib.Path(tests_dir)
        self.tmpdir = tmpdir
        self.queue = list(tests)
        self.flags = flags
        self.dots = dots
        self.jobs = []
        self.seed_offset = (os.getpid() % 64) * 64

    def _launch(self, test):
        # The number of tests still queued is unique within this run, so it keeps port blocks apart; the
        # run's own offset keeps two runs on one machine (two build trees, say) from starting at the same block.
        portseed = len(self.queue) + self.seed_offset
        script, *script_args = test.split()
        testdir = f"{self.tmpdir}/{script.removesuffix('.py')}_{portseed}"
        argv = [sys.executable, str(self.tests_dir / script), *script_args, *self.flags,
                f"--portseed={portseed}", f"--tmpdir={testdir}"]
        out, err = (tempfile.SpooledTemporaryFile(max_size=1 << 16) for _ in range(2))
        self.jobs.append(Job(test, time.time(), subprocess.Popen(argv, stdout=out, stderr=err), testdir, out, err))

    def get_next(self):
        """Fill the free slots, then block until one or more jobs end; returns (result, testdir, stdout, stderr)s."""
        while self.queue and len(self.jobs) < self.width:
            self._launch(self.queue.pop(0))
        if not self.jobs:
            raise IndexError("no test is queued or running")
        if not self.queue:
            print(f"Remaining jobs: [{', '.join(job.name for job in self.jobs)}]")
        dots = 0
        while True:
            time.sleep(POLL_SECONDS)
            done = [job for job in self.jobs if job.proc.poll() is not None]
            if done:
                if self.dots and dots:
                    print("\r" + " " * dots + "\r", end="", flush=True)
                return [self._finish(job) for job in done]
            if self.dots:
                print(".", end="", flush=True)
            dots += 1

    def _finish(self, job):
        self.jobs.remove(job)
        stdout, stderr = job.collect()
        result = TestResult(job.name, classify(job.proc.returncode, stderr), job.elapsed())
        if result.status == Status.SKIPPED:
            result.skip_reason = skip_reason(stdout)
        return result, job.testdir, stdout, stderr

    def kill_remaining(self):
        """End the scripts still running (after --failfast); each counts as failed."""
        results = []
        for job in self.jobs:
            job.proc.kill()
            job.proc.wait()
            job.collect()
            results.append(TestResult(job.name, Status.FAILED, job.elapsed()))
        self.jobs.clear()
        return results


def run_framework_selftests():
    """Run the framework modules' unittest cases. Returns (ok, passed count, [(id, skip reason)])."""
    print("Running the test framework's own unit tests")
    loader = unittest.TestLoader()
    suite = unittest.TestSuite(loader.loadTestsFromName(f"test_framework.{m}") for m in TEST_FRAMEWORK_MODULES)
    # Report to stdout: output on stderr reads as a failure to CI tooling.
    outcome = unittest.TextTestRunner(stream=sys.stdout, verbosity=1, failfast=True).run(suite)
    skips = [(case.id(), why) for case, why in outcome.skipped]
    bad = len(outcome.failures) + len(outcome.errors)
    return outcome.wasSuccessful(), outcome.testsRun - len(skips) - bad, skips


def environment_warnings(tmpdir):
    try:
        already = subprocess.run(["pgrep", "-x", "smithcoind"], stdout=subprocess.DEVNULL).returncode == 0
    except OSError:
        already = False  # pgrep is not installed
    if already:
        warn("a smithcoind process is already running here; the tests may fail from competing for ports or CPU.")
    free = shutil.disk_usage(tmpdir).free
    if free < MIN_FREE_SPACE:
        warn(f"only {free // (1 << 20)} MB free in {tmpdir}; the suite wants at least "
             f"{MIN_FREE_SPACE // (1 << 20)} MB and may fail with less.")


def run_tests(*, test_list, build_dir, tmpdir, jobs, args, failfast, use_term_control):
    """Run the self-tests, then the scripts; print progress, failures and the tables. True if all passed."""
    environment_warnings(tmpdir)
    ok, unit_passed, unit_skips = run_framework_selftests()
    if not ok:
        print("The framework's unit tests failed; no test script was run")
        failed = [TestResult("test_framework unit tests", Status.FAILED, 0)]
        print_summary(failed)
        write_counts(failed, unit_skips, unit_passed)
        return False

    if not build_cache(test_list=test_list, build_dir=build_dir, tmpdir=tmpdir, jobs=jobs, args=args):
        failed = [TestResult("create_cache.py", Status.FAILED, 0)]
        print_summary(failed)
        write_counts(failed, unit_skips, unit_passed)
        return False

    pool = JobPool(width=jobs, tests_dir=os.path.join(build_dir, "test", "functional"), tmpdir=tmpdir,
                   tests=test_list, flags=args, dots=use_term_control)
    started = time.time()
    results = []
    all_passed = True
    while len(results) < len(test_list):
        for result, _testdir, stdout, stderr in pool.get_next():
            results.append(result)
            all_passed &= report_progress(result, len(results), len(test_list), stdout, stderr)
        if not all_passed and failfast:
            logging.debug("--failfast: not waiting for the other tests after a failure")
            break
    killed = pool.kill_remaining()
    results += killed
    all_passed &= not killed

    print_table(results, max(len(t) for t in test_list), int(time.time() - started))
    print_summary(results)
    write_counts(results, unit_skips, unit_passed)
    # Every passing test removes its own directory; an empty tmpdir means nothing is left to look at.
    if not os.listdir(tmpdir):
        os.rmdir(tmpdir)
    return all_passed


def needs_cache(tests_dir, test_list):
    """Whether a selected script uses the cached chain (does not set setup_clean_chain = True)."""
    for test in test_list:
        script = pathlib.Path(tests_dir, test.split()[0])
        if not CLEAN_CHAIN_RE.search(script.read_text(encoding="utf8")):
            return True
    return False


def build_cache(*, test_list, build_dir, tmpdir, jobs, args):
    """Build the cached chain once before parallel scripts would race to build it. True when fine."""
    tests_dir = os.path.join(build_dir, "test", "functional")
    if not (len(test_list) > 1 and jobs > 1 and needs_cache(tests_dir, test_list)):
        return True
    print("Building the cached chain (create_cache.py)")
    argv = [sys.executable, os.path.join(tests_dir, "create_cache.py"), *args, f"--tmpdir={tmpdir}/cache"]
    run = subprocess.run(argv, capture_output=True, text=True)
    if run.returncode == 0 and run.stderr == "":
        return True
    print(f"create_cache.py failed (exit code {run.returncode})\n{STYLE.strong('stdout:')}\n{run.stdout}\n"
          f"{STYLE.strong('stderr:')}\n{run.stderr}")
    return False


def report_progress(result, done, total, stdout, stderr):
    """One line per finished test, with the output of a failed one. Returns whether it did not fail."""
    where = f"{done}/{total} - {STYLE.strong(result.name)}"
    if result.status == Status.PASSED:
        logging.debug(f"{where} passed in {result.time} s")
    elif result.status == Status.SKIPPED:
        logging.debug(f"{where} skipped: {result.skip_reason}")
    else:
        print(f"{where} failed after {result.time} s\n")
        print(f"{STYLE.strong('stdout:')}\n{stdout}\n")
        print(f"{STYLE.strong('stderr:')}\n{stderr}\n")
    return result.was_successful


# --- Choosing the tests --------------------------------------------------------------------------------

def make_parser():
    p = argparse.ArgumentParser(add_help=False, description=__doc__,
                                usage="%(prog)s [runner options] [options for the scripts] [test names]",
                                epilog="The first selected script's own options follow:",
                                formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--ansi", action="store_true", default=sys.stdout.isatty(),
                   help="colours and progress dots (default: on when stdout is a terminal)")
    p.add_argument("--ci", action="store_true", help="turn on the extra checks meant for CI")
    p.add_argument("--exclude", "-x", help="comma-separated scripts to leave out")
    p.add_argument("--extended", action="store_true", help="also run the extended scripts")
    p.add_argument("--help", "-h", "-?", action="store_true", help="show this help and exit")
    p.add_argument("--jobs", "-j", type=int, default=4, help="scripts run at the same time (default: 4)")
    p.add_argument("--keepcache", "-k", action="store_true",
                   help="reuse the cache directory of the last run instead of emptying it first")
    p.add_argument("--quiet", "-q", action="store_true", help="print only failures, dots and the results")
    p.add_argument("--tmpdirprefix", "-t", default=tempfile.gettempdir(),
                   help="directory in which the run's temporary directory is made")
    p.add_argument("--failfast", "-F", action="store_true", help="stop at the first failing script")
    p.add_argument("--filter", help="run only the scripts that match this regular expression")
    return p


def select_tests(named, *, extended, exclude, pattern):
    """The test list: the named tests (a name also picks its argument variants), else the default set."""
    if named:
        chosen = []
        for name in named:
            script = name.rsplit("/", 1)[-1]
            if ".py" not in script:
                script += ".py"
            hits = [s for s in ALL_SCRIPTS if s.startswith(script)]
            if not hits:
                warn(f"no test called '{name}' in the test lists.")
            chosen += hits
    else:
        chosen = list(ALL_SCRIPTS if extended else BASE_SCRIPTS)
    for name in (exclude.split(",") if exclude else []):
        stem = name.split(".py")[0]
        kept = [t for t in chosen if t.split(".py")[0] != stem]
        if len(kept) == len(chosen):
            warn(f"cannot exclude '{stem}': it is not among the selected tests.")
        chosen = kept
    if pattern:
        chosen = [t for t in chosen if re.search(pattern, t)]
    return chosen


def check_script_prefixes():
    """Every script's name starts with one of the known areas."""
    bad = sorted(s for s in ALL_SCRIPTS if not GOOD_PREFIXES_RE.match(s))
    if bad:
        print(f"{STYLE.strong('ERROR:')} {len(bad)} test names lack a known prefix:")
        print("  " + "\n  ".join(bad))
        raise AssertionError("test names must start with one of: " + GOOD_PREFIXES_RE.pattern)


def check_script_list(*, src_dir):
    """Exit 1 if a *.py in the source test folder is in no list: it would never run, and nobody would notice."""
    on_disk = {p.name for p in pathlib.Path(src_dir, "test", "functional").glob("*.py")}
    listed = {s.split()[0] for s in ALL_SCRIPTS + NON_SCRIPTS}
    unlisted = sorted(on_disk - listed)
    if unlisted:
        warn(f"these scripts are in no test list of test_runner.py and would never run: {unlisted}")
        sys.exit(1)


def main():
    global STYLE
    parser = make_parser()
    args, unknown = parser.parse_known_args()
    STYLE = Style.make(args.ansi)
    named = [a for a in unknown if not a.startswith("--")]
    passon = [a for a in unknown if a.startswith("--")]

    # ../config.ini as seen from this file's directory in the build tree (a symlink is not followed).
    configfile = str(pathlib.Path(os.path.abspath(__file__)).parent.parent / "config.ini")
    config = configparser.ConfigParser()
    config.read_string(pathlib.Path(configfile).read_text(encoding="utf8"), source=configfile)
    env = config["environment"]
    passon.append(f"--configfile={configfile}")
    logging.basicConfig(format="%(message)s", level=logging.INFO if args.quiet else logging.DEBUG)

    if not config["components"].getboolean("ENABLE_BITCOIND", fallback=False):
        print("smithcoind is not part of this build (BUILD_DAEMON=OFF), so there is no functional test to run.")
        write_counts([], [("all functional tests", "smithcoind is not built (BUILD_DAEMON=OFF)")])
        sys.exit(0)

    test_list = select_tests(named, extended=args.extended, exclude=args.exclude, pattern=args.filter)
    if not test_list:
        print("Nothing to run: no selected test is in the lists of test_runner.py "
              "(run it without test names for the default set).")
        sys.exit(1)

    if args.help:
        parser.print_help()
        first = os.path.join(env["SRCDIR"], "test", "functional", test_list[0].split()[0])
        subprocess.check_call([sys.executable, first, "-h"])
        sys.exit(0)

    check_script_list(src_dir=env["SRCDIR"])
    check_script_prefixes()

    cache_dir = f"{env['BUILDDIR']}/test/cache"
    if not args.keepcache:
        shutil.rmtree(cache_dir, ignore_errors=True)

    # The pid keeps apart two runners started in the same second (ctest -j).
    stamp = datetime.datetime.now().strftime("%Y%m%d_%H%M%S")
    tmpdir = f"{args.tmpdirprefix}/test_runner_₿_🏃_{stamp}_{os.getpid()}"
    os.makedirs(tmpdir)
    logging.debug(f"Run directory: {tmpdir}")

    all_passed = run_tests(test_list=test_list, build_dir=env["BUILDDIR"], tmpdir=tmpdir, jobs=args.jobs,
                           args=passon + [f"--cachedir={cache_dir}"], failfast=args.failfast,
                           use_term_control=args.ansi)
    sys.exit(0 if all_passed else 1)


if __name__ == "__main__":
    main()
