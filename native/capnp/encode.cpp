// Encoder: JS values -> one single-segment message in the canonical layout shared with the
// pure-TypeScript codec (full schema section sizes; pointers written in slot order, depth-first).
#include "codec.h"
#include "js.h"
#include "raw_pointer.h"

#include <capnp/any.h>
#include <capnp/serialize.h>

#include <algorithm>
#include <cmath>

namespace capnp_codec {
namespace {

constexpr size_t INITIAL_SEGMENT_WORDS = 1024;
// Lists longer than this get a handle scope per element so that big lists do not pile up handles.
constexpr uint32_t SCOPED_LIST_LENGTH = 64;

struct Pending {
    uint32_t slot;
    const FieldPlan* field;
    capnp::DynamicStruct::Builder owner;
    napi_value value;
};

// Whether writing a value of this type needs the raw address of its pointer (capabilities).
bool NeedsRaw(const ValueType& t)
{
    if (t.kind == Kind::INTERFACE || t.kind == Kind::ANY_POINTER) return true;
    return t.kind == Kind::LIST && NeedsRaw(*t.element);
}

class HandleScope {
public:
    HandleScope(napi_env env, bool open) : m_env(env)
    {
        if (open) Check(env, napi_open_handle_scope(env, &m_scope));
    }
    ~HandleScope()
    {
        if (m_scope != nullptr) napi_close_handle_scope(m_env, m_scope);
    }
    HandleScope(const HandleScope&) = delete;
    HandleScope& operator=(const HandleScope&) = delete;

private:
    napi_env m_env;
    napi_handle_scope m_scope{nullptr};
};

class Encoder {
public:
    Encoder(Codec& codec, napi_env env) : m_codec(codec), m_env(env), m_keys(env, codec) {}

    // Writes a struct's fields; its pointer fields (including those of its groups) are written
    // after all data fields, in pointer-slot order, each one completely before the next.
    void Struct(StructPlan& plan, capnp::DynamicStruct::Builder builder, napi_value object)
    {
        const size_t base = m_pending.size();
        Collect(plan, builder, object);
        const size_t end = m_pending.size();
        auto first = m_pending.begin() + static_cast<ptrdiff_t>(base);
        auto last = m_pending.begin() + static_cast<ptrdiff_t>(end);
        auto by_slot = [](const Pending& a, const Pending& b) { return a.slot < b.slot; };
        if (!std::is_sorted(first, last, by_slot)) std::sort(first, last, by_slot);
        for (size_t i = base; i < end; ++i) {
            const Pending p = m_pending[i]; // copied: nested structs append to m_pending
            Pointer(p);
        }
        m_pending.resize(base);
    }

private:
    void Collect(StructPlan& plan, capnp::DynamicStruct::Builder& builder, napi_value object)
    {
        for (const FieldPlan& f : plan.fields) {
            napi_value v = GetProperty(m_env, object, m_keys[f.key]);
            Field(f, builder, v, TypeOf(m_env, v));
        }
        // The first union member present (even as null, which is how Void members are given) wins.
        for (const auto& f : plan.variants) {
            napi_value v = GetProperty(m_env, object, m_keys[f->key]);
            const napi_valuetype t = TypeOf(m_env, v);
            if (t == napi_undefined) continue;
            Field(*f, builder, v, t);
            break;
        }
    }

    void Field(const FieldPlan& f, capnp::DynamicStruct::Builder& b, napi_value v, napi_valuetype t)
    {
        const Kind k = f.type.kind;
        if (k == Kind::VOID) {
            if (f.in_union) b.set(f.field, capnp::VOID);
            return;
        }
        if (k == Kind::GROUP) {
            if (t == napi_object) {
                auto group = f.in_union ? b.init(f.field).as<capnp::DynamicStruct>()
                                        : b.get(f.field).as<capnp::DynamicStruct>();
                Collect(m_codec.Resolve(m_env, f.type), group, v);
            } else if (IsNullish(t)) {
                if (f.in_union) b.init(f.field);
            } else {
                ThrowTypeError(m_env, f.label + ": expected an object");
            }
            return;
        }
        if (IsNullish(t)) {
            if (f.in_union) b.clear(f.field); // selects the member, leaving it at its default
            return;
        }
        if (IsPointerKind(k)) {
            if (f.in_union) b.clear(f.field);
            m_pending.push_back(Pending{f.slot, &f, b, v});
            return;
        }
        b.set(f.field, Scalar(f.type, v, t, f.label));
    }

    void Pointer(const Pending& p)
    {
        const FieldPlan& f = *p.field;
        capnp::DynamicStruct::Builder b = p.owner;
        const napi_value v = p.value;
        const napi_valuetype t = TypeOf(m_env, v);
        switch (f.type.kind) {
        case Kind::TEXT: {
            const size_t len = TextLength(v, t, f.label);
            CopyText(v, b.init(f.field, static_cast<uint>(len)).as<capnp::Text>().begin(), len);
            break;
        }
        case Kind::DATA: {
            const uint8_t* bytes;
            size_t len;
            if (!GetBytes(m_env, v, bytes, len)) ThrowTypeError(m_env, f.label + ": expected a Uint8Array");
            auto data = b.init(f.field, static_cast<uint>(len)).as<capnp::Data>();
            if (len > 0) std::memcpy(data.begin(), bytes, len);
            break;
        }
        case Kind::STRUCT:
            if (t != napi_object) ThrowTypeError(m_env, f.label + ": expected an object");
            Struct(m_codec.Resolve(m_env, f.type), b.init(f.field).as<capnp::DynamicStruct>(), v);
            break;
        case Kind::LIST: {
            const uint32_t n = ArrayLength(v, f.label);
            auto list = b.init(f.field, n).as<capnp::DynamicList>();
            List(*f.type.element, list, v, n, NeedsRaw(*f.type.element) ? SlotAddress(b, f.slot) : nullptr, f.label);
            break;
        }
        case Kind::INTERFACE:
            WriteCapability(SlotAddress(b, f.slot), CapIndex(v, t, f.label));
            break;
        case Kind::ANY_POINTER:
            AnyPointer(b.get(f.field).as<capnp::AnyPointer>(), SlotAddress(b, f.slot), v, t, f.label);
            break;
        default:
            ThrowError(m_env, f.label + ": not a pointer field");
        }
    }

    void List(const ValueType& elem, capnp::DynamicList::Builder list, napi_value array, uint32_t n,
              capnp::word* pointer, const std::string& label)
    {
        capnp::word* elements = pointer != nullptr && n > 0 ? BuiltListElements(pointer) : nullptr;
        for (uint32_t i = 0; i < n; ++i) {
            HandleScope scope(m_env, n > SCOPED_LIST_LENGTH);
            napi_value e;
            Check(m_env, napi_get_element(m_env, array, i, &e));
            const napi_valuetype t = TypeOf(m_env, e);
            switch (elem.kind) {
            case Kind::VOID:
                break;
            case Kind::STRUCT:
                if (t == napi_object) {
                    Struct(m_codec.Resolve(m_env, elem), list[i].as<capnp::DynamicStruct>(), e);
                } else if (!IsNullish(t)) {
                    ThrowTypeError(m_env, label + "[]: expected an object");
                }
                break;
            case Kind::TEXT:
                if (!IsNullish(t)) {
                    const size_t len = TextLength(e, t, label);
                    CopyText(e, list.init(i, static_cast<uint>(len)).as<capnp::Text>().begin(), len);
                }
                break;
            case Kind::DATA:
                if (!IsNullish(t)) {
                    const uint8_t* bytes;
                    size_t len;
                    if (!GetBytes(m_env, e, bytes, len)) ThrowTypeError(m_env, label + "[]: expected a Uint8Array");
                    auto data = list.init(i, static_cast<uint>(len)).as<capnp::Data>();
                    if (len > 0) std::memcpy(data.begin(), bytes, len);
                }
                break;
            case Kind::LIST:
                if (!IsNullish(t)) {
                    const uint32_t m = ArrayLength(e, label);
                    auto sub = list.init(i, m).as<capnp::DynamicList>();
                    List(*elem.element, sub, e, m, elements != nullptr ? elements + i : nullptr, label);
                }
                break;
            case Kind::INTERFACE:
                if (!IsNullish(t)) WriteCapability(elements + i, CapIndex(e, t, label));
                break;
            case Kind::ANY_POINTER:
                if (!IsNullish(t)) {
                    auto any = capnp::AnyList::Builder(list).as<capnp::List<capnp::AnyPointer>>()[i];
                    AnyPointer(any, elements + i, e, t, label);
                }
                break;
            default:
                list.set(i, Scalar(elem, e, t, label));
            }
        }
    }

    // An AnyPointer is either a capability ({cap}) or a struct of a stated type ({type, value}).
    void AnyPointer(capnp::AnyPointer::Builder any, capnp::word* pointer, napi_value v, napi_valuetype t,
                    const std::string& label)
    {
        if (t != napi_object) ThrowTypeError(m_env, label + ": expected {type, value} or {cap}");
        napi_value cap = GetProperty(m_env, v, m_keys[m_codec.key_cap]);
        const napi_valuetype cap_type = TypeOf(m_env, cap);
        if (cap_type != napi_undefined) {
            WriteCapability(pointer, CapIndex(v, t, label));
            return;
        }
        napi_value type = GetProperty(m_env, v, m_keys[m_codec.key_type]);
        uint64_t type_id;
        bool lossless;
        if (!GetBigUint64(m_env, type, type_id, lossless) || !lossless) {
            ThrowTypeError(m_env, label + ": expected {type: bigint, value: object}");
        }
        napi_value value = GetProperty(m_env, v, m_keys[m_codec.key_value]);
        if (TypeOf(m_env, value) != napi_object) ThrowTypeError(m_env, label + ".value: expected an object");
        StructPlan& plan = m_codec.PlanFor(m_env, type_id);
        Struct(plan, any.initAs<capnp::DynamicStruct>(plan.schema), value);
    }

    uint32_t CapIndex(napi_value v, napi_valuetype t, const std::string& label)
    {
        if (t != napi_object) ThrowTypeError(m_env, label + ": expected {cap: number} or null");
        napi_value cap = GetProperty(m_env, v, m_keys[m_codec.key_cap]);
        if (TypeOf(m_env, cap) != napi_number) ThrowTypeError(m_env, label + ": expected {cap: number} or null");
        double d;
        Check(m_env, napi_get_value_double(m_env, cap, &d));
        if (!(d >= 0 && d <= 4294967295.0 && d == std::floor(d))) {
            ThrowRangeError(m_env, label + ": capability index out of range");
        }
        return static_cast<uint32_t>(d);
    }

    size_t TextLength(napi_value v, napi_valuetype t, const std::string& label)
    {
        if (t != napi_string) ThrowTypeError(m_env, label + ": expected a string");
        size_t len;
        Check(m_env, napi_get_value_string_utf8(m_env, v, nullptr, 0, &len));
        return len;
    }

    // dst has room for len bytes plus the NUL that Cap'n Proto Text carries.
    void CopyText(napi_value v, char* dst, size_t len)
    {
        size_t written;
        Check(m_env, napi_get_value_string_utf8(m_env, v, dst, len + 1, &written));
    }

    uint32_t ArrayLength(napi_value v, const std::string& label)
    {
        bool is_array;
        Check(m_env, napi_is_array(m_env, v, &is_array));
        if (!is_array) ThrowTypeError(m_env, label + ": expected an array");
        uint32_t n;
        Check(m_env, napi_get_array_length(m_env, v, &n));
        return n;
    }

    double Number(napi_value v, napi_valuetype t, const std::string& label)
    {
        if (t != napi_number) ThrowTypeError(m_env, label + ": expected a number");
        double d;
        Check(m_env, napi_get_value_double(m_env, v, &d));
        return d;
    }

    // Signed integers up to 64 bits from a number (must be an exact integer) or a BigInt.
    int64_t Signed(napi_value v, napi_valuetype t, int64_t min, int64_t max, const std::string& label)
    {
        int64_t x;
        if (t == napi_bigint) {
            bool lossless;
            Check(m_env, napi_get_value_bigint_int64(m_env, v, &x, &lossless));
            if (!lossless) ThrowRangeError(m_env, label + ": value out of range");
        } else if (t == napi_number) {
            double d;
            Check(m_env, napi_get_value_double(m_env, v, &d));
            if (d != std::floor(d) || !(d >= -9007199254740991.0 && d <= 9007199254740991.0)) {
                ThrowRangeError(m_env, label + ": expected an integer (a bigint beyond 2^53)");
            }
            x = static_cast<int64_t>(d);
        } else {
            ThrowTypeError(m_env, label + ": expected an integer");
        }
        if (x < min || x > max) ThrowRangeError(m_env, label + ": value out of range");
        return x;
    }

    uint64_t Unsigned(napi_value v, napi_valuetype t, uint64_t max, const std::string& label)
    {
        uint64_t x;
        if (t == napi_bigint) {
            bool lossless;
            Check(m_env, napi_get_value_bigint_uint64(m_env, v, &x, &lossless));
            if (!lossless) ThrowRangeError(m_env, label + ": value out of range");
        } else if (t == napi_number) {
            double d;
            Check(m_env, napi_get_value_double(m_env, v, &d));
            if (d != std::floor(d) || !(d >= 0 && d <= 9007199254740991.0)) {
                ThrowRangeError(m_env, label + ": expected a non-negative integer (a bigint beyond 2^53)");
            }
            x = static_cast<uint64_t>(d);
        } else {
            ThrowTypeError(m_env, label + ": expected an integer");
        }
        if (x > max) ThrowRangeError(m_env, label + ": value out of range");
        return x;
    }

    capnp::DynamicValue::Reader Scalar(const ValueType& type, napi_value v, napi_valuetype t, const std::string& label)
    {
        switch (type.kind) {
        case Kind::BOOL:
            if (t == napi_boolean) {
                bool b;
                Check(m_env, napi_get_value_bool(m_env, v, &b));
                return b;
            }
            return Number(v, t, label) != 0;
        case Kind::INT8: return static_cast<int8_t>(Signed(v, t, INT8_MIN, INT8_MAX, label));
        case Kind::INT16: return static_cast<int16_t>(Signed(v, t, INT16_MIN, INT16_MAX, label));
        case Kind::INT32: return static_cast<int32_t>(Signed(v, t, INT32_MIN, INT32_MAX, label));
        case Kind::INT64: return Signed(v, t, INT64_MIN, INT64_MAX, label);
        case Kind::UINT8: return static_cast<uint8_t>(Unsigned(v, t, UINT8_MAX, label));
        case Kind::UINT16: return static_cast<uint16_t>(Unsigned(v, t, UINT16_MAX, label));
        case Kind::UINT32: return static_cast<uint32_t>(Unsigned(v, t, UINT32_MAX, label));
        case Kind::UINT64: return Unsigned(v, t, UINT64_MAX, label);
        case Kind::FLOAT32: return static_cast<float>(Number(v, t, label));
        case Kind::FLOAT64: return Number(v, t, label);
        case Kind::ENUM:
            return capnp::DynamicEnum(type.type.asEnum(), static_cast<uint16_t>(Unsigned(v, t, UINT16_MAX, label)));
        default:
            ThrowError(m_env, label + ": not a data field");
        }
    }

    Codec& m_codec;
    napi_env m_env;
    CallKeys m_keys;
    std::vector<Pending> m_pending;
};

} // namespace

napi_value Codec::Encode(napi_env env, uint64_t type_id, napi_value value)
{
    StructPlan& plan = PlanFor(env, type_id);
    if (TypeOf(env, value) != napi_object) ThrowTypeError(env, plan.name + ": expected an object");
    // The shared scratch segment is only used by the outermost call (JS getters may re-enter).
    kj::Array<capnp::word> local;
    kj::Array<capnp::word>& scratch = m_encoding ? local : m_scratch;
    struct Busy {
        bool& flag;
        bool previous;
        ~Busy() { flag = previous; }
    } busy{m_encoding, m_encoding};
    m_encoding = true;
    size_t words = std::max(scratch.size(), INITIAL_SEGMENT_WORDS);
    for (;;) {
        if (scratch.size() < words) {
            scratch = kj::heapArray<capnp::word>(words);
            std::memset(scratch.begin(), 0, words * sizeof(capnp::word));
        }
        size_t needed;
        try {
            // Reuses the zeroed scratch segment; the builder zeroes what it used when it goes away.
            capnp::MallocMessageBuilder message(scratch, capnp::AllocationStrategy::FIXED_SIZE);
            auto root = message.initRoot<capnp::DynamicStruct>(plan.schema);
            Encoder(*this, env).Struct(plan, root, value);
            auto segments = message.getSegmentsForOutput();
            if (segments.size() == 1) {
                const size_t size = segments[0].size();
                uint8_t* out;
                napi_value result = NewUint8Array(env, nullptr, (size + 1) * sizeof(capnp::word), &out);
                const uint32_t header[2] = {0, static_cast<uint32_t>(size)};
                std::memcpy(out, header, sizeof(header));
                std::memcpy(out + sizeof(header), segments[0].begin(), size * sizeof(capnp::word));
                return result;
            }
            needed = 0;
            for (auto segment : segments) needed += segment.size();
        } catch (const SegmentOverflow&) {
            needed = words * 2;
        }
        // Too big for the first segment: start over with one segment that holds everything.
        words = std::max(needed + 1, words * 2);
    }
}

} // namespace capnp_codec
