#!/usr/bin/env python3
"""Differential checks against a real Bitcoin Core: the same help texts, RPC calls, argument errors, raw HTTP bodies,
REST paths, smithcoin-cli/bitcoin-cli runs, init errors, mined blocks and datadirs, on bitcoind and smithcoind side
by side. Prints every difference after names and versions are normalised; exits 1 if any. See README.md."""

import argparse
import base64
import hashlib
import json
import pathlib
import re
import socket
import subprocess
import sys
import time

from nodes import (FIXTURE, PRE_RELEASE_WARNING, SMITHCOIN_CLI, SMITHCOIND, Node, core_binary, fresh_datadir, free_port, norm, report)

EXPECTED = json.loads((FIXTURE / "expected.json").read_text())
TIP = EXPECTED["getblockchaininfo"]["bestblockhash"]
B1, B111 = EXPECTED["block_hashes"][1], EXPECTED["block_hashes"][111]
TX = EXPECTED["blocks_verbosity2"]["318"]["tx"][1]["txid"]
COINBASE = EXPECTED["blocks_verbosity2"]["318"]["tx"][0]["txid"]
ADDR = "bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080"
OP_TRUE = "raw(51)#8lvh9jxk"
PK1 = "03a34b99f22c790c4e36b2b3c2c35a36db06226e41c692fc82b8b56ac1c540c5bd"
PK2 = "02531fe6068134503d2723133227c867ac8fa6c83c537e9a44c3c5bdbdcb1fe337"
# Changed by every call, or by the node's own state: compared by shape only.
VOLATILE = {"uptime", "getmemoryinfo", "getrpcinfo", "getnetworkinfo", "logging", "gettxoutsetinfo"}


def pair(fixture=True, extra=()):
    return (Node(core_binary("bitcoind"), fresh_datadir("core", fixture), extra),
            Node(SMITHCOIND, fresh_datadir("smith", fixture), extra))


def commands(node):
    return {line.split()[0] for line in node.call("help")[0].splitlines() if line and not line.startswith("==")}


def shape(v):
    if isinstance(v, dict):
        return {k: shape(x) for k, x in v.items() if k != "disk_size"}
    return type(v).__name__


def same(a, b):
    return norm(json.dumps(a, sort_keys=True)) == norm(json.dumps(b, sort_keys=True))


def check_help():
    core, smith = pair()
    with core, smith:
        ours, theirs = commands(smith), commands(core)
        print("Core's commands not served here yet:", " ".join(sorted(theirs - ours)) or "none")
        extra = sorted(ours - theirs)
        bad = len(extra)
        if extra:
            print("### commands Core does not have:", extra)
        for cmd in sorted(ours & theirs):
            a, b = norm(core.call("help", cmd)[0]), norm(smith.call("help", cmd)[0])
            if a != b:
                bad += 1
                print(f"### help {cmd}\n--- core\n{a}\n--- smith\n{b}")
        return report("help", bad, len(ours | theirs))


CALLS = [
    ("getblockcount",), ("getblockcount", 1), ("getbestblockhash",), ("getblockhash", 0), ("getblockhash", -1), ("getblockhash", 319),
    ("getblockhash", "x"), ("getblockhash", 1.5), ("getblock", TIP), ("getblock", TIP, 0), ("getblock", B111, 2), ("getblock", B111, 3),
    ("getblock", TIP, 4), ("getblock", TIP, True), ("getblock", "00" * 32), ("getblock", "zz"), ("getblock", EXPECTED["stale_branch_first"], 1),
    ("getblockheader", TIP), ("getblockheader", TIP, False), ("getblockchaininfo",), ("getdeploymentinfo",), ("getdeploymentinfo", B111),
    ("getchaintips",), ("getdifficulty",), ("getchaintxstats",), ("getchaintxstats", 10, B111), ("getchaintxstats", 0), ("getchaintxstats", 400),
    ("gettxout", TX, 0), ("gettxout", TX, 0, False), ("gettxout", TX, 99), ("gettxout", COINBASE, 0), ("gettxout", "xx", 0),
    ("gettxoutsetinfo",), ("gettxoutsetinfo", "muhash"), ("gettxoutsetinfo", "none"), ("gettxoutsetinfo", "bogus"), ("gettxoutsetinfo", "muhash", 111),
    ("verifychain",), ("verifychain", 4, 10), ("verifychain", 5, 1), ("getblockstats", 111), ("getblockstats", 318, ["height", "txs"]),
    ("getblockstats", 318, ["bogus"]), ("gettxoutproof", [TX]), ("gettxoutproof", [TX], TIP), ("gettxoutproof", ["00" * 32]), ("gettxoutproof", [TX, TX]),
    ("scantxoutset", "status"), ("scantxoutset", "start", [f"addr({ADDR})"]), ("scantxoutset", "start", ["bogus"]),
    ("waitforblockheight", 1, 1), ("waitforblock", TIP, 1), ("waitfornewblock", 1), ("echo", 1, "a", [2]), ("echojson", 1, "a"),
    ("getmininginfo",), ("getnetworkhashps", 120, 111), ("getnetworkhashps", 0), ("getblocktemplate",), ("getblocktemplate", {"rules": ["segwit"]}),
    ("getblocktemplate", {"mode": "proposal"}), ("submitblock", "00"), ("submitheader", "00" * 80), ("getprioritisedtransactions",),
    ("prioritisetransaction", TX, 0, 1000), ("getprioritisedtransactions",), ("prioritisetransaction", TX, 1, 1000),
    ("validateaddress", ADDR), ("validateaddress", "bogus"), ("getdescriptorinfo", f"wpkh({PK1})"), ("deriveaddresses", f"wpkh({PK1})"),
    ("createmultisig", 1, [PK1, PK2]), ("createmultisig", 2, [PK1, PK2], "bech32"), ("createmultisig", 1, [PK1, PK2], "bech32m"),
    ("signmessagewithprivkey", "cVpF924EspNh8KjYsfhgY96mmxvT6DgdWiTYMtMjuM74hJaU5psW", "hi"), ("verifymessage", ADDR, "AAAA", "hi"),
    ("estimatesmartfee", 1), ("estimatesmartfee", 1, "bogus"), ("getindexinfo",), ("getnetworkinfo",), ("getrpcinfo",), ("nosuchmethod",),
    ("getblockfrompeer", TIP, 0), ("pruneblockchain", 10), ("preciousblock", B111), ("invalidateblock", "00" * 32), ("setmocktime", -1),
    ("mockscheduler", 3601), ("uptime",), ("getmemoryinfo", "mallocinfo"), ("logging", ["bogus"]),
]


def check_calls():
    core, smith = pair()
    with core, smith:
        absent = commands(core) - commands(smith)
        bad = 0
        for method, *params in CALLS:
            if method in absent:
                continue
            a, b = core.call(method, *params), smith.call(method, *params)
            equal = (a[1] == b[1] and shape(a[0]) == shape(b[0])) if method in VOLATILE else same(a, b)
            if not equal:
                bad += 1
                print(f"### {method} {json.dumps(params)[:120]}\n  core : {json.dumps(a)[:800]}\n  smith: {json.dumps(b)[:800]}")
        return report("RPC calls on the fixture", bad, len(CALLS))


# Commands that change the chain or wait are left out of the wrong-argument sweep.
SWEEP_SKIP = {"stop", "generate", "generatetoaddress", "generatetodescriptor", "generateblock", "invalidateblock", "reconsiderblock",
              "preciousblock", "pruneblockchain", "setmocktime", "mockscheduler", "waitfornewblock", "waitforblock", "waitforblockheight",
              "dumptxoutset", "submitblock", "submitheader", "logging", "scantxoutset", "scanblocks"}


def check_arguments():
    core, smith = pair()
    with core, smith:
        bad = total = 0
        for cmd in sorted((commands(core) & commands(smith)) - SWEEP_SKIP):
            cases = [[1] * 9] + [[None] * i + [v] for i in range(4) for v in ({}, "x", -1, True)]
            for params in cases:
                total += 1
                a, b = core.call(cmd, *params), smith.call(cmd, *params)
                if (a[1] is not None or b[1] is not None) and not same(a[1], b[1]):
                    bad += 1
                    print(f"### {cmd} {json.dumps(params)}\n  core : {json.dumps(a)[:300]}\n  smith: {json.dumps(b)[:300]}")
        return report("wrong arguments", bad, total)


BODIES = [
    '[{"method":"getblockcount","id":1},{"method":"nosuch","id":2}]', "[]", "[1]", '{"jsonrpc":"2.0","id":1,"method":"getblockcount"}',
    '{"jsonrpc":"2.0","method":"getblockcount"}', '{"jsonrpc":"2.0","id":1,"method":"nosuch"}', '{"id":1,"method":"nosuch"}', "{bad", "123",
    '{"id":1}', '{"id":1,"method":5}', '{"id":1,"method":"getblockhash","params":5}', '{"jsonrpc":"3.0","id":1,"method":"getblockcount"}',
    '{"jsonrpc":"2.0","id":1,"method":"getblockhash","params":{"height":0,"bogus":1}}', '{"jsonrpc":"2.0","id":1,"method":"echo","params":{"arg0":1,"args":[2,3]}}',
    '{"jsonrpc":"2.0","id":1,"method":"echo","params":{"arg1":1,"args":[2,3]}}', '{"jsonrpc":"2.0","id":null,"method":"getblockcount"}',
    '{"jsonrpc":"2.0","id":1,"method":"getblockhash","params":[-5]}', '[{"jsonrpc":"2.0","method":"getblockcount"}]', "",
    '{"method":"getblockcount","id":1}x', '"str"', '{"jsonrpc":2,"id":1,"method":"getblockcount"}',
    '{"jsonrpc":"2.0","id":1.50,"method":"echojson","params":[1.0,-0,1e400,[0.1e1]]}', '{"id":-0,"method":"getblockhash","params":[1E0]}',
    '{"id":1,"method":"getblockhash","params":[1e400]}', '{"id":1,"method":"getblockstats","params":[1.0]}',
]


def check_http():
    core, smith = pair()
    with core, smith:
        cases = [("POST", "/", b, True) for b in BODIES] + [("GET", "/", "", True), ("POST", "/", '{"method":"getblockcount"}', "Basic eDp5"),
                 ("POST", "/", '{"method":"getblockcount"}', None), ("POST", "/wallet/x", '{"method":"getblockcount","id":1}', True),
                 ("POST", "/foo", '{"method":"getblockcount","id":1}', True), ("PUT", "/", '{"method":"getblockcount","id":1}', True)]
        bad = 0
        for method, path, body, auth in cases:
            got = []
            for node in (core, smith):
                headers = {"Content-Type": "application/json"}
                if auth:
                    headers["Authorization"] = node.auth() if auth is True else auth
                reply, data = node.http(method, path, body, headers)
                got.append((reply.status, reply.getheader("Content-Type"), reply.getheader("WWW-Authenticate"), norm(data.decode(errors="replace"))))
            if got[0] != got[1]:
                bad += 1
                print(f"### {method} {path} {body[:80]!r}\n  core : {got[0]!r}\n  smith: {got[1]!r}")
        return report("raw JSON-RPC over HTTP", bad, len(cases))


def raw_exchange(port, data, linger=1.0, shut=False):
    """The bytes a node sends back for `data` on a fresh connection (our side shut after it with `shut`), and whether
    it closed the connection itself (within `linger` seconds of its last byte)."""
    sock = socket.create_connection(("127.0.0.1", port))
    sock.sendall(data)
    if shut:
        sock.shutdown(socket.SHUT_WR)
    sock.settimeout(linger)
    out, closed = b"", False
    try:
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                closed = True
                break
            out += chunk
    except socket.timeout:
        pass
    except ConnectionResetError:
        closed = True
    sock.close()
    return out, closed


def wire_requests(auth):
    body = b'{"method":"getblockcount","id":1}'
    post = lambda line, *extra, data=body: (f"{line}\r\nAuthorization: {auth}\r\nContent-Length: {len(data)}\r\n"
                                            + "".join(f"{h}\r\n" for h in extra) + "\r\n").encode() + data
    return {
        "1.1": post("POST / HTTP/1.1", "Host: x"),
        "1.1 two pipelined": post("POST / HTTP/1.1") * 2,
        "1.1 close": post("POST / HTTP/1.1", "Connection: close"),
        "1.1 Close, keep-alive": post("POST / HTTP/1.1", "Connection: Close", "Connection: keep-alive"),
        "1.1 keep-alive": post("POST / HTTP/1.1", "Connection: keep-alive"),
        "1.0": post("POST / HTTP/1.0"),
        "1.0 keep-alive": post("POST / HTTP/1.0", "Connection: Keep-Alive"),
        "1.0 keep-alive, close": post("POST / HTTP/1.0", "Connection: keep-alive, close"),
        "1.2": post("POST / HTTP/1.2"),
        "chunked": (f"POST / HTTP/1.1\r\nAuthorization: {auth}\r\nTransfer-Encoding: chunked\r\n\r\n".encode()
                    + f"{len(body):x}\r\n".encode() + body + b"\r\n0\r\n\r\n"),
        "GET": b"GET / HTTP/1.1\r\nHost: x\r\n\r\n",
        "GET 1.0": b"GET / HTTP/1.0\r\n\r\n",
        "no auth": post("POST / HTTP/1.1").replace(f"Authorization: {auth}\r\n".encode(), b""),
        "wrong auth": post("POST / HTTP/1.1").replace(auth.encode(), b"Basic eDp5"),
        "not found": post("POST /nosuch HTTP/1.1"),
        "wallet": post("POST /wallet/x HTTP/1.1"),
        "parse error": post("POST / HTTP/1.1", data=b"{"),
        "REST json": b"GET /rest/chaininfo.json HTTP/1.1\r\n\r\n",
        "REST bin 1.0": f"GET /rest/block/{TIP}.bin HTTP/1.0\r\n\r\n".encode(),
        "REST not found": b"GET /rest/blockhashbyheight/999.json HTTP/1.1\r\n\r\n",
        "garbage": b"GARBAGE\r\n\r\n",
        "bad version": b"POST / HTTP/2.0\r\n\r\n",
        "unknown method": b"FOO / HTTP/1.1\r\nContent-Length: 0\r\n\r\n",
        "DELETE": b"DELETE / HTTP/1.1\r\n\r\n",
        "too large": f"POST / HTTP/1.1\r\nContent-Length: {32 * 1024 * 1024 + 1}\r\n\r\n".encode(),
        "bad length": b"POST / HTTP/1.1\r\nContent-Length: x\r\n\r\n",
        "1.0 keep-alive, bad length": b"POST / HTTP/1.0\r\nConnection: keep-alive\r\nContent-Length: x\r\n\r\n",
        "1.0 bad chunk": b"POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
        "expect other": post("POST / HTTP/1.1", "Expect: x"),
        "1.0 no colon": b"POST / HTTP/1.0\r\nNoColon\r\n\r\n",
        "bare LF": post("POST / HTTP/1.1").replace(b"\r\n", b"\n"),
        "space in a name": post("POST / HTTP/1.1", "Bad Name: x"),
        "folded header": post("POST / HTTP/1.1", "X: a", " b"),
        "lower-case method": post("post / HTTP/1.1"),
        "plus length": b"POST / HTTP/1.1\r\nContent-Length: +2\r\n\r\n{}",
        "two equal lengths": b"POST / HTTP/1.1\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\n{}",
        "length and chunked": b"POST / HTTP/1.1\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        # Not chunked to Core, so a request without a body (a body after it would be the next request, which Core
        # answers before the first: out of order, which this server does not copy).
        "gzip, chunked": f"POST / HTTP/1.1\r\nAuthorization: {auth}\r\nTransfer-Encoding: gzip, chunked\r\n\r\n".encode(),
        "long header": f"POST / HTTP/1.1\r\nX: {'a' * 9000}\r\n\r\n".encode(),
        "control character": b"POST / HTTP/1.1\r\nX: a\x01b\r\n\r\n",
        "short line": b"GET / HTTP/1\r\n\r\n",
        "HTTP/0.9": b"GET /\r\n\r\n",
        "blank line first": b"\r\n" + post("POST / HTTP/1.1"),
        "cut off, then EOF": ("shut", post("POST / HTTP/1.1")[:-3]),
        "whole, then EOF": ("shut", post("POST / HTTP/1.1")),
    }


def check_wire():
    """The raw bytes of replies (Date made equal), and whether the node closes the connection after them."""
    core, smith = pair()
    with core, smith:
        bad = 0
        requests = [wire_requests(node.auth()) for node in (core, smith)]
        for name in requests[0]:
            got = []
            for node, reqs in zip((core, smith), requests):
                req = reqs[name]
                data, closed = raw_exchange(node.port, req[1], shut=True) if isinstance(req, tuple) else raw_exchange(node.port, req)
                text = data.decode("latin1")
                # A master build's warning in getblockchaininfo-like bodies: out of the body and its length.
                warning = f'"{PRE_RELEASE_WARNING}"'
                if warning in text:
                    length = int(re.search(r"Content-Length: (\d+)", text)[1]) - len(warning)
                    text = re.sub(r"Content-Length: \d+", f"Content-Length: {length}", text.replace(warning, ""))
                text = re.sub(r"Date: [^\r]*", "Date: D", norm(text))
                # It moves with the clock between the two nodes' answers, and with it the body's length.
                text, moved = re.subn(r'"verificationprogress":[0-9.e-]+', '"verificationprogress":P', text)
                if moved:
                    text = re.sub(r"Content-Length: \d+", "Content-Length: N", text)
                got.append((text if len(text) < 600 else text[:300] + f"...({len(text)})", closed))
            if got[0] != got[1]:
                bad += 1
                print(f"### {name}\n  core : {got[0]!r}\n  smith: {got[1]!r}")
        return report("raw HTTP bytes and connection closes", bad, len(requests[0]))


REST = [f"/rest/block/{TIP}.json", f"/rest/block/{TIP}.hex", f"/rest/block/notxdetails/{B1}.json", f"/rest/block/{TIP[:10]}.json",
        f"/rest/headers/{B1}.json?count=3", f"/rest/headers/{B1}.hex?count=2", f"/rest/headers/{B1}.json?count=0", f"/rest/headers/5/{B1}.json",
        "/rest/blockhashbyheight/1.json", "/rest/blockhashbyheight/1.hex", "/rest/blockhashbyheight/999.json", "/rest/blockhashbyheight/x.json",
        "/rest/chaininfo.json", "/rest/chaininfo.bin", f"/rest/getutxos/{TX}-0.json", f"/rest/getutxos/checkmempool/{TX}-0.json",
        f"/rest/getutxos/{TX}-0-1.json", f"/rest/tx/{TX}.json", "/rest/deploymentinfo.json", f"/rest/deploymentinfo/{B1}.json",
        f"/rest/spenttxouts/{TIP}.json", f"/rest/blockpart/{TIP}.bin?offset=0&size=10", "/rest/bogus", f"/rest/block/{TIP}", f"/rest/block/{TIP}.xml",
        f"/rest/spenttxouts/{TIP}.bin", f"/rest/spenttxouts/{TIP}.hex", f"/rest/spenttxouts/{B1}.json", f"/rest/spenttxouts/{'00' * 32}.json",
        f"/rest/blockpart/{TIP}.hex?offset=80&size=1", f"/rest/blockpart/{TIP}.json?offset=0&size=10", f"/rest/blockpart/{TIP}.bin?offset=0",
        f"/rest/blockpart/{TIP}.bin?offset=0&size=0", f"/rest/blockpart/{TIP}.bin?offset=99999999&size=1", f"/rest/blockpart/{TIP}.bin?offset=x&size=1",
        f"/rest/blockpart/{TIP}.bin?offset=1&size=9999999", f"/rest/getutxos/{TX}-0.bin", f"/rest/getutxos/{TX}-0.hex", "/rest/getutxos/.json",
        f"/rest/getutxos/{TX}-x.json", f"/rest/headers/{B1}.json?count=2001", f"/rest/headers/{B1}.json?count=x", f"/rest/headers/{B1}.bin",
        f"/rest/blockfilter/basic/{TIP}.json", f"/rest/blockfilterheaders/basic/{TIP}.json?count=1", "/rest/deploymentinfo/bogus.json",
        f"/rest/tx/{'00' * 32}.json", "/rest/blockhashbyheight/-1.json", "/rest/blockhashbyheight/318.bin"]


def check_rest():
    core, smith = pair()
    with core, smith:
        bad = 0
        for path in REST:
            got = []
            for node in (core, smith):
                reply, data = node.http("GET", path)
                got.append((reply.status, reply.getheader("Content-Type"), norm(data.decode(errors="replace"))))
            if got[0] != got[1]:
                bad += 1
                print(f"### {path}\n  core : {got[0]!r:.600}\n  smith: {got[1]!r:.600}")
        return report("REST", bad, len(REST))


CLI = [["getblockcount"], ["getblockhash", "0"], ["getblockhash", "x"], ["getblockhash"], ["nosuch"], ["getblock", "00"],
       ["-named", "getblockhash", "height=1"], ["-named", "getblockhash", "bogus=1"], ["-named", "getblockhash", "height"], ["echo", "a", "1", "[2]"],
       ["echojson", '{"a":1}', "[1,2]"], ["echojson", "{bad"], ["-getinfo"], ["-getinfo", "extra"], ["-generate", "1", "2", "3"],
       ["-rpcwallet=w", "getblockcount"], ["help", "getblockcount"], ["-stdin"], ["verifychain", "x"], ["-rpcport=1", "getblockcount"],
       ["-rpcuser=u", "-rpcpassword=p", "getblockcount"], ["-named", "echo", "arg0=1", "args=[2]"], ["logging", '["all"]', "[]"],
       # Not compared: -version (our copyright lines), -netinfo and -addrinfo (they need P2P's RPCs, which come later).
       ["-bogus"], ["-rpcconnect=127.0.0.1:x", "getblockcount"], ["-rpcclienttimeout=x", "getblockcount"],
       ["-rpcwait", "-rpcwaittimeout=1", "-rpcport=1", "getblockcount"], ["-generate"], ["-generate", "x"], ["-generate", "2", "bogus"],
       ["-getinfo", "-rpcwallet=w"], ["-named", "getblock", f"blockhash={TIP}", "verbosity=0"], ["-named", "getblock", "=x"],
       ["getblockheader", TIP, "false"], ["getblockheader", TIP, "no"], ["getblock", TIP, "1.5"], ["echojson", "1e400"],
       ["echojson", "1.0", "-0", "1e2", "[1.50]", "12345678901234567890"], ["getblockhash", "1.0"], ["getblockhash", "1e0"],
       ["gettxoutsetinfo", "none", "null", "x"], ["-stdinrpcpass", "getblockcount"], ["waitforblockheight", "-1", "1"],
       ["scantxoutset", "start", '["bogus'], ["-color=always", "getblockcount"], ["-rpccookiefile=/nonexistent", "getblockcount"]]


def check_cli():
    core, smith = pair()
    with core, smith:
        bad = 0
        for args in CLI:
            got = []
            for cli, node in ((core_binary("bitcoin-cli"), core), (SMITHCOIN_CLI, smith)):
                run = subprocess.run([cli, "-regtest", f"-datadir={node.datadir}", f"-rpcport={node.port}", *args], input="",
                                     capture_output=True, text=True, timeout=60)
                got.append((run.returncode, norm(run.stdout), norm(run.stderr)))
            if got[0] != got[1]:
                bad += 1
                print(f"### {args}\n  core : {got[0]!r:.800}\n  smith: {got[1]!r:.800}")
        return report("smithcoin-cli against bitcoin-cli", bad, len(CLI))


INIT = [["-bogus"], ["-datadir=/nonexistent/x"], ["-rpcport=0"], ["-port=70000"], ["-prune=100"], ["-minrelaytxfee=abc"], ["-blockmintxfee=x"],
        ["-debug=bogus"], ["-loglevel=bogus"], ["-conf=/nonexistent.conf"], ["-chain=bogus"], ["-testnet", "-signet"], ["-assumevalid=zz"],
        ["-minimumchainwork=zz"], ["-maxmempool=1"], ["-blockmaxweight=5000000"], ["-blockreservedweight=100"], ["-ipcbind=unix"],
        ["-rpcallowip=bogus"], ["-rpcauth=bad"], ["-uacomment=(x)"], ["-reindex-chainstate", "-prune=550"], ["-txindex", "-prune=550"],
        ["-includeconf=x"], ["-settings=/nonexistent/s.json"], ["-blocksdir=/nonexistent/b"], ["-pid=/nonexistent/x/p.pid"],
        ["-rpcport=abc"], ["-rpcport=65536"], ["-dbcache=abc"], ["-par=abc"], ["-par=-100"], ["-checklevel=9"], ["-checkblocks=-1"],
        ["-maxtipage=x"], ["-rpcbind=127.0.0.1"], ["-rpcbind=10.0.0.1", "-rpcallowip=10.0.0.0/8"], ["-rpcallowip=1.2.3.4/33"],
        ["-rpcthreads=0"], ["-rpcworkqueue=0"], ["-rpcservertimeout=0"], ["-blockversion=x"], ["-prune=-1"], ["-prune=x"],
        ["-debug=all", "-debugexclude=bogus"], ["-loglevel=net:bogus"], ["-loglevel=bogus:info"], ["-logratelimit=x"],
        ["-assumevalid=0", "-reindex", "-reindex-chainstate"], ["-noconnect", "-connect=1.2.3.4"], ["-rpccookieperms=bogus"],
        ["-rpcwhitelist=bad"], ["-rpcwhitelist=u:a", "-rpcwhitelist=u:b"], ["-shutdownnotify"], ["-maxconnections=-1"]]


def check_init():
    bad = 0
    for args in INIT:
        got = []
        for name, exe in (("core", core_binary("bitcoind")), ("smith", SMITHCOIND)):
            datadir = fresh_datadir(f"init-{name}", False)
            argv = [exe, "-regtest", f"-datadir={datadir}", "-listen=0", f"-rpcport={free_port()}", *args, "-printtoconsole=0"]
            try:
                run = subprocess.run(argv, capture_output=True, text=True, timeout=20)
                got.append((run.returncode, norm(run.stderr).strip(), norm(run.stdout).strip()[:200]))
            except subprocess.TimeoutExpired:
                got.append(("started",))
                subprocess.run(["pkill", "-f", "--", f"-datadir={datadir}"], check=False)
        if got[0] != got[1]:
            bad += 1
            print(f"### {args}\n  core : {got[0]!r:.600}\n  smith: {got[1]!r:.600}")
    return report("init errors", bad, len(INIT))


MINING = [("setmocktime", 1767225600), ("generatetoaddress", 3, ADDR), ("generatetodescriptor", 2, OP_TRUE),
          ("getblocktemplate", {"rules": ["segwit"]}), ("generateblock", ADDR, []), ("getmininginfo",), ("setmocktime", 1767229200),
          ("generatetoaddress", 101, ADDR), ("getblockchaininfo",), ("getchaintxstats",), ("gettxoutsetinfo",), ("getblockstats", 50),
          ("getdeploymentinfo",), ("getnetworkhashps",), ("getchaintips",), ("getblocktemplate", {"rules": ["segwit"]})]


def check_mining():
    core, smith = pair(fixture=False)
    with core, smith:
        bad = 0
        for method, *params in MINING:
            a, b = core.call(method, *params), smith.call(method, *params)
            for r in (a[0], b[0]):
                if isinstance(r, dict):
                    r.pop("disk_size", None)
                    r.pop("verificationprogress", None)
            if not same(a, b):
                bad += 1
                print(f"### {method} {json.dumps(params)[:100]}\n  core : {json.dumps(a)[:800]}\n  smith: {json.dumps(b)[:800]}")
        for name, node in (("core", core), ("smith", smith)):
            node.call("dumptxoutset", str(node.datadir / "utxo.dat"), "latest")
        digests = [hashlib.sha256((n.datadir / "utxo.dat").read_bytes()).hexdigest() for n in (core, smith)]
        if digests[0] != digests[1]:
            bad += 1
            print("### dumptxoutset files differ:", digests)
        return report("mining under the same mock time (blocks, templates, dumptxoutset bytes)", bad, len(MINING) + 1)


def h(height):
    """A step's parameter: the hash at `height` on the node's active chain."""
    return ("HASH", height)


def tip_hex(node):
    return node.call("getblock", node.call("getbestblockhash")[0], 0)[0]


def header_hex(node, height):
    return node.call("getblockheader", node.call("getblockhash", height)[0], False)[0]


STATES = [("setmocktime", 1767225600), ("generatetoaddress", 110, ADDR), ("submitblock", "TIP_HEX"), ("submitheader", "HEADER_5"),
          ("submitblock", "OVERPAYING"), ("getchaintips",), ("submitblock", "OVERPAYING"), ("invalidateblock", h(108)), ("getchaintips",),
          ("getblockchaininfo",), ("reconsiderblock", h(108)), ("invalidateblock", "00" * 32), ("reconsiderblock", "00" * 32),
          ("preciousblock", "00" * 32), ("invalidateblock", h(0)), ("getchaintips",), ("reconsiderblock", h(0)),
          ("getblocktemplate", {"mode": "proposal", "data": "TIP_HEX"}), ("getblocktemplate", {"mode": "proposal", "data": "OVERPAYING"}),
          ("getblocktemplate", {"mode": "proposal", "data": "00"}), ("waitforblockheight", 200, 10), ("waitforblock", "00" * 32, 10),
          ("waitfornewblock", 10), ("getindexinfo",), ("scanblocks", "start", [f"addr({ADDR})"]), ("getblockfrompeer", h(1), 0),
          ("gettxoutproof", ["00" * 32], h(5)), ("verifychain", 4, 0), ("getchaintxstats", 50), ("getblockstats", h(100)),
          ("pruneblockchain", 10), ("estimatesmartfee", 6), ("getmininginfo",), ("getnetworkhashps", -1), ("getdifficulty",)]


def state_arg(node, p, seen):
    """A STATES parameter for `node`: placeholders made from its chain (h(height) as first seen), inside objects too."""
    if isinstance(p, dict):
        return {k: state_arg(node, v, seen) for k, v in p.items()}
    if isinstance(p, tuple):
        if p[1] not in seen:
            seen[p[1]] = node.call("getblockhash", p[1])[0]
        return seen[p[1]]
    made = {"TIP_HEX": lambda: tip_hex(node), "HEADER_5": lambda: header_hex(node, 5), "OVERPAYING": lambda: overpaying_block(node)}
    return made[p]() if isinstance(p, str) and p in made else p


def check_states():
    """RPC answers across states two nodes reach alike under mock time: duplicates, bad headers and blocks, invalidation,
    proposals, waits with timeouts, and the errors of what this node does not have (index, peers, pruning)."""
    core, smith = pair(fixture=False)
    with core, smith:
        bad = 0
        # A height's hash as first seen, so that it still names the block once invalidated.
        hashes = {core: {}, smith: {}}
        for method, *params in STATES:
            got = []
            for node in (core, smith):
                result = node.call(method, *(state_arg(node, p, hashes[node]) for p in params))
                for r in (result[0],):
                    if isinstance(r, dict):
                        r.pop("disk_size", None)
                        r.pop("verificationprogress", None)
                        r.pop("size_on_disk", None)
                got.append(result)
            if not same(*got):
                bad += 1
                print(f"### {method} {json.dumps(params)[:100]}\n  core : {json.dumps(got[0])[:800]}\n  smith: {json.dumps(got[1])[:800]}")
        return report("RPC answers across chain states under the same mock time", bad, len(STATES))


def chain_facts(node):
    utxo = node.call("gettxoutsetinfo")[0]
    utxo.pop("disk_size", None)
    return (node.call("getbestblockhash")[0], utxo, node.call("gettxoutsetinfo", "muhash")[0]["muhash"],
            node.call("verifychain", 4, 0)[0], node.call("getchaintips")[0])


def wait_height(node, height):
    while node.call("getblockcount")[0] != height:
        time.sleep(0.1)


def check_datadir():
    datadir = fresh_datadir("round-trip", False)
    bad = 0
    with Node(SMITHCOIND, datadir) as smith:
        smith.call("generatetodescriptor", 150, OP_TRUE)
        smith.call("generatetoaddress", 60, ADDR)
        smith.call("invalidateblock", smith.call("getbestblockhash")[0])
        smith.call("generatetodescriptor", 3, OP_TRUE)
        ours = chain_facts(smith)
    with Node(core_binary("bitcoind"), datadir) as core:
        bad += chain_facts(core) != ours
        core.call("generatetodescriptor", 20, "raw(52)#qu92mhx7")
        theirs = chain_facts(core)
    with Node(SMITHCOIND, datadir) as smith:
        bad += chain_facts(smith) != theirs
    height = 232
    for exe in (core_binary("bitcoind"), SMITHCOIND):
        # A reindex forgets invalidateblock, in both: the facts but the chain tips must agree with each other.
        with Node(exe, datadir, ["-reindex"]) as node:
            wait_height(node, height)
            facts = chain_facts(node)
        if exe == SMITHCOIND:
            bad += facts != reindexed
        reindexed = facts
    return report("a datadir through smithcoind -> bitcoind -> smithcoind, then -reindex by each", bad, 4)


# Lines of parts Smithcoin does not have yet (P2P, the transaction mempool, wallets, Tor, indexes' threads), of
# Core's own build (entropy sources, SHA-256 implementation) and [bench] timings: left out of the log comparison.
FOREIGN_LOG = re.compile(r"thread (start|exit)|net|[Aa]ddr|anchors|dnsseed|DNS|[Mm]empool|mempool\.dat|Leaving|opencon|PNP|"
                         r"[Bb]anlist|peers\.dat|fee_estimates|RdRand|RdSeed|SHA256 implementation|automatic connections|"
                         r"IP bucketing|NODE_NETWORK|SetNetworkActive|prevout fetching|wallet|[Tt]orcontrol|Tor |"
                         r"unbroadcast|\[bench\]|Default data directory|Config file|version v")
# Ports, ids, addresses, keys and hashes, timings and cache sizes differ between any two runs.
LOG_VARIABLE = [(re.compile(r"127\.0\.0\.1:\d+"), "PEER"), (re.compile(r"[0-9a-f]{16,}"), "H"), (re.compile(r"in \d+ms"), "in Nms"),
                (re.compile(r"cache=[0-9.]+MiB"), "cache=NMiB"), (re.compile(r"size: \d+\)"), "size: N)"),
                (re.compile(r"Sent \d+ bytes"), "Sent N bytes"), (re.compile(r"\(id=\d+\)"), "(id=N)"),
                (re.compile(r'port="\d+"'), 'port="N"'),
                # Core logs the block tree's size while its import thread may already be adding to it: a race.
                (re.compile(r"block tree size = \d+"), "block tree size = N"),
                # Core logs the height at the end of init while -reindex-chainstate may already be connecting: a race.
                (re.compile(r"nBestHeight = \d+"), "nBestHeight = N"),
                # A choice, not an oversight: our LevelDB keeps at most 64 files open where Core's 64-bit build allows
                # 1000, so that many test nodes on one machine stay within the descriptor limit.
                (re.compile(r"max_open_files=\d+ "), "max_open_files=N ")]


def log_lines(node):
    """The debug.log of a stopped node, without timestamps, with names and run-to-run values made equal."""
    out = set()
    for line in (node.datadir / "regtest" / "debug.log").read_text(errors="replace").splitlines():
        text = re.sub(r"^\S+Z (\(mocktime: [^)]*\) )?", "", line)
        if not text or FOREIGN_LOG.search(text):
            continue
        text = norm(text).replace("Bitcoin", "Smithcoin").replace(str(node.datadir), "DATADIR")
        for pattern, repl in LOG_VARIABLE:
            text = pattern.sub(repl, text)
        out.add(text)
    return out


LOG_DEBUG = ["-debug=validation", "-debug=rpc", "-debug=http", "-debug=coindb", "-debug=leveldb", "-debug=blockstorage",
             "-debug=reindex", "-debug=prune"]


# Whether a call made while a node starts still meets the RPC warm-up (-28, status 500) is a matter of timing.
WARMUP_RACE = re.compile(r"status code: 500 ")


def compare_logs(title, runs, extra=(), racy=WARMUP_RACE):
    """Each run (start arguments, steps, height to wait for) on one datadir per node, in turn; then the lines as sets.
    A step is an RPC call, or a function of the node (for what needs its answers). Lines matching `racy` depend on
    timing in either node and are left out."""
    bad = 0
    lines = []
    for exe, name in ((core_binary("bitcoind"), "core"), (SMITHCOIND, "smith")):
        datadir = fresh_datadir(name, fixture=False)
        for args, steps, height in runs:
            args = [a.replace("DATADIR", str(datadir)) for a in args]
            for a in args:
                if a.startswith("-blocksdir="):
                    pathlib.Path(a.split("=", 1)[1]).mkdir(exist_ok=True)
            with Node(exe, datadir, [*LOG_DEBUG, *extra, *args]) as node:
                if height is not None:
                    wait_height(node, height)
                for step in steps:
                    step(node) if callable(step) else node.call(*step)
        lines.append({line for line in log_lines(node) if racy is None or not racy.search(line)})
    for only, who in ((lines[0] - lines[1], "core"), (lines[1] - lines[0], "smith")):
        for text in sorted(only):
            bad += 1
            print(f"### only {who}: {text}")
    return report(f"debug.log lines of {title} (as sets; P2P, mempool and wallet lines left out)", bad, len(lines[0] | lines[1]))


def invalidate_and_reconsider(node):
    height2 = node.call("getblockhash", 2)[0]
    node.call("invalidateblock", height2)
    node.call("reconsiderblock", height2)


def check_logs():
    """The same start, mining, invalidation, restart and -reindex with every debug category we have: the same lines."""
    steps = [("setmocktime", 1767229200), ("generatetoaddress", 3, ADDR), invalidate_and_reconsider, ("verifychain", 4, 0),
             ("pruneblockchain", 1)]
    return compare_logs("a session", [([], steps, None), (["-reindex"], [], 3)])


def sha256d(data):
    return hashlib.sha256(hashlib.sha256(data).digest()).digest()


def overpaying_block(node):
    """A block at the tip whose coinbase pays one satoshi too much (bad-cb-amount at ConnectBlock), ground to regtest's
    target: the header, structure and witness commitment are all valid."""
    raw = bytes.fromhex(node.call("generateblock", ADDR, [], False)[0]["hex"])
    # header (80), one transaction: version, segwit marker and flag, one input, then the outputs
    tx = 81
    script_len = raw[tx + 6 + 1 + 36]
    first_value = tx + 6 + 1 + 36 + 1 + script_len + 4 + 1
    value = int.from_bytes(raw[first_value:first_value + 8], "little") + 1
    raw = raw[:first_value] + value.to_bytes(8, "little") + raw[first_value + 8:]
    # The txid is over the transaction without its witness: the version, then everything from the input count to the
    # witness, then the lock time.
    outputs_end = first_value
    for _ in range(raw[first_value - 1]):
        outputs_end += 8 + 1 + raw[outputs_end + 8]
    stripped = raw[tx:tx + 4] + raw[tx + 6:outputs_end] + raw[-4:]
    header = bytearray(raw[:80])
    header[36:68] = sha256d(stripped)
    for nonce in range(1 << 32):
        header[76:80] = nonce.to_bytes(4, "little")
        if int.from_bytes(sha256d(bytes(header)), "little") < 0x7fffff << 232:
            break
    return (bytes(header) + raw[80:]).hex()


def submit_overpaying_block(node):
    node.call("submitblock", overpaying_block(node))


def copy_blocks_for_loadblock(node):
    node.stop()
    (node.datadir / "load.dat").write_bytes((node.datadir / "regtest" / "blocks" / "blk00000.dat").read_bytes())


def wait_for_import(node):
    """Until the -loadblock file is read (the node would otherwise stop in the middle, and say so)."""
    log = node.datadir / "regtest" / "debug.log"
    deadline = time.time() + 60
    while time.time() < deadline:
        text = log.read_text(errors="replace")
        start = text.rfind("Importing blocks file")
        if start >= 0 and "Loaded " in text[start:]:
            return
        time.sleep(0.05)
    raise TimeoutError("the -loadblock import did not finish")


def check_logs_errors():
    """An invalid block submitted, dumptxoutset, then -reindex-chainstate and -loadblock, with every debug category."""
    steps = [("setmocktime", 1767229200), ("generatetoaddress", 5, ADDR), submit_overpaying_block,
             ("submitheader", "00" * 80), ("dumptxoutset", "utxo.dat", "latest"), ("generatetoaddress", 1, ADDR)]
    runs = [([], steps, None), (["-reindex-chainstate"], [copy_blocks_for_loadblock], 6),
            (["-loadblock=DATADIR/load.dat"], [wait_for_import], 6)]
    return compare_logs("invalid blocks, a snapshot, -reindex-chainstate and -loadblock", runs, extra=["-blocksxor=0"])


def reorganise(node):
    """Three blocks off, a longer branch of four, then back: disconnects, invalid chains and a reorg each way."""
    fork = node.call("getblockhash", 3)[0]
    node.call("invalidateblock", fork)
    node.call("generatetodescriptor", 4, OP_TRUE)
    node.call("reconsiderblock", fork)
    node.call("preciousblock", node.call("getblockhash", 5)[0])
    node.call("invalidateblock", node.call("getbestblockhash")[0])
    node.call("generatetoaddress", 2, ADDR)


def check_logs_reorg():
    """Reorganisations through invalidateblock, reconsiderblock and preciousblock, with every debug category."""
    steps = [("setmocktime", 1767229200), ("generatetoaddress", 5, ADDR), reorganise, ("getchaintips",)]
    return compare_logs("reorganisations", [([], steps, None), ([], [], 7)])


def misuse_rpc(node):
    """A wrong password, bodies that are not JSON-RPC, unknown methods and paths, a batch, and REST requests."""
    good = {"Authorization": node.auth(), "Content-Type": "application/json"}
    bad = {"Authorization": "Basic " + base64.b64encode(b"__cookie__:wrong").decode()}
    node.http("POST", "/", '{"method":"getblockcount"}', bad)
    for body in ("{", "[]", '"x"', '{"method":1}', '{"method":"nosuch"}', '[{"method":"getblockcount"},{"method":"nosuch"}]',
                 '{"jsonrpc":"2.0","method":"getblockcount"}', '{"method":"getblockhash","params":["x"]}'):
        node.http("POST", "/", body, good)
    node.http("GET", "/", None, good)
    node.http("POST", "/wallet/x", '{"method":"getbalance"}', good)
    for path in ("/rest/chaininfo.json", "/rest/block/" + "00" * 32 + ".json", "/rest/headers/1/x.bin", "/rest/nosuch"):
        node.http("GET", path)
    for raw in (b"POST / HTTP/1.1\r\nNoColon\r\n\r\n", b"GARBAGE\r\n\r\n", b"POST / HTTP/2.0\r\n\r\n", b"FOO / HTTP/1.1\r\n\r\n",
                b"POST / HTTP/1.1\r\nContent-Length: 99999999999\r\n\r\n", b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"):
        raw_exchange(node.port, raw, linger=0.3)


def check_logs_rpc():
    """The RPC and REST servers' lines for misuse, with -rpcauth and a whitelist, under every debug category."""
    auth = "-rpcauth=alice:53f1a6d3b1d8be34e8f7c7eaf9c1e43d$0dc8baeb3f1b4c2ae0f7e3d0b1c1b8c1ac0f54c76a2e9d8b0d0b1c9c4de2f3a1"
    runs = [([auth, "-rpcwhitelist=alice:getblockcount", "-rpcwhitelistdefault=0"], [misuse_rpc], None)]
    return compare_logs("RPC and REST misuse", runs)


def check_logs_prune():
    """Manual pruning over small block files (-fastprune), a restart, and a -reindex of a pruned node."""
    steps = [("setmocktime", 1767229200), ("generatetoaddress", 1000, ADDR), ("pruneblockchain", 600), ("getblockchaininfo",)]
    # The reindex finds blk00000.dat pruned away, so every file is unusable and the chain starts again from genesis.
    runs = [([], steps, None), ([], [("pruneblockchain", 700)], 1000),
            (["-reindex"], [("setmocktime", 1767229300), ("generatetoaddress", 2, ADDR)], 0)]
    return compare_logs("pruning", runs, extra=["-prune=1", "-fastprune"])


def check_logs_options():
    """Start-up under assorted options (their Command-line arg and parameter interaction lines, and what they change),
    then a restart with others."""
    first = ["-blocksdir=DATADIR/blocksdir", "-blocksxor=0", "-dbcache=5", "-par=1", "-checkblocks=2", "-checklevel=4",
             "-maxtipage=100", "-assumevalid=0f9188f13cb7b2c71f2a335e3a4fc328bf5beb436012afca590b1a11466e2206",
             "-blockmaxweight=300000", "-blockmintxfee=0.00002", "-uacomment=probe", "-rpcthreads=2", "-rpcworkqueue=4",
             "-loglevel=validation:trace", "-debugexclude=http", "-logratelimit=0", "-persistmempool=0", "-txindex=0"]
    steps = [("setmocktime", 1767229200), ("generatetoaddress", 12, ADDR), ("getnetworkinfo",), ("logging", ["rpc"], ["validation"])]
    second = ["-blocksdir=DATADIR/blocksdir", "-blocksxor=0", "-par=2", "-checkblocks=0", "-assumevalid=0", "-dbcache=0",
              "-shrinkdebugfile=0", "-nodebuglogfile=0", "-logtimemicros=0", "-reindex-chainstate"]
    runs = [(first, steps, None), (second, [("setmocktime", 1767229300), ("generatetoaddress", 1, ADDR)], 12)]
    return compare_logs("start-ups under assorted options", runs)


CHECKS = {"help": check_help, "calls": check_calls, "arguments": check_arguments, "http": check_http, "rest": check_rest,
          "cli": check_cli, "init": check_init, "mining": check_mining, "states": check_states, "datadir": check_datadir, "wire": check_wire, "logs": check_logs,
          "logs-errors": check_logs_errors, "logs-reorg": check_logs_reorg, "logs-rpc": check_logs_rpc,
          "logs-prune": check_logs_prune, "logs-options": check_logs_options}


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("checks", nargs="*", choices=[*CHECKS, []], help="which to run (default: all)")
    names = parser.parse_args().checks or list(CHECKS)
    differences = sum(CHECKS[name]() for name in names)
    print(f"{differences} difference(s)")
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
