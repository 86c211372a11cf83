// Schema loading, the flat per-struct plans (slots with offsets and defaults) the encoder and
// decoder walk, and the JS functions compiled once per plan.
#include "codec.h"
#include "js.h"
#include "jsgen.h"

#include <capnp/schema.capnp.h>
#include <capnp/serialize.h>

#include <algorithm>
#include <cstring>

namespace capnp_codec {
namespace {

// rpc.capnp type ids: the protocol decides the AnyPointer types inside these structs.
constexpr uint64_t RPC_CALL_ID = 0x836a53ce789d4cd4ULL;
constexpr uint64_t RPC_RETURN_ID = 0x9e19b28d3db3573aULL;
constexpr uint64_t RPC_PAYLOAD_ID = 0x9a0e61223d96743bULL;

Kind KindOf(capnp::schema::Type::Which which)
{
    using W = capnp::schema::Type;
    switch (which) {
    case W::VOID: return Kind::VOID;
    case W::BOOL: return Kind::BOOL;
    case W::INT8: return Kind::INT8;
    case W::INT16: return Kind::INT16;
    case W::INT32: return Kind::INT32;
    case W::INT64: return Kind::INT64;
    case W::UINT8: return Kind::UINT8;
    case W::UINT16: return Kind::UINT16;
    case W::UINT32: return Kind::UINT32;
    case W::UINT64: return Kind::UINT64;
    case W::FLOAT32: return Kind::FLOAT32;
    case W::FLOAT64: return Kind::FLOAT64;
    case W::TEXT: return Kind::TEXT;
    case W::DATA: return Kind::DATA;
    case W::LIST: return Kind::LIST;
    case W::ENUM: return Kind::ENUM;
    case W::STRUCT: return Kind::STRUCT;
    case W::INTERFACE: return Kind::INTERFACE;
    case W::ANY_POINTER: return Kind::ANY_POINTER;
    }
    KJ_FAIL_REQUIRE("unknown Cap'n Proto type", static_cast<int>(which));
}

// "capnp/rpc.capnp:Message" -> "Message": short names keep error messages readable.
std::string ShortName(capnp::Schema schema)
{
    auto proto = schema.getProto();
    std::string name = proto.getDisplayName().cStr();
    return name.substr(proto.getDisplayNamePrefixLength());
}

template <typename T>
uint64_t Bits(T v)
{
    typename std::conditional<sizeof(T) == 8, uint64_t, typename std::conditional<sizeof(T) == 4, uint32_t,
        typename std::conditional<sizeof(T) == 2, uint16_t, uint8_t>::type>::type>::type u;
    std::memcpy(&u, &v, sizeof(T));
    return u;
}

// The raw wire bits a data field's default is XORed with.
uint64_t DefaultBits(capnp::schema::Value::Reader v)
{
    using V = capnp::schema::Value;
    switch (v.which()) {
    case V::BOOL: return v.getBool() ? 1 : 0;
    case V::INT8: return Bits(v.getInt8());
    case V::INT16: return Bits(v.getInt16());
    case V::INT32: return Bits(v.getInt32());
    case V::INT64: return Bits(v.getInt64());
    case V::UINT8: return v.getUint8();
    case V::UINT16: return v.getUint16();
    case V::UINT32: return v.getUint32();
    case V::UINT64: return v.getUint64();
    case V::FLOAT32: return Bits(v.getFloat32());
    case V::FLOAT64: return Bits(v.getFloat64());
    case V::ENUM: return v.getEnum();
    default: return 0;
    }
}

bool HasPointerDefault(capnp::schema::Value::Reader v)
{
    using V = capnp::schema::Value;
    switch (v.which()) {
    case V::TEXT: return v.hasText();
    case V::DATA: return v.hasData();
    case V::LIST: return v.hasList();
    default: return false;
    }
}

// The one-letter slot kinds of the JS generator (jsgen.h).
const char* JsKind(const Slot& s)
{
    switch (s.type.kind) {
    case Kind::VOID: return "v";
    case Kind::BOOL: return "b";
    case Kind::INT64: return "i";
    case Kind::UINT64: return "u";
    case Kind::GROUP: return "g";
    case Kind::TEXT:
    case Kind::DATA:
    case Kind::LIST: return "p";
    case Kind::STRUCT:
    case Kind::ANY_POINTER: return "o";
    case Kind::INTERFACE: return "c";
    default: return "f";
    }
}

napi_value String(napi_env env, const std::string& s)
{
    napi_value v;
    Check(env, napi_create_string_utf8(env, s.data(), s.size(), &v));
    return v;
}

napi_value Int(napi_env env, int64_t i)
{
    napi_value v;
    Check(env, napi_create_int64(env, i, &v));
    return v;
}

napi_value EncodeTrampoline(napi_env env, napi_callback_info info)
{
    void* data;
    Check(env, napi_get_cb_info(env, info, nullptr, nullptr, nullptr, &data));
    auto* plan = static_cast<StructPlan*>(data);
    return plan->owner->EncodeCallback(env, *plan, info);
}

napi_value ChildTrampoline(napi_env env, napi_callback_info info)
{
    void* data;
    Check(env, napi_get_cb_info(env, info, nullptr, nullptr, nullptr, &data));
    auto* plan = static_cast<StructPlan*>(data);
    return plan->owner->ChildCallback(env, *plan, info);
}

} // namespace

uint8_t ElementSizeOf(Kind k)
{
    switch (k) {
    case Kind::VOID: return 0;
    case Kind::BOOL: return 1;
    case Kind::INT8:
    case Kind::UINT8: return 2;
    case Kind::INT16:
    case Kind::UINT16:
    case Kind::ENUM: return 3;
    case Kind::INT32:
    case Kind::UINT32:
    case Kind::FLOAT32: return 4;
    case Kind::INT64:
    case Kind::UINT64:
    case Kind::FLOAT64: return 5;
    case Kind::STRUCT: return 7;
    default: return 6;
    }
}

Codec::Codec(napi_env env, napi_value self) : m_env(env)
{
    napi_value script, generator, keep;
    Check(env, napi_create_string_utf8(env, JS_GENERATOR, NAPI_AUTO_LENGTH, &script));
    Check(env, napi_run_script(env, script, &generator));
    Check(env, napi_create_reference(env, generator, 1, &m_compiler));
    napi_value fn;
    Check(env, napi_get_named_property(env, generator, "cap", &fn));
    Check(env, napi_create_reference(env, fn, 1, &cap_fn));
    Check(env, napi_get_named_property(env, generator, "anyStruct", &fn));
    Check(env, napi_create_reference(env, fn, 1, &any_struct_fn));
    // Compiled functions live in an array on the codec's own object, so that they and the codec
    // are collected together; native code holds weak references to them.
    Check(env, napi_create_array(env, &keep));
    napi_property_descriptor prop{"__compiled", nullptr, nullptr, nullptr, nullptr, keep, napi_default, nullptr};
    Check(env, napi_define_properties(env, self, 1, &prop));
    Check(env, napi_create_reference(env, keep, 0, &m_keep));
    Check(env, napi_create_reference(env, self, 0, &m_self));
}

Codec::~Codec() noexcept
{
    for (auto& [schema, plan] : m_plans) {
        for (napi_ref r : {plan->build, plan->gather, plan->child_fn, plan->encoder}) {
            if (r != nullptr) napi_delete_reference(m_env, r);
        }
    }
    for (napi_ref r : {m_compiler, cap_fn, any_struct_fn, m_keep, m_self}) {
        if (r != nullptr) napi_delete_reference(m_env, r);
    }
    slab.Release(m_env);
}

size_t Codec::Load(const uint8_t* data, size_t length)
{
    KJ_REQUIRE(length % sizeof(capnp::word) == 0, "CodeGeneratorRequest bytes are not a whole number of words");
    kj::Array<capnp::word> words = kj::heapArray<capnp::word>(length / sizeof(capnp::word));
    if (length > 0) std::memcpy(words.begin(), data, length);
    capnp::ReaderOptions options;
    options.traversalLimitInWords = 1ULL << 30; // schemas of big files exceed the RPC default
    capnp::FlatArrayMessageReader reader(words, options);
    auto request = reader.getRoot<capnp::schema::CodeGeneratorRequest>();
    size_t count = 0;
    for (auto node : request.getNodes()) {
        m_loader.load(node);
        ++count;
    }
    return count;
}

std::optional<uint64_t> Codec::FindType(std::string_view display_name) const
{
    for (auto schema : m_loader.getAllLoaded()) {
        auto name = schema.getProto().getDisplayName();
        if (std::string_view(name.cStr(), name.size()) == display_name) return schema.getProto().getId();
    }
    return std::nullopt;
}

std::optional<std::pair<uint64_t, uint64_t>> Codec::MethodTypes(uint64_t interface_id, uint16_t method_id)
{
    const auto key = std::make_pair(interface_id, method_id);
    auto it = m_methods.find(key);
    if (it != m_methods.end()) return it->second;
    std::optional<std::pair<uint64_t, uint64_t>> result;
    KJ_IF_MAYBE(schema, m_loader.tryGet(interface_id)) {
        if (schema->getProto().isInterface()) {
            auto methods = schema->asInterface().getMethods();
            if (method_id < methods.size()) {
                auto proto = methods[method_id].getProto();
                result = std::make_pair(proto.getParamStructType(), proto.getResultStructType());
            }
        }
    }
    // Unknown interfaces are not cached: their schema may be loaded later.
    if (result) m_methods.emplace(key, result);
    return result;
}

ValueType Codec::MakeType(capnp::Type type)
{
    ValueType vt;
    vt.kind = KindOf(type.which());
    vt.type = type;
    if (vt.kind == Kind::LIST) vt.element = std::make_unique<ValueType>(MakeType(type.asList().getElementType()));
    return vt;
}

StructPlan& Codec::PlanFor(napi_env env, uint64_t type_id)
{
    auto cached = m_plans_by_id.find(type_id);
    if (cached != m_plans_by_id.end()) return *cached->second;
    KJ_IF_MAYBE(schema, m_loader.tryGet(type_id)) {
        if (!schema->getProto().isStruct()) {
            ThrowTypeError(env, std::string(schema->getProto().getDisplayName().cStr()) + " is not a struct type");
        }
        StructPlan& plan = PlanFor(env, schema->asStruct());
        m_plans_by_id.emplace(type_id, &plan);
        return plan;
    }
    auto h = kj::hex(type_id);
    ThrowError(env, "unknown struct type 0x" + std::string(h.begin(), h.size()) + " (load its schema first)");
}

StructPlan& Codec::PlanFor(napi_env, capnp::StructSchema schema)
{
    auto it = m_plans.find(schema);
    if (it != m_plans.end()) return *it->second;
    auto plan = std::make_unique<StructPlan>();
    plan->owner = this;
    plan->schema = schema;
    plan->id = schema.getProto().getId();
    plan->name = ShortName(schema);
    auto layout = schema.getProto().getStruct();
    plan->data_words = layout.getDataWordCount();
    plan->ptr_count = layout.getPointerCount();
    plan->role = plan->id == RPC_CALL_ID ? RpcRole::CALL : plan->id == RPC_RETURN_ID ? RpcRole::RETURN
               : plan->id == RPC_PAYLOAD_ID ? RpcRole::PAYLOAD : RpcRole::NONE;
    plan->scopes.push_back(Scope{});
    BuildSlots(*plan, schema, 0);
    for (uint32_t i = 0; i < plan->slots.size(); ++i) {
        if (IsPointerKind(plan->slots[i].type.kind)) plan->pointer_order.push_back(i);
    }
    std::stable_sort(plan->pointer_order.begin(), plan->pointer_order.end(),
                     [&](uint32_t a, uint32_t b) { return plan->slots[a].offset < plan->slots[b].offset; });
    for (uint32_t i = 0; i < plan->slots.size(); ++i) {
        const Slot& s = plan->slots[i];
        if (s.scope != 0) continue;
        if (plan->role == RpcRole::CALL && s.name == "interfaceId") plan->interface_id_slot = static_cast<int32_t>(i);
        if (plan->role == RpcRole::CALL && s.name == "methodId") plan->method_id_slot = static_cast<int32_t>(i);
        if (plan->role == RpcRole::RETURN && s.name == "answerId") plan->answer_id_slot = static_cast<int32_t>(i);
    }
    StructPlan& ref = *plan;
    m_plans.emplace(schema, std::move(plan));
    return ref;
}

void Codec::BuildSlots(StructPlan& plan, capnp::StructSchema schema, uint32_t scope)
{
    const std::string prefix = scope == 0 ? plan.name : plan.slots[static_cast<size_t>(plan.scopes[scope].slot)].label;
    auto layout = schema.getProto().getStruct();
    if (layout.getDiscriminantCount() > 0) {
        plan.scopes[scope].has_union = true;
        plan.scopes[scope].discriminant_offset = layout.getDiscriminantOffset();
    }
    std::vector<std::pair<uint16_t, uint32_t>> variants;
    for (auto field : schema.getFields()) {
        auto proto = field.getProto();
        Slot s;
        s.name = proto.getName().cStr();
        s.label = prefix + "." + s.name;
        s.scope = scope;
        s.in_union = proto.getDiscriminantValue() != capnp::schema::Field::NO_DISCRIMINANT;
        s.discriminant = proto.getDiscriminantValue();
        const uint32_t index = static_cast<uint32_t>(plan.slots.size());
        if (s.in_union) variants.emplace_back(s.discriminant, index);
        if (proto.isGroup()) {
            s.type.kind = Kind::GROUP;
            s.type.type = field.getType();
            s.opens = static_cast<uint32_t>(plan.scopes.size());
            plan.scopes.emplace_back();
            plan.scopes.back().slot = static_cast<int32_t>(index);
            plan.slots.push_back(std::move(s));
            BuildSlots(plan, field.getType().asStruct(), plan.slots[index].opens);
            continue;
        }
        auto slot = proto.getSlot();
        s.type = MakeType(field.getType());
        s.offset = slot.getOffset();
        if (slot.hasDefaultValue()) {
            auto def = slot.getDefaultValue();
            if (IsPointerKind(s.type.kind)) {
                if (HasPointerDefault(def)) s.pointer_default = def;
            } else {
                s.default_bits = DefaultBits(def);
            }
        }
        s.payload_content = plan.role == RpcRole::PAYLOAD && scope == 0 && s.name == "content";
        plan.slots.push_back(std::move(s));
    }
    std::sort(variants.begin(), variants.end());
    for (const auto& v : variants) plan.scopes[scope].variants.push_back(v.second);
}

napi_value Codec::Keep(napi_env env, napi_value value, napi_ref* weak)
{
    napi_value keep = RefValue(env, m_keep);
    Check(env, napi_set_element(env, keep, m_kept++, value));
    Check(env, napi_create_reference(env, value, 0, weak));
    return value;
}

void Codec::Compile(napi_env env, StructPlan& plan)
{
    if (plan.build != nullptr) return;
    napi_value desc, slots, scopes, cells, root, child, fn;
    Check(env, napi_create_object(env, &desc));
    Check(env, napi_set_named_property(env, desc, "name", String(env, plan.name)));
    void* cell_data;
    Check(env, napi_create_arraybuffer(env, std::max<size_t>(plan.slots.size(), 1) * 8, &cell_data, &cells));
    Check(env, napi_set_named_property(env, desc, "cells", cells));
    Check(env, napi_create_function(env, plan.name.c_str(), NAPI_AUTO_LENGTH, EncodeTrampoline, &plan, &root));
    Check(env, napi_create_function(env, plan.name.c_str(), NAPI_AUTO_LENGTH, ChildTrampoline, &plan, &child));
    Check(env, napi_set_named_property(env, desc, "root", root));
    Check(env, napi_create_array_with_length(env, plan.slots.size(), &slots));
    for (uint32_t i = 0; i < plan.slots.size(); ++i) {
        const Slot& s = plan.slots[i];
        napi_value entry, flag;
        Check(env, napi_create_array_with_length(env, 5, &entry));
        Check(env, napi_set_element(env, entry, 0, String(env, s.name)));
        Check(env, napi_set_element(env, entry, 1, String(env, JsKind(s))));
        Check(env, napi_set_element(env, entry, 2, Int(env, s.scope)));
        Check(env, napi_set_element(env, entry, 3, Int(env, s.opens)));
        Check(env, napi_get_boolean(env, s.in_union, &flag));
        Check(env, napi_set_element(env, entry, 4, flag));
        Check(env, napi_set_element(env, slots, i, entry));
    }
    Check(env, napi_set_named_property(env, desc, "slots", slots));
    Check(env, napi_create_array_with_length(env, plan.scopes.size(), &scopes));
    for (uint32_t i = 0; i < plan.scopes.size(); ++i) Check(env, napi_set_element(env, scopes, i, Int(env, plan.scopes[i].slot)));
    Check(env, napi_set_named_property(env, desc, "scopes", scopes));
    // The descriptor keeps the codec's object alive for as long as an encoder made from it is in use.
    Check(env, napi_set_named_property(env, desc, "owner", RefValue(env, m_self)));

    napi_value generator = RefValue(env, m_compiler), compiled;
    Check(env, napi_get_named_property(env, generator, "compile", &fn));
    Check(env, napi_call_function(env, generator, fn, 1, &desc, &compiled));
    napi_value build, gather, encoder;
    Check(env, napi_get_named_property(env, compiled, "build", &build));
    Check(env, napi_get_named_property(env, compiled, "gather", &gather));
    Check(env, napi_get_named_property(env, compiled, "encoder", &encoder));
    // `build` holds views of `cells`, which keeps them alive.
    Keep(env, gather, &plan.gather);
    Keep(env, child, &plan.child_fn);
    Keep(env, encoder, &plan.encoder);
    plan.cells = static_cast<uint64_t*>(cell_data);
    Keep(env, build, &plan.build); // last: a non-null `build` marks the plan compiled
}

napi_value Codec::Encoder(napi_env env, uint64_t type_id)
{
    StructPlan& plan = PlanFor(env, type_id);
    Compile(env, plan);
    return RefValue(env, plan.encoder);
}

} // namespace capnp_codec
