#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The Smithcoin Core developers; the licence text is in LICENSE.
"""The REST interface (-rest) on the cached chain: every endpoint the node serves so far in .bin, .hex and
.json, checked against the RPC answers, with Core's status codes and error texts. A node without -rest
serves none of it.

/rest/tx needs -txindex or the mempool and /rest/mempool the mempool; neither exists yet, so only their
argument checks are covered here.
"""

import http.client
import json
import struct
from decimal import Decimal

from test_framework.test_framework import SmithcoinTestFramework
from test_framework.util import assert_equal, assert_greater_than, rpc_port

HEADER_SIZE = 80
INVALID_PARAM = "abc"
UNKNOWN_HASH = "0" * 64
FORMATS = "output format not found (available: .bin, .hex, .json)"
JSON_ONLY = "output format not found (available: json)"


def read_compact_size(data, pos):
    first = data[pos]
    if first < 253:
        return first, pos + 1
    size = {253: 2, 254: 4, 255: 8}[first]
    return int.from_bytes(data[pos + 1:pos + 1 + size], "little"), pos + 1 + size


def parse_getutxos_bin(data):
    """Core's binary getutxos answer: height, tip hash, bitmap bytes, then the coins."""
    height = struct.unpack_from("<i", data, 0)[0]
    tip = data[4:36][::-1].hex()
    nbitmap, pos = read_compact_size(data, 36)
    bitmap = data[pos:pos + nbitmap]
    ncoins, pos = read_compact_size(data, pos + nbitmap)
    coins = []
    for _ in range(ncoins):
        _dummy, coin_height, value = struct.unpack_from("<IIq", data, pos)
        script_len, pos = read_compact_size(data, pos + 16)
        coins.append((coin_height, value, data[pos:pos + script_len].hex()))
        pos += script_len
    assert_equal(pos, len(data))
    return height, tip, bitmap, coins


class RESTTest(SmithcoinTestFramework):
    def set_test_params(self):
        self.num_nodes = 2
        self.extra_args = [["-rest"], []]

    def request(self, uri, *, method="GET", body=None, status=200, node=0):
        """One request on a fresh connection; returns (body bytes, response)."""
        conn = http.client.HTTPConnection("127.0.0.1", rpc_port(node), timeout=30)
        try:
            conn.request(method, "/rest" + uri, body)
            resp = conn.getresponse()
            data = resp.read()
        finally:
            conn.close()
        assert_equal((resp.status, uri), (status, uri))
        return data, resp

    def get_json(self, uri):
        return json.loads(self.request(uri)[0], parse_float=Decimal)

    def assert_error(self, uri, status, text, **kwargs):
        data, _ = self.request(uri, status=status, **kwargs)
        assert_equal(data.decode().rstrip("\r\n"), text)

    def run_test(self):
        self.node = self.nodes[0]
        self.test_disabled()
        self.test_block()
        self.test_headers()
        self.test_blockhashbyheight()
        self.test_chaininfo_and_deploymentinfo()
        self.test_getutxos()
        self.test_spenttxouts()
        self.test_blockpart()
        self.test_unserved()

    def test_disabled(self):
        self.log.info("without -rest there is no REST interface")
        self.request("/chaininfo.json", status=404, node=1)

    def test_block(self):
        self.log.info("/rest/block and /rest/block/notxdetails in every format")
        node = self.node
        best = node.getbestblockhash()
        raw, resp = self.request(f"/block/{best}.bin")
        assert_equal(resp.getheader("Content-Type"), "application/octet-stream")
        assert_equal(raw.hex(), node.getblock(best, 0))
        hex_body, resp = self.request(f"/block/{best}.hex")
        assert_equal(resp.getheader("Content-Type"), "text/plain")
        assert_equal(hex_body.decode(), raw.hex() + "\n")
        full, resp = self.request(f"/block/{best}.json")
        assert_equal(resp.getheader("Content-Type"), "application/json")
        assert_equal(json.loads(full, parse_float=Decimal), node.getblock(best, 3))
        assert_equal(self.get_json(f"/block/notxdetails/{best}.json"), node.getblock(best, 1))
        assert_equal(self.request(f"/block/notxdetails/{best}.bin")[0], raw)

        self.assert_error(f"/block/{INVALID_PARAM}.json", 400, f"Invalid hash: {INVALID_PARAM}")
        self.assert_error(f"/block/{UNKNOWN_HASH}.bin", 404, f"{UNKNOWN_HASH} not found")
        self.assert_error(f"/block/{best}", 404, FORMATS)
        # An unknown extension stays part of the parameter, as in Core.
        self.assert_error(f"/block/{best}.xml", 400, f"Invalid hash: {best}.xml")

        self.log.info("an invalidated block is still served; a header without its block is not")
        node.invalidateblock(best)
        assert_equal(self.get_json(f"/block/{best}.json")["confirmations"], -1)
        node.reconsiderblock(best)
        template = node.generateblock(output="raw(51)", transactions=[], submit=False)
        node.submitheader(template["hex"][:160])
        self.assert_error(f"/block/{template['hash']}.bin", 404, f"{template['hash']} not available (not fully downloaded)")

    def test_headers(self):
        self.log.info("/rest/headers: count, formats, errors, the old path form")
        node = self.node
        start = node.getblockhash(195)
        headers = [node.getblockheader(node.getblockhash(h)) for h in range(195, 201)]
        raw, _ = self.request(f"/headers/{start}.bin?count=6")
        assert_equal(len(raw), 6 * HEADER_SIZE)
        assert_equal(raw[:HEADER_SIZE].hex(), node.getblockheader(start, False))
        assert_equal(self.request(f"/headers/{start}.hex?count=6")[0].decode(), raw.hex() + "\n")
        # The block after the tip that is only a header is on no chain: the active chain ends at 200.
        assert_equal(self.get_json(f"/headers/{start}.json?count=6"), headers)
        assert_equal(self.get_json(f"/headers/{start}.json?count=100"), headers)
        # Without a count, five.
        assert_equal(self.get_json(f"/headers/{start}.json"), headers[:5])
        assert_equal(self.get_json(f"/headers/2/{start}.json"), headers[:2])
        assert_equal(self.get_json(f"/headers/{UNKNOWN_HASH}.json?count=1"), [])
        best = node.getbestblockhash()
        node.invalidateblock(best)
        assert_equal(self.get_json(f"/headers/{best}.json?count=1"), [])
        node.reconsiderblock(best)
        for count in ("5a", "-5", "0", "2001", "99999999999999999999999999999999999"):
            self.assert_error(f"/headers/{start}.json?count={count}", 400,
                              f"Header count is invalid or out of acceptable range (1-2000): {count}")
        self.assert_error(f"/headers/{start}%.json", 400, f"Invalid hash: {start}%")
        self.assert_error(f"/headers/{start}?count=1", 404, FORMATS)

    def test_blockhashbyheight(self):
        self.log.info("/rest/blockhashbyheight")
        node = self.node
        expected = node.getblockhash(200)
        assert_equal(self.get_json("/blockhashbyheight/200.json"), {"blockhash": expected})
        assert_equal(self.request("/blockhashbyheight/200.hex")[0].decode(), expected + "\n")
        assert_equal(self.request("/blockhashbyheight/200.bin")[0][::-1].hex(), expected)
        for bad in (INVALID_PARAM, "+1", "-1"):
            self.assert_error(f"/blockhashbyheight/{bad}.json", 400, f"Invalid height: {bad}")
        self.assert_error("/blockhashbyheight/1000000.json", 404, "Block height out of range")
        self.request("/blockhashbyheight/.json", status=400)

    def test_chaininfo_and_deploymentinfo(self):
        self.log.info("/rest/chaininfo and /rest/deploymentinfo equal their RPCs")
        node = self.node
        assert_equal(self.get_json("/chaininfo.json"), node.getblockchaininfo())
        self.assert_error("/chaininfo.bin", 404, JSON_ONLY)
        assert_equal(self.get_json("/deploymentinfo.json"), node.getdeploymentinfo())
        old = node.getblockhash(100)
        assert_equal(self.get_json(f"/deploymentinfo/{old}.json"), node.getdeploymentinfo(old))
        self.assert_error(f"/deploymentinfo/{INVALID_PARAM}.json", 400, f"Invalid hash: {INVALID_PARAM}")
        self.assert_error(f"/deploymentinfo/{UNKNOWN_HASH}.json", 400, "Block not found")
        self.assert_error("/deploymentinfo.hex", 404, JSON_ONLY)

    def test_getutxos(self):
        self.log.info("/rest/getutxos by URI and by POST, in every format")
        node = self.node
        best = node.getbestblockhash()
        b1 = node.getblock(node.getblockhash(1), 2)["tx"][0]
        coin = (b1["txid"], 0)
        absent = (b1["txid"], 1)  # the witness commitment, never a coin
        out = node.gettxout(*coin, False)
        reply = self.get_json(f"/getutxos/{coin[0]}-{coin[1]}/{absent[0]}-{absent[1]}.json")
        assert_equal(reply, {"chainHeight": 200, "chaintipHash": best, "bitmap": "10",
                             "utxos": [{"height": 1, "value": out["value"], "scriptPubKey": out["scriptPubKey"]}]})
        assert_equal(self.get_json(f"/getutxos/{absent[0]}-{absent[1]}.json")["bitmap"], "0")

        # checkmempool = false, two outpoints.
        body = b"\x00\x02" + b"".join(bytes.fromhex(t)[::-1] + n.to_bytes(4, "little") for t, n in (coin, absent))
        raw, _ = self.request("/getutxos.bin", method="POST", body=body)
        height, tip, bitmap, coins = parse_getutxos_bin(raw)
        assert_equal((height, tip, bitmap), (200, best, b"\x01"))
        assert_equal(coins, [(1, int(out["value"] * 100_000_000), out["scriptPubKey"]["hex"])])
        assert_equal(self.request("/getutxos.hex", method="POST", body=body.hex())[0].decode(), raw.hex() + "\n")
        uri_raw, _ = self.request(f"/getutxos/{coin[0]}-{coin[1]}/{absent[0]}-{absent[1]}.bin")
        assert_equal(uri_raw, raw)

        self.log.info("/rest/getutxos errors")
        for bad in (f"{coin[0]}_+1", f"{coin[0]}-+1", f"{coin[0]}--1", f"{coin[0]}aa-1234", "aa-1234"):
            self.assert_error(f"/getutxos/{bad}.json", 400, "Parse error")
        self.assert_error("/getutxos.json", 400, "Error: empty request")
        self.assert_error("/getutxos.bin", 400, "Parse error", method="POST", body='{"checkmempool')
        self.assert_error(f"/getutxos/{coin[0]}-0.bin", 400,
                          "Combination of URI scheme inputs and raw post data is not allowed", method="POST", body=body)
        many = "/".join(f"{coin[0]}-{n}" for n in range(16))
        self.assert_error(f"/getutxos/{many}.json", 400, "Error: max outpoints exceeded (max: 15, tried: 16)")
        fifteen = "/".join(f"{coin[0]}-{n}" for n in range(15))
        assert_equal(self.get_json(f"/getutxos/{fifteen}.json")["bitmap"], "1" + "0" * 14)
        self.assert_error(f"/getutxos/{coin[0]}-0", 404, FORMATS)
        self.assert_error(f"/getutxos/{coin[0]}-0.txt", 400, "Parse error")

    def test_spenttxouts(self):
        self.log.info("/rest/spenttxouts: coinbase-only blocks spend nothing")
        node = self.node
        best = node.getbestblockhash()
        # One transaction (the coinbase), which spends nothing: one empty list.
        assert_equal(self.get_json(f"/spenttxouts/{best}.json"), [[]])
        raw, _ = self.request(f"/spenttxouts/{best}.bin")
        assert_equal(raw, b"\x01\x00")
        assert_equal(self.request(f"/spenttxouts/{best}.hex")[0].decode(), "0100\n")
        self.assert_error(f"/spenttxouts/{INVALID_PARAM}.json", 400, f"Invalid hash: {INVALID_PARAM}")
        self.assert_error(f"/spenttxouts/{UNKNOWN_HASH}.json", 404, f"{UNKNOWN_HASH} not found")

    def test_blockpart(self):
        self.log.info("/rest/blockpart: ranges, errors, and a missing block file")
        node = self.node
        best = node.getbestblockhash()
        block = bytes.fromhex(node.getblock(best, 0))
        assert_greater_than(len(block), HEADER_SIZE)
        assert_equal(self.request(f"/blockpart/{best}.bin?offset=0&size={len(block)}")[0], block)
        assert_equal(self.request(f"/blockpart/{best}.bin?offset=20&size=60")[0], block[20:80])
        assert_equal(self.request(f"/blockpart/{best}.hex?offset={len(block) - 5}&size=5")[0].decode(),
                     block[-5:].hex() + "\n")
        for query in ("offset=10", "size=100", "offset=x", "size=y", "offset=x&size=y", "%XY", "offset=0&size=0",
                      f"offset={len(block)}&size=1", f"offset=0&size={len(block) + 1}"):
            self.request(f"/blockpart/{best}.bin?{query}", status=400)
        self.assert_error(f"/blockpart/{best}.bin", 400, "Block part offset missing or invalid")
        self.assert_error(f"/blockpart/{best}.json?offset=0&size=1", 400, "JSON output is not supported for this request type")
        self.assert_error(f"/blockpart/{best}.bin?offset=0&size={len(block) + 1}", 400,
                          f"Bad block part offset/size 0/{len(block) + 1} for {best}")

        blocks = node.chain_path / "blocks"
        (blocks / "blk00000.dat").rename(blocks / "blk00000.bkp")
        try:
            self.assert_error(f"/block/{best}.bin", 500, f"I/O error reading {best}")
            self.request(f"/blockpart/{best}.bin?offset=0&size=1", status=500)
        finally:
            (blocks / "blk00000.bkp").rename(blocks / "blk00000.dat")
        assert_equal(self.request(f"/block/{best}.bin")[0], block)

    def test_unserved(self):
        self.log.info("/rest/tx, the block filters and the mempool: argument checks while their data is not kept")
        self.assert_error(f"/tx/{INVALID_PARAM}.json", 400, f"Invalid hash: {INVALID_PARAM}")
        self.assert_error(f"/tx/{UNKNOWN_HASH}.json", 404, f"{UNKNOWN_HASH} not found")
        best = self.node.getbestblockhash()
        self.assert_error(f"/blockfilter/basic/{best}.json", 400, "Index is not enabled for filtertype basic")
        self.assert_error(f"/blockfilter/{INVALID_PARAM}/{best}.json", 400, f"Unknown filtertype {INVALID_PARAM}")
        self.assert_error(f"/blockfilterheaders/basic/{best}%.json", 400, f"Invalid hash: {best}%")
        self.assert_error(f"/blockfilterheaders/basic/{best}.json?count=1", 400, "Index is not enabled for filtertype basic")
        self.assert_error("/mempool/foo.json", 400, "Invalid URI format. Expected /rest/mempool/<info|contents>.json")


if __name__ == "__main__":
    RESTTest(__file__).main()
