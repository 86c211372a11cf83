#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The Smithcoin Core developers; the licence text is in LICENSE.
"""Test the smithcoin wrapper: which executable `smithcoin [-m|-M] node` runs, and its own exit codes.

Not checked yet: Core's tool_bitcoin.py also expects `bitcoin -M node -ipcbind=unix` to fail with
"Error: Error parsing command line arguments: Invalid parameter -ipcbind=unix". smithcoind cannot
refuse -ipcbind before it parses its command line, which comes with the node; the check is added then.
"""

import os
import platform
import re
import shutil
import subprocess

from test_framework.test_framework import (
    SkipTest,
    SmithcoinTestFramework,
)
from test_framework.util import (
    append_config,
    assert_equal,
    get_exe_name,
)


class ToolSmithcoinTest(SmithcoinTestFramework):
    def set_test_params(self):
        self.setup_clean_chain = True
        self.num_nodes = 1

    def skip_test_if_missing_module(self):
        # The wrapper replaces itself with the program (exec); on Windows the child's output is not
        # captured that way.
        if platform.system() == "Windows":
            raise SkipTest("Test does not currently work on windows")

    def setup_network(self):
        """Create the node without starting it, and keep its options for the wrapper command lines."""
        self.add_nodes(self.num_nodes, self.extra_args)
        node_argv = self.get_binaries().node_argv()
        self.node_options = [node.args[len(node_argv):] for node in self.nodes]
        for node in self.nodes:
            assert_equal(node.args[:len(node_argv)], node_argv)

    def set_cmd_args(self, node, args):
        """Start node through the wrapper: smithcoin <args> node <the framework's node options>."""
        node.args = [node.binaries.paths.smithcoin_bin] + args + ["node"] + self.node_options[node.index]

    def execvp_error(self, wrapper_argv0, exe):
        """The wrapper's error when it cannot find exe (smithcoin-node in a build without IPC).

        Invoked by path it only looks beside itself (symlinks resolved); invoked by name it falls back
        to a PATH search for the bare name.
        """
        if os.sep in wrapper_argv0:
            exe = os.path.join(os.path.dirname(os.path.realpath(wrapper_argv0)), exe)
        return (f"Error: execvp failed to execute '{exe}': No such file or directory\n"
                f"Try '{wrapper_argv0} --help' for more information.")

    def check_version_output(self, out, expect_exe):
        assert_equal(get_exe_name(out), expect_exe.encode())
        # The banner carries the client name the tests expect in error messages (config.ini CLIENT_NAME).
        first_line = out.strip().split(b"\n")[0].decode()
        client_name = self.config["environment"]["CLIENT_NAME"]
        assert re.fullmatch(re.escape(client_name) + r" daemon version v\S+ " + re.escape(expect_exe), first_line), \
            f"unexpected version line {first_line!r}"

    def start_and_check(self, node, extra_args, expect_exe):
        """Start node with extra_args (ending in -version) and check which executable answered.

        smithcoin-node exists only when IPC is compiled; otherwise choosing it must fail with the
        wrapper's exec error, which still shows the choice.
        """
        if expect_exe == "smithcoin-node" and not self.is_ipc_compiled():
            argv0 = node.args[0]
            # The exact text is known when the command starts with the wrapper executable itself.
            is_wrapper = os.path.basename(argv0) == "smithcoin" + self.config["environment"]["EXEEXT"]
            node.assert_start_raises_init_error(
                extra_args=extra_args, expected_msg=self.execvp_error(argv0, expect_exe) if is_wrapper else None)
            return
        node.start(extra_args=extra_args)
        ret, out, err = get_node_output(node)
        try:
            assert_equal(ret, 0)
            self.check_version_output(out, expect_exe)
            assert_equal(err, b"")
        except Exception as e:
            raise RuntimeError(f"Unexpected output from {node.args + extra_args}: {out=!r} {err=!r} {ret=!r}") from e

    def test_args(self, cmd_args, node_args, expect_exe=None, expect_error=None):
        node = self.nodes[0]
        self.set_cmd_args(node, cmd_args)
        extra_args = node_args + ["-version"]
        if expect_error is not None:
            node.assert_start_raises_init_error(expected_msg=expect_error, extra_args=extra_args)
        else:
            assert expect_exe
            self.start_and_check(node, extra_args, expect_exe)

    def run_test(self):
        node = self.nodes[0]

        self.test_framework_node_command()

        self.log.info("Ensure smithcoin node command invokes smithcoind by default")
        self.test_args([], [], expect_exe="smithcoind")

        self.log.info("Ensure smithcoin -M invokes smithcoind")
        self.test_args(["-M"], [], expect_exe="smithcoind")

        # Without IPC there is no smithcoin-node: each choice of it must then fail with the exec error.
        note = "" if self.is_ipc_compiled() else " (not built: expect the wrapper's exec error)"
        self.log.info("Ensure smithcoin -m invokes smithcoin-node" + note)
        self.test_args(["-m"], [], expect_exe="smithcoin-node")

        self.log.info("Ensure smithcoin -m does accept -ipcbind" + note)
        self.test_args(["-m"], ["-ipcbind=unix"], expect_exe="smithcoin-node")

        self.log.info("Ensure smithcoin accepts -ipcbind by default" + note)
        self.test_args([], ["-ipcbind=unix"], expect_exe="smithcoin-node")

        self.log.info("Ensure -M overrides -m")
        self.test_args(["-m", "-M"], [], expect_exe="smithcoind")

        self.test_config_sections()

        self.log.info("Ensure smithcoin recognizes -ipcbind in config file" + note)
        append_config(node.datadir_path, ["ipcbind=unix"])
        self.test_args([], [], expect_exe="smithcoin-node")
        self.test_args(["-M"], [], expect_exe="smithcoind")

        self.test_wrapper_exit_codes()
        self.test_installed_libexecdir()

    def test_framework_node_command(self):
        """The framework's own node command (SMITHCOIN_CMD + node, or smithcoind) runs the right program."""
        node = self.nodes[0]
        cmd = self.binary_paths.smithcoin_cmd
        multiprocess = False
        for arg in cmd or []:
            if arg in ("-m", "--multiprocess"):
                multiprocess = True
            elif arg in ("-M", "--monolithic"):
                multiprocess = False
        expect_exe = "smithcoin-node" if multiprocess else "smithcoind"
        self.log.info(f"Ensure the framework's node command {node.args[:len(node.args) - len(self.node_options[0])]} "
                      f"runs {expect_exe}")
        self.start_and_check(node, ["-version"], expect_exe)

    def test_config_sections(self):
        """ipcbind in a chain section of smithcoin.conf only counts when that chain is selected."""
        self.log.info("Ensure a [regtest] section of the config file only applies with -regtest")
        datadir = os.path.join(self.options.tmpdir, "conf_sections")
        os.makedirs(datadir)
        with open(os.path.join(datadir, "smithcoin.conf"), "w", encoding="utf8") as f:
            f.write("[regtest]\nipcbind=unix\n")
        for args, expect_exe in [
            ([], "smithcoind"),
            (["-testnet"], "smithcoind"),
            (["-regtest"], "smithcoin-node"),
            (["-chain=regtest"], "smithcoin-node"),
        ]:
            result = self.run_wrapper(["node", f"-datadir={datadir}"] + args + ["-version"])
            if expect_exe == "smithcoin-node" and not self.is_ipc_compiled():
                assert_equal(result.returncode, 1)
                assert_equal(result.stderr.decode(), self.execvp_error(self.binary_paths.smithcoin_bin, expect_exe) + "\n")
            else:
                assert_equal(result.returncode, 0)
                self.check_version_output(result.stdout, expect_exe)
                assert_equal(result.stderr, b"")

    def run_wrapper(self, args, *, wrapper=None, env=None):
        return subprocess.run([wrapper or self.binary_paths.smithcoin_bin] + args, capture_output=True,
                              env=env, timeout=self.rpc_timeout)

    def test_wrapper_exit_codes(self):
        wrapper = self.binary_paths.smithcoin_bin
        name = os.path.basename(wrapper)
        hint = f"Try '{wrapper} --help' for more information.\n"

        self.log.info("Ensure smithcoin without a command prints usage and exits 1")
        result = self.run_wrapper([])
        assert_equal(result.returncode, 1)
        out = result.stdout.decode()
        assert out.startswith(f"Usage: {name} [OPTIONS] COMMAND...\n"), out
        assert f"Run '{name} help' to see additional commands" in out, out
        assert_equal(result.stderr, b"")

        self.log.info("Ensure smithcoin help, -h and --help print the full help and exit 0")
        for args in (["help"], ["-h"], ["--help"]):
            result = self.run_wrapper(args)
            assert_equal(result.returncode, 0)
            out = result.stdout.decode()
            assert out.startswith(f"Usage: {name} [OPTIONS] COMMAND...\n"), out
            assert "Additional less commonly used commands:" in out, out
            assert_equal(result.stderr, b"")

        self.log.info("Ensure smithcoin -v prints the version and exits 0")
        for args in (["-v"], ["--version"]):
            result = self.run_wrapper(args)
            assert_equal(result.returncode, 0)
            first_line = result.stdout.decode().split("\n")[0]
            assert re.fullmatch(re.escape(self.config["environment"]["CLIENT_NAME"]) + r" version v\S+", first_line), \
                first_line
            assert_equal(result.stderr, b"")

        self.log.info("Ensure unknown options and commands are errors with exit code 1")
        result = self.run_wrapper(["-x", "node"])
        assert_equal((result.returncode, result.stdout, result.stderr.decode()),
                     (1, b"", "Error: Unknown option: -x\n" + hint))
        result = self.run_wrapper(["frobnicate"])
        assert_equal((result.returncode, result.stdout, result.stderr.decode()),
                     (1, b"", "Error: Unrecognized command: 'frobnicate'\n" + hint))

    def test_installed_libexecdir(self):
        """An installed wrapper in <prefix>/bin runs programs from <prefix>/<LIBEXECDIR>, and only from there."""
        libexecdir = self.config["environment"].get("LIBEXECDIR")
        if not libexecdir or os.path.isabs(libexecdir):
            self.log.info("Skipping installed-layout check; LIBEXECDIR is not a relative path")
            return
        exeext = self.config["environment"]["EXEEXT"]
        wrapper_src = self.binary_paths.smithcoin_bin
        daemon_src = self.binary_paths.smithcoind
        js_dir = os.path.join(self.config["environment"]["BUILDDIR"], "js")
        prefix = self.nodes[0].datadir_path / "fake-prefix"

        def make_layout(name, internal_subdir):
            root = prefix / name
            (root / "bin").mkdir(parents=True)
            (root / internal_subdir).mkdir(parents=True, exist_ok=True)
            # The launchers find the compiled JavaScript where an install puts it.
            (root / "lib" / "smithcoin").mkdir(parents=True, exist_ok=True)
            os.symlink(js_dir, root / "lib" / "smithcoin" / "js")
            wrapper = root / "bin" / f"smithcoin{exeext}"
            shutil.copy2(wrapper_src, wrapper)
            shutil.copy2(daemon_src, root / internal_subdir / f"smithcoind{exeext}")
            return str(wrapper)

        # An empty PATH: the wrapper was invoked by path and must not search for programs anyway.
        env = dict(os.environ, PATH="")

        self.log.info("Ensure installed wrapper finds binaries in the configured libexec dir")
        result = self.run_wrapper(["node", "-version"], wrapper=make_layout("configured", libexecdir), env=env)
        assert_equal(result.returncode, 0)
        self.check_version_output(result.stdout, "smithcoind")
        assert_equal(result.stderr, b"")

        other = "lib" if libexecdir != "lib" else "libexec"
        self.log.info(f"Ensure installed wrapper does not look in an unconfigured {other} dir")
        result = self.run_wrapper(["node", "-version"], wrapper=make_layout("unconfigured", other), env=env)
        if result.returncode == 0:
            raise AssertionError(f"wrapper ran smithcoind from unconfigured {other}/: {result.stdout!r} {result.stderr!r}")


def get_node_output(node):
    """Wait for a node started with -version to exit; return (exit code, stdout, stderr) and reset its state."""
    ret = node.process.wait(timeout=60)
    node.stdout.seek(0)
    node.stderr.seek(0)
    out = node.stdout.read()
    err = node.stderr.read()
    node.stdout.close()
    node.stderr.close()
    node.running = False
    node.process = None
    return ret, out, err


if __name__ == "__main__":
    ToolSmithcoinTest(__file__).main()
