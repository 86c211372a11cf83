#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The Smithcoin Core developers; the licence text is in LICENSE.
"""The mining RPCs on one node: generatetoaddress, generatetodescriptor and generateblock (with raw
transactions spending an OP_TRUE coinbase), block times under mock time, getblocktemplate (template,
proposal mode, longpoll), submitblock and submitheader with BIP22 results, getmininginfo,
getnetworkhashps, prioritisetransaction without a mempool, and the block-size init errors."""

import threading
import time
from decimal import Decimal

from test_framework.authproxy import AuthServiceProxy
from test_framework.block_builder import (
    COIN,
    OP_TRUE_DESCRIPTOR,
    OP_TRUE_P2WSH,
    Block,
    coinbase_of,
    op_true_spend,
)
from test_framework.test_framework import SmithcoinTestFramework
from test_framework.util import assert_equal, assert_raises_rpc_error, rpc_url

MAX_BLOCK_WEIGHT = 4_000_000
DEFAULT_BLOCK_RESERVED_WEIGHT = 8000
MINIMUM_BLOCK_RESERVED_WEIGHT = 2000
HALVING_INTERVAL = 150
GBT_RULES = {"rules": ["segwit"]}


class MiningBasicTest(SmithcoinTestFramework):
    def set_test_params(self):
        self.setup_clean_chain = True
        self.num_nodes = 1

    def run_test(self):
        self.node = self.nodes[0]
        self.check_generate_and_times()
        self.check_generateblock()
        self.check_getblocktemplate()
        self.check_longpoll()
        self.check_submitblock()
        self.check_submitheader()
        self.check_info_rpcs()
        self.check_init_errors()

    def mine_block_hex(self):
        """A valid block on the tip, not submitted."""
        return Block.from_hex(self.node.generateblock(OP_TRUE_DESCRIPTOR, [], False)["hex"])

    def check_generate_and_times(self):
        node = self.node
        self.log.info("generatetodescriptor mines to an OP_TRUE P2WSH; block times are max(MTP+1, mock time)")
        now = int(time.time())
        node.setmocktime(now)
        hashes = node.generatetodescriptor(101, OP_TRUE_DESCRIPTOR)
        assert_equal(len(hashes), 101)
        for h in hashes:
            header = node.getblockheader(h)
            prev_mtp = node.getblockheader(header["previousblockhash"])["mediantime"]
            assert_equal(header["time"], max(prev_mtp + 1, now))
        # The mock clock is still: after six blocks at `now` the median passes it and MTP+1 wins.
        assert node.getblockheader(hashes[-1])["time"] > now
        block = node.getblock(hashes[0], 2)
        assert_equal(block["tx"][0]["vout"][0]["scriptPubKey"]["hex"], OP_TRUE_P2WSH.hex())

        self.log.info("a later mock time is taken as it is")
        later = node.getblockheader(hashes[-1])["time"] + 1000
        node.setmocktime(later)
        h = node.generatetoaddress(1, "mjTkW3DjgyZck4KbiRusZsqTgaYTxdSz6z")[0]
        assert_equal(node.getblockheader(h)["time"], later)

        self.log.info("bad outputs and counts")
        assert_raises_rpc_error(-5, "Error: Invalid address", node.generatetoaddress, 1, "notanaddress")
        assert_raises_rpc_error(-5, "'notadescriptor' is not a valid descriptor function",
                                node.generatetodescriptor, 1, "notadescriptor")
        assert_equal(node.generatetodescriptor(0, OP_TRUE_DESCRIPTOR), [])
        assert_raises_rpc_error(-32601, "has been replaced by the -generate cli option", node.rpc.generate)

    def check_generateblock(self):
        node = self.node
        self.log.info("generateblock with raw transactions: a coinbase spend and its child in one block")
        cb_txid, cb_value = coinbase_of(node, node.getblockhash(1))
        parent = op_true_spend(cb_txid, 0, cb_value, n_outputs=2)
        child = op_true_spend(parent.txid_hex(), 1, parent.vout[1].value)
        tip_before = node.getbestblockhash()
        result = node.generateblock(OP_TRUE_DESCRIPTOR, [parent.hex(), child.hex()])
        assert_equal(sorted(result), ["hash"])
        assert_equal(node.getbestblockhash(), result["hash"])
        block = node.getblock(result["hash"])
        assert_equal(block["previousblockhash"], tip_before)
        assert_equal(block["tx"][1:], [parent.txid_hex(), child.txid_hex()])
        assert_equal(node.gettxout(cb_txid, 0, False), None)
        assert_equal(node.gettxout(parent.txid_hex(), 1, False), None)
        assert_equal(node.gettxout(child.txid_hex(), 0, False)["value"], Decimal(child.vout[0].value) / COIN)
        self.spare = (parent.txid_hex(), 0, parent.vout[0].value)

        self.log.info("generateblock refuses what would make an invalid block, and says why")
        # The parent again: its unspent output would be overwritten (BIP30 holds on regtest).
        assert_raises_rpc_error(-25, "TestBlockValidity failed: bad-txns-BIP30, tried to overwrite transaction",
                                node.generateblock, OP_TRUE_DESCRIPTOR, [parent.hex()])
        assert_raises_rpc_error(-25, "TestBlockValidity failed: bad-txns-inputs-missingorspent",
                                node.generateblock, OP_TRUE_DESCRIPTOR, [op_true_spend("cd" * 32, 0, COIN).hex()])
        later = op_true_spend(*self.spare)
        grandchild = op_true_spend(later.txid_hex(), 0, later.vout[0].value)
        assert_raises_rpc_error(-25, "TestBlockValidity failed: bad-txns-inputs-missingorspent",
                                node.generateblock, OP_TRUE_DESCRIPTOR, [grandchild.hex(), later.hex()])
        assert_raises_rpc_error(-22, "Transaction decode failed for 00. Make sure the tx has at least one input.",
                                node.generateblock, OP_TRUE_DESCRIPTOR, ["00"])
        missing = "ab" * 32
        assert_raises_rpc_error(-5, f"Transaction {missing} not in mempool.", node.generateblock, OP_TRUE_DESCRIPTOR, [missing])
        assert_raises_rpc_error(-5, "Error: Invalid address or descriptor", node.generateblock, "nope", [])

        self.log.info("generateblock submit=false returns the block unsubmitted; submitblock takes it once")
        tip = node.getbestblockhash()
        unsent = node.generateblock(output=OP_TRUE_DESCRIPTOR, transactions=[], submit=False)
        assert_equal(sorted(unsent), ["hash", "hex"])
        assert_equal(node.getbestblockhash(), tip)
        assert_equal(Block.from_hex(unsent["hex"]).hash(), unsent["hash"])
        assert_equal(node.submitblock(unsent["hex"]), None)
        assert_equal(node.getbestblockhash(), unsent["hash"])
        assert_equal(node.submitblock(unsent["hex"]), "duplicate")

    def check_getblocktemplate(self):
        node = self.node
        self.log.info("getblocktemplate: the segwit rule is required; the template extends the tip")
        assert_raises_rpc_error(-8, "getblocktemplate must be called with the segwit rule set", node.getblocktemplate, {})
        assert_raises_rpc_error(-1, "getblocktemplate {", node.getblocktemplate)
        tmpl = node.getblocktemplate(GBT_RULES)
        height = node.getblockcount() + 1
        assert_equal(tmpl["height"], height)
        assert_equal(tmpl["previousblockhash"], node.getbestblockhash())
        assert_equal(tmpl["coinbasevalue"], (50 * COIN) >> (height // HALVING_INTERVAL))
        assert_equal(tmpl["transactions"], [])
        assert_equal(tmpl["curtime"] >= node.getblockheader(node.getbestblockhash())["mediantime"] + 1, True)
        assert_equal(tmpl["mintime"], node.getblockheader(node.getbestblockhash())["mediantime"] + 1)
        assert_equal(tmpl["rules"], ["csv", "!segwit", "taproot"])
        # <tip><the mempool's update counter>, which every new tip bumps, as Core's UpdateTip does.
        assert_equal(tmpl["longpollid"][:64], node.getbestblockhash())
        updated = int(tmpl["longpollid"][64:])
        node.generatetodescriptor(1, OP_TRUE_DESCRIPTOR)
        tmpl = node.getblocktemplate(GBT_RULES)
        assert_equal(tmpl["longpollid"], node.getbestblockhash() + str(updated + 1))
        assert tmpl["default_witness_commitment"].startswith("6a24aa21a9ed")
        assert_raises_rpc_error(-8, "Invalid mode", node.getblocktemplate, {"mode": "nope", "rules": ["segwit"]})

        self.log.info("proposal mode: BIP22 answers")
        assert_raises_rpc_error(-3, "Missing data String key for proposal", node.getblocktemplate, {"mode": "proposal"})
        assert_raises_rpc_error(-22, "Block decode failed", node.getblocktemplate, {"mode": "proposal", "data": "00"})
        block = self.mine_block_hex()
        propose = lambda b: node.getblocktemplate({"mode": "proposal", "data": b.hex()})
        assert_equal(propose(block), None)
        block.merkle = bytes(32)
        assert_equal(propose(block), "bad-txnmrklroot")
        block.update_merkle()
        block.vtx[0].vout[0].value += 1
        block.update_merkle()
        assert_equal(propose(block), "bad-cb-amount")
        block.vtx[0].vout[0].value -= 1
        block.update_merkle()
        block.prev = bytes.fromhex(node.getblockhash(node.getblockcount() - 1))[::-1]
        assert_equal(propose(block), "inconclusive-not-best-prevblk")
        assert_equal(propose(Block.from_hex(node.getblock(node.getbestblockhash(), 0))), "duplicate")
        # A known invalid block: duplicate-invalid.
        bad = self.mine_block_hex()
        bad.vtx[0].vout[0].value += 1
        bad.update_merkle()
        bad.solve()
        assert_equal(node.submitblock(bad.hex()), "bad-cb-amount")
        assert_equal(propose(bad), "duplicate-invalid")
        self.invalid_block = bad

    def check_longpoll(self):
        node = self.node
        self.log.info("longpoll: waits while the tip stays, returns when a block arrives")
        tmpl = node.getblocktemplate(GBT_RULES)
        poller = AuthServiceProxy(rpc_url(node.datadir_path, 0, "regtest"), timeout=self.rpc_timeout)
        answer = {}

        def wait_for_template():
            answer["tmpl"] = poller.getblocktemplate({"rules": ["segwit"], "longpollid": tmpl["longpollid"]})
        thread = threading.Thread(target=wait_for_template)
        thread.start()
        thread.join(1)
        assert thread.is_alive(), "longpoll returned with no new block"
        new_tip = self.generate(node, 1)[0]
        thread.join(self.rpc_timeout)
        assert not thread.is_alive()
        assert_equal(answer["tmpl"]["previousblockhash"], new_tip)
        assert_equal(answer["tmpl"]["height"], tmpl["height"] + 1)

    def check_submitblock(self):
        node = self.node
        self.log.info("submitblock: BIP22 rejection reasons")
        assert_raises_rpc_error(-22, "Block decode failed", node.submitblock, "00")
        block = self.mine_block_hex()
        assert_raises_rpc_error(-22, "Block decode failed", node.submitblock, block.hex()[:-16])
        block.merkle = bytes(32)
        block.solve()
        # A wrong merkle root may be a mutation of a good block: it is not remembered as invalid.
        assert_equal(node.submitblock(block.hex()), "bad-txnmrklroot")
        assert_equal(node.submitblock(block.hex()), "bad-txnmrklroot")
        block.update_merkle()
        block.unsolve()
        assert_equal(node.submitblock(block.hex()), "high-hash")
        empty = Block(0, bytes(32), bytes(32), 0, 0, 0, [])
        assert_equal(node.submitblock(empty.hex()), "high-hash")
        block.vtx[0].vout[0].value += 1
        block.update_merkle()
        block.solve()
        assert_equal(node.submitblock(block.hex()), "bad-cb-amount")
        assert_equal(node.getbestblockhash() != block.hash(), True)

        self.log.info("submitblock: a block as good as the tip but second is stored, not connected: inconclusive")
        tip = node.getbestblockhash()
        node.invalidateblock(tip)
        sibling = self.mine_block_hex()
        node.reconsiderblock(tip)
        assert_equal(node.getbestblockhash(), tip)
        assert_equal(node.submitblock(sibling.hex()), "inconclusive")
        assert_equal(node.getbestblockhash(), tip)
        tips = {t["hash"]: t["status"] for t in node.getchaintips()}
        assert_equal(tips[sibling.hash()], "valid-headers")
        assert_equal(node.submitblock(sibling.hex()), "duplicate")

    def check_submitheader(self):
        node = self.node
        self.log.info("submitheader: decode errors, a missing parent, a good header, bad headers")
        assert_raises_rpc_error(-22, "Block header decode failed", node.submitheader, "xx" * 80)
        assert_raises_rpc_error(-22, "Block header decode failed", node.submitheader, "ff" * 78)
        block = self.mine_block_hex()
        orphan = Block.from_hex(block.hex())
        orphan.prev = bytes(range(32))
        orphan.solve()
        assert_raises_rpc_error(-25, f"Must submit previous header ({orphan.prev[::-1].hex()}) first",
                                node.submitheader, orphan.header().hex())
        assert_equal(node.submitheader(block.header().hex()), None)
        assert_equal(node.submitheader(block.header().hex()), None)
        tips = {t["hash"]: t["status"] for t in node.getchaintips()}
        assert_equal(tips[block.hash()], "headers-only")
        assert_equal(node.getblockheader(block.hash())["confirmations"], -1)
        too_old = Block.from_hex(block.hex())
        too_old.time = node.getblockheader(node.getbestblockhash())["mediantime"]
        too_old.solve()
        assert_raises_rpc_error(-25, "time-too-old", node.submitheader, too_old.header().hex())
        unsolved = Block.from_hex(block.hex())
        unsolved.time += 1
        unsolved.unsolve()
        assert_raises_rpc_error(-25, "high-hash", node.submitheader, unsolved.header().hex())
        self.log.info("submitheader: a header on a block known to be invalid is bad-prevblk")
        child = Block.from_hex(block.hex())
        child.prev = bytes.fromhex(self.invalid_block.hash())[::-1]
        child.solve()
        assert_raises_rpc_error(-25, "bad-prevblk", node.submitheader, child.header().hex())
        self.log.info("the block of a headers-only tip connects when it comes")
        assert_equal(node.submitblock(block.hex()), None)
        assert_equal(node.getbestblockhash(), block.hash())

    def check_info_rpcs(self):
        node = self.node
        self.log.info("getmininginfo")
        info = node.getmininginfo()
        tip = node.getblockheader(node.getbestblockhash())
        assert_equal(info["blocks"], tip["height"])
        assert_equal(info["chain"], "regtest")
        assert_equal(info["bits"], tip["bits"])
        assert_equal(info["difficulty"], tip["difficulty"])
        assert_equal(info["target"], tip["target"])
        assert_equal(info["next"]["height"], tip["height"] + 1)
        assert_equal(info["pooledtx"] if "pooledtx" in info else 0, 0)
        assert_equal(info["networkhashps"], node.getnetworkhashps())

        self.log.info("getnetworkhashps: work over the time span of the last blocks")
        for lookup, height in ((120, -1), (10, 50), (1, 5), (-1, -1)):
            # A JSON double is written with 16 significant digits, as UniValue does.
            assert_equal(node.getnetworkhashps(lookup, height), Decimal(format(self.expected_hashps(lookup, height), ".16g")))
        assert_equal(node.getnetworkhashps(10, 0), 0)
        assert_raises_rpc_error(-8, "Invalid nblocks. Must be a positive number or -1.", node.getnetworkhashps, 0)
        assert_raises_rpc_error(-8, "Invalid nblocks. Must be a positive number or -1.", node.getnetworkhashps, -2)
        assert_raises_rpc_error(-8, "Block does not exist at specified height", node.getnetworkhashps, 100,
                                node.getblockcount() + 1)
        assert_raises_rpc_error(-8, "Block does not exist at specified height", node.getnetworkhashps, 100, -2)

        self.log.info("prioritisetransaction keeps fee deltas until a block confirms the transaction, as Core's mempool")
        assert_equal(node.getprioritisedtransactions(), {})
        with node.assert_debug_log([f"PrioritiseTransaction: {'ab' * 32} (not in mempool) fee += 0.00001, new delta=0.00001"]):
            assert_equal(node.prioritisetransaction("ab" * 32, 0, 1000), True)
        assert_equal(node.prioritisetransaction(txid="ab" * 32, fee_delta=500), True)
        assert_equal(node.getprioritisedtransactions(), {"ab" * 32: {"fee_delta": 1500, "in_mempool": False}})
        with node.assert_debug_log([f"PrioritiseTransaction: {'ab' * 32} (not in mempool) delta cleared"]):
            node.prioritisetransaction("ab" * 32, 0, -1500)
        assert_equal(node.getprioritisedtransactions(), {})
        # Two deltas, listed in the order of the txids' bytes (Core's map); the mined one goes, the other stays.
        cb_txid, cb_value = coinbase_of(node, node.getblockhash(5))
        spend = op_true_spend(cb_txid, 0, cb_value)
        node.prioritisetransaction(spend.txid_hex(), 0, 7)
        node.prioritisetransaction("01" + "ff" * 31, 0, 9)
        assert_equal(list(node.getprioritisedtransactions()), sorted([spend.txid_hex(), "01" + "ff" * 31], key=lambda t: bytes.fromhex(t)[::-1]))
        node.generateblock(OP_TRUE_DESCRIPTOR, [spend.hex()])
        node.syncwithvalidationinterfacequeue()
        assert_equal(node.getprioritisedtransactions(), {"01" + "ff" * 31: {"fee_delta": 9, "in_mempool": False}})
        assert_raises_rpc_error(-8, "Priority is no longer supported, dummy argument to prioritisetransaction must be 0.",
                                node.prioritisetransaction, "ab" * 32, 1, 1000)

        self.log.info("gettxout answers through the (empty) mempool as from the chainstate")
        assert_equal(node.gettxout(spend.txid_hex(), 0)["value"], Decimal(spend.vout[0].value) / COIN)
        assert_equal(node.gettxout(spend.txid_hex(), 0), node.gettxout(spend.txid_hex(), 0, False))
        assert_equal(node.gettxout(cb_txid, 0), None)

    def expected_hashps(self, lookup, height):
        """Core's GetNetworkHashPS, recomputed from the headers."""
        node = self.node
        height = node.getblockcount() if height == -1 else height
        if lookup == -1:
            lookup = height % 144 + 1
        lookup = min(lookup, height)
        headers = [node.getblockheader(node.getblockhash(h)) for h in range(height - lookup, height + 1)]
        times = [h["time"] for h in headers]
        if max(times) == min(times):
            return 0
        work = int(headers[-1]["chainwork"], 16) - int(headers[0]["chainwork"], 16)
        # Core divides in doubles.
        return float(work) / float(max(times) - min(times))

    def check_init_errors(self):
        self.log.info("-blockmaxweight, -blockreservedweight and -blockmintxfee are checked at start-up")
        self.stop_node(0)
        errors = [
            ([f"-blockreservedweight={MAX_BLOCK_WEIGHT + 1}"],
             f"Error: -blockreservedweight ({MAX_BLOCK_WEIGHT + 1}) exceeds consensus maximum block weight ({MAX_BLOCK_WEIGHT})"),
            ([f"-blockreservedweight={MINIMUM_BLOCK_RESERVED_WEIGHT - 1}"],
             f"Error: -blockreservedweight ({MINIMUM_BLOCK_RESERVED_WEIGHT - 1}) is lower than minimum safety value of ({MINIMUM_BLOCK_RESERVED_WEIGHT})"),
            ([f"-blockmaxweight={MAX_BLOCK_WEIGHT + 1}"],
             f"Error: -blockmaxweight ({MAX_BLOCK_WEIGHT + 1}) exceeds consensus maximum block weight ({MAX_BLOCK_WEIGHT})"),
            ([f"-blockmaxweight={DEFAULT_BLOCK_RESERVED_WEIGHT - 1}"],
             f"Error: -blockreservedweight ({DEFAULT_BLOCK_RESERVED_WEIGHT}) exceeds -blockmaxweight ({DEFAULT_BLOCK_RESERVED_WEIGHT - 1})"),
            (["-blockmintxfee=-1"], "Error: Invalid amount for -blockmintxfee=<amount>: '-1'"),
        ]
        for args, message in errors:
            self.node.assert_start_raises_init_error(args, message)
        self.start_node(0, ["-blockmaxweight=40000", "-blockreservedweight=2000", "-blockmintxfee=0.0001"])
        # The template reports the consensus limit, as Core's does; the option bounds what is put in.
        assert_equal(self.node.getblocktemplate(GBT_RULES)["weightlimit"], MAX_BLOCK_WEIGHT)
        assert_equal(len(self.generate(self.node, 1)), 1)



if __name__ == "__main__":
    MiningBasicTest(__file__).main()
