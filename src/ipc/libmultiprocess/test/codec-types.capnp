# Test schema for the native codec: unions and groups holding pointers and capabilities, nested lists.

@0xc3f1e25a7b9d4e61;

using Proxy = import "/mp/proxy.capnp";

struct Holder {
  count @0 :Int16;
  nestedNames @1 :List(List(Text));
  pick :union {
    nothing @2 :Void;
    thread @3 :Proxy.Thread;
    pair :group {
      a @4 :Text;
      b @5 :Proxy.Thread;
    }
  }
  blob @6 :Data;
  blobs @7 :List(Data);
  context @8 :Proxy.Context;
  extra :group {
    count @9 :UInt64;
    note @10 :Text;
    inner @11 :Holder;
  }
  names @12 :List(Text);
  wide @13 :List(Float64);
  flags @14 :List(Bool);
}
