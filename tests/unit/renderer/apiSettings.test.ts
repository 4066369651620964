import { QueryClient } from '@tanstack/react-query';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { ParityClient } from '../../../src/renderer/api/client';
import { ClientProvider } from '../../../src/renderer/api/ClientContext';
import { ApiSettings } from '../../../src/renderer/settings/api/ApiSettings';
import { ToastProvider } from '../../../src/renderer/ui/Toast';
import type { ApiKey, ApiRequestEntry, ApiStatus } from '../../../src/shared/contract';

/*
 * Settings → API rendered from a seeded cache (no transport needed): what the page shows for the
 * desktop port, the keys and the live log. Interaction was checked against a real `parity serve`.
 */
const client: ParityClient = {
  transport: 'electron',
  request: () => new Promise(() => undefined),
  on: () => () => undefined,
};

const entry = (over: Partial<ApiRequestEntry>): ApiRequestEntry => ({
  id: Math.random().toString(36),
  time: '2026-11-26T01:00:00.000Z',
  keyName: 'notebook',
  keyId: 'k1',
  endpoint: '/chat/completions',
  model: 'local:abc',
  local: true,
  stream: true,
  promptTokens: 12,
  completionTokens: 34,
  ttftMs: 21.4,
  totalMs: 250.2,
  status: 200,
  error: null,
  ...over,
});

function render(options: { mode: 'desktop' | 'serve'; host?: string; status?: ApiStatus }): string {
  const queries = new QueryClient();
  queries.setQueryData(['app', 'info'], { mode: options.mode });
  queries.setQueryData(['settings'], { apiServerEnabled: true, apiServerHost: options.host ?? '127.0.0.1', apiServerPort: 4891 });
  queries.setQueryData<ApiStatus>(['api', 'status'], options.status ?? {
    baseUrls: ['http://127.0.0.1:4891/v1'],
    listener: { enabled: true, host: options.host ?? '127.0.0.1', port: 4891, running: true, baseUrl: 'http://127.0.0.1:4891/v1', error: null },
  });
  queries.setQueryData<ApiKey[]>(['api', 'keys'], [
    { id: 'k1', name: 'notebook', last4: 'WXYZ', createdAt: '2026-11-26T00:00:00.000Z', lastUsedAt: null, revokedAt: null },
    { id: 'k2', name: 'old', last4: 'ABCD', createdAt: '2026-11-25T00:00:00.000Z', lastUsedAt: null, revokedAt: '2026-11-25T01:00:00.000Z' },
  ]);
  queries.setQueryData<ApiRequestEntry[]>(['api', 'requests'], [
    entry({}),
    entry({ model: 'openai:gpt-4o-mini', local: false, stream: false }),
    entry({ keyName: null, keyId: null, model: null, local: null, status: 401, promptTokens: null, completionTokens: null, ttftMs: null, error: 'Missing or invalid API key.' }),
  ]);
  queries.setQueryData(['api', 'snippet-model'], { models: [{ ref: 'local:abc', local: true }], errors: [] });
  return renderToStaticMarkup(createElement(ClientProvider, { client, queryClient: queries, children: createElement(ToastProvider, { children: createElement(ApiSettings) }) }));
}

describe('Settings → API', () => {
  it('shows the base URL and a snippet for it that names a model and never a key', () => {
    const html = render({ mode: 'desktop' });
    expect(html).toContain('data-testid="api-base-url">http://127.0.0.1:4891/v1<');
    expect(html).toContain('curl -N http://127.0.0.1:4891/v1/chat/completions');
    expect(html).toContain('local:abc');
    expect(html).toContain('$PARITY_API_KEY');
  });

  it('lists keys by their last four characters; a revoked one has no Revoke button', () => {
    const html = render({ mode: 'desktop' });
    expect(html).toContain('…WXYZ');
    expect(html).toContain('aria-label="Revoke key notebook"');
    expect(html).not.toContain('aria-label="Revoke key old"');
    expect(html).toContain('Revoked');
  });

  it('logs where each request went: local ones stayed on this device, refused ones have no key', () => {
    const html = render({ mode: 'desktop' });
    expect(html).toContain('stayed on this device');
    expect(html).toContain('sent to the provider (audited)');
    expect(html).toContain('no valid key');
    expect(html).toContain('12 / 34');
    expect(html).toContain('21 ms');
  });

  it('the desktop port: on loopback no warning; another address warns; serve has no port settings', () => {
    const loopback = render({ mode: 'desktop' });
    expect(loopback).toContain('Serve the API on a port');
    expect(loopback).toContain('Listening at http://127.0.0.1:4891/v1');
    expect(loopback).not.toContain('reachable from other machines');
    expect(render({ mode: 'desktop', host: '0.0.0.0' })).toContain('makes the API reachable from other machines');
    expect(render({ mode: 'serve' })).not.toContain('Serve the API on a port');
  });

  it('says why the port is not listening', () => {
    const html = render({
      mode: 'desktop',
      status: { baseUrls: [], listener: { enabled: true, host: '127.0.0.1', port: 4891, running: false, baseUrl: null, error: 'Port 4891 on 127.0.0.1 is in use; choose another port.' } },
    });
    expect(html).toContain('Not listening: Port 4891 on 127.0.0.1 is in use');
    expect(html).toContain('Turn on the API port below');
  });
});
