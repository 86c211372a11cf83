# Test schema for mpgen's derived interfaces: the root of the hierarchy in mpgen-derived.capnp, in a file of its
# own so that a subclass and its superclass live in different generated modules.

@0xf379be85cb32c1a8;

using Proxy = import "/mp/proxy.capnp";

interface Named {
  # Every object of the hierarchy answers to this one.
  destroy @0 (context :Proxy.Context) -> ();
  name @1 (context :Proxy.Context) -> (result :Text);
  tag @2 () -> (result :Text);
  # No context: answered at once, also when the caller is the object's own process.
}
