import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { Conversation } from '../../../src/shared/contract';
import { ParamsPanel } from '../../../src/renderer/chat/ParamsPanel';

const conversation: Conversation = {
  id: 'c',
  title: 't',
  modelRef: 'local:m',
  systemPrompt: '',
  params: {},
  activeLeafId: null,
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
  deletedAt: null,
};

describe('chat parameters panel', () => {
  it('names the defaults a blank field gets instead of a bare "default"', () => {
    const markup = renderToStaticMarkup(createElement(ParamsPanel, { conversation, saving: false, onSave: async () => undefined }));
    expect(markup).toMatch(/placeholder="default: 1,024"/);
    expect(markup).toMatch(/placeholder="default: 0\.7"/);
    expect(markup).toMatch(/placeholder="default: random"/);
    // Wide enough to show "default: 1,024" whole (a 110 px number field clipped it).
    expect(markup).toMatch(/class="input input--number input--named-default"[^>]*placeholder="default: 1,024"/);
    // The confirmation lives in a status region, announced when it appears after a save.
    expect(markup).toContain('role="status"');
  });
});
