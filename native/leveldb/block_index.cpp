// decodeBlockIndexRun: the block index records of a readRun buffer ('b' + block hash → CDiskBlockIndex), decoded
// in one call. Loading the block index is the largest part of a restart, and decoding its ~seven VARINTs and
// header per record in JavaScript, in code that has not warmed up yet, cost several times the LevelDB reads.
//
// The decoder stops at the first record it cannot read: the caller reads that one (and the rest of the run) with
// the JavaScript reader, which raises Core's error for it. So this file only has to agree with that reader on
// well-formed records.
#include "block_index.h"

#include <cstdint>
#include <cstring>
#include <vector>

namespace {

constexpr uint8_t DB_BLOCK_INDEX = 'b';
constexpr size_t HASH_SIZE = 32;
constexpr size_t HEADER_SIZE = 80;
// BlockStatus bits that decide which optional fields a record carries (chain.h).
constexpr uint32_t BLOCK_HAVE_DATA = 8;
constexpr uint32_t BLOCK_HAVE_UNDO = 16;

class Reader
{
public:
    Reader(const uint8_t* data, size_t size) : m_data(data), m_size(size) {}

    bool U32LE(uint32_t& out)
    {
        if (m_size - m_pos < 4) return false;
        out = uint32_t{m_data[m_pos]} | uint32_t{m_data[m_pos + 1]} << 8 | uint32_t{m_data[m_pos + 2]} << 16 |
              uint32_t{m_data[m_pos + 3]} << 24;
        m_pos += 4;
        return true;
    }

    // Core's ReadVarInt for a type of `bits` value bits (31 for a non-negative int, 32 for uint32_t).
    bool VarInt(unsigned bits, uint32_t& out)
    {
        const uint64_t max = (uint64_t{1} << bits) - 1;
        uint64_t n = 0;
        for (;;) {
            if (m_pos >= m_size) return false;
            const uint8_t b = m_data[m_pos++];
            if (n > (max >> 7)) return false;
            n = (n << 7) | (b & 0x7f);
            if ((b & 0x80) == 0) break;
            if (n == max) return false;
            ++n;
        }
        out = static_cast<uint32_t>(n);
        return true;
    }

    const uint8_t* Take(size_t n)
    {
        if (m_size - m_pos < n) return nullptr;
        const uint8_t* at = m_data + m_pos;
        m_pos += n;
        return at;
    }

    size_t Position() const { return m_pos; }

private:
    const uint8_t* m_data;
    size_t m_size;
    size_t m_pos{0};
};

uint32_t ReadLE32(const uint8_t* p)
{
    return uint32_t{p[0]} | uint32_t{p[1]} << 8 | uint32_t{p[2]} << 16 | uint32_t{p[3]} << 24;
}

struct Decoded {
    std::vector<uint32_t> fields;
    std::vector<uint8_t> hashes;
    std::vector<uint8_t> headers;
    size_t count{0};
};

// One record's value into `out`; false when it is not a well-formed CDiskBlockIndex.
bool DecodeValue(Reader& value, Decoded& out)
{
    uint32_t version, height, status, n_tx, file = 0, data_pos = 0, undo_pos = 0;
    if (!value.VarInt(31, version) || !value.VarInt(31, height) || !value.VarInt(32, status) || !value.VarInt(32, n_tx)) return false;
    if ((status & (BLOCK_HAVE_DATA | BLOCK_HAVE_UNDO)) && !value.VarInt(31, file)) return false;
    if ((status & BLOCK_HAVE_DATA) && !value.VarInt(32, data_pos)) return false;
    if ((status & BLOCK_HAVE_UNDO) && !value.VarInt(32, undo_pos)) return false;
    const uint8_t* header = value.Take(HEADER_SIZE);
    if (header == nullptr) return false;
    const uint32_t fields[] = {height, status, n_tx, file, data_pos, undo_pos, ReadLE32(header), ReadLE32(header + 68),
                               ReadLE32(header + 72), ReadLE32(header + 76)};
    out.fields.insert(out.fields.end(), std::begin(fields), std::end(fields));
    out.headers.insert(out.headers.end(), header, header + HEADER_SIZE);
    return true;
}

// The run's records up to the first one that is not a well-formed block index entry.
Decoded DecodeRun(const uint8_t* data, size_t size, bool& stopped)
{
    Decoded out;
    Reader run(data, size);
    stopped = false;
    while (run.Position() < size) {
        uint32_t key_size, value_size;
        const uint8_t* key = run.U32LE(key_size) ? run.Take(key_size) : nullptr;
        const uint8_t* value = key != nullptr && run.U32LE(value_size) ? run.Take(value_size) : nullptr;
        if (value == nullptr || key_size != 1 + HASH_SIZE || key[0] != DB_BLOCK_INDEX) {
            stopped = true;
            break;
        }
        const size_t fields_before = out.fields.size();
        const size_t headers_before = out.headers.size();
        Reader value_reader(value, value_size);
        if (!DecodeValue(value_reader, out)) {
            out.fields.resize(fields_before);
            out.headers.resize(headers_before);
            stopped = true;
            break;
        }
        out.hashes.insert(out.hashes.end(), key + 1, key + 1 + HASH_SIZE);
        ++out.count;
    }
    return out;
}

template <typename T>
Napi::ArrayBuffer Copy(Napi::Env env, const std::vector<T>& values)
{
    auto buffer = Napi::ArrayBuffer::New(env, values.size() * sizeof(T));
    if (!values.empty()) std::memcpy(buffer.Data(), values.data(), values.size() * sizeof(T));
    return buffer;
}

} // namespace

Napi::Value DecodeBlockIndexRun(const Napi::CallbackInfo& info)
{
    Napi::Env env = info.Env();
    if (!info[0].IsTypedArray() || info[0].As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array) {
        throw Napi::TypeError::New(env, "run must be a Uint8Array");
    }
    auto run = info[0].As<Napi::Uint8Array>();
    bool stopped = false;
    Decoded decoded = DecodeRun(run.Data(), run.ByteLength(), stopped);
    Napi::Object result = Napi::Object::New(env);
    result.Set("count", Napi::Number::New(env, static_cast<double>(decoded.count)));
    result.Set("stopped", Napi::Boolean::New(env, stopped));
    result.Set("fields", Napi::Uint32Array::New(env, decoded.fields.size(), Copy(env, decoded.fields), 0));
    result.Set("hashes", Napi::Uint8Array::New(env, decoded.hashes.size(), Copy(env, decoded.hashes), 0));
    result.Set("headers", Napi::Uint8Array::New(env, decoded.headers.size(), Copy(env, decoded.headers), 0));
    return result;
}
