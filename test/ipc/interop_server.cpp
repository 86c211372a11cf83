// ipc_interop_server: a C++ Cap'n Proto server (EzRpcServer on a unix socket) bootstrapping TestInit,
// an Init with Echo and the callback test object, so TypeScript clients can be tested against libcapnp.
//
// Usage: ipc_interop_server <socket path> [--exit-on-stdin-eof]
// Prints "listening <path>" once it accepts connections.
#include "interop_common.h"

#include <capnp/ez-rpc.h>
#include <echo.capnp.h>
#include <init.capnp.h>

#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <string>

namespace interop {
namespace {

using ipc::capnp::messages::Echo;

class EchoImpl final : public Echo::Server {
protected:
    kj::Promise<void> echo(EchoContext context) override
    {
        KJ_REQUIRE(!m_destroyed, "Echo called after destroy");
        context.getResults().setResult(context.getParams().getEcho());
        return kj::READY_NOW;
    }
    kj::Promise<void> destroy(DestroyContext) override
    {
        m_destroyed = true;
        return kj::READY_NOW;
    }

private:
    bool m_destroyed{false};
};

class CallbackTestImpl final : public CallbackTest::Server {
protected:
    kj::Promise<void> destroy(DestroyContext) override { return kj::READY_NOW; }

    // Runs the callback on the caller's own thread, as a libmultiprocess server does.
    kj::Promise<void> callBack(CallBackContext context) override
    {
        auto params = context.getParams();
        auto request = params.getCallback().callRequest();
        request.initContext().setThread(params.getContext().getCallbackThread());
        request.setValue(params.getValue());
        return request.send().then([context](capnp::Response<Callback::CallResults>&& response) mutable {
            context.getResults().setResult(response.getResult());
        });
    }

    kj::Promise<void> fail(FailContext context) override
    {
        throw std::runtime_error(context.getParams().getMessage().cStr());
    }
};

class TestInitImpl final : public TestInit::Server {
protected:
    // Swaps ThreadMaps like libmultiprocess: keeps the client's, hands out our own.
    kj::Promise<void> construct(ConstructContext context) override
    {
        if (context.getParams().hasThreadMap()) m_client_thread_map = context.getParams().getThreadMap();
        context.getResults().setThreadMap(kj::heap<ThreadMapImpl>("ipc_interop_server"));
        return kj::READY_NOW;
    }
    kj::Promise<void> makeEcho(MakeEchoContext context) override
    {
        context.getResults().setResult(kj::heap<EchoImpl>());
        return kj::READY_NOW;
    }
    // Bitcoin Core's answer to pre-v31 clients, so clients can test the exception path.
    kj::Promise<void> makeMiningOld2(MakeMiningOld2Context) override
    {
        throw std::runtime_error("Old mining interface (@2) not supported. Please update your client!");
    }
    kj::Promise<void> makeCallbackTest(MakeCallbackTestContext context) override
    {
        context.getResults().setResult(kj::heap<CallbackTestImpl>());
        return kj::READY_NOW;
    }

private:
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
        capnp::EzRpcServer server(kj::heap<interop::TestInitImpl>(), ("unix:" + path).c_str());
        auto& ws = server.getWaitScope();
        server.getPort().wait(ws);
        std::printf("listening %s\n", path.c_str());
        std::fflush(stdout);
        if (watch_stdin) {
            auto in = server.getLowLevelIoProvider().wrapInputFd(STDIN_FILENO);
            auto buffer = kj::heapArray<kj::byte>(256);
            interop::WaitForEof(*in, buffer).wait(ws);
        } else {
            kj::NEVER_DONE.wait(ws);
        }
        unlink(path.c_str());
    } catch (const kj::Exception& e) {
        std::fprintf(stderr, "ipc_interop_server: %s\n", e.getDescription().cStr());
        return 1;
    }
    return 0;
}
