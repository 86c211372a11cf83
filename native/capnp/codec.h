// The schema-driven codec: JS values <-> Cap'n Proto messages, using schemas loaded at runtime.
#pragma once

#include <capnp/dynamic.h>
#include <capnp/message.h>
#include <capnp/schema-loader.h>
#include <capnp/schema.h>
#include <kj/array.h>
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

struct StructPlan;

// A field's or list element's type, with the plan of its struct resolved on first use.
struct ValueType {
    Kind kind{Kind::VOID};
    capnp::Type type;
    mutable StructPlan* plan{nullptr};       // STRUCT and GROUP, resolved on first use
    std::unique_ptr<ValueType> element;      // LIST
};

// Marks the places where rpc.capnp leaves the type of an AnyPointer to the surrounding protocol.
enum class RpcRole : uint8_t { NONE, CALL, RETURN, PAYLOAD };

struct FieldPlan {
    capnp::StructSchema::Field field;
    std::string name;
    std::string label;                       // "Struct.field", for error messages
    uint32_t key{0};                         // index of the JS property name in the codec's key table
    ValueType type;
    uint32_t slot{0};                        // pointer-section index (pointer kinds only)
    bool in_union{false};
    bool payload_content{false};             // rpc.capnp Payload.content
};

struct StructPlan {
    capnp::StructSchema schema;
    std::string name;
    std::vector<FieldPlan> fields;           // non-union members, in schema order
    std::vector<FieldPlan*> by_discriminant; // union members indexed by discriminant value
    std::vector<std::unique_ptr<FieldPlan>> variants;
    RpcRole role{RpcRole::NONE};
    const FieldPlan* interface_id{nullptr};  // Call.interfaceId / Call.methodId
    const FieldPlan* method_id{nullptr};
    const FieldPlan* answer_id{nullptr};     // Return.answerId
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

// Thrown while encoding when the message outgrew the first segment in a way the raw cap writer
// cannot follow; the encoder then starts over with a larger single segment.
struct SegmentOverflow {};

class Codec {
public:
    explicit Codec(napi_env env);
    ~Codec() noexcept;
    Codec(const Codec&) = delete;
    Codec& operator=(const Codec&) = delete;

    // Loads every node of a CodeGeneratorRequest (the output of `capnp compile -o-`).
    size_t Load(const uint8_t* data, size_t length);

    // Encodes `value` as a struct of type `type_id`: the framed single-segment message bytes.
    napi_value Encode(napi_env env, uint64_t type_id, napi_value value);

    // Decodes framed message bytes as a struct of type `type_id`. `hint` (BigInt, function of the
    // answer id, or undefined) gives the struct type of AnyPointers the message itself does not imply.
    napi_value Decode(napi_env env, uint64_t type_id, const uint8_t* data, size_t length, napi_value hint);

    std::optional<uint64_t> FindType(std::string_view display_name) const;

    // Params/results struct ids of interface method (interface_id, method_id), if loaded.
    std::optional<std::pair<uint64_t, uint64_t>> MethodTypes(uint64_t interface_id, uint16_t method_id);

    StructPlan& PlanFor(napi_env env, capnp::StructSchema schema);
    StructPlan& PlanFor(napi_env env, uint64_t type_id);
    StructPlan& Resolve(napi_env env, const ValueType& type)
    {
        if (type.plan == nullptr) type.plan = &PlanFor(env, type.type.asStruct());
        return *type.plan;
    }

    // Property names are JS strings made once per codec and kept in one JS array (Node-API before
    // version 10 cannot hold references to strings); fields refer to them by index.
    uint32_t Key(napi_env env, const std::string& name);
    napi_value KeyString(napi_env env, uint32_t index) const;
    size_t KeyCount() const { return m_key_count; }
    uint32_t key_type{0};
    uint32_t key_value{0};
    uint32_t key_cap{0};
    std::vector<napi_value> key_values;      // CallKeys storage of the outermost call
    bool keys_in_use{false};

private:
    void BuildFields(napi_env env, StructPlan& plan);
    ValueType MakeType(capnp::Type type);

    capnp::SchemaLoader m_loader;
    std::unordered_map<capnp::Schema, std::unique_ptr<StructPlan>, SchemaHash> m_plans;
    std::unordered_map<uint64_t, StructPlan*> m_plans_by_id; // skips the loader's locked lookup
    std::unordered_map<std::string, uint32_t> m_keys;
    napi_ref m_key_array{nullptr};
    uint32_t m_key_count{0};
    std::unordered_map<std::pair<uint64_t, uint16_t>, std::optional<std::pair<uint64_t, uint64_t>>, MethodKeyHash> m_methods;
    napi_env m_env{nullptr};
    kj::Array<capnp::word> m_scratch;        // zeroed first segment reused by Encode
    bool m_encoding{false};                  // a JS getter re-entering Encode gets its own segment
};

// The key strings of one Encode/Decode call, fetched from the key table on first use.
// The outermost call borrows the codec's storage; a re-entrant call (from a JS getter) gets its own.
class CallKeys {
public:
    CallKeys(napi_env env, Codec& codec) : m_env(env), m_codec(codec), m_outer(!codec.keys_in_use)
    {
        if (m_outer) codec.keys_in_use = true;
        m_values = m_outer ? &codec.key_values : &m_own;
        m_values->assign(codec.KeyCount(), nullptr);
    }
    ~CallKeys()
    {
        if (m_outer) m_codec.keys_in_use = false;
    }
    CallKeys(const CallKeys&) = delete;
    CallKeys& operator=(const CallKeys&) = delete;
    napi_value operator[](uint32_t index)
    {
        if (index >= m_values->size()) m_values->resize(m_codec.KeyCount(), nullptr);
        napi_value& v = (*m_values)[index];
        if (v == nullptr) v = m_codec.KeyString(m_env, index);
        return v;
    }

private:
    napi_env m_env;
    Codec& m_codec;
    bool m_outer;
    std::vector<napi_value>* m_values;
    std::vector<napi_value> m_own;
};

} // namespace capnp_codec
