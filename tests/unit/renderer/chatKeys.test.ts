import { QueryClient } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import { chatKeys } from '../../../src/renderer/chat/useChat';

/** Invalidates with `filterKey` in a real QueryClient and returns which cached keys it reached. */
async function invalidated(filterKey: readonly unknown[]): Promise<string[]> {
  const client = new QueryClient();
  const keys = [chatKeys.list(''), chatKeys.list('invoice'), chatKeys.conversation('a'), chatKeys.conversation('b'), chatKeys.conversation(null), ['engine', 'status']];
  for (const key of keys) client.setQueryData(key, { cached: true });
  await client.invalidateQueries({ queryKey: filterKey });
  return keys.filter((key) => client.getQueryState(key)?.isInvalidated).map((key) => JSON.stringify(key));
}

describe('chat query keys', () => {
  it('lists() reaches every search, and no conversation', async () => {
    expect(await invalidated(chatKeys.lists())).toEqual([JSON.stringify(['chat', 'list', '']), JSON.stringify(['chat', 'list', 'invoice'])]);
  });

  it('conversation(id) reaches that conversation only', async () => {
    expect(await invalidated(chatKeys.conversation('a'))).toEqual([JSON.stringify(['chat', 'conversation', 'a'])]);
  });

  it('all reaches everything chat caches and nothing else', async () => {
    const reached = await invalidated(chatKeys.all);
    expect(reached).toHaveLength(5);
    expect(reached).not.toContain(JSON.stringify(['engine', 'status']));
  });
});
