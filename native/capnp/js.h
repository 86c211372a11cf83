// Checked Node-API calls and JS type tests shared by the codec's encoder and decoder.
#pragma once

#include <napi.h>

#include <cstdint>
#include <cstring>
#include <string>

namespace capnp_codec {

// Rethrows the pending JS exception, or the last Node-API error, as a C++ Napi::Error.
[[noreturn]] inline void ThrowNapiFailure(napi_env env)
{
    throw Napi::Error::New(env);
}

[[noreturn]] inline void ThrowError(napi_env env, const std::string& message)
{
    throw Napi::Error::New(env, "capnp codec: " + message);
}

[[noreturn]] inline void ThrowTypeError(napi_env env, const std::string& message)
{
    throw Napi::TypeError::New(env, "capnp codec: " + message);
}

[[noreturn]] inline void ThrowRangeError(napi_env env, const std::string& message)
{
    throw Napi::RangeError::New(env, "capnp codec: " + message);
}

inline void Check(napi_env env, napi_status status)
{
    if (status != napi_ok) ThrowNapiFailure(env);
}

inline napi_valuetype TypeOf(napi_env env, napi_value v)
{
    napi_valuetype t;
    Check(env, napi_typeof(env, v, &t));
    return t;
}

inline bool IsNullish(napi_valuetype t) { return t == napi_undefined || t == napi_null; }

inline napi_value RefValue(napi_env env, napi_ref ref)
{
    napi_value v;
    Check(env, napi_get_reference_value(env, ref, &v));
    return v;
}

inline napi_value GetProperty(napi_env env, napi_value object, napi_value key)
{
    napi_value v;
    Check(env, napi_get_property(env, object, key, &v));
    return v;
}

inline void SetProperty(napi_env env, napi_value object, napi_value key, napi_value value)
{
    Check(env, napi_set_property(env, object, key, value));
}

inline napi_value NewObject(napi_env env)
{
    napi_value v;
    Check(env, napi_create_object(env, &v));
    return v;
}

inline napi_value Null(napi_env env)
{
    napi_value v;
    Check(env, napi_get_null(env, &v));
    return v;
}

inline napi_value Undefined(napi_env env)
{
    napi_value v;
    Check(env, napi_get_undefined(env, &v));
    return v;
}

// Reads a BigInt that must fit in 64 bits unsigned; returns false when v is not a BigInt.
inline bool GetBigUint64(napi_env env, napi_value v, uint64_t& out, bool& lossless)
{
    return napi_get_value_bigint_uint64(env, v, &out, &lossless) == napi_ok;
}

// Uint8Array (or Buffer) contents; returns false for anything else.
inline bool GetBytes(napi_env env, napi_value v, const uint8_t*& data, size_t& length)
{
    bool is_typed;
    Check(env, napi_is_typedarray(env, v, &is_typed));
    if (!is_typed) return false;
    napi_typedarray_type type;
    void* ptr;
    Check(env, napi_get_typedarray_info(env, v, &type, &length, &ptr, nullptr, nullptr));
    if (type != napi_uint8_array && type != napi_uint8_clamped_array) return false;
    data = static_cast<const uint8_t*>(ptr);
    return true;
}

} // namespace capnp_codec
