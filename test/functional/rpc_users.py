#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The Smithcoin Core developers; the licence text is in LICENSE.
"""RPC authentication: the cookie, -rpcuser/-rpcpassword, -rpcauth, -rpcwhitelist, and a 401 with
Core's realm for anything else."""

import base64
import hashlib
import hmac
import http.client
import secrets
import stat
import time

from test_framework.test_framework import SmithcoinTestFramework
from test_framework.util import append_config, assert_equal, rpc_port

FORBIDDEN = 403


def rpcauth_line(user, password, salt=None):
    """The -rpcauth value share/rpcauth/rpcauth.py prints: user:salt$hmac_sha256(key=salt, msg=password)."""
    salt = salt or secrets.token_hex(16)
    digest = hmac.new(salt.encode(), password.encode(), hashlib.sha256).hexdigest()
    return f"{user}:{salt}${digest}"


class RPCUsersTest(SmithcoinTestFramework):
    def set_test_params(self):
        self.setup_clean_chain = True
        self.num_nodes = 1

    def call(self, user, password, method="uptime", params=None):
        """One JSON-RPC call over a fresh connection: (status, headers, body)."""
        conn = http.client.HTTPConnection("127.0.0.1", rpc_port(0), timeout=30)
        auth = base64.b64encode(f"{user}:{password}".encode()).decode()
        body = f'{{"jsonrpc":"2.0","id":1,"method":"{method}","params":{params or []}}}'
        conn.request("POST", "/", body, {"Authorization": f"Basic {auth}", "Content-Type": "application/json"})
        resp = conn.getresponse()
        out = (resp.status, dict(resp.getheaders()), resp.read())
        conn.close()
        return out

    def run_test(self):
        node = self.nodes[0]
        cookie_user, cookie_pass = (node.chain_path / ".cookie").read_text().split(":")

        self.log.info("the cookie authenticates; a wrong password gets 401 with Core's realm, after a delay")
        assert_equal(self.call(cookie_user, cookie_pass)[0], 200)
        started = time.monotonic()
        status, headers, body = self.call(cookie_user, "wrong")
        assert_equal((status, headers.get("WWW-Authenticate"), body), (401, 'Basic realm="jsonrpc"', b""))
        assert time.monotonic() - started >= 0.25, "no delay after a wrong password"
        assert_equal(self.call("someone", cookie_pass)[0], 401)
        with node.assert_debug_log(["ThreadRPCServer incorrect password attempt from 127.0.0.1"]):
            self.call(cookie_user, "wrong")

        self.stop_node(0)

        self.log.info("-rpcauth lines (salted HMAC-SHA256) add users beside the cookie")
        bob = rpcauth_line("bob", "hunter2")
        carol = rpcauth_line("carol", "pässword")
        with node.assert_debug_log(["Using rpcauth authentication."]):
            self.start_node(0, [f"-rpcauth={bob}", f"-rpcauth={carol}"])
        assert_equal(self.call("bob", "hunter2")[0], 200)
        assert_equal(self.call("carol", "pässword")[0], 200)
        assert_equal(self.call("bob", "pässword")[0], 401)
        cookie_user, cookie_pass = (node.chain_path / ".cookie").read_text().split(":")
        assert_equal(self.call(cookie_user, cookie_pass)[0], 200)
        self.stop_node(0)

        self.log.info("a malformed -rpcauth stops init")
        node.assert_start_raises_init_error(["-rpcauth=bob:nodollar"], "Error: Unable to start HTTP server. See debug log for details.")

        self.log.info("-rpcwhitelist: listed methods only; other users get nothing once a whitelist exists")
        # The framework's own user (the cookie's) needs the methods it calls.
        framework = f"-rpcwhitelist={cookie_user}:getblockcount,getmempoolinfo,stop"
        self.start_node(0, [f"-rpcauth={bob}", f"-rpcauth={carol}", "-rpcwhitelist=bob:uptime,getrpcinfo",
                            "-rpcwhitelist=bob:uptime", framework])
        assert_equal(self.call("bob", "hunter2", "uptime")[0], 200)
        # A user listed twice keeps the intersection of the lists.
        assert_equal(self.call("bob", "hunter2", "getrpcinfo")[0], FORBIDDEN)
        assert_equal(self.call("carol", "pässword", "uptime")[0], FORBIDDEN)
        self.stop_node(0)
        self.log.info("-rpcwhitelistdefault=0 leaves users without a whitelist unrestricted")
        self.start_node(0, [f"-rpcauth={carol}", "-rpcwhitelist=bob:uptime", "-rpcwhitelistdefault=0"])
        assert_equal(self.call("carol", "pässword", "getrpcinfo")[0], 200)
        self.stop_node(0)

        self.log.info("-rpccookieperms sets the cookie's mode; a bad value stops init")
        for perms, mode in (("group", 0o640), ("all", 0o644), ("owner", 0o600)):
            self.start_node(0, [f"-rpccookieperms={perms}"])
            assert_equal(stat.S_IMODE((node.chain_path / ".cookie").stat().st_mode), mode)
            self.stop_node(0)
        with node.assert_debug_log(["Invalid -rpccookieperms=nobody; must be one of 'owner', 'group', or 'all'."]):
            node.assert_start_raises_init_error(["-rpccookieperms=nobody"], "Error: Unable to start HTTP server. See debug log for details.")

        self.log.info("rpcuser/rpcpassword (here in smithcoin.conf, where the framework reads them) replace the cookie")
        append_config(node.datadir_path, ["rpcuser=alice", "rpcpassword=s3cret/?@"])
        with node.assert_debug_log(["Using rpcuser/rpcpassword authentication.", "The use of rpcuser/rpcpassword is less secure"]):
            self.start_node(0)
        assert not (node.chain_path / ".cookie").exists()
        assert_equal(self.call("alice", "s3cret/?@")[0], 200)
        assert_equal(self.call("alice", "secret#2")[0], 401)
        assert_equal(self.call(cookie_user, cookie_pass)[0], 401)

if __name__ == "__main__":
    RPCUsersTest(__file__).main()
