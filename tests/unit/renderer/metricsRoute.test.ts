import { describe, expect, it } from 'vitest';
import { metricsText } from '../../../src/renderer/chat/metricsText';
import { emptyMetrics } from '../../../src/shared/domain/generation';

describe('metricsText for an answer from a route', () => {
  it('names the route, the model that answered and why the earlier steps did not', () => {
    const text = metricsText({
      ...emptyMetrics('anthropic', 'claude-sonnet-4-5'),
      route: {
        name: 'analyst',
        answeredBy: 'anthropic:claude-sonnet-4-5',
        reason: '…',
        steps: [
          { ref: 'openai:gpt-4o-mini', outcome: 'failed', reason: 'PROVIDER_RATE_LIMITED: Rate limit reached' },
          { ref: 'google:gemini-2.5-flash', outcome: 'skipped', reason: 'budget spent: daily $5.01 of $5.00' },
          { ref: 'anthropic:claude-sonnet-4-5', outcome: 'answered', reason: null },
        ],
      },
    });
    expect(text.split(' · ')[0]).toBe(
      'route:analyst → anthropic:claude-sonnet-4-5 after openai:gpt-4o-mini failed (PROVIDER_RATE_LIMITED), google:gemini-2.5-flash skipped (budget spent: daily $5.01 of $5.00)',
    );
  });

  it('says what the data policy did, by detector and count', () => {
    const text = metricsText({ ...emptyMetrics('openai', 'gpt-4o-mini'), policy: { outcome: 'redacted', findings: [{ detector: 'email', action: 'redact', count: 2 }, { detector: 'ssn', action: 'warn', count: 1 }] } });
    expect(text.split(' · ')[0]).toBe('data policy: 2 EMAIL redacted, 1 SSN sent, noted');
  });

  it('a plain model has no route part', () => {
    expect(metricsText(emptyMetrics('openai', 'gpt-4o-mini'))).not.toContain('route:');
  });
});
