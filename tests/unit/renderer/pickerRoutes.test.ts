import { describe, expect, it } from 'vitest';
import type { ProviderModel } from '../../../src/shared/contract';
import { groupPickerModels } from '../../../src/renderer/models/pickerGroups';

describe('routes in the model pickers', () => {
  it('a data-policy route is offered with the usable remote models, not under "no key set"', () => {
    const route: ProviderModel = { ref: 'route:analyst', name: 'analyst: anthropic:claude-sonnet-4-5 → local:abc', provider: 'route', local: false, contextLength: null, host: 'api.anthropic.com' };
    const groups = groupPickerModels([route], [], []);
    expect(groups.map((g) => [g.id, g.models.map((m) => m.ref)])).toEqual([['ready', ['route:analyst']]]);
  });
});
