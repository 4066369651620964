import type { ChatService } from '../../core/chat/ChatService';
import type { CompleteOnceInput } from '../../core/chat/completeOnce';
import type { ChatCompleteOutput } from '../../../shared/contract/chat';
import type { DomainHandlers } from '../Router';

export function chatHandlers(chat: ChatService, complete: (input: CompleteOnceInput, options: { signal?: AbortSignal }) => Promise<ChatCompleteOutput>): DomainHandlers<'chat'> {
  return {
    'chat.conversations.list': ({ query }) => chat.list(query),
    'chat.conversations.get': ({ id }) => chat.get(id),
    'chat.conversations.create': (input) => chat.create(input),
    'chat.conversations.rename': ({ id, title }) => chat.rename(id, title),
    'chat.conversations.delete': ({ id }) => chat.delete(id),
    'chat.conversations.restore': ({ id }) => chat.restore(id),
    'chat.conversations.update': ({ id, ...patch }) => chat.update(id, patch),
    // These return as soon as the messages exist; the answer streams as chat.delta / chat.done.
    'chat.send': ({ conversationId, text, confirmPolicy }) => chat.send(conversationId, text, { confirmPolicy }),
    'chat.regenerate': ({ conversationId, messageId, confirmPolicy }) => chat.regenerate(conversationId, messageId, { confirmPolicy }),
    'chat.edit': ({ conversationId, messageId, text }) => chat.edit(conversationId, messageId, text),
    'chat.answerTools': ({ conversationId, messageId, results }) => chat.answerTools(conversationId, messageId, results),
    'chat.stop': ({ conversationId }) => chat.stop(conversationId),
    'chat.switchBranch': ({ conversationId, messageId }) => chat.switchBranch(conversationId, messageId),
    'chat.complete': (input, ctx) => complete(input, { signal: ctx.signal }),
  };
}
