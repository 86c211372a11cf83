// Raw pointer words for capabilities. In our value representation a capability is its index in
// the RPC payload's cap table, which libcapnp only exposes through a live capability table, so the
// decoder reads those pointer words (and the list pointers leading to them) itself.
#pragma once

#include "codec.h"

#include <capnp/message.h>

#include <cstdint>
#include <cstring>

static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "raw pointer words assume a little-endian host");

namespace capnp_codec {

enum class PointerKind : uint32_t { STRUCT = 0, LIST = 1, FAR = 2, OTHER = 3 };

inline uint32_t LowHalf(const capnp::word* p)
{
    uint32_t v;
    std::memcpy(&v, reinterpret_cast<const uint8_t*>(p), 4);
    return v;
}

inline uint32_t HighHalf(const capnp::word* p)
{
    uint32_t v;
    std::memcpy(&v, reinterpret_cast<const uint8_t*>(p) + 4, 4);
    return v;
}

// First element of a list in a received message (which may have several segments and far pointers).
inline const capnp::word* ReadListElements(const capnp::word* p, capnp::MessageReader& message)
{
    uint32_t low = LowHalf(p);
    if ((low & 3) == static_cast<uint32_t>(PointerKind::LIST)) return p + 1 + (static_cast<int32_t>(low) >> 2);
    KJ_REQUIRE((low & 3) == static_cast<uint32_t>(PointerKind::FAR), "Expected a list pointer.");
    const bool double_far = (low & 4) != 0;
    auto segment = message.getSegment(HighHalf(p));
    const size_t pad_offset = low >> 3;
    KJ_REQUIRE(pad_offset + (double_far ? 2 : 1) <= segment.size(), "Far pointer out of bounds.");
    const capnp::word* pad = segment.begin() + pad_offset;
    if (!double_far) return ReadListElements(pad, message);
    const uint32_t content = LowHalf(pad);
    KJ_REQUIRE((content & 7) == static_cast<uint32_t>(PointerKind::FAR), "Malformed double-far pointer.");
    auto target = message.getSegment(HighHalf(pad));
    KJ_REQUIRE((content >> 3) <= target.size(), "Far pointer out of bounds.");
    return target.begin() + (content >> 3);
}

} // namespace capnp_codec
