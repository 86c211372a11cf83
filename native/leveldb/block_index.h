// Block index records decoded natively (see block_index.cpp).
#pragma once

#include <napi.h>

// decodeBlockIndexRun(run: Uint8Array): { count, stopped, fields, hashes, headers } for the records of a readRun
// buffer: per record ten u32 fields (height, status, nTx, file, dataPos, undoPos, then the header's version, time,
// bits and nonce), the 32-byte hash from its key and its 80-byte header. `stopped`: the record after the last one
// returned is not a well-formed block index entry.
Napi::Value DecodeBlockIndexRun(const Napi::CallbackInfo& info);
