// Typed RPC exceptions (Cap'n Proto Exception.Type + reason) and the texts the runtime uses for them.
import type { ExceptionTypeName } from './messages.js';

/**
 * An exception carried by `Return.exception` / `Abort`, or raised locally (disconnect). `reason` is the text on the
 * wire; `message` is what a caller sees (remote ones get Cap'n Proto's `remote exception: ` prefix).
 */
export class RpcError extends Error {
  readonly type: ExceptionTypeName;
  readonly reason: string;
  readonly remote: boolean;

  constructor(type: ExceptionTypeName, reason: string, remote = false) {
    super(remote ? `remote exception: ${reason}` : reason);
    this.name = 'RpcError';
    this.type = type;
    this.reason = reason;
    this.remote = remote;
  }
}

/** Reason for an exception thrown by a server method, as libmultiprocess reports a std::exception. */
export function reasonFromError(err: unknown): { reason: string; type: ExceptionTypeName } {
  if (err instanceof RpcError) return { reason: err.reason, type: err.type };
  if (err instanceof Error) return { reason: `std::exception: ${err.message}`, type: 'failed' };
  return { reason: `unknown non-KJ exception of type: ${typeof err}`, type: 'failed' };
}

/** UNIMPLEMENTED for a method id the server does not know (Cap'n Proto's text, naming interface and method). */
export function methodNotImplemented(interfaceName: string, interfaceId: bigint, methodId: number): RpcError {
  return new RpcError('unimplemented',
    `Method not implemented.; interfaceName = ${interfaceName}; typeId = ${interfaceId}; methodId = ${methodId}`);
}

/** UNIMPLEMENTED for an interface id the server does not implement. */
export function interfaceNotImplemented(interfaceName: string, interfaceId: bigint): RpcError {
  return new RpcError('unimplemented',
    `Requested interface not implemented.; actualInterfaceName = ${interfaceName}; requestedTypeId = ${interfaceId}`);
}

export const TEXT = {
  disconnected: 'Peer disconnected.',
  nullCap: 'Called null capability.',
  badTarget: 'Message target is not a current export ID.',
  badPipeline: 'Pipeline call on a request that returned no capabilities or was already closed.',
  noBootstrap: 'This vat has no bootstrap interface.',
  questionInUse: 'questionId is already in use',
  canceled: 'Call was canceled.',
  pipelineNotCap: 'Pipelined pointer is not a capability.',
} as const;
