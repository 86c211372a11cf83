// ipc_node_bench_client: times IPC calls to a running smithcoin-node (or to ipc_interop_server, for the Echo and
// getTip baselines) from a plain Cap'n Proto C++ client, and the same node's HTTP JSON-RPC from the same process.
// bench/ipc_node.bench.ts drives it.
//
// Usage: ipc_node_bench_client <socket path> [--http PORT BASIC_TOKEN] [--warmup W] <measure>...
//   measures, run in order on one connection, each printing
//   "result <name> <calls> <median µs> <p10> <p90> <p99>" (W untimed calls first):
//     echo=N     Echo.echo with 1 KiB of text
//     gettip=N   Mining.getTip
//     create=N   Mining.createNewBlock(cooldown=false) (each template destroyed, untimed, after its call)
//     rpc=N      Rpc.executeRpc of getblockcount
//     http=N     getblockcount over HTTP keep-alive (needs --http)
//     gbt=N      getblocktemplate {"rules":["segwit"]} over HTTP keep-alive (needs --http)
//   wait=K       K times: getTip, send waitTipChanged(tip), make sure the node has it (a getTip on a second thread
//                answers after it), print "waiting <height>", then on the answer "woke <height> <CLOCK_MONOTONIC ns>"
//   wakeipc=K    the same wait, but the block (a line of hex read from stdin after "need-block <height>") is sent by
//                Mining.submitBlock on a second connection of this process; prints "wakeipc <wake ns> <reply ns>",
//                both from the moment submitBlock was sent
//   park         createNewBlock, then waitNext and waitTipChanged pending on two threads; prints "parked", then
//                "ended <method> <hash bytes>" for each as it returns and stays until the node disconnects
// Exits 1 on any failure.
#include "interop_common.h"

#include <common.capnp.h>
#include <echo.capnp.h>
#include <init.capnp.h>
#include <mining.capnp.h>
#include <rpc.capnp.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <iostream>
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

constexpr size_t ECHO_BYTES = 1024;
constexpr const char* GETBLOCKCOUNT = "{\"jsonrpc\":\"1.0\",\"id\":1,\"method\":\"getblockcount\",\"params\":[]}";
constexpr const char* GETBLOCKTEMPLATE =
    "{\"jsonrpc\":\"1.0\",\"id\":1,\"method\":\"getblocktemplate\",\"params\":[{\"rules\":[\"segwit\"]}]}";

template <typename Builder>
void SetContext(Builder&& builder, mp::Thread::Client thread)
{
    builder.initContext().setThread(kj::mv(thread));
}

// A blocking HTTP/1.1 keep-alive JSON-RPC client on 127.0.0.1 (the node answers with a Content-Length).
class HttpClient {
public:
    HttpClient(int port, std::string token) : m_token(std::move(token))
    {
        m_fd = socket(AF_INET, SOCK_STREAM, 0);
        if (m_fd < 0) throw std::runtime_error("socket failed");
        int one = 1;
        setsockopt(m_fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(static_cast<uint16_t>(port));
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (connect(m_fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
            close(m_fd);
            throw std::runtime_error("cannot connect to the RPC port " + std::to_string(port));
        }
    }
    ~HttpClient() { close(m_fd); }
    HttpClient(const HttpClient&) = delete;
    HttpClient& operator=(const HttpClient&) = delete;

    // Posts `body` and returns the reply's body; a status other than 200 is a failure.
    std::string Post(const std::string& body)
    {
        const std::string request = "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n"
                                    "Authorization: Basic " + m_token + "\r\nContent-Type: application/json\r\n"
                                    "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
        for (size_t sent = 0; sent < request.size();) {
            const ssize_t n = send(m_fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
            if (n <= 0) throw std::runtime_error("HTTP send failed");
            sent += static_cast<size_t>(n);
        }
        size_t header_end;
        while ((header_end = m_buffer.find("\r\n\r\n")) == std::string::npos) Fill();
        const std::string head = m_buffer.substr(0, header_end);
        if (head.compare(0, 12, "HTTP/1.1 200") != 0) throw std::runtime_error("HTTP reply " + head.substr(0, 40));
        const size_t length = ContentLength(head);
        while (m_buffer.size() < header_end + 4 + length) Fill();
        std::string reply = m_buffer.substr(header_end + 4, length);
        m_buffer.erase(0, header_end + 4 + length);
        return reply;
    }

private:
    void Fill()
    {
        char chunk[16384];
        const ssize_t n = recv(m_fd, chunk, sizeof(chunk), 0);
        if (n <= 0) throw std::runtime_error("HTTP connection closed");
        m_buffer.append(chunk, static_cast<size_t>(n));
    }
    static size_t ContentLength(const std::string& head)
    {
        std::string lower(head);
        std::transform(lower.begin(), lower.end(), lower.begin(), [](char c) { return static_cast<char>(std::tolower(c)); });
        const size_t at = lower.find("\r\ncontent-length:");
        if (at == std::string::npos) throw std::runtime_error("HTTP reply without Content-Length");
        return std::strtoul(head.c_str() + at + 17, nullptr, 10);
    }

    int m_fd;
    std::string m_token;
    std::string m_buffer;
};

struct Options {
    std::string socket;
    int http_port{0};
    std::string http_token;
    long warmup{0};
    std::vector<std::string> measures;
};

struct Session {
    Init::Client init;
    mp::Thread::Client thread;
    mp::Thread::Client probe_thread;
    mp::Thread::Client ping_thread;
};

mp::Thread::Client MakeThread(mp::ThreadMap::Client& map, const char* name)
{
    auto request = map.makeThreadRequest();
    request.setName(name);
    return request.send().getResult();
}

Session Connect(capnp::TwoPartyClient& client, ThreadSet& threads)
{
    Init::Client init = client.bootstrap().castAs<Init>();
    auto construct = init.constructRequest();
    construct.setThreadMap(kj::heap<ThreadMapImpl>(threads, "ipc_node_bench_client"));
    mp::ThreadMap::Client server_threads = construct.send().getThreadMap();
    return {init, MakeThread(server_threads, "bench/main"), MakeThread(server_threads, "bench/probe"),
            MakeThread(server_threads, "bench/ping")};
}

uint64_t MonotonicNanos()
{
    // steady_clock is CLOCK_MONOTONIC on Linux, the clock process.hrtime reads in the driver.
    return static_cast<uint64_t>(
        std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch()).count());
}

// Runs `call` W times untimed, then N times timed, and prints the result line; `after` (untimed) follows each call.
void Time(const std::string& name, long calls, long warmup, const std::function<void()>& call,
          const std::function<void()>& after = [] {})
{
    for (long i = 0; i < warmup; ++i) {
        call();
        after();
    }
    std::vector<double> micros;
    micros.reserve(static_cast<size_t>(calls));
    for (long i = 0; i < calls; ++i) {
        const auto start = std::chrono::steady_clock::now();
        call();
        micros.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count());
        after();
    }
    if (micros.empty()) throw std::runtime_error(name + ": no calls");
    std::sort(micros.begin(), micros.end());
    auto at = [&](double q) { return micros[static_cast<size_t>(q * static_cast<double>(micros.size() - 1))]; };
    std::printf("result %s %zu %.2f %.2f %.2f %.2f\n", name.c_str(), micros.size(), at(0.5), at(0.1), at(0.9), at(0.99));
    std::fflush(stdout);
}

class Bench {
public:
    Bench(Session& s, capnp::TwoPartyClient& client, kj::AsyncIoContext& io, ThreadSet& threads, const Options& o)
        : m_s(s), m_client(client), m_io(io), m_ws(io.waitScope), m_threads(threads), m_o(o) {}

    void Run(const std::string& measure)
    {
        const size_t eq = measure.find('=');
        const std::string name = measure.substr(0, eq);
        const long n = eq == std::string::npos ? 0 : std::strtol(measure.c_str() + eq + 1, nullptr, 10);
        if (name == "echo") Echo1KiB(n);
        else if (name == "gettip") Time("gettip", n, m_o.warmup, [&] { GetTip(); });
        else if (name == "create") Create(n);
        else if (name == "rpc") ExecuteRpc(n);
        else if (name == "http") HttpCall("http", GETBLOCKCOUNT, n);
        else if (name == "gbt") HttpCall("gbt", GETBLOCKTEMPLATE, n);
        else if (name == "wait") WaitTip(n);
        else if (name == "wakeipc") WakeIpc(n);
        else if (name == "park") Park();
        else throw std::runtime_error("unknown measure " + measure);
    }

private:
    Mining::Client& GetMining()
    {
        KJ_IF_MAYBE (m, m_mining) return *m;
        auto request = m_s.init.makeMiningRequest();
        SetContext(request, m_s.thread);
        m_mining = request.send().getResult();
        return GetMining();
    }

    capnp::Response<Mining::GetTipResults> GetTip(mp::Thread::Client* thread = nullptr)
    {
        auto request = GetMining().getTipRequest();
        SetContext(request, thread ? *thread : m_s.thread);
        auto tip = request.send().wait(m_ws);
        if (!tip.getHasResult() || tip.getResult().getHash().size() != 32) throw std::runtime_error("getTip: no tip");
        return tip;
    }

    void Echo1KiB(long n)
    {
        auto make = m_s.init.makeEchoRequest();
        SetContext(make, m_s.thread);
        Echo::Client echo = make.send().getResult();
        const std::string payload = [] {
            std::string s(ECHO_BYTES, 'x');
            for (size_t i = 0; i < s.size(); ++i) s[i] = static_cast<char>('a' + i % 26);
            return s;
        }();
        Time("echo", n, m_o.warmup, [&] {
            auto request = echo.echoRequest();
            SetContext(request, m_s.thread);
            request.setEcho(payload);
            auto response = request.send().wait(m_ws);
            if (response.getResult().size() != payload.size()) throw std::runtime_error("echo returned different text");
        });
        auto destroy = echo.destroyRequest();
        SetContext(destroy, m_s.thread);
        destroy.send().wait(m_ws);
    }

    void Create(long n)
    {
        // Each template is destroyed after its call is timed: the node does not keep them.
        kj::Maybe<BlockTemplate::Client> made;
        Time("create", n, m_o.warmup, [&] {
            auto request = GetMining().createNewBlockRequest();
            SetContext(request, m_s.thread);
            request.setCooldown(false);
            made = request.send().wait(m_ws).getResult();
        }, [&] {
            KJ_IF_MAYBE (t, made) {
                auto destroy = t->destroyRequest();
                SetContext(destroy, m_s.thread);
                destroy.send().wait(m_ws);
            }
            made = nullptr;
        });
    }

    void ExecuteRpc(long n)
    {
        auto make = m_s.init.makeRpcRequest();
        SetContext(make, m_s.thread);
        Rpc::Client rpc = make.send().getResult();
        Time("rpc", n, m_o.warmup, [&] {
            auto request = rpc.executeRpcRequest();
            SetContext(request, m_s.thread);
            request.setRequest(GETBLOCKCOUNT);
            request.setUri("/");
            request.setUser("");
            auto reply = request.send().wait(m_ws);
            if (std::strstr(reply.getResult().cStr(), "\"error\":null") == nullptr) {
                throw std::runtime_error(std::string("executeRpc: ") + reply.getResult().cStr());
            }
        });
    }

    void HttpCall(const std::string& name, const std::string& body, long n)
    {
        if (m_o.http_port == 0) throw std::runtime_error(name + " needs --http");
        HttpClient http(m_o.http_port, m_o.http_token);
        Time(name, n, m_o.warmup, [&] {
            const std::string reply = http.Post(body);
            if (reply.find("\"error\":null") == std::string::npos) throw std::runtime_error(name + ": " + reply.substr(0, 200));
        });
    }

    struct ParkedWait {
        capnp::Response<Mining::GetTipResults> tip;
        capnp::RemotePromise<Mining::WaitTipChangedResults> pending;
    };

    // A waitTipChanged on the current tip that the node holds when this returns: a getTip on the probe thread,
    // sent after it on the same connection (which delivers in order), is answered only once the wait was received.
    ParkedWait ParkWait()
    {
        auto tip = GetTip();
        auto request = GetMining().waitTipChangedRequest();
        SetContext(request, m_s.thread);
        request.setCurrentTip(tip.getResult().getHash());
        auto pending = request.send();
        GetTip(&m_s.probe_thread);
        return {std::move(tip), std::move(pending)};
    }

    void WaitTip(long rounds)
    {
        for (long i = 0; i < rounds; ++i) {
            ParkedWait parked = ParkWait();
            const auto& tip = parked.tip;
            std::printf("waiting %d\n", tip.getResult().getHeight());
            std::fflush(stdout);
            auto woke = parked.pending.wait(m_ws);
            const uint64_t at = MonotonicNanos();
            const int height = woke.getResult().getHeight();
            if (woke.getResult().getHash().size() != 32 || height != tip.getResult().getHeight() + 1) {
                throw std::runtime_error("waitTipChanged returned height " + std::to_string(height));
            }
            std::printf("woke %d %llu\n", height, static_cast<unsigned long long>(at));
            std::fflush(stdout);
        }
    }

    void WakeIpc(long rounds)
    {
        // The submitter: a second connection of this process, with its own Mining.
        auto address = m_io.provider->getNetwork().parseAddress(("unix:" + m_o.socket).c_str()).wait(m_ws);
        auto stream = address->connect().wait(m_ws);
        capnp::TwoPartyClient client(*stream);
        Session submitter = Connect(client, m_threads);
        auto make = submitter.init.makeMiningRequest();
        SetContext(make, submitter.thread);
        Mining::Client mining = make.send().getResult();
        for (long i = 0; i < rounds; ++i) {
            ParkedWait parked = ParkWait();
            const auto& tip = parked.tip; // a plain reference: C++17 lambdas cannot capture structured bindings
            std::printf("need-block %d\n", tip.getResult().getHeight());
            std::fflush(stdout);
            const std::vector<kj::byte> block = ReadHexLine();
            auto submit = mining.submitBlockRequest();
            SetContext(submit, submitter.thread);
            submit.setBlock(kj::arrayPtr(block.data(), block.size()));
            uint64_t woke_at = 0;
            uint64_t replied_at = 0;
            const uint64_t sent_at = MonotonicNanos();
            auto woke = parked.pending.then([&](capnp::Response<Mining::WaitTipChangedResults>&& r) {
                woke_at = MonotonicNanos();
                if (r.getResult().getHeight() != tip.getResult().getHeight() + 1) throw std::runtime_error("woke at another height");
            });
            auto replied = submit.send().then([&](capnp::Response<Mining::SubmitBlockResults>&& r) {
                replied_at = MonotonicNanos();
                if (!r.getResult()) throw std::runtime_error(std::string("submitBlock: ") + r.getReason().cStr());
            });
            woke.wait(m_ws);
            replied.wait(m_ws);
            std::printf("wakeipc %llu %llu\n", static_cast<unsigned long long>(woke_at - sent_at),
                        static_cast<unsigned long long>(replied_at - sent_at));
            std::fflush(stdout);
        }
    }

    // A line of hex from stdin (the block the driver made).
    static std::vector<kj::byte> ReadHexLine()
    {
        std::string line;
        if (!std::getline(std::cin, line) || line.size() % 2 != 0) throw std::runtime_error("expected a block in hex on stdin");
        std::vector<kj::byte> bytes(line.size() / 2);
        for (size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<kj::byte>(std::stoi(line.substr(2 * i, 2), nullptr, 16));
        return bytes;
    }

    void Park()
    {
        auto create = GetMining().createNewBlockRequest();
        SetContext(create, m_s.thread);
        create.setCooldown(false);
        BlockTemplate::Client block_template = create.send().wait(m_ws).getResult();
        auto tip = GetTip();
        auto next = block_template.waitNextRequest();
        SetContext(next, m_s.thread);
        next.initOptions(); // no timeout, no fee threshold
        auto waiting_next = next.send().then([](capnp::Response<BlockTemplate::WaitNextResults>&& r) {
            std::printf("ended waitNext %d\n", r.hasResult() ? 1 : 0);
            std::fflush(stdout);
        });
        auto changed = GetMining().waitTipChangedRequest();
        SetContext(changed, m_s.probe_thread);
        changed.setCurrentTip(tip.getResult().getHash());
        auto waiting_tip = changed.send().then([](capnp::Response<Mining::WaitTipChangedResults>&& r) {
            std::printf("ended waitTipChanged %zu\n", static_cast<size_t>(r.getResult().getHash().size()));
            std::fflush(stdout);
        });
        // Both waits were delivered before this answer.
        GetTip(&m_s.ping_thread);
        std::printf("parked\n");
        std::fflush(stdout);
        waiting_next.wait(m_ws);
        waiting_tip.wait(m_ws);
        m_client.onDisconnect().wait(m_ws);
        std::printf("disconnected by the node\n");
    }

    Session& m_s;
    capnp::TwoPartyClient& m_client;
    kj::AsyncIoContext& m_io;
    kj::WaitScope& m_ws;
    ThreadSet& m_threads;
    const Options& m_o;
    kj::Maybe<Mining::Client> m_mining;
};

int Main(const Options& o)
{
    ThreadSet threads; // outlives the event loop: the Threads and the ThreadMap we host refer to it
    auto io = kj::setupAsyncIo();
    auto& ws = io.waitScope;
    {
        auto address = io.provider->getNetwork().parseAddress(("unix:" + o.socket).c_str()).wait(ws);
        auto stream = address->connect().wait(ws);
        capnp::TwoPartyClient client(*stream);
        Session session = Connect(client, threads);
        Bench bench(session, client, io, threads, o);
        for (const auto& m : o.measures) bench.Run(m);
    }
    ws.poll();
    return 0;
}

} // namespace
} // namespace interop

int main(int argc, char** argv)
{
    interop::Options o;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--http" && i + 2 < argc) {
            o.http_port = std::atoi(argv[++i]);
            o.http_token = argv[++i];
        } else if (arg == "--warmup" && i + 1 < argc) {
            o.warmup = std::strtol(argv[++i], nullptr, 10);
        } else if (o.socket.empty()) {
            o.socket = arg;
        } else {
            o.measures.push_back(arg);
        }
    }
    if (o.socket.empty() || o.measures.empty()) {
        std::fprintf(stderr, "Usage: %s <socket path> [--http PORT BASIC_TOKEN] [--warmup W] <measure>...\n", argv[0]);
        return 2;
    }
    try {
        return interop::Main(o);
    } catch (const kj::Exception& e) {
        std::printf("FAIL %s\n", e.getDescription().cStr());
    } catch (const std::exception& e) {
        std::printf("FAIL %s\n", e.what());
    }
    std::fflush(stdout);
    return 1;
}
