import { QueryClient } from '@tanstack/react-query';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { ClientProvider } from '../../../src/renderer/api/ClientContext';
import type { ParityClient } from '../../../src/renderer/api/client';
import { RunDialog } from '../../../src/renderer/evals/RunDialog';
import type { Suite } from '../../../src/shared/contract';
import { SuiteSpecSchema } from '../../../src/shared/domain/evals';

const client = { request: async () => ({ ok: true, data: null }), on: () => () => undefined } as unknown as ParityClient;

function render(grader: string): string {
  const spec = SuiteSpecSchema.parse({ name: 'shared', providers: [{ id: 'echo:echo' }], cases: [{ id: 'c1', assert: [{ type: 'llm-rubric', value: 'says hello', provider: grader }] }] });
  const suite: Suite = { id: 's1', name: 'shared', version: 1, latestVersion: 1, message: null, spec, createdAt: '2026-01-01T00:00:00Z' };
  const dialog = createElement(RunDialog, { suite, onStarted: () => undefined, onClose: () => undefined });
  return renderToStaticMarkup(createElement(ClientProvider, { client, queryClient: new QueryClient(), children: dialog }));
}

describe('run dialog and the graders a suite names', () => {
  it('lists a remote grader with an unticked allow box, so it grades only when the user ticks it', () => {
    const html = render('openai:gpt-4o-mini');
    expect(html).toContain('Graders named by the suite');
    expect(html).toContain('openai:gpt-4o-mini');
    expect(html).toMatch(/<input type="checkbox"\/><span class="evals-grow">Allow the suite&#x27;s remote graders/);
  });

  it('says nothing about a local grader', () => {
    expect(render('local:judge')).not.toContain('Graders named by the suite');
  });
});
