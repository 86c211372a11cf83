# Test schema for mpgen's derived interfaces: several levels (AuditedStore -> Store -> Reader -> Named), several
# superclasses with a shared root (Store extends Reader and Writer, both Named), a superclass in another file, and
# derived objects passed where a superclass is expected (Registry). Doc comments follow their declaration.

@0xfd625fcf877f8880;

using Proxy = import "/mp/proxy.capnp";
using Base = import "mpgen-derived-base.capnp";

interface AuditedStore extends(Store) {
  # Sorts before Store, which generated code must still define first.
  log @0 (context :Proxy.Context) -> (result :List(Text));
  # Every put so far, as "key=value".
}

interface Reader extends(Base.Named) {
  get @0 (context :Proxy.Context, key :Text) -> (result :Text, hasResult :Bool);
}

interface Writer extends(Base.Named) {
  put @0 (context :Proxy.Context, key :Text, value :Text) -> ();
  destroy @1 (context :Proxy.Context) -> ();
  # Declared again, as Core's interfaces each declare destroy: one destroy serves both.
}

interface Store extends(Reader, Writer) {
  size @0 () -> (result :UInt32);
  # No context: answered at once, off the lanes.
}

interface Registry {
  construct @0 (threadMap :Proxy.ThreadMap) -> (threadMap :Proxy.ThreadMap);
  describe @1 (context :Proxy.Context, item :Base.Named) -> (result :Text);
  # Calls item.name() back during the call (on the caller's callbackThread).
  makeStore @2 (context :Proxy.Context) -> (result :Store);
  makeAudited @3 (context :Proxy.Context) -> (result :AuditedStore);
  keep @4 (context :Proxy.Context, item :Reader) -> ();
  # Keeps a reference of its own to `item`, and the lent one too (to show that it dies with the call).
  readKept @5 (context :Proxy.Context, key :Text) -> (kept :Text, lent :Text);
  # get(key) on what keep kept: through the own reference, then through the lent one (its error text).
  identify @6 (context :Proxy.Context, item :Base.Named) -> (result :Text);
  # Calls item.tag(): for one of this Registry's own stores handed back, the store answers Named's id locally.
}
