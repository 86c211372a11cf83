// Pieces shared by the C++ interop client and server: the libmultiprocess thread conventions
// (ThreadMap/Thread) implemented with plain Cap'n Proto, as a foreign peer would.
#pragma once

#include <capnp/rpc-twoparty.h>
#include <kj/async-io.h>
#include <kj/debug.h>

#include <interop_test.capnp.h>
#include <mp/proxy.capnp.h>

#include <string>
#include <utility>

namespace interop {

// A "thread" handle: this single-threaded peer runs every call on its event loop, so a Thread only
// carries its name (libmultiprocess peers only need it to be a capability hosted by its creator).
class ThreadImpl final : public mp::Thread::Server {
public:
    explicit ThreadImpl(std::string name) : m_name(std::move(name)) {}
    const std::string& name() const { return m_name; }

protected:
    kj::Promise<void> getName(GetNameContext context) override
    {
        context.getResults().setResult(m_name);
        return kj::READY_NOW;
    }

private:
    std::string m_name;
};

// Every Thread this process hosts, so that a Thread capability coming back from the peer can be recognized
// as one of ours (libmultiprocess looks `context.thread` up the same way before running a call).
using ThreadSet = capnp::CapabilityServerSet<mp::Thread>;

inline mp::Thread::Client AddThread(ThreadSet& threads, std::string name)
{
    return threads.add(kj::heap<ThreadImpl>(std::move(name)));
}

// The name of `thread` if this process hosts it; fails with libmultiprocess's text otherwise.
inline kj::Promise<std::string> LocalThreadName(ThreadSet& threads, mp::Thread::Client thread)
{
    return threads.getLocalServer(thread).then([](kj::Maybe<mp::Thread::Server&> local) -> std::string {
        KJ_IF_MAYBE (server, local) {
            return kj::downcast<ThreadImpl>(*server).name();
        }
        KJ_FAIL_REQUIRE("invalid thread handle");
    });
}

class ThreadMapImpl final : public mp::ThreadMap::Server {
public:
    ThreadMapImpl(ThreadSet& threads, std::string owner) : m_threads(threads), m_owner(std::move(owner)) {}

protected:
    kj::Promise<void> makeThread(MakeThreadContext context) override
    {
        context.getResults().setResult(AddThread(m_threads, m_owner + "/" + context.getParams().getName().cStr()));
        return kj::READY_NOW;
    }

private:
    ThreadSet& m_threads;
    std::string m_owner;
};

} // namespace interop
