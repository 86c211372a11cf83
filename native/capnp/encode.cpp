// Encoder: slot values (passed by a struct's gatherer) -> one single-segment message written
// directly in the canonical layout shared with the pure-TypeScript codec: every struct with the
// schema's full section sizes, pointers written in pointer-slot order, each child completely first.
#include "codec.h"
#include "js.h"

#include <kj/exception.h>

#include <cmath>
#include <cstring>

static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "the encoder writes host-order words");

namespace capnp_codec {
namespace {

constexpr size_t MAX_SEGMENT_WORDS = (size_t{1} << 29) - 1; // farthest a 30-bit pointer offset reaches
constexpr uint32_t MAX_LIST_LENGTH = (uint32_t{1} << 29) - 1;
constexpr uint32_t LIST_SCOPE_CHUNK = 64;                    // list elements per handle scope
constexpr size_t SLAB_BYTES = 64 * 1024;

void WriteWord(Writer& w, size_t at, uint32_t low, uint32_t high)
{
    w.words[at] = (uint64_t{high} << 32) | low;
}

void StructPointer(Writer& w, size_t p, size_t target, uint16_t data_words, uint16_t ptr_count)
{
    if (data_words == 0 && ptr_count == 0) {
        WriteWord(w, p, 0xfffffffcU, 0); // offset -1: a zero-sized struct is not the null pointer
        return;
    }
    WriteWord(w, p, static_cast<uint32_t>((target - p - 1) << 2), data_words | (uint32_t{ptr_count} << 16));
}

void ListPointer(Writer& w, size_t p, size_t target, uint8_t size, uint32_t count)
{
    WriteWord(w, p, static_cast<uint32_t>(((target - p - 1) << 2) | 1), (count << 3) | size);
}

void CapPointer(Writer& w, size_t p, uint32_t index) { WriteWord(w, p, 3, index); }

class HandleScope {
public:
    explicit HandleScope(napi_env env) : m_env(env) { Check(env, napi_open_handle_scope(env, &m_scope)); }
    ~HandleScope() { napi_close_handle_scope(m_env, m_scope); }
    HandleScope(const HandleScope&) = delete;
    HandleScope& operator=(const HandleScope&) = delete;

private:
    napi_env m_env;
    napi_handle_scope m_scope{nullptr};
};

class StructEncoder {
public:
    StructEncoder(Codec& codec, napi_env env, Writer& w) : m_codec(codec), m_env(env), m_w(w) {}

    // Writes the struct at word `at` from its slot values.
    void Fill(const StructPlan& plan, size_t at, const napi_value* v)
    {
        const size_t nscopes = plan.scopes.size();
        // Per scope: whether its fields are written, and the union member it selects (-1: none).
        int32_t small[16];
        std::vector<int32_t> big;
        int32_t* selected = small;
        if (nscopes * 2 > 16) {
            big.resize(nscopes * 2);
            selected = big.data();
        }
        bool* present = reinterpret_cast<bool*>(selected + nscopes);
        for (size_t s = 0; s < nscopes; ++s) {
            const Scope& scope = plan.scopes[s];
            selected[s] = -1;
            if (s == 0) {
                present[s] = true;
            } else {
                const Slot& g = plan.slots[static_cast<size_t>(scope.slot)];
                const bool active = present[g.scope] && (!g.in_union || selected[g.scope] == scope.slot);
                const napi_valuetype t = active ? TypeOf(m_env, v[scope.slot]) : napi_undefined;
                if (active && t != napi_object && !IsNullish(t)) ThrowTypeError(m_env, g.label + ": expected an object");
                present[s] = t == napi_object;
            }
            if (!present[s] || !scope.has_union) continue;
            // The first member given (even as null, which is how Void members are given) wins.
            for (uint32_t i : scope.variants) {
                if (TypeOf(m_env, v[i]) != napi_undefined) {
                    selected[s] = static_cast<int32_t>(i);
                    const uint16_t d = plan.slots[i].discriminant;
                    std::memcpy(m_w.Bytes(at) + scope.discriminant_offset * 2, &d, 2);
                    break;
                }
            }
        }
        // A union member that is itself a group is "given" by its object; nothing else to do for it.
        for (uint32_t i = 0; i < plan.slots.size(); ++i) {
            const Slot& s = plan.slots[i];
            if (!IsScalarKind(s.type.kind)) continue;
            if (!present[s.scope] || (s.in_union && selected[s.scope] != static_cast<int32_t>(i))) continue;
            Scalar(s, m_w.Bytes(at), v[i]);
        }
        const size_t pointers = at + plan.data_words;
        for (uint32_t i : plan.pointer_order) {
            const Slot& s = plan.slots[i];
            if (!present[s.scope] || (s.in_union && selected[s.scope] != static_cast<int32_t>(i))) continue;
            Pointer(s.type, pointers + s.offset, v[i], s.label);
        }
    }

private:
    // Data field: written XORed with its default; null/undefined leaves it zero (= the default).
    void Scalar(const Slot& s, uint8_t* data, napi_value v)
    {
        uint64_t bits;
        if (!ScalarBits(s.type, v, s.label, bits)) return;
        bits ^= s.default_bits;
        if (s.type.kind == Kind::BOOL) {
            if (bits & 1) data[s.offset / 8] |= static_cast<uint8_t>(1u << (s.offset % 8));
            return;
        }
        const size_t size = size_t{1} << (ElementSizeOf(s.type.kind) - 2);
        std::memcpy(data + s.offset * size, &bits, size);
    }

    // The wire bits of a data value; false for null/undefined.
    bool ScalarBits(const ValueType& type, napi_value v, const std::string& label, uint64_t& bits)
    {
        switch (type.kind) {
        case Kind::BOOL: {
            bool b;
            if (napi_get_value_bool(m_env, v, &b) == napi_ok) {
                bits = b ? 1 : 0;
                return true;
            }
            double d;
            if (!Number(v, label, d)) return false;
            bits = d != 0 ? 1 : 0;
            return true;
        }
        case Kind::FLOAT32: {
            double d;
            if (!Number(v, label, d)) return false;
            const float f = static_cast<float>(d);
            uint32_t u;
            std::memcpy(&u, &f, 4);
            bits = u;
            return true;
        }
        case Kind::FLOAT64: {
            double d;
            if (!Number(v, label, d)) return false;
            std::memcpy(&bits, &d, 8);
            return true;
        }
        case Kind::INT8: return Signed(v, INT8_MIN, INT8_MAX, label, bits);
        case Kind::INT16: return Signed(v, INT16_MIN, INT16_MAX, label, bits);
        case Kind::INT32: return Signed(v, INT32_MIN, INT32_MAX, label, bits);
        case Kind::INT64: return Signed(v, INT64_MIN, INT64_MAX, label, bits);
        case Kind::UINT8: return Unsigned(v, UINT8_MAX, label, bits);
        case Kind::UINT16:
        case Kind::ENUM: return Unsigned(v, UINT16_MAX, label, bits);
        case Kind::UINT32: return Unsigned(v, UINT32_MAX, label, bits);
        case Kind::UINT64: return Unsigned(v, UINT64_MAX, label, bits);
        default:
            ThrowError(m_env, label + ": not a data field");
        }
    }

    bool Number(napi_value v, const std::string& label, double& d)
    {
        if (napi_get_value_double(m_env, v, &d) == napi_ok) return true;
        if (IsNullish(TypeOf(m_env, v))) return false;
        ThrowTypeError(m_env, label + ": expected a number");
    }

    // Integers come as exact numbers or as bigints.
    bool Signed(napi_value v, int64_t min, int64_t max, const std::string& label, uint64_t& bits)
    {
        int64_t x;
        double d;
        bool lossless;
        if (napi_get_value_double(m_env, v, &d) == napi_ok) {
            if (d != std::floor(d) || !(d >= -9007199254740991.0 && d <= 9007199254740991.0)) {
                ThrowRangeError(m_env, label + ": expected an integer (a bigint beyond 2^53)");
            }
            x = static_cast<int64_t>(d);
        } else if (napi_get_value_bigint_int64(m_env, v, &x, &lossless) == napi_ok) {
            if (!lossless) ThrowRangeError(m_env, label + ": value out of range");
        } else {
            if (IsNullish(TypeOf(m_env, v))) return false;
            ThrowTypeError(m_env, label + ": expected an integer");
        }
        if (x < min || x > max) ThrowRangeError(m_env, label + ": value out of range");
        bits = static_cast<uint64_t>(x);
        return true;
    }

    bool Unsigned(napi_value v, uint64_t max, const std::string& label, uint64_t& bits)
    {
        uint64_t x;
        double d;
        bool lossless;
        if (napi_get_value_double(m_env, v, &d) == napi_ok) {
            if (d != std::floor(d) || !(d >= 0 && d <= 9007199254740991.0)) {
                ThrowRangeError(m_env, label + ": expected a non-negative integer (a bigint beyond 2^53)");
            }
            x = static_cast<uint64_t>(d);
        } else if (napi_get_value_bigint_uint64(m_env, v, &x, &lossless) == napi_ok) {
            if (!lossless) ThrowRangeError(m_env, label + ": value out of range");
        } else {
            if (IsNullish(TypeOf(m_env, v))) return false;
            ThrowTypeError(m_env, label + ": expected an integer");
        }
        if (x > max) ThrowRangeError(m_env, label + ": value out of range");
        bits = x;
        return true;
    }

    // Writes the value of a pointer (field or list element) whose pointer word is `p`.
    void Pointer(const ValueType& type, size_t p, napi_value v, const std::string& label)
    {
        switch (type.kind) {
        case Kind::TEXT: Text(p, v, label); return;
        case Kind::DATA: Data(p, v, label); return;
        case Kind::LIST: List(*type.element, p, v, label); return;
        case Kind::STRUCT: {
            const napi_valuetype t = TypeOf(m_env, v);
            if (IsNullish(t)) return;
            if (t != napi_object) ThrowTypeError(m_env, label + ": expected an object");
            StructAt(m_codec.Resolve(m_env, type), p, v);
            return;
        }
        case Kind::INTERFACE: {
            const napi_valuetype t = TypeOf(m_env, v);
            if (!IsNullish(t)) CapPointer(m_w, p, CapIndex(v, t, label));
            return;
        }
        case Kind::ANY_POINTER: AnyPointer(p, v, label); return;
        default:
            ThrowError(m_env, label + ": not a pointer field");
        }
    }

    size_t Alloc(size_t n, const std::string& label)
    {
        if (n > MAX_SEGMENT_WORDS || m_w.end + n > MAX_SEGMENT_WORDS) ThrowRangeError(m_env, label + ": message too large");
        return m_w.Alloc(n);
    }

    void Text(size_t p, napi_value v, const std::string& label)
    {
        size_t len;
        if (napi_get_value_string_utf8(m_env, v, nullptr, 0, &len) != napi_ok) {
            if (IsNullish(TypeOf(m_env, v))) return;
            ThrowTypeError(m_env, label + ": expected a string");
        }
        if (len + 1 > MAX_LIST_LENGTH) ThrowRangeError(m_env, label + ": text too long");
        const size_t at = Alloc((len + 8) / 8, label); // with its NUL
        ListPointer(m_w, p, at, 2, static_cast<uint32_t>(len + 1));
        size_t written;
        Check(m_env, napi_get_value_string_utf8(m_env, v, reinterpret_cast<char*>(m_w.Bytes(at)), len + 1, &written));
    }

    void Data(size_t p, napi_value v, const std::string& label)
    {
        napi_typedarray_type type;
        size_t len;
        void* bytes;
        if (napi_get_typedarray_info(m_env, v, &type, &len, &bytes, nullptr, nullptr) != napi_ok ||
            (type != napi_uint8_array && type != napi_uint8_clamped_array)) {
            if (IsNullish(TypeOf(m_env, v))) return;
            ThrowTypeError(m_env, label + ": expected a Uint8Array");
        }
        if (len > MAX_LIST_LENGTH) ThrowRangeError(m_env, label + ": data too long");
        const size_t at = Alloc((len + 7) / 8, label);
        ListPointer(m_w, p, at, 2, static_cast<uint32_t>(len));
        if (len > 0) std::memcpy(m_w.Bytes(at), bytes, len);
    }

    void StructAt(const StructPlan& plan, size_t p, napi_value object)
    {
        const size_t at = Alloc(size_t{plan.data_words} + plan.ptr_count, plan.name);
        StructPointer(m_w, p, at, plan.data_words, plan.ptr_count);
        Child(plan, at, object);
    }

    // Fills the struct at `at` from `object` through the struct's gatherer, which calls back
    // Codec::ChildCallback with the slot values.
    void Child(const StructPlan& plan, size_t at, napi_value object)
    {
        StructPlan& mutable_plan = const_cast<StructPlan&>(plan);
        m_codec.Compile(m_env, mutable_plan);
        m_w.pending_plan = &plan;
        m_w.pending_at = at;
        napi_value args[4] = {RefValue(m_env, plan.child_fn), object, Undefined(m_env), Undefined(m_env)};
        napi_value result;
        const napi_status status = napi_call_function(m_env, args[3], RefValue(m_env, plan.gather), 4, args, &result);
        m_w.pending_plan = nullptr;
        Check(m_env, status);
    }

    void List(const ValueType& elem, size_t p, napi_value v, const std::string& label)
    {
        bool is_array;
        Check(m_env, napi_is_array(m_env, v, &is_array));
        if (!is_array) {
            if (IsNullish(TypeOf(m_env, v))) return;
            ThrowTypeError(m_env, label + ": expected an array");
        }
        uint32_t n;
        Check(m_env, napi_get_array_length(m_env, v, &n));
        if (n > MAX_LIST_LENGTH) ThrowRangeError(m_env, label + ": list too long");
        const std::string& elabel = label; // element errors name the list field
        const uint8_t size = ElementSizeOf(elem.kind);
        if (elem.kind == Kind::STRUCT) {
            const StructPlan& plan = m_codec.Resolve(m_env, elem);
            const size_t per = size_t{plan.data_words} + plan.ptr_count;
            if (per * n > MAX_LIST_LENGTH) ThrowRangeError(m_env, label + ": list too long");
            const size_t tag = Alloc(1 + per * n, label);
            ListPointer(m_w, p, tag, 7, static_cast<uint32_t>(per * n));
            WriteWord(m_w, tag, n << 2, plan.data_words | (uint32_t{plan.ptr_count} << 16));
            ForEach(v, n, [&](uint32_t i, napi_value e) {
                const napi_valuetype t = TypeOf(m_env, e);
                if (t == napi_object) {
                    Child(plan, tag + 1 + per * i, e);
                } else if (!IsNullish(t)) {
                    ThrowTypeError(m_env, elabel + "[]: expected an object");
                }
            });
            return;
        }
        if (size == 6) {
            const size_t at = Alloc(n, label);
            ListPointer(m_w, p, at, size, n);
            ForEach(v, n, [&](uint32_t i, napi_value e) { Pointer(elem, at + i, e, elabel + "[]"); });
            return;
        }
        const size_t bits = elem.kind == Kind::VOID ? 0 : elem.kind == Kind::BOOL ? 1 : size_t{8} << (size - 2);
        const size_t at = Alloc((bits * n + 63) / 64, label);
        ListPointer(m_w, p, at, size, n);
        if (elem.kind == Kind::VOID) return;
        ForEach(v, n, [&](uint32_t i, napi_value e) {
            uint64_t x;
            if (!ScalarBits(elem, e, elabel + "[]", x)) return; // a hole reads as zero
            uint8_t* base = m_w.Bytes(at);
            if (elem.kind == Kind::BOOL) {
                if (x & 1) base[i / 8] |= static_cast<uint8_t>(1u << (i % 8));
            } else {
                std::memcpy(base + i * (bits / 8), &x, bits / 8);
            }
        });
    }

    // Calls fn(i, element) for each element, in handle scopes of LIST_SCOPE_CHUNK elements.
    template <typename Fn>
    void ForEach(napi_value array, uint32_t n, Fn&& fn)
    {
        for (uint32_t start = 0; start < n; start += LIST_SCOPE_CHUNK) {
            HandleScope scope(m_env);
            const uint32_t end = n - start > LIST_SCOPE_CHUNK ? start + LIST_SCOPE_CHUNK : n;
            for (uint32_t i = start; i < end; ++i) {
                napi_value e;
                Check(m_env, napi_get_element(m_env, array, i, &e));
                fn(i, e);
            }
        }
    }

    // An AnyPointer is a capability ({cap}) or a struct of a stated type ({type, value}).
    void AnyPointer(size_t p, napi_value v, const std::string& label)
    {
        const napi_valuetype t = TypeOf(m_env, v);
        if (IsNullish(t)) return;
        if (t != napi_object) ThrowTypeError(m_env, label + ": expected {type, value} or {cap}");
        napi_value cap;
        Check(m_env, napi_get_named_property(m_env, v, "cap", &cap));
        if (TypeOf(m_env, cap) != napi_undefined) {
            CapPointer(m_w, p, CapIndex(v, t, label));
            return;
        }
        napi_value type, value;
        Check(m_env, napi_get_named_property(m_env, v, "type", &type));
        uint64_t type_id;
        bool lossless;
        if (!GetBigUint64(m_env, type, type_id, lossless) || !lossless) {
            ThrowTypeError(m_env, label + ": expected {type: bigint, value: object}");
        }
        Check(m_env, napi_get_named_property(m_env, v, "value", &value));
        if (TypeOf(m_env, value) != napi_object) ThrowTypeError(m_env, label + ".value: expected an object");
        StructAt(m_codec.PlanFor(m_env, type_id), p, value);
    }

    uint32_t CapIndex(napi_value v, napi_valuetype t, const std::string& label)
    {
        if (t != napi_object) ThrowTypeError(m_env, label + ": expected {cap: number} or null");
        napi_value cap;
        Check(m_env, napi_get_named_property(m_env, v, "cap", &cap));
        double d;
        if (napi_get_value_double(m_env, cap, &d) != napi_ok) ThrowTypeError(m_env, label + ": expected {cap: number} or null");
        if (!(d >= 0 && d <= 4294967295.0 && d == std::floor(d))) ThrowRangeError(m_env, label + ": capability index out of range");
        return static_cast<uint32_t>(d);
    }

    Codec& m_codec;
    napi_env m_env;
    Writer& m_w;
};

// The writer of the outermost encode, or a fresh one for an encode started by a JS getter mid-way.
class WriterScope {
public:
    explicit WriterScope(Codec& codec) : m_codec(codec)
    {
        if (codec.writers.size() <= codec.writer_depth) codec.writers.push_back(std::make_unique<Writer>());
        m_writer = codec.writers[codec.writer_depth++].get();
        m_writer->Reset();
        m_writer->pending_plan = nullptr;
    }
    ~WriterScope() { --m_codec.writer_depth; }
    WriterScope(const WriterScope&) = delete;
    WriterScope& operator=(const WriterScope&) = delete;
    Writer& writer() { return *m_writer; }

private:
    Codec& m_codec;
    Writer* m_writer;
};

// Slot values of a gatherer call: (x, y, ...slots).
class Args {
public:
    Args(napi_env env, napi_callback_info info, size_t slots)
    {
        size_t argc = slots + 2;
        m_values = argc <= 64 ? m_small : (m_big.resize(argc), m_big.data());
        Check(env, napi_get_cb_info(env, info, &argc, m_values, nullptr, nullptr));
    }
    Args(const Args&) = delete;
    Args& operator=(const Args&) = delete;
    napi_value operator[](size_t i) const { return m_values[i]; }
    const napi_value* slots() const { return m_values + 2; }

private:
    napi_value m_small[64];
    std::vector<napi_value> m_big;
    napi_value* m_values;
};

template <typename Fn>
napi_value Guarded(napi_env env, Fn&& fn)
{
    try {
        return fn();
    } catch (const Napi::Error& e) {
        e.ThrowAsJavaScriptException();
    } catch (const kj::Exception& e) {
        napi_throw_error(env, nullptr, (std::string("capnp codec: ") + e.getDescription().cStr()).c_str());
    } catch (const std::bad_alloc&) {
        napi_throw_range_error(env, nullptr, "capnp codec: out of memory");
    }
    return nullptr;
}

} // namespace

size_t Writer::Alloc(size_t n)
{
    const size_t at = end;
    end += n;
    if (end > words.size()) words.resize(std::max(end, words.size() * 2 + 128), 0);
    return at;
}

napi_value Slab::Carve(napi_env env, const void* data, size_t length, uint8_t** out)
{
    napi_value buffer, array;
    void* base;
    size_t offset = 0;
    if (length > SLAB_BYTES / 8) {
        Check(env, napi_create_arraybuffer(env, length, &base, &buffer));
    } else {
        if (m_ref == nullptr || m_used + length > m_size) {
            Release(env);
            Check(env, napi_create_arraybuffer(env, SLAB_BYTES, &base, &buffer));
            Check(env, napi_create_reference(env, buffer, 1, &m_ref));
            m_base = static_cast<uint8_t*>(base);
            m_size = SLAB_BYTES;
            m_used = 0;
        } else {
            buffer = RefValue(env, m_ref);
        }
        base = m_base;
        offset = m_used;
        m_used += (length + 7) & ~size_t{7}; // word-aligned, so frames decode without a copy
    }
    uint8_t* dst = static_cast<uint8_t*>(base) + offset;
    if (data != nullptr && length > 0) std::memcpy(dst, data, length);
    Check(env, napi_create_typedarray(env, napi_uint8_array, length, buffer, offset, &array));
    if (out != nullptr) *out = dst;
    return array;
}

void Slab::Release(napi_env env)
{
    if (m_ref != nullptr) napi_delete_reference(env, m_ref);
    m_ref = nullptr;
    m_base = nullptr;
    m_used = m_size = 0;
}

napi_value Codec::EncodeCallback(napi_env env, StructPlan& plan, napi_callback_info info)
{
    return Guarded(env, [&]() -> napi_value {
        Args args(env, info, plan.slots.size());
        WriterScope scope(*this);
        Writer& w = scope.writer();
        w.Alloc(1); // the root pointer
        const size_t at = w.Alloc(size_t{plan.data_words} + plan.ptr_count);
        StructPointer(w, 0, at, plan.data_words, plan.ptr_count);
        StructEncoder(*this, env, w).Fill(plan, at, args.slots());
        const size_t bytes = (w.end + 1) * sizeof(uint64_t);
        const uint32_t header[2] = {0, static_cast<uint32_t>(w.end)};
        uint8_t* dst;
        napi_value result;
        if (TypeOf(env, args[0]) == napi_undefined) {
            result = slab.Carve(env, nullptr, bytes, &dst);
        } else {
            // encodeInto(value, target, offset): the byte count, or -(bytes needed) when it does not fit.
            napi_typedarray_type type;
            size_t length;
            void* data;
            double offset;
            Check(env, napi_get_typedarray_info(env, args[0], &type, &length, &data, nullptr, nullptr));
            Check(env, napi_get_value_double(env, args[1], &offset));
            const size_t start = static_cast<size_t>(offset);
            const bool fits = start <= length && length - start >= bytes;
            Check(env, napi_create_double(env, fits ? static_cast<double>(bytes) : -static_cast<double>(bytes), &result));
            if (!fits) return result;
            dst = static_cast<uint8_t*>(data) + start;
        }
        std::memcpy(dst, header, sizeof(header));
        std::memcpy(dst + sizeof(header), w.words.data(), w.end * sizeof(uint64_t));
        return result;
    });
}

napi_value Codec::ChildCallback(napi_env env, StructPlan& plan, napi_callback_info info)
{
    return Guarded(env, [&]() -> napi_value {
        if (writer_depth == 0) ThrowError(env, plan.name + ": not inside an encode");
        Writer& w = *writers[writer_depth - 1];
        if (w.pending_plan != &plan) ThrowError(env, plan.name + ": unexpected nested struct");
        w.pending_plan = nullptr;
        Args args(env, info, plan.slots.size());
        StructEncoder(*this, env, w).Fill(plan, w.pending_at, args.slots());
        return nullptr;
    });
}

napi_value Codec::Encode(napi_env env, uint64_t type_id, napi_value value)
{
    napi_value encoder = Encoder(env, type_id), encode, result;
    Check(env, napi_get_named_property(env, encoder, "encode", &encode));
    Check(env, napi_call_function(env, encoder, encode, 1, &value, &result));
    return result;
}

} // namespace capnp_codec
