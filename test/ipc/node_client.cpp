// ipc_node_client: an independent client for a running smithcoin-node, a plain Cap'n Proto C++ program
// (capnp::TwoPartyClient on the node's unix socket) built from our .capnp files with capnpc-c++, as a miner
// written against Bitcoin Core's schemas would be. Prints one "ok"/"FAIL" line per check.
//
// Usage: ipc_node_client <socket path> <scenario>
//   mine  Init.construct -> makeMining -> isTestChain, getTip -> createNewBlock(cooldown=false) ->
//         getBlockHeader, getCoinbaseTx -> a coinbase built from those fields (scriptSig = the BIP34 prefix
//         plus "ipcnode", paying blockRewardRemaining to OP_TRUE, plus the required outputs and the witness)
//         -> submitSolution with nonces 0, 1, ... until the regtest proof of work holds -> getTip;
//         then makeEcho -> echo -> destroy, and makeRpc -> executeRpc(getblockcount)
//   wait  makeMining -> getTip -> waitTipChanged(tip) with no timeout; prints "waiting" once sent and, when it
//         returns, the size of the hash it got (0 when the node shuts down); then stays connected until the
//         node closes the connection
// Exits 1 if any check fails.
#include "interop_common.h"

#include <common.capnp.h>
#include <echo.capnp.h>
#include <init.capnp.h>
#include <mining.capnp.h>
#include <rpc.capnp.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

namespace interop {
namespace {

using ipc::capnp::messages::BlockTemplate;
using ipc::capnp::messages::Echo;
using ipc::capnp::messages::Init;
using ipc::capnp::messages::Mining;
using ipc::capnp::messages::Rpc;
using Bytes = std::vector<uint8_t>;

// The tag our coinbase carries after the height, so that the test can find the block over RPC.
constexpr const char* COINBASE_TAG = "ipcnode";
// Each nonce meets the regtest target with probability 1/2: 64 misses in a row do not happen.
constexpr uint32_t MAX_NONCES = 64;

int g_failures = 0;

void Check(const std::string& name, const std::function<std::string()>& check)
{
    try {
        const std::string detail = check();
        std::printf("ok %s%s%s\n", name.c_str(), detail.empty() ? "" : ": ", detail.c_str());
    } catch (const kj::Exception& e) {
        std::printf("FAIL %s: %s\n", name.c_str(), e.getDescription().cStr());
        ++g_failures;
    } catch (const std::exception& e) {
        std::printf("FAIL %s: %s\n", name.c_str(), e.what());
        ++g_failures;
    }
    std::fflush(stdout);
}

template <typename Builder>
void SetContext(Builder&& builder, mp::Thread::Client thread)
{
    builder.initContext().setThread(kj::mv(thread));
}

std::string Hex(const uint8_t* data, size_t size)
{
    static const char* digits = "0123456789abcdef";
    std::string out;
    for (size_t i = 0; i < size; ++i) {
        out += digits[data[i] >> 4];
        out += digits[data[i] & 15];
    }
    return out;
}

// A hash in display order (reversed), as RPC prints it.
std::string DisplayHex(capnp::Data::Reader hash)
{
    Bytes reversed(hash.begin(), hash.end());
    std::reverse(reversed.begin(), reversed.end());
    return Hex(reversed.data(), reversed.size());
}

void PutLE(Bytes& out, uint64_t value, int bytes)
{
    for (int i = 0; i < bytes; ++i) out.push_back(static_cast<uint8_t>(value >> (8 * i)));
}

void PutCompactSize(Bytes& out, size_t n)
{
    if (n >= 253) throw std::runtime_error("compact sizes of 253 and more are not needed here");
    out.push_back(static_cast<uint8_t>(n));
}

void PutBytes(Bytes& out, const uint8_t* data, size_t size)
{
    PutCompactSize(out, size);
    out.insert(out.end(), data, data + size);
}

uint32_t ReadLE32(capnp::Data::Reader data, size_t at)
{
    return data[at] | data[at + 1] << 8 | data[at + 2] << 16 | static_cast<uint32_t>(data[at + 3]) << 24;
}

// The coinbase a miner builds from getCoinbaseTx (serialized with its witness, as submitSolution wants it).
Bytes BuildCoinbase(ipc::capnp::messages::CoinbaseTx::Reader cb)
{
    const bool witness = cb.hasWitness();
    Bytes tx;
    PutLE(tx, cb.getVersion(), 4);
    if (witness) tx.insert(tx.end(), {0x00, 0x01});
    PutCompactSize(tx, 1);
    tx.insert(tx.end(), 32, 0x00);
    PutLE(tx, 0xffffffff, 4);
    Bytes script_sig(cb.getScriptSigPrefix().begin(), cb.getScriptSigPrefix().end());
    // A push of our tag: heights up to 16 need more than the prefix's one byte (bad-cb-length).
    script_sig.push_back(static_cast<uint8_t>(std::strlen(COINBASE_TAG)));
    script_sig.insert(script_sig.end(), COINBASE_TAG, COINBASE_TAG + std::strlen(COINBASE_TAG));
    PutBytes(tx, script_sig.data(), script_sig.size());
    PutLE(tx, cb.getSequence(), 4);
    auto required = cb.getRequiredOutputs();
    PutCompactSize(tx, 1 + required.size());
    PutLE(tx, static_cast<uint64_t>(cb.getBlockRewardRemaining()), 8);
    const uint8_t op_true = 0x51;
    PutBytes(tx, &op_true, 1);
    for (auto out : required) tx.insert(tx.end(), out.begin(), out.end());
    if (witness) {
        PutCompactSize(tx, 1);
        PutBytes(tx, cb.getWitness().begin(), cb.getWitness().size());
    }
    PutLE(tx, cb.getLockTime(), 4);
    return tx;
}

struct Session {
    Init::Client init;
    mp::Thread::Client thread;
};

Session Connect(capnp::TwoPartyClient& client, ThreadSet& threads)
{
    Init::Client init = client.bootstrap().castAs<Init>();
    auto construct = init.constructRequest();
    construct.setThreadMap(kj::heap<ThreadMapImpl>(threads, "ipc_node_client"));
    mp::ThreadMap::Client server_threads = construct.send().getThreadMap();
    auto make_thread = server_threads.makeThreadRequest();
    make_thread.setName("ipc_node_client/main");
    return {init, make_thread.send().getResult()};
}

Mining::Client MakeMining(Session& s)
{
    auto request = s.init.makeMiningRequest();
    SetContext(request, s.thread);
    return request.send().getResult();
}

void Mine(Session& s, kj::WaitScope& ws)
{
    Mining::Client mining = MakeMining(s);
    int tip_height = -1;
    Check("isTestChain", [&] {
        auto request = mining.isTestChainRequest();
        SetContext(request, s.thread);
        if (!request.send().wait(ws).getResult()) throw std::runtime_error("regtest is a test chain");
        return std::string();
    });
    Check("getTip", [&] {
        auto request = mining.getTipRequest();
        SetContext(request, s.thread);
        auto tip = request.send().wait(ws);
        if (!tip.getHasResult() || tip.getResult().getHash().size() != 32) throw std::runtime_error("no tip");
        tip_height = tip.getResult().getHeight();
        return "height " + std::to_string(tip_height) + " hash " + DisplayHex(tip.getResult().getHash());
    });
    auto create = mining.createNewBlockRequest();
    SetContext(create, s.thread);
    // A fresh regtest chain is in initial block download: no cooldown, as for a single miner.
    create.setCooldown(false);
    BlockTemplate::Client block_template = create.send().getResult();
    uint32_t version = 0;
    uint32_t time = 0;
    Check("createNewBlock and getBlockHeader", [&] {
        auto request = block_template.getBlockHeaderRequest();
        SetContext(request, s.thread);
        auto header = request.send().wait(ws).getResult();
        if (header.size() != 80) throw std::runtime_error("header of " + std::to_string(header.size()) + " bytes");
        version = ReadLE32(header, 0);
        time = ReadLE32(header, 68);
        return "version " + std::to_string(version);
    });
    Bytes coinbase;
    Check("getCoinbaseTx", [&] {
        auto request = block_template.getCoinbaseTxRequest();
        SetContext(request, s.thread);
        auto response = request.send().wait(ws);
        auto cb = response.getResult();
        coinbase = BuildCoinbase(cb);
        return "reward " + std::to_string(cb.getBlockRewardRemaining()) + " required outputs " +
               std::to_string(cb.getRequiredOutputs().size());
    });
    Check("submitSolution", [&] {
        for (uint32_t nonce = 0; nonce < MAX_NONCES; ++nonce) {
            auto request = block_template.submitSolutionRequest();
            SetContext(request, s.thread);
            request.setVersion(version);
            request.setTimestamp(time);
            request.setNonce(nonce);
            request.setCoinbase(kj::arrayPtr(coinbase.data(), coinbase.size()));
            if (request.send().wait(ws).getResult()) return "accepted with nonce " + std::to_string(nonce);
        }
        throw std::runtime_error("no nonce was accepted");
    });
    Check("getTip after submitSolution", [&] {
        auto request = mining.getTipRequest();
        SetContext(request, s.thread);
        auto tip = request.send().wait(ws).getResult();
        if (tip.getHeight() != tip_height + 1) throw std::runtime_error("height " + std::to_string(tip.getHeight()));
        return "height " + std::to_string(tip.getHeight()) + " hash " + DisplayHex(tip.getHash());
    });
    Check("BlockTemplate.destroy", [&] {
        auto request = block_template.destroyRequest();
        SetContext(request, s.thread);
        request.send().wait(ws);
        return std::string();
    });
}

void EchoAndRpc(Session& s, kj::WaitScope& ws)
{
    Check("makeEcho, echo and destroy", [&] {
        auto make = s.init.makeEchoRequest();
        SetContext(make, s.thread);
        Echo::Client echo = make.send().getResult();
        auto request = echo.echoRequest();
        SetContext(request, s.thread);
        request.setEcho("hallo");
        std::string echoed = request.send().wait(ws).getResult().cStr();
        auto destroy = echo.destroyRequest();
        SetContext(destroy, s.thread);
        destroy.send().wait(ws);
        if (echoed != "hallo") throw std::runtime_error("echoed \"" + echoed + "\"");
        return "\"" + echoed + "\"";
    });
    Check("makeRpc and executeRpc", [&] {
        auto make = s.init.makeRpcRequest();
        SetContext(make, s.thread);
        Rpc::Client rpc = make.send().getResult();
        auto request = rpc.executeRpcRequest();
        SetContext(request, s.thread);
        request.setRequest("{\"method\":\"getblockcount\",\"id\":1}");
        request.setUri("/");
        request.setUser("");
        return std::string(request.send().wait(ws).getResult().cStr());
    });
}

void Wait(Session& s, capnp::TwoPartyClient& client, kj::WaitScope& ws)
{
    Mining::Client mining = MakeMining(s);
    auto tip_request = mining.getTipRequest();
    SetContext(tip_request, s.thread);
    auto tip = tip_request.send().wait(ws);
    auto request = mining.waitTipChangedRequest();
    SetContext(request, s.thread);
    request.setCurrentTip(tip.getResult().getHash());
    auto pending = request.send();
    std::printf("waiting\n");
    std::fflush(stdout);
    Check("waitTipChanged returned", [&] {
        auto result = pending.wait(ws).getResult();
        return "hash of " + std::to_string(result.getHash().size()) + " bytes";
    });
    // Stay connected until the node closes the connection: a node that shuts down drops its clients itself.
    client.onDisconnect().wait(ws);
    std::printf("disconnected by the node\n");
}

int Main(const std::string& path, const std::string& scenario)
{
    ThreadSet threads; // outlives the event loop: the Threads and the ThreadMap we host refer to it
    auto io = kj::setupAsyncIo();
    auto& ws = io.waitScope;
    {
        auto address = io.provider->getNetwork().parseAddress(("unix:" + path).c_str()).wait(ws);
        auto stream = address->connect().wait(ws);
        capnp::TwoPartyClient client(*stream);
        Session session = Connect(client, threads);
        if (scenario == "mine") {
            Mine(session, ws);
            EchoAndRpc(session, ws);
        } else if (scenario == "wait") {
            Wait(session, client, ws);
        } else {
            std::fprintf(stderr, "Unknown scenario %s\n", scenario.c_str());
            return 2;
        }
    }
    ws.poll();
    return g_failures == 0 ? 0 : 1;
}

} // namespace
} // namespace interop

int main(int argc, char** argv)
{
    if (argc != 3) {
        std::fprintf(stderr, "Usage: %s <socket path> mine|wait\n", argv[0]);
        return 2;
    }
    try {
        return interop::Main(argv[1], argv[2]);
    } catch (const kj::Exception& e) {
        std::printf("FAIL connection: %s\n", e.getDescription().cStr());
        return 1;
    }
}
