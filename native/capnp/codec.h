// The schema-driven codec: JS values <-> Cap'n Proto messages, from schemas loaded at run time.
// Each struct gets a flat plan (its fields and its groups' fields as numbered slots, with offsets and
// defaults) and two small JS functions compiled once from that plan: a gatherer that reads the
// slots' values off an object and passes them as call arguments, and a builder that makes the object
// from arguments. One Node-API call per struct, instead of one per property, is what makes it fast.
#pragma once

#include <capnp/any.h>
#include <capnp/schema-loader.h>
#include <capnp/schema.h>
#include <node_api.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace capnp_codec {

enum class Kind : uint8_t {
    VOID, BOOL, INT8, INT16, INT32, INT64, UINT8, UINT16, UINT32, UINT64, FLOAT32, FLOAT64,
    TEXT, DATA, LIST, ENUM, STRUCT, INTERFACE, ANY_POINTER, GROUP,
};

inline bool IsPointerKind(Kind k)
{
    return k == Kind::TEXT || k == Kind::DATA || k == Kind::LIST || k == Kind::STRUCT ||
           k == Kind::INTERFACE || k == Kind::ANY_POINTER;
}

// Data fields whose value the builder reads from the plan's scratch cells instead of an argument.
inline bool IsScalarKind(Kind k)
{
    return k != Kind::VOID && k != Kind::GROUP && !IsPointerKind(k);
}

// Wire element size code of a list of `k` (Cap'n Proto ElementSize).
uint8_t ElementSizeOf(Kind k);

struct StructPlan;

// A field's or list element's type; the plan of a struct type is resolved on first use.
struct ValueType {
    Kind kind{Kind::VOID};
    capnp::Type type;
    mutable StructPlan* plan{nullptr};
    std::unique_ptr<ValueType> element; // LIST
};

// Where rpc.capnp leaves the type of an AnyPointer to the surrounding protocol.
enum class RpcRole : uint8_t { NONE, CALL, RETURN, PAYLOAD };

// One field of the struct or of one of its groups (groups share the struct's sections).
struct Slot {
    std::string name;
    std::string label;                  // "Struct.field", for error messages
    ValueType type;
    uint32_t offset{0};                 // data: in units of the field's size (bits for Bool); pointer: index
    uint64_t default_bits{0};           // data fields are stored XORed with their default
    std::optional<capnp::schema::Value::Reader> pointer_default; // Text/Data/List with a schema default
    uint32_t scope{0};                  // the scope (struct or group) the field belongs to
    uint32_t opens{0};                  // GROUP: the scope it opens
    bool in_union{false};
    uint16_t discriminant{0};
    bool payload_content{false};        // rpc.capnp Payload.content
};

// The struct itself (scope 0) or a group in it, with its union if it has one.
struct Scope {
    int32_t slot{-1};                   // the GROUP slot that opens it; -1 for the struct
    bool has_union{false};
    uint32_t discriminant_offset{0};    // in 16-bit units
    std::vector<uint32_t> variants;     // union member slots, in discriminant order
};

struct StructPlan {
    capnp::StructSchema schema;
    uint64_t id{0};
    std::string name;
    uint16_t data_words{0};
    uint16_t ptr_count{0};
    std::vector<Slot> slots;            // in argument order: depth-first, a group's fields after it
    std::vector<Scope> scopes;          // a group's scope comes after its parent's
    std::vector<uint32_t> pointer_order; // pointer slots by pointer index (the canonical write order)
    RpcRole role{RpcRole::NONE};
    int32_t interface_id_slot{-1};      // Call.interfaceId / Call.methodId, Return.answerId
    int32_t method_id_slot{-1};
    int32_t answer_id_slot{-1};
    // JS side, made on first use (weak references: the codec's JS object keeps the functions alive).
    class Codec* owner{nullptr};
    napi_ref build{nullptr};            // (args...) => object, scalars read from `cells`
    napi_ref gather{nullptr};           // (fn, object, x, y) => fn(x, y, ...slot values)
    napi_ref child_fn{nullptr};         // the native fn the gatherer calls for a nested struct
    napi_ref encoder{nullptr};          // { encode(value), encodeInto(value, target, offset) }
    uint64_t* cells{nullptr};           // one 8-byte cell per slot (an ArrayBuffer kept by `build`)
};

struct SchemaHash {
    size_t operator()(const capnp::Schema& s) const { return s.hashCode(); }
};

struct MethodKeyHash {
    size_t operator()(const std::pair<uint64_t, uint16_t>& k) const
    {
        return std::hash<uint64_t>()(k.first) ^ (size_t{k.second} * 0x9e3779b97f4a7c15ULL);
    }
};

// One message under construction: a single growable segment (word 0 is the root pointer) that is
// kept zeroed beyond `end`, so allocation never has to clear memory.
struct Writer {
    std::vector<uint64_t> words;
    size_t end{0};
    // The struct a nested gatherer call is expected to fill (set just before the call).
    const StructPlan* pending_plan{nullptr};
    size_t pending_at{0};

    void Reset()
    {
        std::fill(words.begin(), words.begin() + static_cast<ptrdiff_t>(std::min(end, words.size())), 0);
        end = 0;
    }
    // Zeroed words at the end of the segment; returns their word index.
    size_t Alloc(size_t n);
    uint8_t* Bytes(size_t word) { return reinterpret_cast<uint8_t*>(words.data() + word); }
};

// Memory that small frames and decoded Data values are carved from, one JS ArrayBuffer at a time
// (like Node's Buffer pool): allocating an ArrayBuffer per value costs more than the whole codec.
class Slab {
public:
    // A new Uint8Array of `length` bytes (copied from `data` when given); *out points to its bytes.
    napi_value Carve(napi_env env, const void* data, size_t length, uint8_t** out = nullptr);
    void Release(napi_env env);

private:
    napi_ref m_ref{nullptr};
    uint8_t* m_base{nullptr};
    size_t m_used{0};
    size_t m_size{0};
};

class Codec {
public:
    // `self` is the JS object the codec belongs to; compiled functions are kept alive through it.
    Codec(napi_env env, napi_value self);
    ~Codec() noexcept;
    Codec(const Codec&) = delete;
    Codec& operator=(const Codec&) = delete;

    // Loads every node of a CodeGeneratorRequest (the output of `capnp compile -o-`).
    size_t Load(const uint8_t* data, size_t length);

    // Encodes `value` as a struct of type `type_id`: framed single-segment message bytes (through the
    // plan's encoder; callers on a hot path use Encoder() once and call it directly).
    napi_value Encode(napi_env env, uint64_t type_id, napi_value value);

    // Decodes framed message bytes as a struct of type `type_id`. `hint` (bigint, function of the
    // answer id, or undefined) types the AnyPointers the message itself does not type.
    napi_value Decode(napi_env env, uint64_t type_id, const uint8_t* data, size_t length, napi_value hint);

    std::optional<uint64_t> FindType(std::string_view display_name) const;
    std::optional<std::pair<uint64_t, uint64_t>> MethodTypes(uint64_t interface_id, uint16_t method_id);

    StructPlan& PlanFor(napi_env env, uint64_t type_id);
    StructPlan& PlanFor(napi_env env, capnp::StructSchema schema);
    StructPlan& Resolve(napi_env env, const ValueType& type)
    {
        if (type.plan == nullptr) type.plan = &PlanFor(env, type.type.asStruct());
        return *type.plan;
    }
    // Makes the plan's JS functions if it has none yet.
    void Compile(napi_env env, StructPlan& plan);
    // The plan's { encode, encodeInto } object.
    napi_value Encoder(napi_env env, uint64_t type_id);

    // Native ends of the gatherers: a root encode, and a nested struct's slot values.
    napi_value EncodeCallback(napi_env env, StructPlan& plan, napi_callback_info info);
    napi_value ChildCallback(napi_env env, StructPlan& plan, napi_callback_info info);

    Slab slab;
    napi_ref any_struct_fn{nullptr};    // (type, value) => ({type, value})
    napi_ref cap_fn{nullptr};           // (index) => ({cap: index})

private:
    void BuildSlots(StructPlan& plan, capnp::StructSchema schema, uint32_t scope);
    ValueType MakeType(capnp::Type type);
    napi_value Keep(napi_env env, napi_value value, napi_ref* weak);

    napi_env m_env;
    capnp::SchemaLoader m_loader;
    std::unordered_map<capnp::Schema, std::unique_ptr<StructPlan>, SchemaHash> m_plans;
    std::unordered_map<uint64_t, StructPlan*> m_plans_by_id;
    std::unordered_map<std::pair<uint64_t, uint16_t>, std::optional<std::pair<uint64_t, uint64_t>>, MethodKeyHash> m_methods;
    napi_ref m_compiler{nullptr};       // the JS code generator (jsgen.cpp)
    napi_ref m_keep{nullptr};           // weak: JS array on `self` holding every compiled function
    uint32_t m_kept{0};
    napi_ref m_self{nullptr};           // weak
public:
    std::vector<std::unique_ptr<Writer>> writers; // a JS getter may start another encode mid-way
    size_t writer_depth{0};
};

} // namespace capnp_codec
