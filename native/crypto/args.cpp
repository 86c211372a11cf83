// Argument and result helpers shared by the crypto addon's bindings.
#include "args.h"

#include <cstring>
#include <string>

namespace smithcoin::crypto {

const uint8_t* NonNull(const void* data)
{
    // An empty typed array may report a null data pointer, and libsecp256k1 treats a null input as
    // an API misuse that aborts the process, even when the length is zero.
    static const uint8_t empty = 0;
    return data != nullptr ? static_cast<const uint8_t*>(data) : &empty;
}

ByteView BytesArg(const Napi::CallbackInfo& info, size_t index, const char* name)
{
    napi_env env = info.Env();
    napi_value value = info[index];
    bool is_typed_array = false;
    if (napi_is_typedarray(env, value, &is_typed_array) != napi_ok || !is_typed_array) {
        throw Napi::TypeError::New(info.Env(), std::string(name) + " must be a Uint8Array");
    }
    // One call gives type, length and the data pointer (already adjusted by the byte offset).
    napi_typedarray_type type;
    size_t length = 0;
    void* data = nullptr;
    if (napi_get_typedarray_info(env, value, &type, &length, &data, nullptr, nullptr) != napi_ok ||
        type != napi_uint8_array) {
        throw Napi::TypeError::New(info.Env(), std::string(name) + " must be a Uint8Array");
    }
    return {NonNull(data), length};
}

const uint8_t* FixedBytesArg(const Napi::CallbackInfo& info, size_t index, size_t size, const char* name)
{
    ByteView view = BytesArg(info, index, name);
    if (view.size != size) {
        throw Napi::TypeError::New(info.Env(),
            std::string(name) + " must be a " + std::to_string(size) + "-byte Uint8Array");
    }
    return view.data;
}

bool BoolArg(const Napi::CallbackInfo& info, size_t index, const char* name)
{
    Napi::Value value = info[index];
    if (!value.IsBoolean()) {
        throw Napi::TypeError::New(info.Env(), std::string(name) + " must be a boolean");
    }
    return value.As<Napi::Boolean>().Value();
}

Napi::Uint8Array NewBytesUninit(Napi::Env env, size_t size, uint8_t** out)
{
    Napi::Uint8Array array = Napi::Uint8Array::New(env, size);
    *out = array.Data();
    return array;
}

Napi::Value NewBytes(Napi::Env env, const uint8_t* data, size_t size)
{
    uint8_t* dest = nullptr;
    Napi::Uint8Array array = NewBytesUninit(env, size, &dest);
    if (size > 0) std::memcpy(dest, data, size);
    return array;
}

void ExportFunction(Napi::Env env, Napi::Object exports, const char* name, Napi::Value (*callback)(const Napi::CallbackInfo&))
{
    exports.Set(name, Napi::Function::New(env, callback, name));
}

} // namespace smithcoin::crypto
