import type { Message, PathMessage } from '../../../shared/contract/chat';

/** Root → leaf along parent links. A dangling leaf id yields an empty path. */
export function pathTo(messages: readonly Message[], leafId: string | null): Message[] {
  const byId = new Map(messages.map((m) => [m.id, m]));
  const path: Message[] = [];
  let cursor = leafId ? byId.get(leafId) : undefined;
  const seen = new Set<string>();
  while (cursor && !seen.has(cursor.id)) {
    seen.add(cursor.id);
    path.push(cursor);
    cursor = cursor.parentId ? byId.get(cursor.parentId) : undefined;
  }
  return path.reverse();
}

/** Children grouped by parent id (null = roots), in creation order. */
export function childrenByParent(messages: readonly Message[]): Map<string | null, Message[]> {
  const map = new Map<string | null, Message[]>();
  for (const m of messages) {
    let list = map.get(m.parentId);
    if (!list) map.set(m.parentId, (list = []));
    list.push(m);
  }
  return map;
}

/** The path with, for each message, its siblings (alternatives from regenerate/edit). */
export function annotatePath(messages: readonly Message[], leafId: string | null): PathMessage[] {
  const children = childrenByParent(messages);
  return pathTo(messages, leafId).map((m) => {
    const siblings = children.get(m.parentId) ?? [m];
    return { ...m, siblingIds: siblings.map((s) => s.id), siblingIndex: Math.max(0, siblings.findIndex((s) => s.id === m.id)) };
  });
}

/** The leaf shown when switching to `messageId`: follow the newest child down. */
export function deepestLeaf(messages: readonly Message[], messageId: string): string {
  const children = childrenByParent(messages);
  let id = messageId;
  for (;;) {
    const next = children.get(id)?.at(-1);
    if (!next) return id;
    id = next.id;
  }
}
