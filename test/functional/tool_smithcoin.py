#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The Smithcoin Core developers; the licence text is in LICENSE.
"""The smithcoin wrapper: which program `smithcoin [-m|-M] node` runs, and the wrapper's own exit codes.

Also, as Core's tool_bitcoin.py: `smithcoin -M node -ipcbind=unix` runs smithcoind, which cannot serve
IPC and so refuses -ipcbind as an unknown option.
"""

import os
import platform
import re
import shutil
import subprocess

from test_framework.test_framework import SkipTest, SmithcoinTestFramework
from test_framework.util import append_config, assert_equal, get_exe_name

DAEMON = "smithcoind"
MULTIPROCESS = "smithcoin-node"

# (wrapper options, node options, the program that must answer -version)
CHOICES = [
    ([], [], DAEMON, "no wrapper option runs smithcoind"),
    (["-M"], [], DAEMON, "-M runs smithcoind"),
    (["-m"], [], MULTIPROCESS, "-m runs smithcoin-node"),
    (["-m"], ["-ipcbind=unix"], MULTIPROCESS, "-m with -ipcbind runs smithcoin-node"),
    ([], ["-ipcbind=unix"], MULTIPROCESS, "-ipcbind alone selects smithcoin-node"),
    (["-m", "-M"], [], DAEMON, "the later -M wins over -m"),
]
# With ipcbind=unix in smithcoin.conf.
CHOICES_WITH_CONF_IPCBIND = [
    ([], [], MULTIPROCESS, "ipcbind in the config file selects smithcoin-node"),
    (["-M"], [], DAEMON, "-M still runs smithcoind"),
]
# (node options, program) with "[regtest] ipcbind=unix" in the config file: the section counts only on regtest.
SECTION_CASES = [
    ([], DAEMON),
    (["-testnet"], DAEMON),
    (["-regtest"], MULTIPROCESS),
    (["-chain=regtest"], MULTIPROCESS),
]


def collect_exit(node):
    """Wait for a node started with -version; return (code, stdout, stderr) and mark the node stopped."""
    code = node.process.wait(timeout=60)
    captured = []
    for f in (node.stdout, node.stderr):
        f.seek(0)
        captured.append(f.read())
        f.close()
    node.running = False
    node.process = None
    return code, captured[0], captured[1]


def wanted_multiprocess(cmd):
    """Whether a SMITHCOIN_CMD selects smithcoin-node: the last of -m/-M (or their long forms) decides."""
    choice = False
    for arg in cmd or []:
        if arg in ("-m", "--multiprocess", "-M", "--monolithic"):
            choice = arg in ("-m", "--multiprocess")
    return choice


class ToolSmithcoinTest(SmithcoinTestFramework):
    def set_test_params(self):
        self.setup_clean_chain = True
        self.num_nodes = 1

    def skip_test_if_missing_module(self):
        # The wrapper execs the program; on Windows that child's output does not reach our capture files.
        if platform.system() == "Windows":
            raise SkipTest("the wrapper's child output cannot be captured on Windows")

    def setup_network(self):
        """Make the node but do not start it; remember the options the framework gives it."""
        self.add_nodes(self.num_nodes, self.extra_args)
        prefix = self.get_binaries().node_argv()
        node = self.nodes[0]
        assert_equal(node.args[:len(prefix)], prefix)
        # The framework gives smithcoin-node -noipcbind; the wrapper counts any -ipcbind, negated too, as Core's
        # UseMultiprocess does, so it would pick smithcoin-node for every case here.
        self.node_options = [a for a in node.args[len(prefix):] if a != "-noipcbind"]
        self.framework_argv = prefix

    @property
    def wrapper(self):
        return self.binary_paths.smithcoin_bin

    @property
    def client_name(self):
        return self.config["environment"]["CLIENT_NAME"]

    def exec_error(self, argv0, program):
        """The wrapper's text when program is missing (smithcoin-node in a build without IPC).

        Called by path, the wrapper looks only in its own directory (after resolving links); called
        by bare name, it searches PATH for the bare program name.
        """
        if os.sep in argv0:
            program = os.path.join(os.path.dirname(os.path.realpath(argv0)), program)
        return (f"Error: execvp failed to execute '{program}': No such file or directory\n"
                f"Try '{argv0} --help' for more information.")

    def assert_banner(self, out, program):
        """-version named program, under the configured CLIENT_NAME (the name error texts use)."""
        assert_equal(get_exe_name(out), program.encode())
        first = out.strip().split(b"\n")[0].decode()
        pattern = rf"{re.escape(self.client_name)} daemon version v\S+ {re.escape(program)}"
        assert re.fullmatch(pattern, first), f"banner {first!r} does not match {pattern!r}"

    def expect_program(self, extra_args, program):
        """Start node 0 with extra_args (which end in -version) and check which program answered.

        Without IPC there is no smithcoin-node, so picking it must end in the wrapper's exec error.
        """
        node = self.nodes[0]
        if program == MULTIPROCESS and not self.is_ipc_compiled():
            argv0 = node.args[0]
            # The text is exact only when argv starts with the wrapper itself (not "node x.js" etc.).
            via_wrapper = os.path.basename(argv0) == "smithcoin" + self.config["environment"]["EXEEXT"]
            node.assert_start_raises_init_error(
                extra_args=extra_args, expected_msg=self.exec_error(argv0, program) if via_wrapper else None)
            return
        node.start(extra_args=extra_args)
        code, out, err = collect_exit(node)
        try:
            assert_equal(code, 0)
            self.assert_banner(out, program)
            assert_equal(err, b"")
        except AssertionError as e:
            raise AssertionError(f"{node.args + extra_args} gave code={code} stdout={out!r} stderr={err!r}") from e

    def through_wrapper(self, wrapper_opts, node_opts, program):
        """Run smithcoin <wrapper_opts> node <framework options> <node_opts> -version."""
        self.nodes[0].args = [self.wrapper, *wrapper_opts, "node", *self.node_options]
        self.expect_program([*node_opts, "-version"], program)

    def run_choices(self, table):
        missing = "" if self.is_ipc_compiled() else " (no smithcoin-node in this build: the exec error is expected)"
        for wrapper_opts, node_opts, program, what in table:
            self.log.info(what + (missing if program == MULTIPROCESS else ""))
            self.through_wrapper(wrapper_opts, node_opts, program)

    def run_test(self):
        self.check_framework_command()
        self.run_choices(CHOICES)
        self.check_config_sections()
        append_config(self.nodes[0].datadir_path, ["ipcbind=unix"])
        self.run_choices(CHOICES_WITH_CONF_IPCBIND)
        self.check_exit_codes()
        self.check_monolithic_rejects_ipcbind()
        self.check_installed_layout()

    def check_monolithic_rejects_ipcbind(self):
        self.log.info("-M with -ipcbind: smithcoind runs and refuses the option")
        node = self.nodes[0]
        node.args = [self.wrapper, "-M", "node", *self.node_options]
        node.assert_start_raises_init_error(
            extra_args=["-ipcbind=unix"],
            expected_msg="Error: Error parsing command line arguments: Invalid parameter -ipcbind=unix")

    def check_framework_command(self):
        """The node command the framework itself uses (SMITHCOIN_CMD + node, or smithcoind) runs the right program."""
        program = MULTIPROCESS if wanted_multiprocess(self.binary_paths.smithcoin_cmd) else DAEMON
        self.log.info(f"the framework's node command {self.framework_argv} runs {program}")
        self.expect_program(["-version"], program)

    def run_wrapper(self, args, *, wrapper=None, env=None):
        """Run the wrapper with a scratch HOME: a node given no -datadir creates the default one there, as Core's
        does even for -version, and never in the user's home."""
        home = os.path.join(self.options.tmpdir, "home")
        os.makedirs(home, exist_ok=True)
        return subprocess.run([wrapper or self.wrapper, *args], capture_output=True,
                              env={**(os.environ if env is None else env), "HOME": home}, timeout=self.rpc_timeout)

    def check_config_sections(self):
        self.log.info("ipcbind under [regtest] in smithcoin.conf applies only when regtest is selected")
        datadir = os.path.join(self.options.tmpdir, "conf_sections")
        os.makedirs(datadir)
        with open(os.path.join(datadir, "smithcoin.conf"), "w", encoding="utf8") as conf:
            conf.write("[regtest]\nipcbind=unix\n")
        for opts, program in SECTION_CASES:
            run = self.run_wrapper(["node", f"-datadir={datadir}", *opts, "-version"])
            if program == MULTIPROCESS and not self.is_ipc_compiled():
                assert_equal((run.returncode, run.stderr.decode()),
                             (1, self.exec_error(self.wrapper, program) + "\n"))
                continue
            assert_equal(run.returncode, 0)
            self.assert_banner(run.stdout, program)
            assert_equal(run.stderr, b"")

    def check_exit_codes(self):
        name = os.path.basename(self.wrapper)
        usage = f"Usage: {name} [OPTIONS] COMMAND...\n"
        hint = f"Try '{self.wrapper} --help' for more information.\n"

        self.log.info("no command: short usage on stdout, exit code 1")
        run = self.run_wrapper([])
        text = run.stdout.decode()
        assert_equal((run.returncode, run.stderr), (1, b""))
        assert text.startswith(usage) and f"Run '{name} help' to see additional commands" in text, text

        self.log.info("help, -h and --help: full help on stdout, exit code 0")
        for flag in ("help", "-h", "--help"):
            run = self.run_wrapper([flag])
            text = run.stdout.decode()
            assert_equal((run.returncode, run.stderr), (0, b""))
            assert text.startswith(usage) and "Additional less commonly used commands:" in text, text

        self.log.info("-v and --version: the version line, exit code 0")
        for flag in ("-v", "--version"):
            run = self.run_wrapper([flag])
            assert_equal((run.returncode, run.stderr), (0, b""))
            first = run.stdout.decode().split("\n")[0]
            assert re.fullmatch(rf"{re.escape(self.client_name)} version v\S+", first), first

        self.log.info("an unknown option or command: an error on stderr, exit code 1")
        for args, error in ((["-x", "node"], "Error: Unknown option: -x\n"),
                            (["frobnicate"], "Error: Unrecognized command: 'frobnicate'\n")):
            run = self.run_wrapper(args)
            assert_equal((run.returncode, run.stdout, run.stderr.decode()), (1, b"", error + hint))

    def check_installed_layout(self):
        """Installed in <prefix>/bin, the wrapper runs programs from <prefix>/<LIBEXECDIR> and nowhere else."""
        libexecdir = self.config["environment"].get("LIBEXECDIR")
        if not libexecdir or os.path.isabs(libexecdir):
            self.log.info("LIBEXECDIR is not a relative path: no installed layout to check")
            return
        exeext = self.config["environment"]["EXEEXT"]
        js_dir = os.path.join(self.config["environment"]["BUILDDIR"], "js")
        prefixes = self.nodes[0].datadir_path / "fake-prefix"

        def install(tag, program_dir):
            root = prefixes / tag
            for sub in ("bin", program_dir, "lib/smithcoin"):
                (root / sub).mkdir(parents=True, exist_ok=True)
            # The launchers load the compiled JavaScript from where an install puts it.
            os.symlink(js_dir, root / "lib" / "smithcoin" / "js")
            shutil.copy2(self.binary_paths.smithcoind, root / program_dir / f"smithcoind{exeext}")
            wrapper = root / "bin" / f"smithcoin{exeext}"
            shutil.copy2(self.wrapper, wrapper)
            return str(wrapper)

        # Empty PATH: called by path, the wrapper must not go looking elsewhere.
        env = {**os.environ, "PATH": ""}

        self.log.info(f"installed: the wrapper finds smithcoind in {libexecdir}/")
        run = self.run_wrapper(["node", "-version"], wrapper=install("configured", libexecdir), env=env)
        assert_equal((run.returncode, run.stderr), (0, b""))
        self.assert_banner(run.stdout, DAEMON)

        other = "libexec" if libexecdir == "lib" else "lib"
        self.log.info(f"installed: the wrapper ignores smithcoind in {other}/, which is not configured")
        run = self.run_wrapper(["node", "-version"], wrapper=install("unconfigured", other), env=env)
        if run.returncode == 0:
            raise AssertionError(f"smithcoind ran from {other}/: {run.stdout!r} {run.stderr!r}")


if __name__ == "__main__":
    ToolSmithcoinTest(__file__).main()
