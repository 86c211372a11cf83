// Schema loading and the per-struct field plans (cached, with their JS property names) that the
// encoder and decoder walk.
#include "codec.h"
#include "js.h"

#include <capnp/schema.capnp.h>
#include <capnp/serialize.h>

#include <algorithm>

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

} // namespace

Codec::Codec(napi_env env) : m_env(env)
{
    napi_value array;
    Check(env, napi_create_array(env, &array));
    Check(env, napi_create_reference(env, array, 1, &m_key_array));
    key_cap = Key(env, "cap");
    key_type = Key(env, "type");
    key_value = Key(env, "value");
}

Codec::~Codec() noexcept
{
    napi_delete_reference(m_env, m_key_array);
}

size_t Codec::Load(const uint8_t* data, size_t length)
{
    KJ_REQUIRE(length % sizeof(capnp::word) == 0, "CodeGeneratorRequest bytes are not a whole number of words");
    kj::Array<capnp::word> words = kj::heapArray<capnp::word>(length / sizeof(capnp::word));
    std::memcpy(words.begin(), data, length);
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

uint32_t Codec::Key(napi_env env, const std::string& name)
{
    auto it = m_keys.find(name);
    if (it != m_keys.end()) return it->second;
    napi_value str;
    Check(env, napi_create_string_utf8(env, name.data(), name.size(), &str));
    Check(env, napi_set_element(env, RefValue(env, m_key_array), m_key_count, str));
    m_keys.emplace(name, m_key_count);
    return m_key_count++;
}

napi_value Codec::KeyString(napi_env env, uint32_t index) const
{
    napi_value v;
    Check(env, napi_get_element(env, RefValue(env, m_key_array), index, &v));
    return v;
}

ValueType Codec::MakeType(capnp::Type type)
{
    ValueType vt;
    vt.kind = KindOf(type.which());
    vt.type = type;
    if (vt.kind == Kind::LIST) {
        vt.element = std::make_unique<ValueType>(MakeType(type.asList().getElementType()));
    }
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
    ThrowError(env, "unknown struct type 0x" + [&] { auto h = kj::hex(type_id); return std::string(h.begin(), h.size()); }() + " (load its schema first)");
}

StructPlan& Codec::PlanFor(napi_env env, capnp::StructSchema schema)
{
    auto it = m_plans.find(schema);
    if (it != m_plans.end()) return *it->second;
    auto plan = std::make_unique<StructPlan>();
    plan->schema = schema;
    plan->name = ShortName(schema);
    const uint64_t id = schema.getProto().getId();
    plan->role = id == RPC_CALL_ID ? RpcRole::CALL : id == RPC_RETURN_ID ? RpcRole::RETURN
               : id == RPC_PAYLOAD_ID ? RpcRole::PAYLOAD : RpcRole::NONE;
    BuildFields(env, *plan);
    StructPlan& ref = *plan;
    m_plans.emplace(schema, std::move(plan));
    return ref;
}

void Codec::BuildFields(napi_env env, StructPlan& plan)
{
    auto make = [&](capnp::StructSchema::Field field) {
        FieldPlan f;
        f.field = field;
        auto proto = field.getProto();
        f.name = proto.getName().cStr();
        f.label = plan.name + "." + f.name;
        f.key = Key(env, f.name);
        f.in_union = proto.getDiscriminantValue() != capnp::schema::Field::NO_DISCRIMINANT;
        if (proto.isGroup()) {
            f.type.kind = Kind::GROUP;
            f.type.type = field.getType();
        } else {
            f.type = MakeType(field.getType());
            if (IsPointerKind(f.type.kind)) f.slot = proto.getSlot().getOffset();
        }
        f.payload_content = plan.role == RpcRole::PAYLOAD && f.name == "content";
        return f;
    };
    for (auto field : plan.schema.getNonUnionFields()) plan.fields.push_back(make(field));
    auto union_fields = plan.schema.getUnionFields();
    for (auto field : union_fields) {
        auto f = std::make_unique<FieldPlan>(make(field));
        const uint16_t d = field.getProto().getDiscriminantValue();
        if (plan.by_discriminant.size() <= d) plan.by_discriminant.resize(d + 1u, nullptr);
        plan.by_discriminant[d] = f.get();
        plan.variants.push_back(std::move(f));
    }
    // Union members are tried in discriminant order when encoding.
    std::sort(plan.variants.begin(), plan.variants.end(), [](const auto& a, const auto& b) {
        return a->field.getProto().getDiscriminantValue() < b->field.getProto().getDiscriminantValue();
    });
    for (const auto& f : plan.fields) {
        if (plan.role == RpcRole::CALL && f.name == "interfaceId") plan.interface_id = &f;
        if (plan.role == RpcRole::CALL && f.name == "methodId") plan.method_id = &f;
        if (plan.role == RpcRole::RETURN && f.name == "answerId") plan.answer_id = &f;
    }
}

} // namespace capnp_codec
