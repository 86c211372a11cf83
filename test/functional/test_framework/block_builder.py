#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The Smithcoin Core developers; the licence text is in LICENSE.
"""Just enough of Bitcoin's serialization for the mining and chain tests: transactions (with witness),
headers and blocks, merkle roots, nonce grinding on regtest, and an anyone-can-spend P2WSH(OP_TRUE)
output that a test mines to and spends without keys (the idea of Core's MiniWallet, in a few lines).
"""

import hashlib
import struct
from dataclasses import dataclass, field

OP_TRUE = b"\x51"
# P2WSH of the one-byte script OP_TRUE: spent by a witness holding just that script.
OP_TRUE_P2WSH = b"\x00\x20" + hashlib.sha256(OP_TRUE).digest()
OP_TRUE_DESCRIPTOR = f"raw({OP_TRUE_P2WSH.hex()})"
COIN = 100_000_000


def sha256d(data):
    return hashlib.sha256(hashlib.sha256(data).digest()).digest()


def ser_compact_size(n):
    if n < 253:
        return bytes([n])
    if n <= 0xFFFF:
        return b"\xfd" + struct.pack("<H", n)
    if n <= 0xFFFFFFFF:
        return b"\xfe" + struct.pack("<I", n)
    return b"\xff" + struct.pack("<Q", n)


def ser_bytes(b):
    return ser_compact_size(len(b)) + b


class Reader:
    """Reads a byte string front to back; every length is checked against what is left."""

    def __init__(self, data):
        self.data, self.pos = data, 0

    def take(self, n):
        if n > len(self.data) - self.pos:
            raise ValueError("truncated")
        out = self.data[self.pos:self.pos + n]
        self.pos += n
        return out

    def compact_size(self):
        first = self.take(1)[0]
        if first < 253:
            return first
        return int.from_bytes(self.take({253: 2, 254: 4, 255: 8}[first]), "little")

    def var_bytes(self):
        return self.take(self.compact_size())

    def unpack(self, fmt):
        return struct.unpack(fmt, self.take(struct.calcsize(fmt)))[0]


@dataclass
class TxIn:
    txid: bytes  # internal byte order
    vout: int
    script_sig: bytes = b""
    sequence: int = 0xFFFFFFFF
    witness: list = field(default_factory=list)


@dataclass
class TxOut:
    value: int
    script_pubkey: bytes


@dataclass
class Tx:
    vin: list
    vout: list
    version: int = 2
    locktime: int = 0

    def serialize(self, with_witness=True):
        segwit = with_witness and any(i.witness for i in self.vin)
        out = struct.pack("<i", self.version) + (b"\x00\x01" if segwit else b"")
        out += ser_compact_size(len(self.vin))
        for i in self.vin:
            out += i.txid + struct.pack("<I", i.vout) + ser_bytes(i.script_sig) + struct.pack("<I", i.sequence)
        out += ser_compact_size(len(self.vout))
        for o in self.vout:
            out += struct.pack("<q", o.value) + ser_bytes(o.script_pubkey)
        if segwit:
            for i in self.vin:
                out += ser_compact_size(len(i.witness)) + b"".join(ser_bytes(w) for w in i.witness)
        return out + struct.pack("<I", self.locktime)

    @classmethod
    def read(cls, r):
        version = r.unpack("<i")
        n_in = r.compact_size()
        segwit = n_in == 0
        if segwit:
            assert r.take(1) == b"\x01", "bad segwit flag"
            n_in = r.compact_size()
        vin = [TxIn(r.take(32), r.unpack("<I"), r.var_bytes(), r.unpack("<I")) for _ in range(n_in)]
        vout = [TxOut(r.unpack("<q"), r.var_bytes()) for _ in range(r.compact_size())]
        if segwit:
            for i in vin:
                i.witness = [r.var_bytes() for _ in range(r.compact_size())]
        return cls(vin, vout, version, r.unpack("<I"))

    def txid(self):
        return sha256d(self.serialize(with_witness=False))

    def wtxid(self):
        return sha256d(self.serialize())

    def txid_hex(self):
        return self.txid()[::-1].hex()

    def hex(self):
        return self.serialize().hex()


def merkle_root(hashes):
    level = list(hashes)
    while len(level) > 1:
        if len(level) % 2:
            level.append(level[-1])
        level = [sha256d(level[i] + level[i + 1]) for i in range(0, len(level), 2)]
    return level[0]


def bits_to_target(bits):
    return (bits & 0xFFFFFF) << (8 * ((bits >> 24) - 3))


@dataclass
class Block:
    version: int
    prev: bytes
    merkle: bytes
    time: int
    bits: int
    nonce: int
    vtx: list

    @classmethod
    def from_hex(cls, text):
        r = Reader(bytes.fromhex(text))
        head = [r.unpack("<i"), r.take(32), r.take(32), r.unpack("<I"), r.unpack("<I"), r.unpack("<I")]
        block = cls(*head, [Tx.read(r) for _ in range(r.compact_size())])
        assert r.pos == len(r.data), "trailing bytes after the block"
        return block

    def header(self):
        return struct.pack("<i", self.version) + self.prev + self.merkle + struct.pack("<III", self.time, self.bits, self.nonce)

    def hash(self):
        return sha256d(self.header())[::-1].hex()

    def serialize(self):
        return self.header() + ser_compact_size(len(self.vtx)) + b"".join(tx.serialize() for tx in self.vtx)

    def hex(self):
        return self.serialize().hex()

    def update_merkle(self):
        self.merkle = merkle_root([tx.txid() for tx in self.vtx])

    def meets_target(self):
        return int(self.hash(), 16) <= bits_to_target(self.bits)

    def solve(self):
        """Grind the nonce until the header meets its target (about two tries on regtest)."""
        self.nonce = 0
        while not self.meets_target():
            self.nonce += 1

    def unsolve(self):
        """The opposite: a nonce whose hash misses the target, for high-hash."""
        self.nonce = 0
        while self.meets_target():
            self.nonce += 1


def op_true_spend(prev_txid_hex, vout, value, fee=1000, n_outputs=1):
    """A transaction spending one OP_TRUE P2WSH output into n_outputs equal OP_TRUE P2WSH outputs."""
    each = (value - fee) // n_outputs
    vin = [TxIn(bytes.fromhex(prev_txid_hex)[::-1], vout, witness=[OP_TRUE])]
    return Tx(vin, [TxOut(each, OP_TRUE_P2WSH) for _ in range(n_outputs)])


def coinbase_of(node, blockhash):
    """The coinbase (txid hex and first output's value in satoshis) of a block on node."""
    tx = node.getblock(blockhash, 2)["tx"][0]
    return tx["txid"], round(tx["vout"][0]["value"] * COIN)


REGTEST_BITS = 0x207FFFFF
VERSIONBITS_TOP = 0x20000000


def script_num(n):
    """A number pushed as BIP34 wants the height: OP_1..OP_16, else a minimal little-endian push."""
    if 1 <= n <= 16:
        return bytes([0x50 + n])
    body = n.to_bytes((n.bit_length() + 8) // 8, "little")
    return bytes([len(body)]) + body


def padding_pushes(pad):
    """`pad` bytes of data in pushes of at most 520 bytes (one OP_RETURN output carries any number of them)."""
    def push(size):
        return b"\x4d" + size.to_bytes(2, "little") + b"\xab" * size
    full, rest = divmod(pad, 520)
    return push(520) * full + (push(rest) if rest else b"")


def make_block(prev_hex, height, block_time, pad=0):
    """A solved regtest block on prev_hex: a coinbase with the BIP34 height paying nothing, and `pad` bytes of
    OP_RETURN data to make it as big as a test needs (no witness, so no commitment is needed)."""
    script_sig = script_num(height) + b"\x00"  # at least two bytes, as a coinbase scriptSig must be
    outputs = [TxOut(0, b"\x6a" + padding_pushes(pad))]
    coinbase = Tx([TxIn(bytes(32), 0xFFFFFFFF, script_sig)], outputs, version=1)
    block = Block(VERSIONBITS_TOP, bytes.fromhex(prev_hex)[::-1], b"", block_time, REGTEST_BITS, 0, [coinbase])
    block.update_merkle()
    block.solve()
    return block


def make_chain(prev_hex, start_height, start_time, count, pad=0):
    """count blocks one on another, a second apart from start_time."""
    blocks = []
    for i in range(count):
        blocks.append(make_block(prev_hex, start_height + i, start_time + i, pad))
        prev_hex = blocks[-1].hash()
    return blocks
