/**
 * Names both ends of each transport must agree on. Constants only (no zod), so the sandboxed
 * preload can bundle this file without the rest of the contract.
 */

/** Electron IPC: `invoke(IPC_REQUEST_CHANNEL, route, input)`; events arrive as `(name, payload)`. */
export const IPC_REQUEST_CHANNEL = 'parity:request';
export const IPC_EVENT_CHANNEL = 'parity:event';

/** `parity serve`'s event socket: the browser offers [WS_PROTOCOL, WS_TOKEN_PREFIX + token]. */
export const WS_EVENTS_PATH = '/api/events';
export const WS_PROTOCOL = 'parity.v1';
export const WS_TOKEN_PREFIX = 'token.';
