// Public surface of the RPC layer.
export { RpcConnection, type FrameTransport, type RpcOptions, type TransportHandlers } from './connection.js';
export { LimitError, DEFAULT_RPC_LIMITS, type LimitName, type RpcLimits } from './limits.js';
export { CapHook, LocalHook, BrokenHook, type ServerTarget, type Route } from './capability.js';
export { Capability, Request, PendingCall, Response, IncomingCall, TIMED_OUT, type CallOptions } from './call.js';
export { RpcError, methodNotImplemented, interfaceNotImplemented, reasonFromError } from './errors.js';
export { EXCEPTION_TYPE_NAMES, type ExceptionTypeName } from './messages.js';
