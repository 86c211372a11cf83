# Rpc: runs JSON-RPC requests over IPC (used by smithcoin-cli -ipcconnect).

@0x9c3505dc45e146ac;

using Cxx = import "/capnp/c++.capnp";
$Cxx.namespace("ipc::capnp::messages");

using Common = import "common.capnp";
using Proxy = import "/mp/proxy.capnp";

interface Rpc $Proxy.wrap("interfaces::Rpc") {
    executeRpc @0 (context :Proxy.Context, request :Text, uri :Text, user :Text) -> (result :Text);
    # request: JSON-RPC request text; uri: endpoint such as /wallet/<name>; user: authenticated user.
}
