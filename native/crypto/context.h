// The addon's one libsecp256k1 context, shared by every thread and every Node environment.
#ifndef SMITHCOIN_NATIVE_CRYPTO_CONTEXT_H
#define SMITHCOIN_NATIVE_CRYPTO_CONTEXT_H

#include <secp256k1.h>

namespace smithcoin::crypto {

// Created and randomized on first use, then only read. libsecp256k1 allows concurrent use of a
// const context, so worker threads can verify in parallel. Returns nullptr if creation failed.
const secp256k1_context* Context();

} // namespace smithcoin::crypto

#endif // SMITHCOIN_NATIVE_CRYPTO_CONTEXT_H
