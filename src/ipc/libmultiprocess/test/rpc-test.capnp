# Test schema of the runtime's RPC tests (rpc-*.test.ts, stress-*.test.ts, through rpc-test-impl.ts): an Init that
# makes Echo objects whose methods cover Context lanes, context-less calls, long waits and a callback capability.
# The ids are fixed: tests address Echo by id.

@0xc1d2e3f4a5b60700;

using Proxy = import "/mp/proxy.capnp";

interface Init @0xc1d2e3f4a5b60701 {
  construct @0 (threadMap :Proxy.ThreadMap) -> (threadMap :Proxy.ThreadMap);
  makeEcho @1 (context :Proxy.Context) -> (result :Echo);
}

interface Echo @0xc1d2e3f4a5b60702 {
  destroy @0 (context :Proxy.Context) -> ();
  echo @1 (context :Proxy.Context, echo :Text) -> (result :Text);
  add @2 (a :Int32, b :Int32) -> (result :Int32);
  wait @3 (context :Proxy.Context, ms :UInt32, tag :Text) -> (result :Text);
  # Returns `tag` after `ms` milliseconds (or fails when the call is canceled).
  callback @4 (context :Proxy.Context, fn :Fn, x :Int32) -> (result :Int32);
  # Returns 2 * fn.call(x).
}

interface Fn @0xc1d2e3f4a5b60703 {
  call @0 (context :Proxy.Context, x :Int32) -> (result :Int32);
}
