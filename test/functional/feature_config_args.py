#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The Smithcoin Core developers; the licence text is in LICENSE.
"""smithcoin.conf sections, settings.json, parameter interactions and Core's init errors and warnings
for bad option values."""

import json
import os

from test_framework.test_framework import SmithcoinTestFramework
from test_framework.util import CONF_NAME, ErrorMatch, assert_equal


class ConfArgsTest(SmithcoinTestFramework):
    def set_test_params(self):
        self.setup_clean_chain = True
        self.num_nodes = 1

    def run_test(self):
        node = self.nodes[0]
        self.conf = node.datadir_path / CONF_NAME
        self.check_interactions(node)
        self.stop_node(0)
        self.check_sections(node)
        self.check_settings_json(node)
        self.check_init_errors(node)
        self.check_logging(node)

    def check_interactions(self, node):
        self.log.info("bind=127.0.0.1 turns listening on before connect=0 could turn it off (Core's order)")
        with node.assert_debug_log(["parameter interaction: -bind set -> setting -listen=1"],
                                   unexpected_msgs=["setting -listen=0"]):
            self.restart_node(0)
        self.log.info("every line the framework writes into smithcoin.conf is accepted, and logged")
        with node.assert_debug_log(['Config file arg: [regtest] unsafesqlitesync="1"', 'Config file arg: [regtest] par=',
                                    'Config file arg: [regtest] connect="0"', 'Config file arg: regtest="1"']):
            self.restart_node(0)

    def edit_conf(self, text):
        original = self.conf.read_text()
        self.conf.write_text(text)
        return original

    def check_sections(self, node):
        self.log.info("a network-only option in the default section is an error on regtest")
        original = self.edit_conf("addnode=127.0.0.1\n" + self.conf.read_text())
        node.assert_start_raises_init_error(
            [], "Error: Config setting for -addnode only applied on regtest network when in [regtest] section.")
        self.log.info("a section that names no chain is a warning, and the node starts")
        self.conf.write_text(original + "[nochain]\nfoo=1\n")
        lines = len(original.splitlines()) + 1
        self.start_node(0)
        self.stop_node(0, expected_stderr=f"Warning: {self.conf}:{lines} Section [nochain] is not recognized.")
        self.conf.write_text(original)

    def check_settings_json(self, node):
        settings = node.chain_path / "settings.json"
        self.log.info("settings.json values apply, below the command line")
        settings.write_text(json.dumps({"uacomment": "from-settings"}))
        with node.assert_debug_log(['Setting file arg: uacomment = "from-settings"']):
            self.start_node(0)
        self.stop_node(0)
        self.log.info("an unreadable settings.json is an init error; -nosettings ignores the file")
        settings.write_text("{")
        node.assert_start_raises_init_error(
            [], f"Error: Settings file could not be read:\n- Settings file {settings} does not contain valid JSON. This may be "
                "caused by a crash, power loss, full disk, or storage error, and can be fixed by removing the file, which "
                "will reset settings to default values.")
        self.start_node(0, ["-nosettings"])
        self.stop_node(0)
        settings.unlink()

    def check_init_errors(self, node):
        self.log.info("Core's init errors for bad values")
        missing = node.datadir_path / "missing"
        cases = [
            ([f"-datadir={missing}"], f'Error: Specified data directory "{missing}" does not exist.'),
            ([f"-blocksdir={missing}"], f'Error: Specified blocks directory "{missing}" does not exist.'),
            ([f"-conf={missing}"], f'Error: Error reading configuration file: specified config file "{missing}" could not be opened.'),
            (["-rpcport=abc"], "Error: Invalid port specified in -rpcport: 'abc'"),
            (["-port=0"], "Error: Invalid port specified in -port: '0'"),
            (["-rpcbind=127.0.0.1:99999"], "Error: Invalid port specified in -rpcbind: '127.0.0.1:99999'"),
            (["-listen=0"], "Error: Cannot set -bind or -whitebind together with -listen=0"),
            (["-maxconnections=-1"], "Error: -maxconnections must be greater or equal than zero"),
            (["-peertimeout=0"], "Error: peertimeout must be a positive integer."),
            (["-prune=1", "-txindex"], "Error: Prune mode is incompatible with -txindex."),
            (["-blockfilterindex=nosuch"], "Error: Unknown -blockfilterindex value nosuch."),
            (["-forcednsseed", "-dnsseed=0"], "Error: Cannot set -forcednsseed to true when setting -dnsseed to false."),
            (["-regtest=0", "-chain=main", "-testactivationheight=segwit@1"],
             "Error: The -testactivationheight option may not be used on mainnet."),
            (["-regtest=0", "-chain=nosuch"], "Error: Unknown chain nosuch."),
            (["-regtest", "-testnet4"], "Error: Invalid combination of -regtest, -signet, -testnet, -testnet4 and -chain. Can use at most one."),
            (["-assumevalid=zz"], "Error: Invalid assumevalid block hash specified (zz), must be up to 64 hex digits (or 0 to disable)"),
            (["-assumevalid=0x" + "1" * 65], "Error: Invalid assumevalid block hash specified (0x" + "1" * 65 + "), must be up to 64 hex digits (or 0 to disable)"),
            (["-minimumchainwork=0xg"], "Error: Invalid minimum work specified (0xg), must be up to 64 hex digits"),
            (["-maxmempool=1"], "Error: -maxmempool must be at least 5 MB"),
            (["-maxmempool=-1"], "Error: -maxmempool must be at least 5 MB"),
            (["-minrelaytxfee=abc"], "Error: Invalid amount for -minrelaytxfee=<amount>: 'abc'"),
        ]
        for args, expected in cases:
            node.assert_start_raises_init_error(args, expected)
        self.log.info("-uacomment: BIP 14 characters only, and a user agent of at most 256 characters")
        node.assert_start_raises_init_error(["-uacomment=a/b"], "Error: User Agent comment (a/b) contains unsafe characters.")
        node.assert_start_raises_init_error(["-uacomment=ü"], "Error: User Agent comment (ü) contains unsafe characters.")
        node.assert_start_raises_init_error(
            ["-uacomment=" + "a" * 256],
            r"Error: Total length of network version string \((\d+)\) exceeds maximum length \(256\)\. Reduce the number or size of uacomments\.",
            match=ErrorMatch.FULL_REGEX)
        self.start_node(0, ["-uacomment=" + "a" * 200, "-uacomment=ok ;-_?@.,"])
        self.stop_node(0)
        self.log.info("warnings for removed options; the node starts")
        self.start_node(0, ["-checkpoints"])
        self.stop_node(0, expected_stderr="Warning: Option '-checkpoints' is set but checkpoints were removed. This option has no effect.")

    def check_logging(self, node):
        self.log.info("an unknown debug category or log level is an init error")
        node.assert_start_raises_init_error(["-debug=nosuch"], "Error: Unsupported logging category -debug=nosuch.")
        node.assert_start_raises_init_error(["-debugexclude=nosuch"], "Error: Unsupported logging category -debugexclude=nosuch.")
        node.assert_start_raises_init_error(["-loglevel=oops"], r"Error: Unsupported global logging level -loglevel=oops\. Valid values: .*",
                                            match=ErrorMatch.FULL_REGEX)
        self.log.info("-printtoconsole writes the log lines to stdout too")
        self.start_node(0, ["-printtoconsole"])
        self.stop_node(0)
        stdout_files = sorted((node.datadir_path / "stdout").iterdir(), key=os.path.getmtime)
        assert "init message: Done loading" in stdout_files[-1].read_text()
        self.log.info("-shrinkdebugfile keeps the last 10 MB of a debug.log larger than 11 MB")
        with open(node.debug_log_path, "ab") as f:
            f.write(b"x" * (12 * 1000 * 1000))
        self.start_node(0, ["-shrinkdebugfile"])
        self.stop_node(0)
        size = node.debug_log_path.stat().st_size
        assert 10 * 1000 * 1000 <= size < 11 * 1000 * 1000, size
        self.log.info("without it (as the framework's conf says) debug.log only grows")
        self.start_node(0)
        self.stop_node(0)
        assert_equal(node.debug_log_path.stat().st_size > size, True)


if __name__ == "__main__":
    ConfArgsTest(__file__).main()
