// Lenient DER parsing of ECDSA signatures, following Bitcoin Core's acceptance rules: negative
// integers, excess zero padding, long-form lengths, a bogus sequence length and trailing garbage
// are all tolerated, because signatures like that were valid before BIP66.
#include "der_lax.h"

#include <array>
#include <cstring>

namespace smithcoin::crypto {
namespace {

class LaxReader {
public:
    LaxReader(const uint8_t* data, size_t size) : m_data(data), m_size(size) {}

    bool AtEnd() const { return m_pos == m_size; }
    size_t Remaining() const { return m_size - m_pos; }
    size_t Pos() const { return m_pos; }

    // Consumes one byte if it equals `tag`.
    bool Tag(uint8_t tag)
    {
        if (AtEnd() || m_data[m_pos] != tag) return false;
        ++m_pos;
        return true;
    }

    // The sequence header's length is never used; a long form only has to fit in the input.
    bool SkipSequenceLength()
    {
        if (AtEnd()) return false;
        const size_t first = m_data[m_pos++];
        if ((first & 0x80) == 0) return true;
        const size_t count = first - 0x80;
        if (count > Remaining()) return false;
        m_pos += count;
        return true;
    }

    // An INTEGER's length. In the long form, zero bytes at the front do not count, and the
    // significant bytes must number at most three (Core's limit, whatever size_t is).
    bool IntegerLength(size_t& length)
    {
        if (AtEnd()) return false;
        const size_t first = m_data[m_pos++];
        if ((first & 0x80) == 0) {
            length = first;
            return true;
        }
        size_t count = first - 0x80;
        if (count > Remaining()) return false;
        while (count > 0 && m_data[m_pos] == 0) {
            ++m_pos;
            --count;
        }
        if (count >= 4) return false;
        length = 0;
        for (; count > 0; --count) length = (length << 8) | m_data[m_pos++];
        return true;
    }

    // Tag 0x02, a length, and that many bytes present. Records where the value starts.
    bool Integer(size_t& start, size_t& length)
    {
        if (!Tag(0x02) || !IntegerLength(length)) return false;
        if (length > Remaining()) return false;
        start = m_pos;
        m_pos += length;
        return true;
    }

private:
    const uint8_t* m_data;
    size_t m_size;
    size_t m_pos = 0;
};

// Right-aligns a big-endian integer into 32 bytes after dropping its leading zeros. Returns false
// when more than 32 significant bytes remain.
bool PlaceScalar(const uint8_t* value, size_t length, uint8_t* out32)
{
    while (length > 0 && *value == 0) {
        ++value;
        --length;
    }
    if (length > 32) return false;
    if (length > 0) std::memcpy(out32 + 32 - length, value, length);
    return true;
}

} // namespace

bool ParseDerLax(const secp256k1_context* ctx, secp256k1_ecdsa_signature* sig,
                 const uint8_t* input, size_t input_len)
{
    std::array<uint8_t, 64> compact{};
    // Give *sig a defined (unverifiable) value on every path, as Core does.
    (void)secp256k1_ecdsa_signature_parse_compact(ctx, sig, compact.data());

    LaxReader reader(input, input_len);
    size_t r_start = 0, r_len = 0, s_start = 0, s_len = 0;
    if (!reader.Tag(0x30) || !reader.SkipSequenceLength()) return false;
    if (!reader.Integer(r_start, r_len)) return false;
    if (!reader.Integer(s_start, s_len)) return false;
    // Anything after S is ignored.

    bool fits = PlaceScalar(input + r_start, r_len, compact.data());
    fits = PlaceScalar(input + s_start, s_len, compact.data() + 32) && fits;
    // parse_compact rejects R or S at or above the group order.
    if (fits && secp256k1_ecdsa_signature_parse_compact(ctx, sig, compact.data())) return true;
    compact.fill(0);
    (void)secp256k1_ecdsa_signature_parse_compact(ctx, sig, compact.data());
    return true;
}

} // namespace smithcoin::crypto
