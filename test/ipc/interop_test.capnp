# Test-only schema for the C++ interop programs: an Init that can also hand out an object whose
# method calls back into a capability the client passes (the libmultiprocess callback pattern) or fails.

@0xd67798f5d095c9ac;

using Cxx = import "/capnp/c++.capnp";
$Cxx.namespace("interop");

using Proxy = import "/mp/proxy.capnp";
using Init = import "/init.capnp";

# Bootstrapped by the interop server; Init's methods keep Init's interface id and ordinals.
interface TestInit extends(Init.Init) {
    makeCallbackTest @0 (context :Proxy.Context) -> (result :CallbackTest);
}

# A callback capability, as libmultiprocess passes std::function parameters.
interface Callback {
    destroy @0 (context :Proxy.Context) -> ();
    call @1 (context :Proxy.Context, value :Text) -> (result :Text);
}

interface CallbackTest {
    destroy @0 (context :Proxy.Context) -> ();
    # Calls callback.call(value) (running it on the caller's callbackThread) and returns its result.
    callBack @1 (context :Proxy.Context, callback :Callback, value :Text) -> (result :Text);
    # Throws std::runtime_error(message).
    fail @2 (context :Proxy.Context, message :Text) -> ();
}
