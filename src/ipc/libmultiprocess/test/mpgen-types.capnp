# Test schema for mpgen's codec: every field kind the generator supports, with and without defaults.

@0xd5b6c8a2e4f10937;

using Proxy = import "/mp/proxy.capnp";

const answer :Int32 = 42;
const greeting :Text = "hello";
const bigValue :UInt64 = 18446744073709551615;

enum Color {
  red @0;
  green @1;
  blue @2;
}

struct Inner {
  id @0 :UInt32;
  label @1 :Text;
}

struct AllTypes {
  b @0 :Bool;
  i8 @1 :Int8;
  i16 @2 :Int16;
  i32 @3 :Int32;
  i64 @4 :Int64;
  u8 @5 :UInt8;
  u16 @6 :UInt16;
  u32 @7 :UInt32;
  u64 @8 :UInt64;
  f32 @9 :Float32;
  f64 @10 :Float64;
  text @11 :Text;
  data @12 :Data;
  color @13 :Color;
  inner @14 :Inner;
  ints @15 :List(Int32);
  bools @16 :List(Bool);
  texts @17 :List(Text);
  blobs @18 :List(Data);
  inners @19 :List(Inner);
  nested @20 :List(List(UInt16));
  colors @21 :List(Color);
  i64s @22 :List(Int64);
  context @23 :Proxy.Context;

  # Defaults are XORed on the wire; unset fields must read back as these.
  dBool @24 :Bool = true;
  dInt @25 :Int32 = -123;
  dU64 @26 :UInt64 = 18446744073709551615;
  dF64 @27 :Float64 = 1.7976931348623157e308;
  dF32 @28 :Float32 = 1.5;
  dText @29 :Text = "default text";
  dColor @30 :Color = blue;

  choice :union {
    none @31 :Void;
    number @32 :UInt32;
    word @33 :Text;
    pair :group {
      left @34 :Int16;
      right @35 :Text;
    }
  }

  info :group {
    height @36 :Int32;
    hash @37 :Data;
  }

  threads @38 :List(Proxy.Thread);
}
