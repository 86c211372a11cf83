// ipc_interop_server: a C++ Cap'n Proto server (TwoPartyServer on a unix socket) bootstrapping TestInit,
// an Init with Echo, a small Mining (fixed tip, BlockTemplates) and the callback test object, so TypeScript clients can be tested against libcapnp.
// Like libmultiprocess, every method with a Context only runs if context.thread names a Thread this
// server made (else "invalid thread handle").
//
// Usage: ipc_interop_server <socket path> [--exit-on-stdin-eof]
// Prints "listening <path>" once it accepts connections.
#include "interop_common.h"

#include <common.capnp.h>
#include <echo.capnp.h>
#include <init.capnp.h>
#include <mining.capnp.h>

#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <string>

namespace interop {
namespace {

using ipc::capnp::messages::BlockTemplate;
using ipc::capnp::messages::Echo;
using ipc::capnp::messages::Mining;

// Checks a call's `context.thread` the way libmultiprocess does before running it: it must name a Thread
// this server made (pipelined makeThread results included).
template <typename Params>
kj::Promise<std::string> CheckThread(ThreadSet& threads, Params params)
{
    auto context = params.getContext();
    if (!context.hasThread()) KJ_FAIL_REQUIRE("no thread specified and no pool configured");
    return LocalThreadName(threads, context.getThread());
}

class EchoImpl final : public Echo::Server {
public:
    explicit EchoImpl(ThreadSet& threads) : m_threads(threads) {}

protected:
    kj::Promise<void> echo(EchoContext context) override
    {
        return CheckThread(m_threads, context.getParams()).then([this, context](std::string) mutable {
            KJ_REQUIRE(!m_destroyed, "Echo called after destroy");
            context.getResults().setResult(context.getParams().getEcho());
        });
    }
    kj::Promise<void> destroy(DestroyContext context) override
    {
        return CheckThread(m_threads, context.getParams()).then([this](std::string) { m_destroyed = true; });
    }

private:
    ThreadSet& m_threads;
    bool m_destroyed{false};
};

class CallbackTestImpl final : public CallbackTest::Server {
public:
    explicit CallbackTestImpl(ThreadSet& threads) : m_threads(threads) {}

protected:
    kj::Promise<void> destroy(DestroyContext context) override
    {
        return CheckThread(m_threads, context.getParams()).ignoreResult();
    }

    // Runs the callback on the caller's own thread, as a libmultiprocess server does.
    kj::Promise<void> callBack(CallBackContext context) override
    {
        return CheckThread(m_threads, context.getParams()).then([context](std::string) mutable {
            auto params = context.getParams();
            auto request = params.getCallback().callRequest();
            request.initContext().setThread(params.getContext().getCallbackThread());
            request.setValue(params.getValue());
            return request.send().then([context](capnp::Response<Callback::CallResults>&& response) mutable {
                context.getResults().setResult(response.getResult());
            });
        });
    }

    kj::Promise<void> fail(FailContext context) override
    {
        return CheckThread(m_threads, context.getParams()).then([context](std::string) mutable {
            throw std::runtime_error(context.getParams().getMessage().cStr());
        });
    }

private:
    ThreadSet& m_threads;
};

// A fixed chain for clients of the Mining path: a tip, and templates whose header is 80 bytes of 0x01.
constexpr int TIP_HEIGHT = 840000;
constexpr kj::byte TIP_HASH_BYTE = 7;

class BlockTemplateImpl final : public BlockTemplate::Server {
public:
    explicit BlockTemplateImpl(ThreadSet& threads) : m_threads(threads) {}

protected:
    kj::Promise<void> destroy(DestroyContext context) override
    {
        return CheckThread(m_threads, context.getParams()).ignoreResult();
    }
    kj::Promise<void> getBlockHeader(GetBlockHeaderContext context) override
    {
        return CheckThread(m_threads, context.getParams()).then([context](std::string) mutable {
            auto header = context.getResults().initResult(80);
            for (auto& b : header) b = 1;
        });
    }
    // No new template ever comes: answers at once with none (a real node would wait up to the timeout).
    kj::Promise<void> waitNext(WaitNextContext context) override
    {
        return CheckThread(m_threads, context.getParams()).ignoreResult();
    }

private:
    ThreadSet& m_threads;
};

class MiningImpl final : public Mining::Server {
public:
    explicit MiningImpl(ThreadSet& threads) : m_threads(threads) {}

protected:
    kj::Promise<void> isTestChain(IsTestChainContext context) override
    {
        return CheckThread(m_threads, context.getParams()).then([context](std::string) mutable {
            context.getResults().setResult(true);
        });
    }
    kj::Promise<void> getTip(GetTipContext context) override
    {
        return CheckThread(m_threads, context.getParams()).then([context](std::string) mutable {
            auto results = context.getResults();
            results.setHasResult(true);
            auto tip = results.initResult();
            tip.setHeight(TIP_HEIGHT);
            for (auto& b : tip.initHash(32)) b = TIP_HASH_BYTE;
        });
    }
    kj::Promise<void> createNewBlock(CreateNewBlockContext context) override
    {
        return CheckThread(m_threads, context.getParams()).then([this, context](std::string) mutable {
            context.getResults().setResult(kj::heap<BlockTemplateImpl>(m_threads));
        });
    }

private:
    ThreadSet& m_threads;
};

class TestInitImpl final : public TestInit::Server {
public:
    explicit TestInitImpl(ThreadSet& threads) : m_threads(threads) {}

protected:
    // Swaps ThreadMaps like libmultiprocess: keeps the client's, hands out our own.
    kj::Promise<void> construct(ConstructContext context) override
    {
        if (context.getParams().hasThreadMap()) m_client_thread_map = context.getParams().getThreadMap();
        context.getResults().setThreadMap(kj::heap<ThreadMapImpl>(m_threads, "ipc_interop_server"));
        return kj::READY_NOW;
    }
    kj::Promise<void> makeEcho(MakeEchoContext context) override
    {
        return CheckThread(m_threads, context.getParams()).then([this, context](std::string) mutable {
            context.getResults().setResult(kj::heap<EchoImpl>(m_threads));
        });
    }
    kj::Promise<void> makeMining(MakeMiningContext context) override
    {
        return CheckThread(m_threads, context.getParams()).then([this, context](std::string) mutable {
            context.getResults().setResult(kj::heap<MiningImpl>(m_threads));
        });
    }
    // Bitcoin Core's answer to pre-v31 clients, so clients can test the exception path.
    kj::Promise<void> makeMiningOld2(MakeMiningOld2Context) override
    {
        throw std::runtime_error("Old mining interface (@2) not supported. Please update your client!");
    }
    kj::Promise<void> makeCallbackTest(MakeCallbackTestContext context) override
    {
        return CheckThread(m_threads, context.getParams()).then([this, context](std::string) mutable {
            context.getResults().setResult(kj::heap<CallbackTestImpl>(m_threads));
        });
    }

private:
    ThreadSet& m_threads;
    kj::Maybe<mp::ThreadMap::Client> m_client_thread_map;
};

kj::Promise<void> WaitForEof(kj::AsyncInputStream& in, kj::Array<kj::byte>& buffer)
{
    return in.tryRead(buffer.begin(), 1, buffer.size()).then([&in, &buffer](size_t n) -> kj::Promise<void> {
        if (n == 0) return kj::READY_NOW;
        return WaitForEof(in, buffer);
    });
}

} // namespace
} // namespace interop

int main(int argc, char** argv)
{
    if (argc < 2 || argc > 3 || (argc == 3 && std::strcmp(argv[2], "--exit-on-stdin-eof") != 0)) {
        std::fprintf(stderr, "Usage: %s <socket path> [--exit-on-stdin-eof]\n", argv[0]);
        return 2;
    }
    const std::string path = argv[1];
    const bool watch_stdin = argc == 3;
    try {
        unlink(path.c_str()); // a stale socket from an earlier run
        // Declared first so that it outlives every Thread the server hands out, and the event loop.
        interop::ThreadSet threads;
        auto io = kj::setupAsyncIo();
        auto& ws = io.waitScope;
        {
            auto server = kj::heap<capnp::TwoPartyServer>(kj::heap<interop::TestInitImpl>(threads));
            auto address = io.provider->getNetwork().parseAddress(("unix:" + path).c_str()).wait(ws);
            auto listener = address->listen();
            auto accepting = server->listen(*listener).eagerlyEvaluate(nullptr);
            std::printf("listening %s\n", path.c_str());
            std::fflush(stdout);
            if (watch_stdin) {
                auto in = io.lowLevelProvider->wrapInputFd(STDIN_FILENO);
                auto buffer = kj::heapArray<kj::byte>(256);
                interop::WaitForEof(*in, buffer).wait(ws);
            } else {
                kj::NEVER_DONE.wait(ws);
            }
            // Leaving this scope stops accepting and drops every connection with its objects.
        }
        // Tearing connections down queues events (disconnect handlers, releases): run them before the loop goes.
        ws.poll();
        unlink(path.c_str());
    } catch (const kj::Exception& e) {
        std::fprintf(stderr, "ipc_interop_server: %s\n", e.getDescription().cStr());
        return 1;
    }
    return 0;
}
