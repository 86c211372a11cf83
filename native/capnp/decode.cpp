// Decoder: a received message -> plain JS values. libcapnp's untyped readers (AnyStruct, AnyPointer,
// List<T>) do the bounds, traversal-limit and nesting checks; each struct's object is made by one
// call of its compiled builder, with data fields passed through the plan's scalar cells.
#include "codec.h"
#include "js.h"
#include "raw_pointer.h"

#include <capnp/serialize.h>

#include <cstring>

namespace capnp_codec {
namespace {

// Where the struct type of the Payload.content being decoded comes from.
struct PayloadType {
    enum Source : uint8_t { NONE, KNOWN, ANSWER } source{NONE};
    uint64_t type_id{0};
    uint32_t answer_id{0};
};

// Raw little-endian bits of a data field; zero beyond the (possibly older, shorter) data section.
uint64_t ReadBits(kj::ArrayPtr<const capnp::byte> data, Kind kind, uint32_t offset)
{
    if (kind == Kind::BOOL) {
        return offset / 8 < data.size() ? (data[offset / 8] >> (offset % 8)) & 1 : 0;
    }
    const size_t size = size_t{1} << (ElementSizeOf(kind) - 2);
    if ((size_t{offset} + 1) * size > data.size()) return 0;
    uint64_t bits = 0;
    std::memcpy(&bits, data.begin() + size_t{offset} * size, size);
    return bits;
}

// The 8-byte cell the builder reads: a double for numbers and Bool, the raw bits for (U)Int64.
uint64_t Cell(Kind kind, uint64_t bits)
{
    double d;
    switch (kind) {
    case Kind::INT64:
    case Kind::UINT64:
    case Kind::FLOAT64: return bits;
    case Kind::BOOL:
    case Kind::UINT8:
    case Kind::UINT16:
    case Kind::UINT32:
    case Kind::ENUM: d = static_cast<double>(bits); break;
    case Kind::INT8: d = static_cast<int8_t>(bits); break;
    case Kind::INT16: d = static_cast<int16_t>(bits); break;
    case Kind::INT32: d = static_cast<int32_t>(bits); break;
    case Kind::FLOAT32: {
        float f;
        const uint32_t u = static_cast<uint32_t>(bits);
        std::memcpy(&f, &u, 4);
        d = f;
        break;
    }
    default: d = 0;
    }
    uint64_t out;
    std::memcpy(&out, &d, 8);
    return out;
}

bool IsAscii(const char* s, size_t n)
{
    for (size_t i = 0; i < n; ++i) {
        if (static_cast<unsigned char>(s[i]) >= 0x80) return false;
    }
    return true;
}

class Decoder {
public:
    Decoder(Codec& codec, napi_env env, capnp::MessageReader& message, napi_value hint)
        : m_codec(codec), m_env(env), m_message(message), m_hint(hint), m_hint_type(TypeOf(env, hint))
    {
        if (m_hint_type == napi_bigint) {
            bool lossless;
            if (!GetBigUint64(env, hint, m_hint_id, lossless) || !lossless) {
                ThrowRangeError(env, "the AnyPointer type hint is not a 64-bit type id");
            }
        } else if (m_hint_type != napi_function && !IsNullish(m_hint_type)) {
            ThrowTypeError(env, "the AnyPointer type hint must be a bigint or a function");
        }
        Check(env, napi_get_undefined(env, &m_undefined));
        Check(env, napi_get_null(env, &m_null));
        Check(env, napi_get_boolean(env, true, &m_true));
    }

    napi_value Struct(StructPlan& plan, capnp::AnyStruct::Reader reader)
    {
        m_codec.Compile(m_env, plan);
        const auto data = reader.getDataSection();
        const auto ptrs = reader.getPointerSection();
        const PayloadType saved = m_payload;
        if (plan.role == RpcRole::CALL) {
            const Slot& iface = plan.slots[static_cast<size_t>(plan.interface_id_slot)];
            const Slot& method = plan.slots[static_cast<size_t>(plan.method_id_slot)];
            auto types = m_codec.MethodTypes(ReadBits(data, iface.type.kind, iface.offset),
                                             static_cast<uint16_t>(ReadBits(data, method.type.kind, method.offset)));
            m_payload = types ? PayloadType{PayloadType::KNOWN, types->first, 0} : PayloadType{};
        } else if (plan.role == RpcRole::RETURN) {
            const Slot& answer = plan.slots[static_cast<size_t>(plan.answer_id_slot)];
            m_payload = PayloadType{PayloadType::ANSWER, 0, static_cast<uint32_t>(ReadBits(data, answer.type.kind, answer.offset))};
        }

        // Which scopes are present, and their active union members, as stack space in m_ints.
        const size_t nslots = plan.slots.size(), nscopes = plan.scopes.size();
        const size_t ibase = m_ints.size();
        m_ints.resize(ibase + nscopes * 2);
        auto present = [&](size_t s) -> int64_t& { return m_ints[ibase + s * 2]; };
        auto active = [&](size_t s) -> int64_t& { return m_ints[ibase + s * 2 + 1]; };
        auto live = [&](const Slot& s) {
            return present(s.scope) != 0 && (!s.in_union || active(s.scope) == s.discriminant);
        };
        for (size_t s = 0; s < nscopes; ++s) {
            const Scope& scope = plan.scopes[s];
            present(s) = s == 0 || live(plan.slots[static_cast<size_t>(scope.slot)]) ? 1 : 0;
            active(s) = scope.has_union ? static_cast<int64_t>(ReadBits(data, Kind::UINT16, scope.discriminant_offset)) : -1;
        }

        const size_t abase = m_args.size();
        m_args.resize(abase + nslots, m_undefined);
        for (size_t i = 0; i < nslots; ++i) {
            const Slot& s = plan.slots[i];
            if (!live(s)) continue;
            napi_value v = nullptr;
            switch (s.type.kind) {
            case Kind::VOID:
                v = s.in_union ? m_null : nullptr;
                break;
            case Kind::GROUP:
                v = m_true;
                break;
            case Kind::TEXT:
            case Kind::DATA:
            case Kind::LIST:
            case Kind::STRUCT:
            case Kind::INTERFACE:
            case Kind::ANY_POINTER:
                v = PointerField(s, data, ptrs);
                break;
            default:
                v = s.in_union ? m_true : nullptr; // the value goes through the cells
            }
            if (v != nullptr) m_args[abase + i] = v;
        }
        // Cells last: building the children above may have used this plan's cells (recursive types).
        for (size_t i = 0; i < nslots; ++i) {
            const Slot& s = plan.slots[i];
            if (!IsScalarKind(s.type.kind) || !live(s)) continue;
            plan.cells[i] = Cell(s.type.kind, ReadBits(data, s.type.kind, s.offset) ^ s.default_bits);
        }
        m_ints.resize(ibase);
        m_payload = saved;
        napi_value object;
        const napi_status status = napi_call_function(m_env, m_undefined, RefValue(m_env, plan.build), nslots,
                                                      m_args.data() + abase, &object);
        m_args.resize(abase);
        Check(m_env, status);
        return object;
    }

private:
    // nullptr = leave the property out: null struct, capability and AnyPointer fields.
    napi_value PointerField(const Slot& s, kj::ArrayPtr<const capnp::byte> data, capnp::List<capnp::AnyPointer>::Reader ptrs)
    {
        const bool has = s.offset < ptrs.size();
        capnp::AnyPointer::Reader p = has ? ptrs[s.offset] : capnp::AnyPointer::Reader();
        const capnp::word* raw = has ? reinterpret_cast<const capnp::word*>(data.end()) + s.offset : nullptr;
        const bool null = p.isNull();
        switch (s.type.kind) {
        case Kind::TEXT:
            if (null && s.pointer_default) return String(s.pointer_default->getText());
            return String(p.getAs<capnp::Text>());
        case Kind::DATA:
            if (null && s.pointer_default) return Bytes(s.pointer_default->getData());
            return Bytes(p.getAs<capnp::Data>());
        case Kind::LIST:
            if (null && s.pointer_default) return List(*s.type.element, s.pointer_default->getList(), nullptr);
            return List(*s.type.element, p, raw);
        case Kind::STRUCT:
            if (null) return nullptr;
            return Struct(m_codec.Resolve(m_env, s.type), p.getAs<capnp::AnyStruct>());
        case Kind::INTERFACE:
            if (null) return nullptr;
            return Number(CapIndex(p, raw, s.label));
        case Kind::ANY_POINTER:
            if (null) return nullptr;
            return AnyPointer(p, raw, s.payload_content, s.label);
        default:
            return nullptr;
        }
    }

    napi_value String(capnp::Text::Reader text)
    {
        napi_value v;
        if (IsAscii(text.begin(), text.size())) {
            Check(m_env, napi_create_string_latin1(m_env, text.begin(), text.size(), &v));
        } else {
            Check(m_env, napi_create_string_utf8(m_env, text.begin(), text.size(), &v));
        }
        return v;
    }

    napi_value Bytes(capnp::Data::Reader data) { return m_codec.slab.Carve(m_env, data.begin(), data.size()); }

    napi_value Number(double d)
    {
        napi_value v;
        Check(m_env, napi_create_double(m_env, d, &v));
        return v;
    }

    template <typename T>
    napi_value Numbers(capnp::AnyPointer::Reader p)
    {
        auto list = p.getAs<capnp::List<T>>();
        return Array(list.size(), [&](uint32_t i) {
            napi_value v;
            if constexpr (std::is_same_v<T, int64_t>) {
                Check(m_env, napi_create_bigint_int64(m_env, list[i], &v));
            } else if constexpr (std::is_same_v<T, uint64_t>) {
                Check(m_env, napi_create_bigint_uint64(m_env, list[i], &v));
            } else if constexpr (std::is_same_v<T, bool>) {
                Check(m_env, napi_get_boolean(m_env, list[i], &v));
            } else {
                Check(m_env, napi_create_double(m_env, static_cast<double>(list[i]), &v));
            }
            return v;
        });
    }

    template <typename Fn>
    napi_value Array(uint32_t n, Fn&& element)
    {
        napi_value array;
        Check(m_env, napi_create_array_with_length(m_env, n, &array));
        for (uint32_t i = 0; i < n; ++i) Check(m_env, napi_set_element(m_env, array, i, element(i)));
        return array;
    }

    // `raw` is the list's pointer word when its elements may be capabilities (read as raw words).
    napi_value List(const ValueType& elem, capnp::AnyPointer::Reader p, const capnp::word* raw)
    {
        switch (elem.kind) {
        case Kind::VOID: {
            auto list = p.getAs<capnp::List<capnp::Void>>();
            return Array(list.size(), [&](uint32_t) { return m_null; });
        }
        case Kind::BOOL: return Numbers<bool>(p);
        case Kind::INT8: return Numbers<int8_t>(p);
        case Kind::INT16: return Numbers<int16_t>(p);
        case Kind::INT32: return Numbers<int32_t>(p);
        case Kind::INT64: return Numbers<int64_t>(p);
        case Kind::UINT8: return Numbers<uint8_t>(p);
        case Kind::UINT16:
        case Kind::ENUM: return Numbers<uint16_t>(p);
        case Kind::UINT32: return Numbers<uint32_t>(p);
        case Kind::UINT64: return Numbers<uint64_t>(p);
        case Kind::FLOAT32: return Numbers<float>(p);
        case Kind::FLOAT64: return Numbers<double>(p);
        case Kind::TEXT: {
            auto list = p.getAs<capnp::List<capnp::Text>>();
            return Array(list.size(), [&](uint32_t i) { return String(list[i]); });
        }
        case Kind::DATA: {
            auto list = p.getAs<capnp::List<capnp::Data>>();
            return Array(list.size(), [&](uint32_t i) { return Bytes(list[i]); });
        }
        case Kind::STRUCT: {
            auto any = p.getAs<capnp::AnyList>();
            KJ_REQUIRE(any.getElementSize() != capnp::ElementSize::BIT, "Found bit list where struct list was expected.");
            auto list = any.as<capnp::List<capnp::AnyStruct>>();
            StructPlan& plan = m_codec.Resolve(m_env, elem);
            return Array(list.size(), [&](uint32_t i) { return Struct(plan, list[i]); });
        }
        case Kind::LIST:
        case Kind::INTERFACE:
        case Kind::ANY_POINTER: {
            auto any = p.getAs<capnp::AnyList>();
            KJ_REQUIRE(any.size() == 0 || any.getElementSize() == capnp::ElementSize::POINTER,
                       "Expected a list of pointers.");
            auto list = any.as<capnp::List<capnp::AnyPointer>>();
            const bool needs_raw = elem.kind != Kind::LIST || NeedsRaw(*elem.element);
            const capnp::word* elements = needs_raw && raw != nullptr && list.size() > 0 ? ReadListElements(raw, m_message) : nullptr;
            return Array(list.size(), [&](uint32_t i) -> napi_value {
                const capnp::word* e = elements != nullptr ? elements + i : nullptr;
                if (elem.kind == Kind::LIST) return List(*elem.element, list[i], e);
                if (list[i].isNull()) return m_null;
                if (elem.kind == Kind::INTERFACE) return CapObject(CapIndex(list[i], e, "list element"));
                return AnyPointer(list[i], e, false, "list element");
            });
        }
        default:
            ThrowError(m_env, "unsupported list element type");
        }
    }

    static bool NeedsRaw(const ValueType& t)
    {
        if (t.kind == Kind::INTERFACE || t.kind == Kind::ANY_POINTER) return true;
        return t.kind == Kind::LIST && NeedsRaw(*t.element);
    }

    uint32_t CapIndex(capnp::AnyPointer::Reader p, const capnp::word* raw, const std::string& label)
    {
        if (p.getPointerType() != capnp::PointerType::CAPABILITY || raw == nullptr) {
            ThrowError(m_env, label + ": expected a capability pointer");
        }
        return HighHalf(raw);
    }

    napi_value CapObject(uint32_t index)
    {
        napi_value arg = Number(index), result;
        Check(m_env, napi_call_function(m_env, m_undefined, RefValue(m_env, m_codec.cap_fn), 1, &arg, &result));
        return result;
    }

    napi_value AnyPointer(capnp::AnyPointer::Reader any, const capnp::word* raw, bool payload_content, const std::string& label)
    {
        switch (any.getPointerType()) {
        case capnp::PointerType::NULL_:
        case capnp::PointerType::LIST:
            return m_null;
        case capnp::PointerType::CAPABILITY:
            return CapObject(CapIndex(any, raw, label));
        case capnp::PointerType::STRUCT:
            break;
        }
        const uint64_t type_id = payload_content ? PayloadStructType() : (m_hint_type == napi_bigint ? m_hint_id : 0);
        if (type_id == 0) return m_null;
        StructPlan& plan = m_codec.PlanFor(m_env, type_id);
        napi_value args[2];
        Check(m_env, napi_create_bigint_uint64(m_env, type_id, &args[0]));
        args[1] = Struct(plan, any.getAs<capnp::AnyStruct>());
        napi_value result;
        Check(m_env, napi_call_function(m_env, m_undefined, RefValue(m_env, m_codec.any_struct_fn), 2, args, &result));
        return result;
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
                Check(m_env, napi_call_function(m_env, m_undefined, m_hint, 1, &arg, &result));
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
    capnp::MessageReader& m_message;
    napi_value m_hint;
    napi_valuetype m_hint_type;
    uint64_t m_hint_id{0};
    PayloadType m_payload;
    napi_value m_undefined, m_null, m_true;
    std::vector<napi_value> m_args;  // builder arguments of the structs being decoded, as a stack
    std::vector<int64_t> m_ints;     // scope state of the structs being decoded, as a stack
};

} // namespace

napi_value Codec::Decode(napi_env env, uint64_t type_id, const uint8_t* data, size_t length, napi_value hint)
{
    StructPlan& plan = PlanFor(env, type_id);
    if (length % sizeof(capnp::word) != 0 || length == 0) ThrowError(env, "message is not a whole number of words");
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
    auto root = message.getRoot<capnp::AnyPointer>().getAs<capnp::AnyStruct>();
    return Decoder(*this, env, message, hint).Struct(plan, root);
}

} // namespace capnp_codec
