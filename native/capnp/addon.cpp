// N-API binding of the codec: `new Codec()`, `load(request)`, `encode(typeId, value)`,
// `encoder(typeId)` (-> { encode(value), encodeInto(value, target, offset) }, the fast path),
// `decode(typeId, bytes, hint?)`, `findType(displayName)`, `methodTypes(interfaceId, methodId)`.
#include "codec.h"
#include "js.h"

#include <kj/exception.h>
#include <napi.h>

namespace capnp_codec {
namespace {

uint64_t TypeIdArg(const Napi::CallbackInfo& info, size_t index, const char* what)
{
    uint64_t id;
    bool lossless;
    if (info.Length() <= index || !GetBigUint64(info.Env(), info[index], id, lossless) || !lossless) {
        throw Napi::TypeError::New(info.Env(), std::string("capnp codec: ") + what + " must be a bigint type id");
    }
    return id;
}

void BytesArg(const Napi::CallbackInfo& info, size_t index, const uint8_t*& data, size_t& length)
{
    if (info.Length() <= index || !GetBytes(info.Env(), info[index], data, length)) {
        throw Napi::TypeError::New(info.Env(), "capnp codec: expected a Uint8Array");
    }
}

// Cap'n Proto reports malformed messages and schema problems with kj exceptions.
template <typename Fn>
Napi::Value Guard(const Napi::CallbackInfo& info, Fn&& fn)
{
    try {
        return fn();
    } catch (const kj::Exception& e) {
        throw Napi::Error::New(info.Env(), std::string("capnp codec: ") + e.getDescription().cStr());
    }
}

class CodecWrap : public Napi::ObjectWrap<CodecWrap> {
public:
    static Napi::Function Define(Napi::Env env)
    {
        return DefineClass(env, "Codec", {
            InstanceMethod<&CodecWrap::Load>("load"),
            InstanceMethod<&CodecWrap::Encode>("encode"),
            InstanceMethod<&CodecWrap::Encoder>("encoder"),
            InstanceMethod<&CodecWrap::Decode>("decode"),
            InstanceMethod<&CodecWrap::FindType>("findType"),
            InstanceMethod<&CodecWrap::MethodTypes>("methodTypes"),
        });
    }

    explicit CodecWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<CodecWrap>(info), m_codec(info.Env(), info.This()) {}

private:
    Napi::Value Load(const Napi::CallbackInfo& info)
    {
        const uint8_t* data;
        size_t length;
        BytesArg(info, 0, data, length);
        return Guard(info, [&] { return Napi::Number::New(info.Env(), static_cast<double>(m_codec.Load(data, length))); });
    }

    Napi::Value Encode(const Napi::CallbackInfo& info)
    {
        const uint64_t id = TypeIdArg(info, 0, "encode(typeId)");
        napi_value value = info.Length() > 1 ? static_cast<napi_value>(info[1]) : Undefined(info.Env());
        return Guard(info, [&] { return Napi::Value(info.Env(), m_codec.Encode(info.Env(), id, value)); });
    }

    Napi::Value Encoder(const Napi::CallbackInfo& info)
    {
        const uint64_t id = TypeIdArg(info, 0, "encoder(typeId)");
        return Guard(info, [&] { return Napi::Value(info.Env(), m_codec.Encoder(info.Env(), id)); });
    }

    Napi::Value Decode(const Napi::CallbackInfo& info)
    {
        const uint64_t id = TypeIdArg(info, 0, "decode(typeId)");
        const uint8_t* data;
        size_t length;
        BytesArg(info, 1, data, length);
        napi_value hint = info.Length() > 2 ? static_cast<napi_value>(info[2]) : Undefined(info.Env());
        return Guard(info, [&] { return Napi::Value(info.Env(), m_codec.Decode(info.Env(), id, data, length, hint)); });
    }

    Napi::Value FindType(const Napi::CallbackInfo& info)
    {
        if (info.Length() < 1 || !info[0].IsString()) {
            throw Napi::TypeError::New(info.Env(), "capnp codec: findType(displayName) needs a string");
        }
        auto id = m_codec.FindType(info[0].As<Napi::String>().Utf8Value());
        if (!id) return info.Env().Undefined();
        return Napi::BigInt::New(info.Env(), *id);
    }

    Napi::Value MethodTypes(const Napi::CallbackInfo& info)
    {
        const uint64_t interface_id = TypeIdArg(info, 0, "methodTypes(interfaceId)");
        if (info.Length() < 2 || !info[1].IsNumber()) {
            throw Napi::TypeError::New(info.Env(), "capnp codec: methodTypes(interfaceId, methodId) needs a method number");
        }
        const uint32_t method_id = info[1].As<Napi::Number>().Uint32Value();
        if (method_id > UINT16_MAX) return info.Env().Undefined();
        return Guard(info, [&]() -> Napi::Value {
            auto types = m_codec.MethodTypes(interface_id, static_cast<uint16_t>(method_id));
            if (!types) return info.Env().Undefined();
            auto result = Napi::Object::New(info.Env());
            result.Set("params", Napi::BigInt::New(info.Env(), types->first));
            result.Set("results", Napi::BigInt::New(info.Env(), types->second));
            return result;
        });
    }

    Codec m_codec;
};

} // namespace
} // namespace capnp_codec

static Napi::Object InitCapnpCodec(Napi::Env env, Napi::Object exports)
{
    exports.Set("Codec", capnp_codec::CodecWrap::Define(env));
    return exports;
}

NODE_API_MODULE(capnp, InitCapnpCodec)
