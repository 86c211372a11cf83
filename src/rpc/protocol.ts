// Bitcoin Core's JSON-RPC error codes and the HTTP status codes its RPC server answers with.

/** HTTP status codes used by the RPC server, with the reason phrases Core sends. */
export enum HTTPStatus {
  OK = 200,
  NO_CONTENT = 204,
  BAD_REQUEST = 400,
  UNAUTHORIZED = 401,
  FORBIDDEN = 403,
  NOT_FOUND = 404,
  BAD_METHOD = 405,
  CONTENT_TOO_LARGE = 413,
  INTERNAL_SERVER_ERROR = 500,
  SERVICE_UNAVAILABLE = 503,
}

const REASONS: Record<HTTPStatus, string> = {
  [HTTPStatus.OK]: 'OK',
  [HTTPStatus.NO_CONTENT]: 'No Content',
  [HTTPStatus.BAD_REQUEST]: 'Bad Request',
  [HTTPStatus.UNAUTHORIZED]: 'Unauthorized',
  [HTTPStatus.FORBIDDEN]: 'Forbidden',
  [HTTPStatus.NOT_FOUND]: 'Not Found',
  [HTTPStatus.BAD_METHOD]: 'Method Not Allowed',
  [HTTPStatus.CONTENT_TOO_LARGE]: 'Content too large',
  [HTTPStatus.INTERNAL_SERVER_ERROR]: 'Internal Server Error',
  [HTTPStatus.SERVICE_UNAVAILABLE]: 'Service Unavailable',
};

export function httpStatusReason(status: HTTPStatus): string {
  return REASONS[status];
}

/** Core's RPC error codes (standard JSON-RPC 2.0 ones and Bitcoin-specific ones). */
export const RPCErrorCode = {
  // JSON-RPC 2.0 standard errors
  RPC_INVALID_REQUEST: -32600,
  RPC_METHOD_NOT_FOUND: -32601,
  RPC_INVALID_PARAMS: -32602,
  RPC_INTERNAL_ERROR: -32603,
  RPC_PARSE_ERROR: -32700,
  // General application errors
  RPC_MISC_ERROR: -1,
  RPC_TYPE_ERROR: -3,
  RPC_INVALID_ADDRESS_OR_KEY: -5,
  RPC_OUT_OF_MEMORY: -7,
  RPC_INVALID_PARAMETER: -8,
  RPC_DATABASE_ERROR: -20,
  RPC_DESERIALIZATION_ERROR: -22,
  RPC_VERIFY_ERROR: -25,
  RPC_VERIFY_REJECTED: -26,
  RPC_VERIFY_ALREADY_IN_UTXO_SET: -27,
  RPC_IN_WARMUP: -28,
  RPC_METHOD_DEPRECATED: -32,
  RPC_LIMIT_EXCEEDED: -37,
  RPC_TRANSACTION_ERROR: -25,
  RPC_TRANSACTION_REJECTED: -26,
  // P2P client errors
  RPC_CLIENT_NOT_CONNECTED: -9,
  RPC_CLIENT_IN_INITIAL_DOWNLOAD: -10,
  RPC_CLIENT_NODE_ALREADY_ADDED: -23,
  RPC_CLIENT_NODE_NOT_ADDED: -24,
  RPC_CLIENT_NODE_NOT_CONNECTED: -29,
  RPC_CLIENT_INVALID_IP_OR_SUBNET: -30,
  RPC_CLIENT_P2P_DISABLED: -31,
  RPC_CLIENT_NODE_CAPACITY_REACHED: -34,
  RPC_CLIENT_MEMPOOL_DISABLED: -33,
  // Wallet errors
  RPC_WALLET_ERROR: -4,
  RPC_WALLET_INSUFFICIENT_FUNDS: -6,
  RPC_WALLET_INVALID_LABEL_NAME: -11,
  RPC_WALLET_KEYPOOL_RAN_OUT: -12,
  RPC_WALLET_UNLOCK_NEEDED: -13,
  RPC_WALLET_PASSPHRASE_INCORRECT: -14,
  RPC_WALLET_WRONG_ENC_STATE: -15,
  RPC_WALLET_ENCRYPTION_FAILED: -16,
  RPC_WALLET_ALREADY_UNLOCKED: -17,
  RPC_WALLET_NOT_FOUND: -18,
  RPC_WALLET_NOT_SPECIFIED: -19,
  RPC_WALLET_ALREADY_LOADED: -35,
  RPC_WALLET_ALREADY_EXISTS: -36,
  RPC_WALLET_INVALID_ACCOUNT_NAME: -11,
  RPC_FORBIDDEN_BY_SAFE_MODE: -2,
} as const;

/** A JSON-RPC error as Core puts it in replies: {code, message}. */
export interface RPCErrorObject {
  code: number;
  message: string;
}

/** Thrown by handlers and the dispatcher; carries the error object of the reply. */
export class RPCError extends Error {
  constructor(readonly code: number, message: string) {
    super(message);
    this.name = 'RPCError';
  }

  toJSON(): RPCErrorObject {
    return { code: this.code, message: this.message };
  }
}

/** A value of the wrong JSON type where a handler expected another (Core maps it to RPC_TYPE_ERROR). */
export class RPCTypeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RPCTypeError';
  }
}
