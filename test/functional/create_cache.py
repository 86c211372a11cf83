#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The Smithcoin Core developers; the licence text is in LICENSE.
"""Build the cached 199-block chain in --cachedir once, before the tests that copy it run side by side.

test_runner.py runs this first when a selected test uses the cached chain; a test run on its own builds
the cache itself when it is missing.
"""

from test_framework.test_framework import SmithcoinTestFramework


class CreateCache(SmithcoinTestFramework):
    def set_test_params(self):
        # No node of its own: setup_chain() builds the cache and copies it to nobody.
        self.num_nodes = 0

    def setup_network(self):
        pass

    def run_test(self):
        pass


if __name__ == "__main__":
    CreateCache(__file__).main()
