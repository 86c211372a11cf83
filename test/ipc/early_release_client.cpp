// ipc_early_release_client: a plain Cap'n Proto client, built from Bitcoin Core's schemas, that drops every
// promise as soon as it has pipelined a call on its result, as C++ programs and pycapnp scripts do (Bitcoin
// Core's test_framework/ipc_util.py keeps only `construct().threadMap` and `makeThread(...).result`).
// Cap'n Proto sends Finish for a question once nothing refers to its promise any more, so the server gets
// Finish for construct, makeEcho, makeMining and createNewBlock while calls pipelined on their results are
// still waiting for them; rpc.capnp allows the callee to cancel a call on Finish only when nothing else
// needs its results.
//
// Usage: ipc_early_release_client <socket path> <scenario>...
//   pipelined  construct -> makeThread -> makeEcho -> echo, each promise dropped once pipelined on
//   mining     makeMining -> isTestChain, getTip, createNewBlock -> getBlockHeader, likewise
//   released   results awaited, then the result capabilities (ThreadMap, Echo, Mining, BlockTemplate)
//              released at once, while a call on them is still running
// Each scenario runs on its own connection. After its drops a scenario calls Init.makeMiningOld2 as a
// marker: a test server may hold its answers until then, so that every Finish and Release is known to
// arrive before the Return it concerns. Prints one "ok"/"FAIL" line per check; exits 1 if any failed.
#include "interop_common.h"

#include <common.capnp.h>
#include <echo.capnp.h>
#include <init.capnp.h>
#include <mining.capnp.h>

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

constexpr const char* OWNER = "ipc_early_release_client";
constexpr const char* MARKER_ERROR = "Old mining interface (@2) not supported. Please update your client!";

int g_failures = 0;

// Runs one check (returning a detail to print); a thrown kj or std exception is its failure.
void Check(const std::string& name, const std::function<std::string()>& check)
{
    std::string failure;
    try {
        const std::string detail = check();
        std::printf("ok %s%s%s\n", name.c_str(), detail.empty() ? "" : ": ", detail.c_str());
    } catch (const kj::Exception& e) {
        failure = e.getDescription().cStr();
    } catch (const std::exception& e) {
        failure = e.what();
    }
    if (!failure.empty()) {
        std::printf("FAIL %s: %s\n", name.c_str(), failure.c_str());
        ++g_failures;
    }
    std::fflush(stdout);
}

// One connection with its Init and the Threads this side hosts for it.
struct Session {
    kj::AsyncIoContext& io;
    ThreadSet& threads;
    kj::Own<kj::AsyncIoStream> stream;
    kj::Own<capnp::TwoPartyClient> client;
    Init::Client init{nullptr};
    mp::Thread::Client callback_thread{nullptr};

    Session(kj::AsyncIoContext& io_, ThreadSet& threads_, const std::string& path, const std::string& scenario)
        : io(io_), threads(threads_)
    {
        auto address = io.provider->getNetwork().parseAddress(("unix:" + path).c_str()).wait(io.waitScope);
        stream = address->connect().wait(io.waitScope);
        client = kj::heap<capnp::TwoPartyClient>(*stream);
        init = client->bootstrap().castAs<Init>();
        callback_thread = AddThread(threads, std::string(OWNER) + "/" + scenario);
    }

    // `request` with a Context naming `thread` (and our callback thread), as a libmultiprocess client sends it.
    template <typename Request>
    Request On(Request request, mp::Thread::Client& thread)
    {
        auto context = request.initContext();
        context.setThread(thread);
        context.setCallbackThread(callback_thread);
        return request;
    }

    // Init.makeMiningOld2, which always fails: the marker that ends a server's hold (see the usage above).
    capnp::RemotePromise<Init::MakeMiningOld2Results> Marker() { return init.makeMiningOld2Request().send(); }

    void CheckMarker(capnp::RemotePromise<Init::MakeMiningOld2Results>& marker, const std::string& name)
    {
        Check(name, [&] {
            try {
                marker.wait(io.waitScope);
            } catch (const kj::Exception& e) {
                const std::string what = e.getDescription().cStr();
                if (what.find(MARKER_ERROR) == std::string::npos) throw std::runtime_error("unexpected exception: " + what);
                return std::string();
            }
            throw std::runtime_error("makeMiningOld2 succeeded");
        });
    }
};

// construct and makeThread sent at once, as ipc_util.py does, keeping only the pipelined Thread: the construct
// promise and the server's ThreadMap are dropped once makeThread is pipelined on them, so Finish(construct)
// follows makeThread on the wire.
mp::Thread::Client PipelinedThread(Session& s, const std::string& name)
{
    mp::ThreadMap::Client thread_map = [&] {
        auto request = s.init.constructRequest();
        request.setThreadMap(kj::heap<ThreadMapImpl>(s.threads, OWNER));
        return request.send().getThreadMap();
    }();
    auto request = thread_map.makeThreadRequest();
    request.setName(name);
    return request.send().getResult();
}

std::string ThreadName(Session& s, mp::Thread::Client& thread)
{
    return thread.getNameRequest().send().wait(s.io.waitScope).getResult().cStr();
}

std::string Payload()
{
    std::string s(1024, 'x');
    for (size_t i = 0; i < s.size(); ++i) s[i] = static_cast<char>('a' + i % 26);
    return s;
}

void Pipelined(Session& s)
{
    mp::Thread::Client thread = PipelinedThread(s, "pipelined");
    Echo::Client echo = s.On(s.init.makeEchoRequest(), thread).send().getResult();
    const std::string payload = Payload();
    auto echo_request = s.On(echo.echoRequest(), thread);
    echo_request.setEcho(payload);
    auto echoed = echo_request.send();
    echo = nullptr; // Finish(makeEcho) while echo is pipelined on its result
    auto marker = s.Marker();

    Check("echo pipelined on makeEcho after Finish(makeEcho), thread from makeThread after Finish(construct)", [&] {
        auto response = echoed.wait(s.io.waitScope);
        if (std::string(response.getResult().cStr()) != payload) throw std::runtime_error("echo returned different text");
        return std::string("1024 bytes");
    });
    Check("thread handle made after Finish(construct)", [&] { return "\"" + ThreadName(s, thread) + "\""; });
    s.CheckMarker(marker, "marker");
    Check("makeEcho, echo and destroy on the same thread afterwards", [&] {
        Echo::Client again = s.On(s.init.makeEchoRequest(), thread).send().wait(s.io.waitScope).getResult();
        auto request = s.On(again.echoRequest(), thread);
        request.setEcho("again");
        const std::string got = request.send().wait(s.io.waitScope).getResult().cStr();
        if (got != "again") throw std::runtime_error("echo returned \"" + got + "\"");
        s.On(again.destroyRequest(), thread).send().wait(s.io.waitScope);
        return std::string();
    });
}

std::string Hex(capnp::Data::Reader data)
{
    static const char* digits = "0123456789abcdef";
    std::string out;
    for (auto b : data) {
        out += digits[b >> 4];
        out += digits[b & 15];
    }
    return out;
}

void MiningPath(Session& s)
{
    mp::Thread::Client thread = PipelinedThread(s, "mining");
    Mining::Client mining = s.On(s.init.makeMiningRequest(), thread).send().getResult();
    auto test_chain = s.On(mining.isTestChainRequest(), thread).send();
    auto tip = s.On(mining.getTipRequest(), thread).send();
    BlockTemplate::Client block_template = [&] {
        auto request = s.On(mining.createNewBlockRequest(), thread);
        request.initOptions();
        return request.send().getResult();
    }();
    auto header = s.On(block_template.getBlockHeaderRequest(), thread).send();
    block_template = nullptr; // Finish(createNewBlock) while getBlockHeader is pipelined on it
    mining = nullptr;         // Finish(makeMining) while three calls are pipelined on it
    auto marker = s.Marker();

    Check("Mining.isTestChain pipelined on makeMining after Finish(makeMining)", [&] {
        return std::string(test_chain.wait(s.io.waitScope).getResult() ? "true" : "false");
    });
    Check("Mining.getTip likewise", [&] {
        auto response = tip.wait(s.io.waitScope);
        if (!response.getHasResult()) return std::string("no tip");
        auto ref = response.getResult();
        return "height " + std::to_string(ref.getHeight()) + " hash " + Hex(ref.getHash());
    });
    Check("BlockTemplate.getBlockHeader pipelined on createNewBlock after Finish(createNewBlock)", [&] {
        return std::to_string(header.wait(s.io.waitScope).getResult().size()) + " bytes";
    });
    s.CheckMarker(marker, "marker");
}

void Released(Session& s)
{
    auto& ws = s.io.waitScope;
    // Nothing is pipelined here: the first marker tells a holding server to answer at once.
    auto opening = s.Marker();
    s.CheckMarker(opening, "first marker");

    // Two threads: echo("hold") occupies the first until the last marker, waitNext runs on the second.
    mp::Thread::Client thread{nullptr};
    mp::Thread::Client waiter{nullptr};
    Check("makeThread on a ThreadMap released while makeThread runs", [&] {
        auto construct = s.init.constructRequest();
        construct.setThreadMap(kj::heap<ThreadMapImpl>(s.threads, OWNER));
        mp::ThreadMap::Client thread_map = construct.send().wait(ws).getThreadMap(); // Finish(construct) sent here
        auto request = thread_map.makeThreadRequest();
        request.setName("released");
        auto made = request.send();
        auto wait_request = thread_map.makeThreadRequest();
        wait_request.setName("released-wait");
        auto made_waiter = wait_request.send();
        thread_map = nullptr; // Release(ThreadMap) follows the two makeThread calls
        thread = made.wait(ws).getResult();
        waiter = made_waiter.wait(ws).getResult();
        return "\"" + ThreadName(s, thread) + "\", \"" + ThreadName(s, waiter) + "\"";
    });

    Echo::Client echo = s.On(s.init.makeEchoRequest(), thread).send().wait(ws).getResult();
    Mining::Client mining = s.On(s.init.makeMiningRequest(), thread).send().wait(ws).getResult();
    BlockTemplate::Client block_template = [&] {
        auto request = s.On(mining.createNewBlockRequest(), thread);
        request.initOptions();
        return request.send().wait(ws).getResult();
    }();

    auto hold = s.On(echo.echoRequest(), thread);
    hold.setEcho("hold");
    auto held = hold.send();
    auto wait_request = s.On(block_template.waitNextRequest(), waiter);
    wait_request.initOptions().setTimeout(60000);
    auto waiting = wait_request.send();
    echo = nullptr;           // Release(Echo) while echo("hold") runs
    block_template = nullptr; // Release(BlockTemplate) while waitNext runs
    mining = nullptr;         // Release(Mining)
    auto marker = s.Marker();

    Check("echo on an Echo released while the call runs", [&] {
        return std::string("\"") + held.wait(ws).getResult().cStr() + "\"";
    });
    Check("BlockTemplate.waitNext on a template released while the call runs", [&] {
        return std::string(waiting.wait(ws).hasResult() ? "a new template" : "no new template");
    });
    s.CheckMarker(marker, "marker");
}

void RunScenario(kj::AsyncIoContext& io, ThreadSet& threads, const std::string& path, const std::string& scenario)
{
    Session s(io, threads, path, scenario);
    if (scenario == "pipelined") {
        Pipelined(s);
    } else if (scenario == "mining") {
        MiningPath(s);
    } else if (scenario == "released") {
        Released(s);
    } else {
        throw std::invalid_argument("unknown scenario " + scenario);
    }
}

int Main(const std::string& path, const std::vector<std::string>& scenarios)
{
    ThreadSet threads; // outlives the event loop: the Threads and ThreadMaps we host refer to it
    auto io = kj::setupAsyncIo();
    for (const auto& scenario : scenarios) {
        try {
            RunScenario(io, threads, path, scenario);
        } catch (const kj::Exception& e) {
            std::printf("FAIL %s: %s\n", scenario.c_str(), e.getDescription().cStr());
            ++g_failures;
        }
        // Let the dropped connection's releases and disconnect handling run before the next one.
        io.waitScope.poll();
    }
    return g_failures == 0 ? 0 : 1;
}

} // namespace
} // namespace interop

int main(int argc, char** argv)
{
    if (argc < 3) {
        std::fprintf(stderr, "Usage: %s <socket path> pipelined|mining|released...\n", argv[0]);
        return 2;
    }
    std::vector<std::string> scenarios(argv + 2, argv + argc);
    try {
        return interop::Main(argv[1], scenarios);
    } catch (const std::exception& e) {
        std::printf("FAIL arguments: %s\n", e.what());
        return 2;
    }
}
