// ipc_interop_client: a C++ Cap'n Proto client (TwoPartyClient on a unix socket) that drives an Init
// server the way a libmultiprocess client does, printing one line per check.
//
// Usage: ipc_interop_client <socket path> [--callback] [--bench N [--dump FILE]]
//   --callback  also run the TestInit callback and exception checks (interop_test.capnp)
//   --bench N   after the checks, time N blocking 1 KiB Echo calls and print the median round trip
//   --dump FILE also write each of those round trips (µs, in call order, one per line) to FILE
// Exits 1 if any check fails.
#include "interop_common.h"

#include <echo.capnp.h>
#include <init.capnp.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

namespace interop {
namespace {

using ipc::capnp::messages::Echo;

constexpr size_t ECHO_BYTES = 1024;

// The std::function-style capability: answers "callback:<value>" and records which of our threads the
// server asked it to run on (a libmultiprocess server passes the caller's callbackThread back).
class CallbackImpl final : public Callback::Server {
public:
    CallbackImpl(ThreadSet& threads, bool& alive) : m_threads(threads), m_alive(alive) { m_alive = true; }
    ~CallbackImpl() { m_alive = false; }
    int calls{0};
    std::string thread;

protected:
    kj::Promise<void> destroy(DestroyContext) override { return kj::READY_NOW; }
    kj::Promise<void> call(CallContext context) override
    {
        auto ctx = context.getParams().getContext();
        KJ_REQUIRE(ctx.hasThread(), "callback called without context.thread");
        return LocalThreadName(m_threads, ctx.getThread()).then([this, context](std::string name) mutable {
            ++calls;
            thread = std::move(name);
            context.getResults().setResult(std::string("callback:") + context.getParams().getValue().cStr());
        });
    }

private:
    ThreadSet& m_threads;
    bool& m_alive;
};

class Checks {
public:
    // Runs one check (returning a detail to print); a thrown kj or std exception is its failure.
    void Run(const char* name, const std::function<std::string()>& check)
    {
        try {
            const std::string detail = check();
            std::printf("ok %s%s%s\n", name, detail.empty() ? "" : ": ", detail.c_str());
        } catch (const kj::Exception& e) {
            Fail(name, e.getDescription().cStr());
        } catch (const std::exception& e) {
            Fail(name, e.what());
        }
        std::fflush(stdout);
    }
    void Fail(const char* name, const std::string& why)
    {
        std::printf("FAIL %s: %s\n", name, why.c_str());
        ++failures;
    }
    int failures{0};
};

template <typename Builder>
void SetContext(Builder&& builder, mp::Thread::Client thread, mp::Thread::Client callback_thread)
{
    auto context = builder.initContext();
    context.setThread(kj::mv(thread));
    context.setCallbackThread(kj::mv(callback_thread));
}

// Expects `promise` to fail with a remote exception whose description contains `needle`; returns
// "<type>: <description>" (e.g. "failed: remote exception: std::exception: ...") for the caller to print.
template <typename Promise>
std::string ExpectFailure(Promise&& promise, kj::WaitScope& ws, const std::string& needle)
{
    try {
        promise.wait(ws);
    } catch (const kj::Exception& e) {
        std::string what = e.getDescription().cStr();
        if (what.find(needle) == std::string::npos) throw std::runtime_error("unexpected exception: " + what);
        return std::string(kj::str(e.getType()).cStr()) + ": " + what;
    }
    throw std::runtime_error("the call succeeded; expected an exception containing \"" + needle + "\"");
}

// Connects, runs the checks (and the benchmark) and returns the number of failed checks.
int RunChecks(kj::AsyncIoContext& io, ThreadSet& threads, const std::string& path, bool callback, long bench,
              const std::string& dump)
{
    auto& ws = io.waitScope;
    auto address = io.provider->getNetwork().parseAddress(("unix:" + path).c_str()).wait(ws);
    auto stream = address->connect().wait(ws);
    capnp::TwoPartyClient client(*stream);
    Checks checks;

    // Everything up to the first echo is pipelined: no round trip is waited for before echo is sent.
    auto init = client.bootstrap().castAs<TestInit>();
    auto construct = init.constructRequest();
    construct.setThreadMap(kj::heap<ThreadMapImpl>(threads, "ipc_interop_client"));
    auto constructed = construct.send();
    mp::ThreadMap::Client server_threads = constructed.getThreadMap();
    auto make_thread = server_threads.makeThreadRequest();
    make_thread.setName("ipc_interop_client/main");
    auto made_thread = make_thread.send();
    mp::Thread::Client thread = made_thread.getResult();
    mp::Thread::Client callback_thread = AddThread(threads, "ipc_interop_client/main");

    auto make_echo = init.makeEchoRequest();
    SetContext(make_echo, thread, callback_thread);
    Echo::Client echo = make_echo.send().getResult();
    const std::string payload = [] {
        std::string s(ECHO_BYTES, 'x');
        for (size_t i = 0; i < s.size(); ++i) s[i] = static_cast<char>('a' + i % 26);
        return s;
    }();
    auto echo_request = echo.echoRequest();
    SetContext(echo_request, thread, callback_thread);
    echo_request.setEcho(payload);
    auto echoed = echo_request.send();

    checks.Run("bootstrap Init and construct pipelined on it", [&] {
        auto response = constructed.wait(ws);
        if (!response.hasThreadMap()) throw std::runtime_error("construct returned no ThreadMap");
        return std::string();
    });
    checks.Run("makeThread pipelined into makeEcho's context", [&] {
        auto response = thread.getNameRequest().send().wait(ws);
        return std::string("thread \"") + response.getResult().cStr() + "\"";
    });
    checks.Run("echo 1024 bytes", [&] {
        auto response = echoed.wait(ws);
        if (std::string(response.getResult().cStr()) != payload) throw std::runtime_error("echo returned different text");
        return std::string();
    });
    checks.Run("exception from Init.makeMiningOld2", [&] {
        auto request = init.makeMiningOld2Request();
        return ExpectFailure(request.send(), ws, "Old mining interface (@2) not supported. Please update your client!");
    });
    if (callback) {
        auto make_test = init.makeCallbackTestRequest();
        SetContext(make_test, thread, callback_thread);
        CallbackTest::Client test = make_test.send().getResult();
        bool callback_alive = false;
        // Our own reference keeps the callback alive however soon the server releases the one it was sent.
        Callback::Client callback_client(nullptr);
        checks.Run("callback capability called back by the server", [&] {
            auto impl = kj::heap<CallbackImpl>(threads, callback_alive);
            CallbackImpl& cb = *impl;
            callback_client = kj::mv(impl);
            auto request = test.callBackRequest();
            SetContext(request, thread, callback_thread);
            request.setCallback(callback_client);
            request.setValue("ping");
            auto result = request.send().wait(ws);
            if (std::string(result.getResult().cStr()) != "callback:ping" || cb.calls != 1) {
                throw std::runtime_error(std::string("got \"") + result.getResult().cStr() + "\"");
            }
            return "ran on thread \"" + cb.thread + "\"";
        });
        checks.Run("callback capability released by the server", [&] {
            // Once we drop our own reference, only the server's import keeps the callback alive; its Release
            // arrives before the answer to a later call on the same connection.
            callback_client = nullptr;
            thread.getNameRequest().send().wait(ws);
            if (callback_alive) throw std::runtime_error("the server still holds the callback capability");
            return std::string();
        });
        checks.Run("exception thrown by a server method", [&] {
            auto request = test.failRequest();
            SetContext(request, thread, callback_thread);
            request.setMessage("boom");
            return ExpectFailure(request.send(), ws, "std::exception: boom");
        });
        checks.Run("destroy CallbackTest", [&] {
            auto request = test.destroyRequest();
            SetContext(request, thread, callback_thread);
            request.send().wait(ws);
            return std::string();
        });
    }

    if (bench > 0) {
        std::vector<double> micros;
        micros.reserve(static_cast<size_t>(bench));
        for (long i = 0; i < bench && checks.failures == 0; ++i) {
            auto request = echo.echoRequest();
            SetContext(request, thread, callback_thread);
            request.setEcho(payload);
            const auto start = std::chrono::steady_clock::now();
            auto response = request.send().wait(ws);
            const auto stop = std::chrono::steady_clock::now();
            if (response.getResult().size() != payload.size()) {
                checks.Fail("bench", "echo returned different text");
                break;
            }
            micros.push_back(std::chrono::duration<double, std::micro>(stop - start).count());
        }
        if (!dump.empty()) {
            std::ofstream out(dump);
            for (double us : micros) out << us << "\n";
            if (!out) checks.Fail("bench", "cannot write " + dump);
        }
        if (!micros.empty()) {
            std::sort(micros.begin(), micros.end());
            auto at = [&](double q) { return micros[static_cast<size_t>(q * static_cast<double>(micros.size() - 1))]; };
            std::printf("bench echo 1024 bytes: median %.1f us (p10 %.1f, p90 %.1f, p99 %.1f) over %zu calls\n",
                        at(0.5), at(0.1), at(0.9), at(0.99), micros.size());
        }
    }

    checks.Run("destroy Echo", [&] {
        auto request = echo.destroyRequest();
        SetContext(request, thread, callback_thread);
        request.send().wait(ws);
        return std::string();
    });
    return checks.failures;
}

int Main(const std::string& path, bool callback, long bench, const std::string& dump)
{
    ThreadSet threads; // outlives the event loop: the Threads and the ThreadMap we host refer to it
    auto io = kj::setupAsyncIo();
    const int failures = RunChecks(io, threads, path, callback, bench, dump);
    // Dropping the connection queued events (releases, disconnect handling): run them before the loop goes.
    io.waitScope.poll();
    return failures == 0 ? 0 : 1;
}

} // namespace
} // namespace interop

int main(int argc, char** argv)
{
    if (argc < 2) {
        std::fprintf(stderr, "Usage: %s <socket path> [--callback] [--bench N [--dump FILE]]\n", argv[0]);
        return 2;
    }
    bool callback = false;
    long bench = 0;
    std::string dump;
    for (int i = 2; i < argc; ++i) {
        if (std::strcmp(argv[i], "--callback") == 0) {
            callback = true;
        } else if (std::strcmp(argv[i], "--bench") == 0 && i + 1 < argc) {
            bench = std::strtol(argv[++i], nullptr, 10);
        } else if (std::strcmp(argv[i], "--dump") == 0 && i + 1 < argc) {
            dump = argv[++i];
        } else {
            std::fprintf(stderr, "Unknown argument %s\n", argv[i]);
            return 2;
        }
    }
    try {
        return interop::Main(argv[1], callback, bench, dump);
    } catch (const kj::Exception& e) {
        std::printf("FAIL connection: %s\n", e.getDescription().cStr());
        return 1;
    }
}
