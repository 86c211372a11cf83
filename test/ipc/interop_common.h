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

protected:
    kj::Promise<void> getName(GetNameContext context) override
    {
        context.getResults().setResult(m_name);
        return kj::READY_NOW;
    }

private:
    std::string m_name;
};

class ThreadMapImpl final : public mp::ThreadMap::Server {
public:
    explicit ThreadMapImpl(std::string owner) : m_owner(std::move(owner)) {}

protected:
    kj::Promise<void> makeThread(MakeThreadContext context) override
    {
        std::string name = m_owner + "/" + context.getParams().getName().cStr();
        context.getResults().setResult(kj::heap<ThreadImpl>(std::move(name)));
        return kj::READY_NOW;
    }

private:
    std::string m_owner;
};

} // namespace interop
