// ipc_node_stress_client: a plain Cap'n Proto C++ client (capnp::TwoPartyClient, built from our .capnp files with
// capnpc-c++) that puts a running smithcoin-node's IPC server under the loads of
// test/functional/interface_ipc_robustness.py. It prints facts, one line each; the test judges them.
//
// Usage: ipc_node_stress_client <socket path> <scenario> [<n>]
//   burst [<rounds>]  waitTipChanged(tip) on a server thread of its own, and meanwhile rounds of
//                     createNewBlock(cooldown=false) -> getBlock, getCoinbaseTx, several of them pipelined on two
//                     other server threads; prints "bursting" after the first round; <rounds> 0 (the default) runs
//                     until the process is killed, otherwise prints "ok <rounds> rounds" and exits
//   cycles <n>        <n> times: connect, Init.construct, makeThread, makeEcho, echo, then drop the connection
//                     (nothing destroyed by hand); prints "ok <n> cycles"
//   waits <ms>        createNewBlock, then Mining.waitTipChanged and BlockTemplate.waitNext (each with a <ms>
//                     timeout, on a thread of its own); prints "waiting" once both are sent, then what each
//                     returned, then stays connected until the node closes the connection
//   waitnext3 <ms>    three BlockTemplate.waitNext calls (feeThreshold 1, <ms> timeout) on ONE server thread;
//                     prints "waiting", then the previous-block hash of each template they return
//   interrupt         waitTipChanged(tip) with a 50 ms timeout, then one without a timeout ended by interrupt();
//                     prints whether each result is set
//   template          getTip, createNewBlock(cooldown=false), getBlockHeader: prints the tip and the template's parent
// Exits 1 on a failed call.
#include "interop_common.h"

#include <common.capnp.h>
#include <echo.capnp.h>
#include <init.capnp.h>
#include <mining.capnp.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace interop {
namespace {

using ipc::capnp::messages::BlockTemplate;
using ipc::capnp::messages::Init;
using ipc::capnp::messages::Mining;

// Templates asked for at once in each burst round (half on each server thread).
constexpr int BURST_WIDTH = 4;
// The hash a BlockHeader carries at bytes 4..36: the previous block.
constexpr size_t PREV_HASH_AT = 4;
constexpr size_t HASH_SIZE = 32;

void Say(const std::string& line)
{
    std::printf("%s\n", line.c_str());
    std::fflush(stdout);
}

// A hash in display order (reversed), as RPC prints it.
std::string DisplayHex(const uint8_t* data, size_t size)
{
    static const char* digits = "0123456789abcdef";
    std::string out;
    for (size_t i = size; i-- > 0;) {
        out += digits[data[i] >> 4];
        out += digits[data[i] & 15];
    }
    return out;
}

std::string DisplayHex(capnp::Data::Reader hash) { return DisplayHex(hash.begin(), hash.size()); }

// One connection's Init with the ThreadMap exchange done, and a way to ask for server threads.
class Session
{
public:
    Session(capnp::TwoPartyClient& client, ThreadSet& threads)
        : m_init(client.bootstrap().castAs<Init>())
    {
        auto construct = m_init.constructRequest();
        construct.setThreadMap(kj::heap<ThreadMapImpl>(threads, "ipc_node_stress_client"));
        m_thread_map = construct.send().getThreadMap();
    }

    Init::Client& init() { return m_init; }

    // A server thread (pipelined: calls may name it before makeThread has returned).
    mp::Thread::Client Thread(const std::string& name)
    {
        auto request = m_thread_map.makeThreadRequest();
        request.setName(name);
        return request.send().getResult();
    }

private:
    Init::Client m_init;
    mp::ThreadMap::Client m_thread_map{nullptr};
};

// A request with its context naming the server thread to run on.
template <typename Request>
Request& On(Request&& request, mp::Thread::Client thread)
{
    request.initContext().setThread(kj::mv(thread));
    return request;
}

Mining::Client MakeMining(Session& s, mp::Thread::Client thread)
{
    auto request = s.init().makeMiningRequest();
    return On(request, thread).send().getResult();
}

BlockTemplate::Client CreateNewBlock(Mining::Client& mining, mp::Thread::Client thread)
{
    auto request = mining.createNewBlockRequest();
    // Regtest with one miner: no cooldown (a fresh chain is in initial block download).
    On(request, thread).setCooldown(false);
    return request.send().getResult();
}

std::string PrevHashOf(BlockTemplate::Client& block_template, mp::Thread::Client thread, kj::WaitScope& ws)
{
    auto request = block_template.getBlockHeaderRequest();
    auto header = On(request, thread).send().wait(ws);
    auto bytes = header.getResult();
    KJ_REQUIRE(bytes.size() == 80, "a block header has 80 bytes", bytes.size());
    return DisplayHex(bytes.begin() + PREV_HASH_AT, HASH_SIZE);
}

// Runs `scenario` on one connection to `path`; the connection is dropped on return.
template <typename Scenario>
void WithConnection(kj::AsyncIoContext& io, ThreadSet& threads, const std::string& path, Scenario&& scenario)
{
    auto address = io.provider->getNetwork().parseAddress(("unix:" + path).c_str()).wait(io.waitScope);
    auto stream = address->connect().wait(io.waitScope);
    capnp::TwoPartyClient client(*stream);
    Session session(client, threads);
    scenario(client, session);
}

void Burst(Session& s, kj::WaitScope& ws, long rounds)
{
    mp::Thread::Client lanes[] = {s.Thread("burst/0"), s.Thread("burst/1")};
    Mining::Client mining = MakeMining(s, lanes[0]);
    // A wait that lasts as long as the client: whenever the client dies, the node is in the middle of a call.
    auto tip_request = mining.getTipRequest();
    auto tip = On(tip_request, lanes[0]).send().wait(ws);
    auto wait_request = mining.waitTipChangedRequest();
    On(wait_request, s.Thread("burst/wait")).setCurrentTip(tip.getResult().getHash());
    auto wait = wait_request.send();
    for (long round = 1; rounds == 0 || round <= rounds; ++round) {
        std::vector<capnp::RemotePromise<BlockTemplate::GetBlockResults>> blocks;
        std::vector<capnp::RemotePromise<BlockTemplate::GetCoinbaseTxResults>> coinbases;
        for (int i = 0; i < BURST_WIDTH; ++i) {
            auto& lane = lanes[i % 2];
            BlockTemplate::Client block_template = CreateNewBlock(mining, lane);
            auto block = block_template.getBlockRequest();
            blocks.push_back(On(block, lane).send());
            auto coinbase = block_template.getCoinbaseTxRequest();
            coinbases.push_back(On(coinbase, lane).send());
        }
        for (auto& block : blocks) KJ_REQUIRE(block.wait(ws).getResult().size() > 80, "a block has transactions");
        for (auto& coinbase : coinbases) coinbase.wait(ws);
        if (round == 1) Say("bursting");
    }
    Say("ok " + std::to_string(rounds) + " rounds");
}

void Waits(Session& s, capnp::TwoPartyClient& client, kj::WaitScope& ws, double timeout_ms)
{
    mp::Thread::Client main = s.Thread("waits/main");
    Mining::Client mining = MakeMining(s, main);
    auto tip_request = mining.getTipRequest();
    auto tip = On(tip_request, main).send().wait(ws);
    BlockTemplate::Client block_template = CreateNewBlock(mining, main);

    auto wait_tip = mining.waitTipChangedRequest();
    On(wait_tip, s.Thread("waits/tip")).setCurrentTip(tip.getResult().getHash());
    wait_tip.setTimeout(timeout_ms);
    auto tip_changed = wait_tip.send();
    auto wait_next = block_template.waitNextRequest();
    On(wait_next, s.Thread("waits/next")).initOptions().setTimeout(timeout_ms);
    auto next = wait_next.send();
    Say("waiting");

    auto changed = tip_changed.wait(ws);
    Say(changed.hasResult() ? "waitTipChanged: height " + std::to_string(changed.getResult().getHeight())
                            : "waitTipChanged: no result");
    Say(next.wait(ws).hasResult() ? "waitNext: a template" : "waitNext: null");
    client.onDisconnect().wait(ws);
    Say("disconnected by the node");
}

void WaitNextThree(Session& s, kj::WaitScope& ws, double timeout_ms)
{
    mp::Thread::Client thread = s.Thread("waitnext3");
    Mining::Client mining = MakeMining(s, thread);
    BlockTemplate::Client block_template = CreateNewBlock(mining, thread);
    std::vector<capnp::RemotePromise<BlockTemplate::WaitNextResults>> waits;
    for (int i = 0; i < 3; ++i) {
        auto request = block_template.waitNextRequest();
        auto options = On(request, thread).initOptions();
        options.setTimeout(timeout_ms);
        // Fees are watched (each tick makes a template), as in Core's test of a busy thread.
        options.setFeeThreshold(1);
        waits.push_back(request.send());
    }
    Say("waiting");
    for (size_t i = 0; i < waits.size(); ++i) {
        auto response = waits[i].wait(ws);
        if (!response.hasResult()) {
            Say("waitNext " + std::to_string(i) + ": null");
            continue;
        }
        BlockTemplate::Client next = response.getResult();
        Say("waitNext " + std::to_string(i) + ": prev " + PrevHashOf(next, thread, ws));
        auto destroy = next.destroyRequest();
        On(destroy, thread).send().wait(ws);
    }
}

void Interrupt(Session& s, kj::WaitScope& ws)
{
    mp::Thread::Client thread = s.Thread("interrupt");
    Mining::Client mining = MakeMining(s, thread);
    auto tip_request = mining.getTipRequest();
    auto tip = On(tip_request, thread).send().wait(ws);
    const std::string tip_hex = DisplayHex(tip.getResult().getHash());

    auto timed = mining.waitTipChangedRequest();
    On(timed, thread).setCurrentTip(tip.getResult().getHash());
    timed.setTimeout(50);
    auto timed_out = timed.send().wait(ws);
    Say(std::string("timeout: result ") + (timed_out.hasResult() ? "set" : "unset") +
        (timed_out.hasResult() && DisplayHex(timed_out.getResult().getHash()) == tip_hex ? ", the tip" : ""));

    auto endless = mining.waitTipChangedRequest();
    On(endless, thread).setCurrentTip(tip.getResult().getHash());
    auto waiting = endless.send();
    // interrupt() has no context: it runs on the node's event loop, beside the blocked wait.
    mining.interruptRequest().send().wait(ws);
    auto interrupted = waiting.wait(ws);
    Say(std::string("interrupt: result ") + (interrupted.hasResult() ? "set" : "unset"));
}

void Template(Session& s, kj::WaitScope& ws)
{
    mp::Thread::Client thread = s.Thread("template");
    Mining::Client mining = MakeMining(s, thread);
    auto tip_request = mining.getTipRequest();
    auto tip = On(tip_request, thread).send().wait(ws);
    BlockTemplate::Client block_template = CreateNewBlock(mining, thread);
    Say("tip " + std::to_string(tip.getResult().getHeight()) + " " + DisplayHex(tip.getResult().getHash()) +
        " template prev " + PrevHashOf(block_template, thread, ws));
}

void Echo(Session& s, kj::WaitScope& ws)
{
    mp::Thread::Client thread = s.Thread("cycle");
    auto make = s.init().makeEchoRequest();
    auto echo = On(make, thread).send().getResult();
    auto request = echo.echoRequest();
    On(request, thread).setEcho("cycle");
    KJ_REQUIRE(request.send().wait(ws).getResult() == "cycle", "echo");
}

int Main(const std::string& path, const std::string& scenario, long n)
{
    ThreadSet threads; // outlives the event loop: the Threads and the ThreadMaps we host refer to it
    auto io = kj::setupAsyncIo();
    auto& ws = io.waitScope;
    if (scenario == "cycles") {
        for (long i = 0; i < n; ++i) WithConnection(io, threads, path, [&](auto&, Session& s) { Echo(s, ws); });
        Say("ok " + std::to_string(n) + " cycles");
        return 0;
    }
    WithConnection(io, threads, path, [&](capnp::TwoPartyClient& client, Session& s) {
        if (scenario == "burst") Burst(s, ws, n);
        else if (scenario == "waits") Waits(s, client, ws, static_cast<double>(n));
        else if (scenario == "waitnext3") WaitNextThree(s, ws, static_cast<double>(n));
        else if (scenario == "interrupt") Interrupt(s, ws);
        else if (scenario == "template") Template(s, ws);
        else KJ_FAIL_REQUIRE("unknown scenario", scenario.c_str());
    });
    ws.poll();
    return 0;
}

} // namespace
} // namespace interop

int main(int argc, char** argv)
{
    if (argc < 3 || argc > 4) {
        std::fprintf(stderr, "Usage: %s <socket path> burst|cycles|waits|waitnext3|interrupt|template [<n>]\n", argv[0]);
        return 2;
    }
    try {
        return interop::Main(argv[1], argv[2], argc == 4 ? std::strtol(argv[3], nullptr, 10) : 0);
    } catch (const kj::Exception& e) {
        std::printf("FAIL %s\n", e.getDescription().cStr());
        return 1;
    }
}
