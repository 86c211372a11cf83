// Decoder: a received message -> plain JS values, typing rpc.capnp payloads from the call's
// interface and method (Call) or from the caller's hint (Return and other AnyPointers).
#include "codec.h"
#include "js.h"
#include "raw_pointer.h"

#include <capnp/any.h>
#include <capnp/serialize.h>

namespace capnp_codec {
namespace {


bool NeedsRaw(const ValueType& t)
{
    if (t.kind == Kind::INTERFACE || t.kind == Kind::ANY_POINTER) return true;
    return t.kind == Kind::LIST && NeedsRaw(*t.element);
}

// Where the struct type of the Payload.content being decoded comes from.
struct PayloadType {
    enum Source : uint8_t { NONE, KNOWN, ANSWER } source{NONE};
    uint64_t type_id{0};
    uint32_t answer_id{0};
};

class Decoder {
public:
    Decoder(Codec& codec, napi_env env, capnp::MessageReader& message, napi_value hint)
        : m_codec(codec), m_env(env), m_keys(env, codec), m_message(message), m_hint(hint), m_hint_type(TypeOf(env, hint))
    {
        if (m_hint_type == napi_bigint) {
            bool lossless;
            if (!GetBigUint64(env, hint, m_hint_id, lossless) || !lossless) {
                ThrowRangeError(env, "the AnyPointer type hint is not a 64-bit type id");
            }
        } else if (m_hint_type != napi_function && !IsNullish(m_hint_type)) {
            ThrowTypeError(env, "the AnyPointer type hint must be a bigint or a function");
        }
    }

    napi_value Struct(const StructPlan& plan, capnp::DynamicStruct::Reader reader)
    {
        napi_value object = NewObject(m_env);
        const PayloadType saved = m_payload;
        if (plan.role == RpcRole::CALL) {
            const uint64_t interface_id = reader.get(plan.interface_id->field).as<uint64_t>();
            const uint16_t method_id = reader.get(plan.method_id->field).as<uint16_t>();
            auto types = m_codec.MethodTypes(interface_id, method_id);
            m_payload = types ? PayloadType{PayloadType::KNOWN, types->first, 0} : PayloadType{};
        } else if (plan.role == RpcRole::RETURN) {
            m_payload = PayloadType{PayloadType::ANSWER, 0, reader.get(plan.answer_id->field).as<uint32_t>()};
        }
        Fill(plan, reader, object);
        m_payload = saved;
        return object;
    }

private:
    void Fill(const StructPlan& plan, capnp::DynamicStruct::Reader& reader, napi_value object)
    {
        for (const FieldPlan& f : plan.fields) {
            napi_value v = Field(f, reader);
            if (v != nullptr) SetProperty(m_env, object, m_keys[f.key], v);
        }
        if (plan.variants.empty()) return;
        KJ_IF_MAYBE(active, reader.which()) {
            const uint16_t d = active->getProto().getDiscriminantValue();
            const FieldPlan* f = d < plan.by_discriminant.size() ? plan.by_discriminant[d] : nullptr;
            if (f != nullptr) {
                napi_value v = Field(*f, reader);
                if (v != nullptr) SetProperty(m_env, object, m_keys[f->key], v);
            }
        }
        // A discriminant this schema does not know (a newer peer) leaves the union out.
    }

    // nullptr = leave the property out: non-union Void, and null struct/capability/AnyPointer fields.
    // Null Text/Data/List fields read as their schema default or empty, as in Cap'n Proto's readers.
    napi_value Field(const FieldPlan& f, capnp::DynamicStruct::Reader& r)
    {
        napi_value v;
        const Kind kind = f.type.kind;
        if ((kind == Kind::STRUCT || kind == Kind::INTERFACE || kind == Kind::ANY_POINTER) && !r.has(f.field)) {
            return nullptr;
        }
        switch (kind) {
        case Kind::VOID:
            return f.in_union ? Null(m_env) : nullptr;
        case Kind::GROUP:
            return Struct(m_codec.Resolve(m_env, f.type), r.get(f.field).as<capnp::DynamicStruct>());
        case Kind::TEXT: {
            auto text = r.get(f.field).as<capnp::Text>();
            Check(m_env, napi_create_string_utf8(m_env, text.begin(), text.size(), &v));
            return v;
        }
        case Kind::DATA: {
            auto data = r.get(f.field).as<capnp::Data>();
            return NewUint8Array(m_env, data.begin(), data.size());
        }
        case Kind::STRUCT:
            return Struct(m_codec.Resolve(m_env, f.type), r.get(f.field).as<capnp::DynamicStruct>());
        case Kind::LIST: {
            const capnp::word* pointer = NeedsRaw(*f.type.element) ? SlotAddress(r, f.slot) : nullptr;
            return List(*f.type.element, r.get(f.field).as<capnp::DynamicList>(), pointer);
        }
        case Kind::INTERFACE:
            return Capability(SlotAddress(r, f.slot), f.label);
        case Kind::ANY_POINTER:
            return AnyPointer(r.get(f.field).as<capnp::AnyPointer>(), SlotAddress(r, f.slot), f.payload_content, f.label);
        default:
            return Scalar(kind, r.get(f.field));
        }
    }

    napi_value Scalar(Kind kind, capnp::DynamicValue::Reader value)
    {
        napi_value v;
        switch (kind) {
        case Kind::BOOL:
            Check(m_env, napi_get_boolean(m_env, value.as<bool>(), &v));
            return v;
        case Kind::INT8:
        case Kind::INT16:
        case Kind::INT32:
            Check(m_env, napi_create_int32(m_env, value.as<int32_t>(), &v));
            return v;
        case Kind::UINT8:
        case Kind::UINT16:
        case Kind::UINT32:
            Check(m_env, napi_create_uint32(m_env, value.as<uint32_t>(), &v));
            return v;
        case Kind::INT64:
            Check(m_env, napi_create_bigint_int64(m_env, value.as<int64_t>(), &v));
            return v;
        case Kind::UINT64:
            Check(m_env, napi_create_bigint_uint64(m_env, value.as<uint64_t>(), &v));
            return v;
        case Kind::FLOAT32:
        case Kind::FLOAT64:
            Check(m_env, napi_create_double(m_env, value.as<double>(), &v));
            return v;
        case Kind::ENUM:
            Check(m_env, napi_create_uint32(m_env, value.as<capnp::DynamicEnum>().getRaw(), &v));
            return v;
        default:
            ThrowError(m_env, "not a scalar type");
        }
    }

    napi_value List(const ValueType& elem, capnp::DynamicList::Reader list, const capnp::word* pointer)
    {
        const uint32_t n = list.size();
        napi_value array;
        Check(m_env, napi_create_array_with_length(m_env, n, &array));
        const capnp::word* elements = pointer != nullptr && n > 0 ? ReadListElements(pointer, m_message) : nullptr;
        for (uint32_t i = 0; i < n; ++i) {
            napi_value v;
            switch (elem.kind) {
            case Kind::VOID:
                v = Null(m_env);
                break;
            case Kind::STRUCT:
                v = Struct(m_codec.Resolve(m_env, elem), list[i].as<capnp::DynamicStruct>());
                break;
            // Null Text/Data/List elements read as empty values (as Cap'n Proto's own readers do).
            case Kind::TEXT: {
                auto text = list[i].as<capnp::Text>();
                Check(m_env, napi_create_string_utf8(m_env, text.begin(), text.size(), &v));
                break;
            }
            case Kind::DATA: {
                auto data = list[i].as<capnp::Data>();
                v = NewUint8Array(m_env, data.begin(), data.size());
                break;
            }
            case Kind::LIST:
                v = List(*elem.element, list[i].as<capnp::DynamicList>(), elements != nullptr ? elements + i : nullptr);
                break;
            case Kind::INTERFACE:
                v = Capability(elements + i, "list element");
                break;
            case Kind::ANY_POINTER:
                v = AnyPointer(capnp::AnyList::Reader(list).as<capnp::List<capnp::AnyPointer>>()[i], elements + i, false,
                               "list element");
                break;
            default:
                v = Scalar(elem.kind, list[i]);
            }
            Check(m_env, napi_set_element(m_env, array, i, v));
        }
        return array;
    }

    napi_value Capability(const capnp::word* pointer, const std::string& label)
    {
        if (pointer == nullptr || IsNullWord(pointer)) return Null(m_env);
        if (!IsCapability(pointer)) ThrowError(m_env, label + ": expected a capability pointer");
        return CapObject(HighHalf(pointer));
    }

    napi_value CapObject(uint32_t index)
    {
        napi_value object = NewObject(m_env);
        napi_value v;
        Check(m_env, napi_create_uint32(m_env, index, &v));
        SetProperty(m_env, object, m_keys[m_codec.key_cap], v);
        return object;
    }

    napi_value AnyPointer(capnp::AnyPointer::Reader any, const capnp::word* pointer, bool payload_content,
                          const std::string& label)
    {
        switch (any.getPointerType()) {
        case capnp::PointerType::NULL_:
            return Null(m_env);
        case capnp::PointerType::CAPABILITY:
            return Capability(pointer, label);
        case capnp::PointerType::LIST:
            return Null(m_env);
        case capnp::PointerType::STRUCT:
            break;
        }
        const uint64_t type_id = payload_content ? PayloadStructType() : (m_hint_type == napi_bigint ? m_hint_id : 0);
        if (type_id == 0) return Null(m_env);
        const StructPlan& plan = m_codec.PlanFor(m_env, type_id);
        napi_value object = NewObject(m_env);
        napi_value type;
        Check(m_env, napi_create_bigint_uint64(m_env, type_id, &type));
        SetProperty(m_env, object, m_keys[m_codec.key_type], type);
        SetProperty(m_env, object, m_keys[m_codec.key_value], Struct(plan, any.getAs<capnp::DynamicStruct>(plan.schema)));
        return object;
    }

    // 0 when unknown: the content then decodes as null.
    uint64_t PayloadStructType()
    {
        switch (m_payload.source) {
        case PayloadType::KNOWN:
            return m_payload.type_id;
        case PayloadType::ANSWER:
            if (m_hint_type == napi_bigint) return m_hint_id;
            if (m_hint_type == napi_function) {
                napi_value arg, result;
                Check(m_env, napi_create_uint32(m_env, m_payload.answer_id, &arg));
                Check(m_env, napi_call_function(m_env, Undefined(m_env), m_hint, 1, &arg, &result));
                if (IsNullish(TypeOf(m_env, result))) return 0;
                uint64_t id;
                bool lossless;
                if (!GetBigUint64(m_env, result, id, lossless) || !lossless) {
                    ThrowTypeError(m_env, "the AnyPointer type hint function must return a bigint or undefined");
                }
                return id;
            }
            return 0;
        case PayloadType::NONE:
            return 0;
        }
        return 0;
    }

    Codec& m_codec;
    napi_env m_env;
    CallKeys m_keys;
    capnp::MessageReader& m_message;
    napi_value m_hint;
    napi_valuetype m_hint_type;
    uint64_t m_hint_id{0};
    PayloadType m_payload;
};

} // namespace

napi_value Codec::Decode(napi_env env, uint64_t type_id, const uint8_t* data, size_t length, napi_value hint)
{
    StructPlan& plan = PlanFor(env, type_id);
    if (length % sizeof(capnp::word) != 0 || length == 0) {
        ThrowError(env, "message is not a whole number of words");
    }
    const size_t count = length / sizeof(capnp::word);
    const capnp::word* words = reinterpret_cast<const capnp::word*>(data);
    kj::Array<capnp::word> aligned; // local: a hint function may decode re-entrantly
    if (reinterpret_cast<uintptr_t>(data) % alignof(capnp::word) != 0) {
        aligned = kj::heapArray<capnp::word>(count);
        std::memcpy(aligned.begin(), data, length);
        words = aligned.begin();
    }
    // Same limits as the C++ peers (default ReaderOptions: 64 MiB traversal, nesting 64).
    capnp::FlatArrayMessageReader message(kj::arrayPtr(words, count));
    if (message.getEnd() != words + count) ThrowError(env, "trailing bytes after the message");
    return Decoder(*this, env, message, hint).Struct(plan, message.getRoot<capnp::DynamicStruct>(plan.schema));
}

} // namespace capnp_codec
