# Conventions shared by every libmultiprocess peer: per-connection thread maps, server threads,
# the per-call Context, and the annotations that steer code generation (none of them affects
# the wire format). File, type and annotation IDs match bitcoin-core/libmultiprocess.

@0xcc316e3f71a040fb;

using Cxx = import "/capnp/c++.capnp";
$Cxx.namespace("mp");

annotation include @0xb899f3c154fdb458 (file) :Text;
# File-level: extra header for the generated proxy declarations (C++ generators only).
annotation includeTypes @0xbcec15648e8a0cf1 (file) :Text;
# File-level: extra header for the generated type conversions (C++ generators only).
annotation wrap @0xe6f46079b7b1405e (interface, struct) :Text;
# Names the native class or struct that an interface or struct stands for.
annotation count @0xd02682b319f69b38 (param, struct, interface) :Int32;
# How many native arguments one schema parameter maps to; 0 = filled in by the runtime.
annotation exception @0x996a183200992f88 (param) :Text;
# A result field that carries a thrown error of the named native type.
annotation name @0xb594888f63f4dbb9 (field, method) :Text;
# Native name of a field or method when it differs from the schema name.
annotation skip @0x824c08b82695d8dd (field) :Void;
# The field has no native counterpart (same as count(0)).

interface ThreadMap $count(0) {
  # Hands out server threads; each side of a connection gives the other one (Init.construct).
  makeThread @0 (name :Text) -> (result :Thread);
  # Starts a thread that runs calls whose Context names it; the name is used in logs only.
  makePool @1 (count :UInt32) -> ();
  # Creates this connection's pool of `count` threads used for calls without Context.thread.
}

interface Thread {
  # A thread created by a ThreadMap, valid only on the connection that created it.
  getName @0 () -> (result :Text);
}

struct Context $count(0) {
  # Passed as the first parameter of methods that may block: where to run, and where to call back.
  thread @0 :Thread;
  callbackThread @1 :Thread;
}
