// JSON-RPC request and reply objects as the client builds and reads them (Core's rpc/request.cpp
// JSONRPCRequestObj, JSONRPCReplyObj and JSONRPCProcessBatchReply).
import { getInt, JsonObject, member, num, obj, type Json } from './univalue.js';

/** Every request is marked JSON-RPC 2.0, as Core's client sends it. */
export function requestObj(method: string, params: Json, id: Json): JsonObject {
  return obj([['method', method], ['params', params], ['id', id], ['jsonrpc', '2.0']]);
}

/** A 2.0 reply holding `result` with id 1 (what the client's own handlers produce). */
export function replyObj(result: Json): JsonObject {
  return obj([['jsonrpc', '2.0'], ['result', result], ['id', num(1)]]);
}

/** The members of a batch reply, placed by id (missing ones are null). */
export function processBatchReply(reply: Json): Json[] {
  if (!Array.isArray(reply)) throw new Error('Batch must be an array');
  const batch: Json[] = new Array<Json>(reply.length).fill(null);
  for (const rec of reply) {
    if (!(rec instanceof JsonObject)) {
      throw new Error('Batch member must be an object');
    }
    const id = getInt(member(rec, 'id'));
    // Core reads the id into a size_t, so a negative one is "larger" too.
    if (id < 0 || id >= reply.length) throw new Error('Batch member id is larger than batch size');
    batch[id] = rec;
  }
  return batch;
}
