// Lenient DER parsing of ECDSA signatures, with the exact acceptance rules of Bitcoin Core's
// ecdsa_signature_parse_der_lax (pre-BIP66 signatures in the chain depend on them).
#ifndef SMITHCOIN_NATIVE_CRYPTO_DER_LAX_H
#define SMITHCOIN_NATIVE_CRYPTO_DER_LAX_H

#include <secp256k1.h>

#include <cstddef>
#include <cstdint>

namespace smithcoin::crypto {

// Returns false when `input` is not even loosely shaped like a DER signature. Otherwise returns
// true and sets *sig; when R or S do not fit below the group order, *sig is the all-zero
// signature, which parses but never verifies.
bool ParseDerLax(const secp256k1_context* ctx, secp256k1_ecdsa_signature* sig,
                 const uint8_t* input, size_t input_len);

} // namespace smithcoin::crypto

#endif // SMITHCOIN_NATIVE_CRYPTO_DER_LAX_H
