#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The Smithcoin Core developers; the licence text is in LICENSE.
"""JSON-RPC over HTTP as Core serves it: 1.0 and 2.0 replies and status codes, batches, notifications,
keep-alive, named arguments, getrpcinfo, the work queue, and the -rpcbind/-rpcallowip rules."""

import base64
import http.client
import json
import threading

from test_framework.test_framework import SmithcoinTestFramework
from test_framework.util import assert_equal, assert_raises_rpc_error, get_auth_cookie, rpc_port


class RPCInterfaceTest(SmithcoinTestFramework):
    def set_test_params(self):
        self.setup_clean_chain = True
        self.num_nodes = 1

    def post(self, body, *, conn=None, path="/", content_type="application/json"):
        """POST raw text; (status, content type, parsed JSON or None, raw body)."""
        own = conn is None
        conn = conn or http.client.HTTPConnection("127.0.0.1", rpc_port(0), timeout=60)
        user, password = get_auth_cookie(self.nodes[0].datadir_path, "regtest")
        auth = base64.b64encode(f"{user}:{password}".encode()).decode()
        conn.request("POST", path, body, {"Authorization": f"Basic {auth}", "Content-Type": content_type})
        resp = conn.getresponse()
        raw = resp.read()
        if own:
            conn.close()
        ctype = resp.getheader("Content-Type")
        return resp.status, ctype, json.loads(raw) if ctype == "application/json" else None, raw

    def run_test(self):
        self.check_versions()
        self.check_batches()
        self.check_http_errors()
        self.check_named_args()
        self.check_keepalive_and_concurrency()
        self.check_getrpcinfo()
        self.check_bind_rules()

    def check_versions(self):
        self.log.info("JSON-RPC 2.0: success without an error key, errors with HTTP 200")
        status, ctype, reply, _ = self.post('{"jsonrpc":"2.0","id":7,"method":"uptime"}')
        assert_equal((status, ctype, sorted(reply)), (200, "application/json", ["id", "jsonrpc", "result"]))
        assert_equal(reply["id"], 7)
        status, _, reply, _ = self.post('{"jsonrpc":"2.0","id":"x","method":"nosuchmethod"}')
        assert_equal((status, reply), (200, {"jsonrpc": "2.0", "error": {"code": -32601, "message": "Method not found"}, "id": "x"}))
        self.log.info("JSON-RPC 1.0 (no jsonrpc key): result, error and id always; errors as HTTP statuses")
        status, _, reply, _ = self.post('{"id":1,"method":"uptime"}')
        assert_equal((status, sorted(reply), reply["error"]), (200, ["error", "id", "result"], None))
        status, _, reply, _ = self.post('{"id":1,"method":"nosuchmethod"}')
        assert_equal((status, reply), (404, {"result": None, "error": {"code": -32601, "message": "Method not found"}, "id": 1}))
        status, _, reply, _ = self.post('{"id":1,"method":"uptime","params":[1]}')
        assert_equal((status, reply["error"]["code"]), (500, -1))
        self.log.info("a 2.0 notification (no id) runs and gets 204 with no body")
        status, _, reply, raw = self.post('{"jsonrpc":"2.0","method":"uptime"}')
        assert_equal((status, raw), (204, b""))
        self.log.info("an unknown jsonrpc version is an invalid request")
        status, _, reply, _ = self.post('{"jsonrpc":"3.0","id":1,"method":"uptime"}')
        assert_equal(status, 400)
        assert_equal(reply["error"]["code"], -32600)

    def check_batches(self):
        self.log.info("batches: one reply per non-notification member, in order, HTTP 200")
        batch = [{"jsonrpc": "2.0", "id": 1, "method": "uptime"},
                 {"jsonrpc": "2.0", "method": "uptime"},
                 {"jsonrpc": "2.0", "id": 3, "method": "nosuchmethod"},
                 {"id": 4, "method": "nosuchmethod"}]
        status, _, reply, _ = self.post(json.dumps(batch))
        assert_equal(status, 200)
        assert_equal([r["id"] for r in reply], [1, 3, 4])
        assert_equal(reply[1]["error"]["code"], -32601)
        assert "result" not in reply[1]
        assert_equal(reply[2]["result"], None)
        status, _, _, raw = self.post(json.dumps([{"jsonrpc": "2.0", "method": "uptime"}]))
        assert_equal((status, raw), (204, b""))
        status, _, reply, _ = self.post("[]")
        assert_equal((status, reply), (200, []))

    def check_http_errors(self):
        self.log.info("malformed bodies: parse errors with Core's codes and statuses")
        status, _, reply, _ = self.post("{nojson")
        assert_equal((status, reply["error"]), (500, {"code": -32700, "message": "Parse error"}))
        status, _, reply, _ = self.post("42")
        assert_equal((status, reply["error"]), (500, {"code": -32700, "message": "Top-level object parse error"}))
        self.log.info("only POST, and only known paths")
        conn = http.client.HTTPConnection("127.0.0.1", rpc_port(0), timeout=60)
        conn.request("GET", "/")
        resp = conn.getresponse()
        assert_equal((resp.status, resp.read()), (405, b"JSONRPC server handles only POST requests"))
        conn.close()
        status, _, _, _ = self.post('{"method":"uptime"}', path="/nosuchpath")
        assert_equal(status, 404)
        status, _, _, _ = self.post('{"method":"uptime"}', path="/wallet/w")
        assert_equal(status, 404)

    def check_named_args(self):
        self.log.info("named arguments, and Core's errors for unknown ones")
        node = self.nodes[0]
        assert_raises_rpc_error(-8, "Unknown named parameter nosuch", node.uptime, nosuch=1)
        assert_equal(node.help(command="uptime").split("\n")[0], "uptime")

    def check_keepalive_and_concurrency(self):
        self.log.info("one connection serves many requests (keep-alive)")
        conn = http.client.HTTPConnection("127.0.0.1", rpc_port(0), timeout=60)
        for i in range(5):
            status, _, reply, _ = self.post(f'{{"jsonrpc":"2.0","id":{i},"method":"uptime"}}', conn=conn)
            assert_equal((status, reply["id"]), (200, i))
        conn.close()
        self.log.info("requests on several connections at once all succeed (-rpcthreads=2)")
        errors = []

        def worker():
            try:
                for _ in range(10):
                    assert_equal(self.post('{"jsonrpc":"2.0","id":1,"method":"uptime"}')[0], 200)
            except Exception as e:  # reported below: a thread's exception would otherwise be lost
                errors.append(e)
        threads = [threading.Thread(target=worker) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert_equal(errors, [])

    def check_getrpcinfo(self):
        self.log.info("getrpcinfo lists the running command and the log path")
        info = self.nodes[0].getrpcinfo()
        assert_equal([c["method"] for c in info["active_commands"]], ["getrpcinfo"])
        assert_equal(info["logpath"], str(self.nodes[0].debug_log_path))

    def check_bind_rules(self):
        node = self.nodes[0]
        self.log.info("-rpcbind without -rpcallowip is ignored with Core's warning (loopback only)")
        with node.assert_debug_log(["Option -rpcbind was ignored because -rpcallowip was not specified, refusing to allow everyone to connect"]):
            self.restart_node(0, ["-rpcbind=127.0.0.1"])
        self.log.info("-rpcallowip without -rpcbind: a warning, loopback only")
        with node.assert_debug_log(["Option -rpcallowip was specified without -rpcbind; this doesn't usually make sense",
                                    "Binding RPC on address ::1", "Binding RPC on address 127.0.0.1"]):
            self.restart_node(0, ["-rpcallowip=1.2.3.4"])
        self.log.info("both together: bound where -rpcbind says, port from -rpcbind or -rpcport")
        with node.assert_debug_log([f"Binding RPC on address 127.0.0.1 port {rpc_port(0)}"],
                                   unexpected_msgs=["Binding RPC on address ::1"]):
            self.restart_node(0, ["-rpcbind=127.0.0.1", "-rpcallowip=127.0.0.1"])
        self.stop_node(0)
        self.log.info("a bad -rpcallowip is an init error")
        node.assert_start_raises_init_error(
            ["-rpcallowip=1.2.3.4/33"],
            "Error: Invalid -rpcallowip subnet specification: 1.2.3.4/33. Valid values are a single IP (e.g. 1.2.3.4), a "
            "network/netmask (e.g. 1.2.3.4/255.255.255.0), a network/CIDR (e.g. 1.2.3.4/24), all ipv4 (0.0.0.0/0), or all "
            "ipv6 (::/0). RFC4193 is allowed only if -cjdnsreachable=0.\nError: Unable to start HTTP server. See debug log for details.")
        self.start_node(0)


if __name__ == "__main__":
    RPCInterfaceTest(__file__).main()
