# Structs shared by several Smithcoin interfaces (Bitcoin Core's common.capnp IDs and fields).

@0xcd2c6232cb484a28;

using Cxx = import "/capnp/c++.capnp";
$Cxx.namespace("ipc::capnp::messages");

using Proxy = import "/mp/proxy.capnp";

struct BlockRef $Proxy.wrap("interfaces::BlockRef") {
    # A block identified by hash (32 bytes, internal byte order) and height.
    hash @0 :Data;
    height @1 :Int32;
}
