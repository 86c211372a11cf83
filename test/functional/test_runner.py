#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The Smithcoin Core developers; the licence text is in LICENSE.
"""Run the functional test suite.

Runs the listed test scripts as subprocesses, several at a time, and prints a result table. Arguments
starting with "--" that this runner does not know are passed on to every test script; other arguments
name the tests to run. For the options of a test script, run it with -h.
"""

import argparse
import configparser
import datetime
import json
import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

# Colours and glyphs, switched off unless --ansi (the default on a terminal).
BOLD, GREEN, RED, GREY = ("", ""), ("", ""), ("", ""), ("", "")
try:
    # Only use the glyphs when stdout can encode them.
    "\u2713\u2716\u25cb".encode(sys.stdout.encoding or "ascii")
    TICK = "✓ "
    CROSS = "✖ "
    CIRCLE = "○ "
except (UnicodeEncodeError, LookupError):
    TICK = "P "
    CROSS = "x "
    CIRCLE = "o "

if os.name != "nt":
    BOLD = ("\033[0m", "\033[1m")
    GREEN = ("\033[0m", "\033[0;32m")
    RED = ("\033[0m", "\033[0;31m")
    GREY = ("\033[0m", "\033[1;30m")

TEST_EXIT_PASSED = 0
TEST_EXIT_SKIPPED = 77

# Framework modules whose unittest cases run before any test script.
TEST_FRAMEWORK_MODULES = [
    "util",
    "test_node",
]

# Not run by default (--extended). Longest first, so parallel runs finish sooner.
EXTENDED_SCRIPTS = []

# Run by default. Longest first, so parallel runs finish sooner.
BASE_SCRIPTS = [
    "tool_smithcoin.py",
]

ALL_SCRIPTS = EXTENDED_SCRIPTS + BASE_SCRIPTS

# Python files in this directory that are not test scripts.
NON_SCRIPTS = [
    "test_runner.py",
]

# A test script's name says what it exercises.
GOOD_PREFIXES_RE = re.compile("^(example|feature|interface|mempool|mining|p2p|rpc|wallet|tool)_")

# The framework's log line for a skipped test (test_framework.py main()).
SKIP_REASON_RE = re.compile(r"Test Skipped: (.*)")

# Warn below this much free space in the temp directory.
MIN_FREE_SPACE = 1100 * 1024 * 1024


def main():
    parser = argparse.ArgumentParser(add_help=False,
                                     usage="%(prog)s [test_runner.py options] [script options] [scripts]",
                                     description=__doc__,
                                     epilog="Help text and arguments for individual test script:",
                                     formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--ansi", action="store_true", default=sys.stdout.isatty(),
                        help="Use ANSI colors and dots in output (enabled by default when standard output is a TTY)")
    parser.add_argument("--ci", action="store_true",
                        help="Run checks and code that are usually only enabled in a continuous integration environment")
    parser.add_argument("--exclude", "-x", help="specify a comma-separated-list of scripts to exclude.")
    parser.add_argument("--extended", action="store_true", help="run the extended test suite in addition to the basic tests")
    parser.add_argument("--help", "-h", "-?", action="store_true", help="print help text and exit")
    parser.add_argument("--jobs", "-j", type=int, default=4, help="how many test scripts to run in parallel. Default=4.")
    parser.add_argument("--keepcache", "-k", action="store_true",
                        help="the default behavior is to flush the cache directory on startup. --keepcache retains the cache from the previous testrun.")
    parser.add_argument("--quiet", "-q", action="store_true", help="only print dots, results summary and failure logs")
    parser.add_argument("--tmpdirprefix", "-t", default=tempfile.gettempdir(), help="Root directory for datadirs")
    parser.add_argument("--failfast", "-F", action="store_true", help="stop execution after the first test failure")
    parser.add_argument("--filter", help="filter scripts to run by regular expression")

    args, unknown_args = parser.parse_known_args()
    if not args.ansi:
        global BOLD, GREEN, RED, GREY
        BOLD = ("", "")
        GREEN = ("", "")
        RED = ("", "")
        GREY = ("", "")

    # Options for the tests start with two dashes; everything else names a test.
    tests = [arg for arg in unknown_args if arg[:2] != "--"]
    passon_args = [arg for arg in unknown_args if arg[:2] == "--"]

    # config.ini sits next to this directory in the build tree (not resolved through symlinks).
    configfile = os.path.abspath(os.path.dirname(__file__)) + "/../config.ini"
    config = configparser.ConfigParser()
    with open(configfile, encoding="utf8") as f:
        config.read_file(f)
    passon_args.append("--configfile=%s" % configfile)

    logging.basicConfig(format="%(message)s", level=logging.INFO if args.quiet else logging.DEBUG)

    if not config["components"].getboolean("ENABLE_BITCOIND", fallback=False):
        print("No functional tests to run.")
        print("Re-compile with the -DBUILD_DAEMON=ON build option")
        write_counts([], [("all functional tests", "smithcoind is not built (BUILD_DAEMON=OFF)")])
        sys.exit(0)

    test_list = []
    if tests:
        # Named tests, with or without .py or a leading path; a name also selects its variants with
        # arguments ("x.py" matches "x.py --opt"). Wildcards are left to the shell.
        for test in tests:
            script = test.split("/")[-1]
            script = script + ".py" if ".py" not in script else script
            matching = [s for s in ALL_SCRIPTS if s.startswith(script)]
            if matching:
                test_list.extend(matching)
            else:
                print("{}WARNING!{} Test '{}' not found in full test list.".format(BOLD[1], BOLD[0], test))
    elif args.extended:
        test_list += ALL_SCRIPTS
    else:
        test_list += BASE_SCRIPTS

    if args.exclude:
        for exclude_test in [t.split(".py")[0] for t in args.exclude.split(",")]:
            exclude_list = [t for t in test_list if t.split(".py")[0] == exclude_test]
            for item in exclude_list:
                test_list.remove(item)
            if not exclude_list:
                print("{}WARNING!{} Test '{}' not found in current test list.".format(BOLD[1], BOLD[0], exclude_test))

    if args.filter:
        test_list = list(filter(re.compile(args.filter).search, test_list))

    if not test_list:
        print("No valid test scripts specified. Check that your test is in one of the test lists in test_runner.py, "
              "or run test_runner.py with no arguments to run all tests")
        sys.exit(1)

    if args.help:
        # This runner's help, then the first test's.
        parser.print_help()
        subprocess.check_call([sys.executable, os.path.join(config["environment"]["SRCDIR"], "test", "functional",
                                                            test_list[0].split()[0]), "-h"])
        sys.exit(0)

    check_script_list(src_dir=config["environment"]["SRCDIR"])
    check_script_prefixes()

    cache_dir = "%s/test/cache" % config["environment"]["BUILDDIR"]
    if not args.keepcache:
        shutil.rmtree(cache_dir, ignore_errors=True)

    # The pid keeps two runners started in the same second (ctest -j) apart.
    tmpdir = "%s/test_runner_₿_🏃_%s_%d" % (args.tmpdirprefix, datetime.datetime.now().strftime("%Y%m%d_%H%M%S"), os.getpid())
    os.makedirs(tmpdir)
    logging.debug("Temporary test directory at %s" % tmpdir)

    all_passed = run_tests(
        test_list=test_list,
        build_dir=config["environment"]["BUILDDIR"],
        tmpdir=tmpdir,
        jobs=args.jobs,
        args=passon_args + ["--cachedir=%s" % cache_dir],
        failfast=args.failfast,
        use_term_control=args.ansi,
    )
    sys.exit(0 if all_passed else 1)


def run_tests(*, test_list, build_dir, tmpdir, jobs, args, failfast, use_term_control):
    """Run the tests; print progress, failures and the result table. Returns whether all passed."""
    try:
        if subprocess.run(["pgrep", "-x", "smithcoind"], stdout=subprocess.DEVNULL).returncode == 0:
            print("%sWARNING!%s There is already a smithcoind process running on this system. Tests may fail "
                  "unexpectedly due to resource contention!" % (BOLD[1], BOLD[0]))
    except OSError:
        pass  # no pgrep here

    if shutil.disk_usage(tmpdir).free < MIN_FREE_SPACE:
        print("%sWARNING!%s There may be insufficient free space in %s to run the Smithcoin functional test suite. "
              "Running the test suite with fewer than %d MB of free space might cause tests to fail."
              % (BOLD[1], BOLD[0], tmpdir, MIN_FREE_SPACE // (1024 * 1024)))

    print("Running Unit Tests for Test Framework Modules")
    suite = unittest.TestSuite()
    for module in TEST_FRAMEWORK_MODULES:
        suite.addTest(unittest.TestLoader().loadTestsFromName("test_framework.{}".format(module)))
    # The unittest report goes to stdout: any stderr output would read as a failure to CI tooling.
    result = unittest.TextTestRunner(stream=sys.stdout, verbosity=1, failfast=True).run(suite)
    unit_skips = [(case.id(), reason) for case, reason in result.skipped]
    unit_passed = result.testsRun - len(result.skipped) - len(result.failures) - len(result.errors)
    if not result.wasSuccessful():
        print("Early exiting after failure in TestFramework unit tests")
        failed = [TestResult("test_framework unit tests", "Failed", 0)]
        print_summary(failed)
        write_counts(failed, unit_skips, unit_passed)
        return False

    tests_dir = os.path.join(build_dir, "test", "functional") + "/"
    job_queue = TestHandler(num_tests_parallel=jobs, tests_dir=tests_dir, tmpdir=tmpdir, test_list=test_list,
                            flags=args, use_term_control=use_term_control)
    start_time = time.time()
    test_results = []
    max_len_name = len(max(test_list, key=len))
    test_count = len(test_list)
    all_passed = True
    done = 0
    while done < test_count:
        if failfast and not all_passed:
            break
        for test_result, testdir, stdout, stderr in job_queue.get_next():
            test_results.append(test_result)
            done += 1
            done_str = "{}/{} - {}{}{}".format(done, test_count, BOLD[1], test_result.name, BOLD[0])
            if test_result.status == "Passed":
                logging.debug("%s passed, Duration: %s s" % (done_str, test_result.time))
            elif test_result.status == "Skipped":
                logging.debug("%s skipped (%s)" % (done_str, test_result.skip_reason))
            else:
                all_passed = False
                print("%s failed, Duration: %s s\n" % (done_str, test_result.time))
                print(BOLD[1] + "stdout:\n" + BOLD[0] + stdout + "\n")
                print(BOLD[1] + "stderr:\n" + BOLD[0] + stderr + "\n")
                if failfast:
                    logging.debug("Early exiting after test failure")
                    break

    # With --failfast, end the tests still running rather than leave them behind.
    for result in job_queue.kill_remaining():
        test_results.append(result)
        all_passed = False

    print_results(test_results, max_len_name, int(time.time() - start_time))
    print_summary(test_results)
    write_counts(test_results, unit_skips, unit_passed)

    # Remove the temp directory when every test cleaned up after itself.
    if not os.listdir(tmpdir):
        os.rmdir(tmpdir)
    return all_passed


def print_results(test_results, max_len_name, runtime):
    results = "\n" + BOLD[1] + "%s | %s | %s\n\n" % ("TEST".ljust(max_len_name), "STATUS   ", "DURATION") + BOLD[0]
    test_results.sort(key=TestResult.sort_key)
    all_passed = True
    time_sum = 0
    for test_result in test_results:
        all_passed = all_passed and test_result.was_successful
        time_sum += test_result.time
        test_result.padding = max_len_name
        results += str(test_result)
    status = TICK + "Passed" if all_passed else CROSS + "Failed"
    if not all_passed:
        results += RED[1]
    results += BOLD[1] + "\n%s | %s | %s s (accumulated) \n" % ("ALL".ljust(max_len_name), status.ljust(9), time_sum) + BOLD[0]
    if not all_passed:
        results += RED[0]
    results += "Runtime: %s s\n" % runtime
    print(results)


def print_summary(test_results):
    """One plain line for CI: counts without colours or glyphs."""
    count = {status: sum(1 for r in test_results if r.status == status) for status in ("Passed", "Failed", "Skipped")}
    print("%d passed, %d failed, %d skipped" % (count["Passed"], count["Failed"], count["Skipped"]))


def write_counts(test_results, other_skips, other_passed=0):
    """Write the counts for ctest's skip summary to $SMITHCOIN_TEST_COUNTS (cmake/module/TestCounts.cmake).

    other_skips: (name, reason) pairs skipped outside the scripts (framework unit tests, the whole suite);
    other_passed: the framework unit tests that passed.
    """
    path = os.environ.get("SMITHCOIN_TEST_COUNTS")
    if not path:
        return
    skipped = ["%s: %s" % (r.name, r.skip_reason) for r in test_results if r.status == "Skipped"]
    skipped += ["%s: %s" % pair for pair in other_skips]
    counts = {
        "passed": other_passed + sum(1 for r in test_results if r.status == "Passed"),
        "failed": sum(1 for r in test_results if r.status == "Failed"),
        "skipped": skipped,
    }
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf8") as f:
        json.dump(counts, f, indent=1)
        f.write("\n")


def skip_reason(stdout):
    """The reason a test script gave for skipping (the framework logs "Test Skipped: <reason>")."""
    match = SKIP_REASON_RE.search(stdout)
    return match.group(1).strip() if match else "no reason given"


class TestHandler:
    """Runs the test scripts, at most num_tests_parallel at a time."""

    def __init__(self, *, num_tests_parallel, tests_dir, tmpdir, test_list, flags, use_term_control):
        assert num_tests_parallel >= 1
        self.num_jobs = num_tests_parallel
        self.tests_dir = tests_dir
        self.tmpdir = tmpdir
        self.test_list = list(test_list)
        self.flags = flags
        self.jobs = []
        self.use_term_control = use_term_control

    def get_next(self):
        """Start tests up to the job limit, then wait until at least one finishes and return the finished ones."""
        while len(self.jobs) < self.num_jobs and self.test_list:
            test = self.test_list.pop(0)
            # Unique per test in this run, so tests running side by side use different ports.
            portseed = len(self.test_list)
            log_stdout = tempfile.SpooledTemporaryFile(max_size=2**16)
            log_stderr = tempfile.SpooledTemporaryFile(max_size=2**16)
            test_argv = test.split()
            testdir = "{}/{}_{}".format(self.tmpdir, re.sub(".py$", "", test_argv[0]), portseed)
            argv = ([sys.executable, self.tests_dir + test_argv[0]] + test_argv[1:] + self.flags +
                    ["--portseed={}".format(portseed), "--tmpdir={}".format(testdir)])
            self.jobs.append((test, time.time(), subprocess.Popen(argv, stdout=log_stdout, stderr=log_stderr),
                              testdir, log_stdout, log_stderr))
        if not self.jobs:
            raise IndexError("pop from empty list")

        if not self.test_list:
            print("Remaining jobs: [{}]".format(", ".join(j[0] for j in self.jobs)))

        dot_count = 0
        while True:
            time.sleep(0.5)
            finished = []
            for job in list(self.jobs):
                name, start_time, proc, testdir, log_out, log_err = job
                if proc.poll() is None:
                    continue
                log_out.seek(0)
                log_err.seek(0)
                stdout, stderr = [f.read().decode("utf-8", errors="replace") for f in (log_out, log_err)]
                log_out.close()
                log_err.close()
                # Passing means exit code 0 and nothing at all on stderr.
                if proc.returncode == TEST_EXIT_PASSED and stderr == "":
                    status = "Passed"
                elif proc.returncode == TEST_EXIT_SKIPPED:
                    status = "Skipped"
                else:
                    status = "Failed"
                self.jobs.remove(job)
                if self.use_term_control:
                    print("\r" + " " * dot_count + "\r", end="", flush=True)
                dot_count = 0
                result = TestResult(name, status, int(time.time() - start_time))
                if status == "Skipped":
                    result.skip_reason = skip_reason(stdout)
                finished.append((result, testdir, stdout, stderr))
            if finished:
                return finished
            if self.use_term_control:
                print(".", end="", flush=True)
            dot_count += 1

    def kill_remaining(self):
        """Kill tests still running (after --failfast) and report them as failed."""
        results = []
        for name, start_time, proc, _testdir, log_out, log_err in self.jobs:
            proc.kill()
            proc.wait()
            log_out.close()
            log_err.close()
            results.append(TestResult(name, "Failed", int(time.time() - start_time)))
        self.jobs.clear()
        return results


class TestResult:
    def __init__(self, name, status, time):
        self.name = name
        self.status = status
        self.time = time
        self.padding = 0
        self.skip_reason = None

    def sort_key(self):
        order = {"Passed": 0, "Skipped": 1, "Failed": 2}
        return order[self.status], self.name.lower()

    def __repr__(self):
        color, glyph = {
            "Passed": (GREEN, TICK),
            "Failed": (RED, CROSS),
            "Skipped": (GREY, CIRCLE),
        }[self.status]
        return color[1] + "%s | %s%s | %s s\n" % (self.name.ljust(self.padding), glyph, self.status.ljust(7), self.time) + color[0]

    @property
    def was_successful(self):
        return self.status != "Failed"


def check_script_prefixes():
    """Every test script name starts with one of the allowed prefixes."""
    bad_script_names = [script for script in ALL_SCRIPTS if GOOD_PREFIXES_RE.match(script) is None]
    if bad_script_names:
        print("%sERROR:%s %d tests not meeting naming conventions:" % (BOLD[1], BOLD[0], len(bad_script_names)))
        print("  %s" % ("\n  ".join(sorted(bad_script_names))))
        raise AssertionError("Some tests are not following naming convention!")


def check_script_list(*, src_dir):
    """Every *.py in the source test directory is in a test list, so no test is silently never run."""
    script_dir = os.path.join(src_dir, "test", "functional")
    python_files = {f for f in os.listdir(script_dir) if f.endswith(".py")}
    missed_tests = sorted(python_files - {s.split()[0] for s in ALL_SCRIPTS + NON_SCRIPTS})
    if missed_tests:
        print("%sWARNING!%s The following scripts are not being run: %s. Check the test lists in test_runner.py."
              % (BOLD[1], BOLD[0], str(missed_tests)))
        sys.exit(1)


if __name__ == "__main__":
    main()
