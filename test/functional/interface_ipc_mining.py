#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The Smithcoin Core developers; the licence text is in LICENSE.
"""Every method of smithcoin-node's Echo, Mining and BlockTemplate interfaces over -ipcbind, called through our
own runtime's client (test_framework/ipc_bridge.py), with the results checked against RPC.

Echo round trips and destroy; Init.makeMiningOld2's error; the chain queries and waitTipChanged (timeout, tip
change, interrupt); createNewBlock's cooldown in IBD, its interrupt and Core's limit errors; the template's
header, block, fees, sigops, coinbase fields and merkle path; checkBlock and submitBlock with BIP22 reasons;
submitSolution of a block that RPC then reports as the tip; waitNext (timeout, tip change, interruptWait, the fee
threshold of 0, three waits at once); and the transaction lookups.
"""

from test_framework.block_builder import (
    COIN,
    OP_TRUE,
    OP_TRUE_P2WSH,
    Block,
    Reader,
    Tx,
    TxIn,
    TxOut,
    op_true_spend,
    script_num,
    sha256d,
)
from test_framework.ipc_bridge import I64, IpcBridge, IpcCallError
from test_framework.test_framework import SmithcoinTestFramework
from test_framework.util import assert_equal, wait_until_helper_internal

# A server's std::exception as a Cap'n Proto client sees it (Core's texts: pycapnp's description, the same here).
REMOTE = "remote exception: std::exception: "
OLD_MINING_ERROR = REMOTE + "Old mining interface (@2) not supported. Please update your client!"
# std::ios_base::failure's what(), with the suffix libstdc++ adds.
END_OF_DATA = REMOTE + "SpanReader::read(): end of data: iostream error"
MAX_BLOCK_WEIGHT = 4_000_000
MAX_BLOCK_SIGOPS_COST = 80_000
SUBSIDY = 50 * COIN
NO_BLOCK_REF = {"hash": b"", "height": 0}
# A wait that must still be pending when the test acts (it never runs out in a passing test).
LONG_WAIT_MS = 600_000.0
# waitNext options: a new template for a new tip or a fee rise of a satoshi; a long wait or a short one.
WAIT_LONG = {"timeout": LONG_WAIT_MS, "feeThreshold": I64(1)}
WAIT_SHORT = {"timeout": 50.0, "feeThreshold": I64(1)}


def rpc_hash(raw):
    """A hash in internal byte order (IPC) as RPC shows it."""
    return raw[::-1].hex()


def assert_raises_ipc(text, fn, *args):
    """The call fails with exactly `text`."""
    try:
        fn(*args)
    except IpcCallError as e:
        assert_equal(str(e), text)
        return
    raise AssertionError(f"no error (expected {text!r})")


def submit_solution(template, block):
    """BlockTemplate.submitSolution with the header fields and coinbase of `block`."""
    return template.submitSolution(block.version, block.time, block.nonce, block.vtx[0].serialize())


def read_txout(data):
    r = Reader(data)
    out = TxOut(r.unpack("<q"), r.var_bytes())
    assert_equal(r.pos, len(data))
    return out


class InterfaceIpcMiningTest(SmithcoinTestFramework):
    def set_test_params(self):
        # From genesis: the node starts in IBD, where createNewBlock's cooldown waits.
        self.setup_clean_chain = True
        self.num_nodes = 1
        self.extra_init = [{"ipcbind": True}]
        self.extra_args = [["-debug=ipc"]]

    def skip_test_if_missing_module(self):
        self.skip_if_no_ipc()

    def run_test(self):
        node = self.nodes[0]
        self.bridge = IpcBridge(self.config, node.ipc_socket_path, node.datadir_path / "ipc_bridge.stderr",
                                timeout=60 * self.options.timeout_factor)
        self.test_echo()
        self.test_old_mining_slot()
        self.mining = self.bridge.init.makeMining()
        self.test_chain_queries_in_ibd()
        self.test_create_new_block_cooldown()
        self.test_create_new_block_limits()
        self.test_wait_tip_changed()
        self.test_template_fields()
        self.test_check_and_submit_block()
        self.test_submit_solution()
        self.test_wait_next()
        self.test_transaction_lookups()
        self.bridge.close()

    # --- helpers ----------------------------------------------------------------------------------------

    def wait_executing(self, start, method, count=1):
        """Until the node has received `count` calls of `method` (e.g. "Mining.waitTipChanged") made after `start`
        and executes the first (calls from one client thread run one after another, as in Core)."""
        node = self.nodes[0]
        recv = f" {method}$Params"

        def executing():
            with open(node.debug_log_path, "rb") as f:
                f.seek(start)
                log = f.read().decode("utf-8", errors="replace")
            numbers = [line.split("#")[1].split()[0] for line in log.splitlines()
                       if "IPC server recv request" in line and line.endswith(recv)]
            return len(numbers) == count and f"IPC server executing request #{numbers[0]}\n" in log
        wait_until_helper_internal(executing, timeout=30, timeout_factor=self.options.timeout_factor)

    def start_pending(self, remote, method, interface, *args):
        """Starts a call and returns its id once the node is executing it (and it has not replied)."""
        start = self.nodes[0].debug_log_size()
        call = remote.start(method, *args)
        self.wait_executing(start, f"{interface}.{method}")
        assert not self.bridge.done(call), f"{method} returned at once"
        return call

    def tip_ref(self):
        node = self.nodes[0]
        best = node.getbestblockhash()
        return {"hash": bytes.fromhex(best)[::-1], "height": node.getblockcount()}

    def coinbase_for(self, template, extra_nonce=b"\x04smth"):
        """The miner's coinbase from getCoinbaseTx: the prefix and an extranonce, the whole reward to OP_TRUE."""
        c = template.getCoinbaseTx()
        witness = [c["witness"]] if c["witness"] else []
        vin = [TxIn(bytes(32), 0xFFFFFFFF, c["scriptSigPrefix"] + extra_nonce, c["sequence"], witness)]
        vout = [TxOut(c["blockRewardRemaining"], OP_TRUE_P2WSH), *map(read_txout, c["requiredOutputs"])]
        return Tx(vin, vout, c["version"], c["lockTime"])

    def candidate_block(self, template, extra_nonce=b"\x04smth"):
        """The template's block with the miner's coinbase, solved."""
        block = Block.from_hex(template.getBlock().hex())
        block.vtx[0] = self.coinbase_for(template, extra_nonce)
        block.update_merkle()
        block.solve()
        return block

    # --- tests ------------------------------------------------------------------------------------------

    def test_echo(self):
        node = self.nodes[0]
        self.log.info("Echo: round trips (hallo, empty, long, non-ASCII), then destroy")
        echo = self.bridge.init.makeEcho()
        for text in ("hallo", "", "0123456789abcdef" * 65536, "ünïcödé ✓ ₿ 🚀 end"):
            assert_equal(echo.echo(text), text)
        with node.assert_debug_log(["IPC server destroy Echo"]):
            assert_equal(echo.destroy(), None)
        assert_raises_ipc("Capability used after release().", echo.echo, "gone")

    def test_old_mining_slot(self):
        self.log.info("Init.makeMiningOld2 (@2) fails with Core's text")
        assert_raises_ipc(OLD_MINING_ERROR, self.bridge.init.makeMiningOld2)

    def test_chain_queries_in_ibd(self):
        node = self.nodes[0]
        self.log.info("isTestChain, isInitialBlockDownload and getTip agree with RPC (genesis: in IBD)")
        assert_equal(self.mining.isTestChain(), True)
        assert_equal(node.getblockchaininfo()["initialblockdownload"], True)
        assert_equal(self.mining.isInitialBlockDownload(), True)
        assert_equal(self.mining.getTip(), self.tip_ref())
        assert_equal(self.mining.getTip()["height"], 0)

    def test_create_new_block_cooldown(self):
        node = self.nodes[0]
        self.log.info("createNewBlock without cooldown: a template at once, even in IBD")
        template = self.mining.createNewBlock({}, False)
        assert_equal(rpc_hash(Block.from_hex(template.getBlock().hex()).prev), node.getbestblockhash())
        template.destroy()

        self.log.info("createNewBlock with cooldown waits out IBD; interrupt() ends it with no template")
        call = self.start_pending(self.mining, "createNewBlock", "Mining", {}, True)
        assert_equal(self.mining.interrupt(), None)
        assert_equal(self.bridge.result(call), None)

        self.log.info("... and a block that ends IBD releases it with a template on that block")
        call = self.start_pending(self.mining, "createNewBlock", "Mining", {})
        best = self.generate(node, 1)[0]
        template = self.bridge.result(call)
        assert template is not None
        assert_equal(rpc_hash(Block.from_hex(template.getBlock().hex()).prev), best)
        assert_equal(self.mining.isInitialBlockDownload(), False)
        assert_equal(node.getblockchaininfo()["initialblockdownload"], False)
        template.destroy()

    def test_create_new_block_limits(self):
        self.log.info("createNewBlock: Core's errors for options out of range")
        create = self.mining.createNewBlock
        assert_raises_ipc(f"{REMOTE}block_reserved_weight (0) is lower than minimum safety value of (2000)",
                          create, {"blockReservedWeight": I64(0)})
        too_heavy = MAX_BLOCK_WEIGHT + 1
        assert_raises_ipc(f"{REMOTE}block_reserved_weight ({too_heavy}) exceeds consensus maximum block weight "
                          f"({MAX_BLOCK_WEIGHT})", create, {"blockReservedWeight": I64(too_heavy)})
        too_many = MAX_BLOCK_SIGOPS_COST + 1
        assert_raises_ipc(f"{REMOTE}coinbase_output_max_additional_sigops ({too_many}) exceeds consensus maximum "
                          f"block sigops cost ({MAX_BLOCK_SIGOPS_COST})",
                          create, {"coinbaseOutputMaxAdditionalSigops": I64(too_many)})
        self.log.info("... the limits themselves are accepted")
        for options in ({"blockReservedWeight": I64(2000)}, {"blockReservedWeight": I64(MAX_BLOCK_WEIGHT)},
                        {"coinbaseOutputMaxAdditionalSigops": I64(MAX_BLOCK_SIGOPS_COST)}, {"useMempool": False}):
            self.mining.createNewBlock(options).destroy()

    def test_wait_tip_changed(self):
        node = self.nodes[0]
        tip = self.mining.getTip()
        self.log.info("waitTipChanged: the unchanged tip at the timeout; another tip than the caller's at once")
        assert_equal(self.mining.waitTipChanged(tip["hash"], 50.0), tip)
        assert_equal(self.mining.waitTipChanged(bytes(32), LONG_WAIT_MS), tip)

        self.log.info("... the new tip once a block arrives over RPC")
        call = self.start_pending(self.mining, "waitTipChanged", "Mining", tip["hash"], LONG_WAIT_MS)
        self.generate(node, 1)
        new_tip = self.bridge.result(call)
        assert_equal(new_tip, self.tip_ref())
        assert_equal(new_tip["height"], tip["height"] + 1)

        self.log.info("... an empty BlockRef on interrupt(), also when the interrupt came first; then it is spent")
        call = self.start_pending(self.mining, "waitTipChanged", "Mining", new_tip["hash"], LONG_WAIT_MS)
        self.mining.interrupt()
        assert_equal(self.bridge.result(call), NO_BLOCK_REF)
        self.mining.interrupt()
        assert_equal(self.mining.waitTipChanged(new_tip["hash"], LONG_WAIT_MS), NO_BLOCK_REF)
        assert_equal(self.mining.waitTipChanged(new_tip["hash"], 50.0), new_tip)

    def test_template_fields(self):
        node = self.nodes[0]
        self.log.info("BlockTemplate: header, block, fees, sigops, merkle path and coinbase fields")
        template = self.mining.createNewBlock({})
        raw = template.getBlock()
        block = Block.from_hex(raw.hex())
        header = template.getBlockHeader()
        assert_equal(len(header), 80)
        assert_equal(header, raw[:80])
        assert_equal(rpc_hash(block.prev), node.getbestblockhash())
        assert_equal(len(block.vtx), 1)
        assert_equal(template.getTxFees(), [])
        assert_equal(template.getTxSigops(), [])
        assert_equal(template.getCoinbaseMerklePath(), [])

        height = node.getblockcount() + 1
        c = template.getCoinbaseTx()
        gbt = node.getblocktemplate({"rules": ["segwit"]})
        assert_equal(c["version"], 2)
        assert_equal(c["sequence"], 0xFFFFFFFE)
        assert_equal(c["lockTime"], height - 1)
        # The BIP34 height alone: the node's own coinbase pads it, the prefix leaves room for the miner's bytes.
        assert_equal(c["scriptSigPrefix"], script_num(height))
        assert_equal(block.vtx[0].vin[0].script_sig[:len(c["scriptSigPrefix"])], c["scriptSigPrefix"])
        assert_equal(c["blockRewardRemaining"], SUBSIDY)
        assert_equal(c["blockRewardRemaining"], gbt["coinbasevalue"])
        assert_equal(c["witness"], bytes(32))
        assert_equal(block.vtx[0].vin[0].witness, [c["witness"]])
        commitment = [read_txout(o) for o in c["requiredOutputs"]]
        assert_equal([(o.value, o.script_pubkey.hex()) for o in commitment], [(0, gbt["default_witness_commitment"])])
        assert_equal(commitment[0].script_pubkey, block.vtx[0].vout[-1].script_pubkey)
        template.destroy()

    def test_check_and_submit_block(self):
        node = self.nodes[0]
        self.log.info("checkBlock: valid, and BIP22 reasons with Core's debug texts")
        template = self.mining.createNewBlock({})
        block = self.candidate_block(template)
        check = self.mining.checkBlock
        assert_equal(check(block.serialize(), {}), {"reason": "", "debug": "", "result": True})
        bad = Block.from_hex(block.hex())
        bad.version = 0
        bad.solve()
        assert_equal(check(bad.serialize(), {}),
                     {"reason": "bad-version(0x00000000)", "debug": "rejected nVersion=0x00000000 block",
                      "result": False})
        bad = Block.from_hex(block.hex())
        bad.merkle = bytes(32)
        bad.solve()
        assert_equal(check(bad.serialize(), {}),
                     {"reason": "bad-txnmrklroot", "debug": "hashMerkleRoot mismatch", "result": False})
        assert_equal(check(bad.serialize(), {"checkMerkleRoot": False})["result"], True)
        bad = Block.from_hex(block.hex())
        bad.unsolve()
        assert_equal(check(bad.serialize(), {}), {"reason": "high-hash", "debug": "proof of work failed", "result": False})
        assert_equal(check(bad.serialize(), {"checkPow": False})["result"], True)
        assert_raises_ipc(END_OF_DATA, check, block.serialize()[:-15], {})

        self.log.info("submitBlock: a coinbase without its witness is refused, the block with it accepted")
        bare = Block.from_hex(block.hex())
        bare.vtx[0].vin[0].witness = []
        assert_equal(bare.hash(), block.hash())
        assert_equal(self.mining.submitBlock(bare.serialize()),
                     {"reason": "bad-witness-nonce-size",
                      "debug": "CheckWitnessMalleation : invalid witness reserved value size", "result": False})
        assert_equal(self.mining.submitBlock(block.serialize()), {"reason": "", "debug": "", "result": True})
        assert_equal(node.getbestblockhash(), block.hash())
        assert_equal(node.getblock(block.hash(), 0), block.hex())

        self.log.info("... then it is a duplicate, and checkBlock finds it is no longer on the tip")
        assert_equal(self.mining.submitBlock(block.serialize()), {"reason": "duplicate", "debug": "", "result": False})
        assert_equal(check(block.serialize(), {}),
                     {"reason": "inconclusive-not-best-prevblk", "debug": "", "result": False})
        template.destroy()

        self.log.info("submitBlock: a non-final coinbase, then the same block again (duplicate-invalid)")
        template = self.mining.createNewBlock({})
        invalid = self.candidate_block(template)
        invalid.vtx[0].locktime = 0xFFFFFFFF
        invalid.update_merkle()
        invalid.solve()
        assert_equal(self.mining.submitBlock(invalid.serialize()),
                     {"reason": "bad-txns-nonfinal", "debug": "non-final transaction", "result": False})
        assert_equal(self.mining.submitBlock(invalid.serialize()),
                     {"reason": "duplicate-invalid", "debug": f"block {invalid.hash()} was previously marked invalid",
                      "result": False})
        assert_equal(node.getbestblockhash(), block.hash())
        assert_raises_ipc(END_OF_DATA, self.mining.submitBlock, b"")
        assert_raises_ipc(END_OF_DATA, self.mining.submitBlock, block.serialize()[:-15])
        template.destroy()

    def test_submit_solution(self):
        node = self.nodes[0]
        self.log.info("submitSolution: an empty or undecodable coinbase, a coinbase without witness, a bad nonce")
        template = self.mining.createNewBlock({})
        block = self.candidate_block(template)
        coinbase = block.vtx[0]
        solution = (block.version, block.time, block.nonce)
        assert_equal(template.submitSolution(*solution, b""), False)
        assert_raises_ipc(END_OF_DATA, template.submitSolution, *solution, b"\x00")
        before = template.getBlock()
        assert_equal(template.submitSolution(*solution, coinbase.serialize(with_witness=False)), False)
        self.log.info("... a rejected solution still changes the template's block, as Core's does")
        assert before != template.getBlock()
        unsolved = Block.from_hex(block.hex())
        unsolved.unsolve()
        assert_equal(submit_solution(template, unsolved), False)
        assert_equal(Block.from_hex(template.getBlock().hex()).nonce, unsolved.nonce)
        assert_equal(node.getbestblockhash(), rpc_hash(block.prev))

        self.log.info("... the solved block: RPC reports it as the tip, the template's block is that block")
        assert_equal(template.submitSolution(*solution, coinbase.serialize()), True)
        assert_equal(node.getbestblockhash(), block.hash())
        assert_equal(node.getblock(block.hash(), 0), template.getBlock().hex())
        assert_equal(template.getBlockHeader(), bytes.fromhex(node.getblockheader(block.hash(), False)))
        assert_equal(self.mining.getTip(), self.tip_ref())
        mined = node.getblock(block.hash(), 2)["tx"][0]
        assert_equal(mined["vin"][0]["coinbase"], coinbase.vin[0].script_sig.hex())
        assert_equal(round(mined["vout"][0]["value"] * COIN), SUBSIDY)
        assert_equal(mined["vout"][0]["scriptPubKey"]["hex"], OP_TRUE_P2WSH.hex())
        self.log.info("... and again: a duplicate still counts for submitSolution, not for submitBlock")
        assert_equal(template.submitSolution(*solution, coinbase.serialize()), True)
        assert_equal(self.mining.submitBlock(block.serialize()), {"reason": "duplicate", "debug": "", "result": False})
        self.spendable = (mined["txid"], 0, SUBSIDY)
        template.destroy()

        self.log.info("submitSolution at each height up to 17: the prefix is the BIP34 height alone, so up to 16 "
                      "only the miner's bytes make the scriptSig long enough")
        for height in range(node.getblockcount() + 1, 18):
            template = self.mining.createNewBlock({})
            assert_equal(template.getCoinbaseTx()["scriptSigPrefix"], script_num(height))
            if height <= 16:
                # A one-byte scriptSig: bad-cb-length.
                assert_equal(submit_solution(template, self.candidate_block(template, extra_nonce=b"")), False)
            block = self.candidate_block(template, extra_nonce=b"\xaa\xbb\xcc\xdd" if height <= 16 else b"")
            assert_equal(submit_solution(template, block), True)
            assert_equal((node.getblockcount(), node.getbestblockhash()), (height, block.hash()))
            template.destroy()

    def test_wait_next(self):
        node = self.nodes[0]
        self.log.info("waitNext: null at the timeout (no fee rise without a mempool), a new template on a new tip")
        template = self.mining.createNewBlock({})
        assert_equal(template.waitNext(WAIT_SHORT), None)
        call = self.start_pending(template, "waitNext", "BlockTemplate", WAIT_LONG)
        best = self.generate(node, 1)[0]
        nxt = self.bridge.result(call)
        assert nxt is not None
        block = Block.from_hex(nxt.getBlock().hex())
        assert_equal((rpc_hash(block.prev), len(block.vtx)), (best, 1))
        assert_equal(nxt.waitNext(WAIT_SHORT), None)

        self.log.info("... a fee threshold of 0 takes the next template, fees or not")
        again = nxt.waitNext({"timeout": LONG_WAIT_MS, "feeThreshold": I64(0)})
        assert again is not None
        assert_equal(rpc_hash(Block.from_hex(again.getBlock().hex()).prev), best)
        again.destroy()

        self.log.info("... null on interruptWait(), also when it came first; then it is spent")
        call = self.start_pending(nxt, "waitNext", "BlockTemplate", WAIT_LONG)
        assert_equal(nxt.interruptWait(), None)
        assert_equal(self.bridge.result(call), None)
        nxt.interruptWait()
        assert_equal(nxt.waitNext({"timeout": LONG_WAIT_MS}), None)
        assert_equal(nxt.waitNext({"timeout": 50.0}), None)

        self.log.info("... three waits at once on one template all get the next tip")
        start = node.debug_log_size()
        calls = [nxt.start("waitNext", WAIT_LONG) for _ in range(3)]
        self.wait_executing(start, "BlockTemplate.waitNext", count=3)
        best = self.generate(node, 1)[0]
        for call in calls:
            t = self.bridge.result(call)
            assert_equal(rpc_hash(Block.from_hex(t.getBlock().hex()).prev), best)
            t.destroy()
        nxt.destroy()
        template.destroy()
        # mempool issue: enable
        # self.test_wait_next_fee_rise()

    def test_wait_next_fee_rise(self):
        """waitNext with fee thresholds and the lookups on real mempool transactions (needs the mempool)."""
        node = self.nodes[0]
        self.log.info("waitNext: a new template once the mempool's fees rise by feeThreshold")
        self.generate(node, 100)  # matures the coinbase that test_submit_solution paid to OP_TRUE
        template = self.mining.createNewBlock({})
        call = self.start_pending(template, "waitNext", "BlockTemplate", WAIT_LONG)
        tx = op_true_spend(*self.spendable, fee=1000)  # (txid, vout, value)
        node.sendrawtransaction(tx.hex())
        nxt = self.bridge.result(call)
        assert nxt is not None
        assert_equal([t.txid_hex() for t in Block.from_hex(nxt.getBlock().hex()).vtx[1:]], [tx.txid_hex()])
        assert_equal(nxt.getTxFees(), [1000])
        assert_equal(len(nxt.getTxSigops()), 1)
        assert_equal(len(nxt.getCoinbaseMerklePath()), 1)
        assert_equal(nxt.getCoinbaseTx()["blockRewardRemaining"], SUBSIDY + 1000)
        self.log.info("... not for a rise below the threshold")
        assert_equal(nxt.waitNext({"timeout": 1500.0, "feeThreshold": I64(10_000)}), None)
        self.log.info("... the lookups find the transaction by txid and wtxid, empty Data for unknown ids")
        assert_equal(self.mining.getTransactionsByTxID([tx.txid(), bytes(32)]), [tx.serialize(), b""])
        assert_equal(self.mining.getTransactionsByWitnessID([tx.wtxid(), tx.txid()]), [tx.serialize(), b""])
        nxt.destroy()
        template.destroy()

    def test_transaction_lookups(self):
        self.log.info("getTransactionsByTxID / ByWitnessID: nothing at all without a mempool, as Core")
        ids = [sha256d(OP_TRUE), bytes(32)]
        # mempool issue: enable (the node then answers one entry per id: empty Data for unknown ones)
        assert_equal(self.mining.getTransactionsByTxID(ids), [])
        assert_equal(self.mining.getTransactionsByWitnessID(ids), [])


if __name__ == "__main__":
    InterfaceIpcMiningTest(__file__).main()
