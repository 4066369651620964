import type { EventName, EventPayload, RouteInput, RouteName, RouteOutput } from '../../shared/contract';
import { AppError, type ErrorPayload, type Result } from '../../shared/errors';
import { WS_EVENTS_PATH, WS_PROTOCOL, WS_TOKEN_PREFIX } from '../../shared/contract/transport';

/** One client interface over either transport: the Electron bridge or `parity serve`. */
export interface ParityClient {
  readonly transport: 'electron' | 'http';
  request<K extends RouteName>(route: K, input: RouteInput<K>): Promise<Result<RouteOutput<K>>>;
  on<E extends EventName>(event: E, callback: (payload: EventPayload<E>) => void): () => void;
}

interface ParityBridge {
  request(route: string, input: unknown): Promise<unknown>;
  on(event: string, callback: (payload: unknown) => void): () => void;
}

declare global {
  interface Window {
    parity?: ParityBridge;
  }
}

const TOKEN_KEY = 'parity.token';

function electronClient(bridge: ParityBridge): ParityClient {
  return {
    transport: 'electron',
    request: (route, input) => bridge.request(route, input) as Promise<Result<never>>,
    on: (event, callback) => bridge.on(event, callback as (payload: unknown) => void),
  };
}

/** Takes `?token=` from the address bar into session storage and removes it from the URL. */
export function takeTokenFromUrl(): string | null {
  const url = new URL(window.location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    sessionStorage.setItem(TOKEN_KEY, fromUrl);
    url.searchParams.delete('token');
    window.history.replaceState(null, '', url.pathname + url.search + url.hash);
    return fromUrl;
  }
  return sessionStorage.getItem(TOKEN_KEY);
}

function httpClient(token: string | null): ParityClient {
  type Listener = (payload: unknown) => void;
  const listeners = new Map<string, Set<Listener>>();
  let socket: WebSocket | null = null;
  let retry = 0;

  const connect = (): void => {
    if (!token || socket) return;
    const proto = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
    socket = new WebSocket(`${proto}//${window.location.host}${WS_EVENTS_PATH}`, [WS_PROTOCOL, WS_TOKEN_PREFIX + token]);
    socket.onopen = () => {
      retry = 0;
    };
    socket.onmessage = (message) => {
      const { event, payload } = JSON.parse(String(message.data)) as { event: string; payload: unknown };
      for (const listener of listeners.get(event) ?? []) {
        try {
          listener(payload);
        } catch (error) {
          console.error('event listener failed', error);
        }
      }
    };
    socket.onclose = () => {
      socket = null;
      if (listeners.size === 0) return;
      retry = Math.min(retry + 1, 6);
      setTimeout(connect, 200 * 2 ** retry);
    };
  };

  return {
    transport: 'http',
    async request(route, input) {
      if (!token) {
        return { ok: false, error: { code: 'VALIDATION_FAILED', message: 'No access token. Open the URL that `parity serve` printed.' } };
      }
      let response: Response;
      try {
        response = await fetch(`/api/${route}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
          body: JSON.stringify(input ?? {}),
        });
      } catch (error) {
        return { ok: false, error: { code: 'INTERNAL', message: `Parity is not reachable: ${(error as Error).message}. Is \`parity serve\` still running?` } };
      }
      const body = (await response.json().catch(() => null)) as Result<never> | null;
      if (body && typeof body === 'object' && 'ok' in body && (body.ok || body.error)) return body;
      return { ok: false, error: { code: 'INTERNAL', message: `Unexpected response (HTTP ${response.status}).` } };
    },
    on(event, callback) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(callback as Listener);
      connect();
      return () => {
        set.delete(callback as Listener);
        if (set.size === 0) listeners.delete(event);
      };
    },
  };
}

export function createClient(): ParityClient {
  if (window.parity) return electronClient(window.parity);
  return httpClient(takeTokenFromUrl());
}

/** Unwraps a result for react-query: an error result becomes a thrown AppError with its code. */
export async function call<K extends RouteName>(client: ParityClient, route: K, input: RouteInput<K>): Promise<RouteOutput<K>> {
  const result = await client.request(route, input);
  if (result.ok) return result.data;
  const e: ErrorPayload = result.error;
  throw new AppError(e.code, e.message, e.details);
}
