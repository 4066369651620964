import type { ChatRetrieval } from '../../core/docs/ChatRetrieval';
import type { DocsService } from '../../core/docs/DocsService';
import type { DomainHandlers } from '../Router';

export function docsHandlers(docs: DocsService, chat: ChatRetrieval): DomainHandlers<'docs'> {
  return {
    'docs.collections.create': (input) => docs.createCollection(input),
    'docs.collections.list': () => ({ collections: docs.listCollections() }),
    'docs.collections.remove': ({ collection }) => docs.removeCollection(collection),
    // Returns once the files are queued (or, with wait, indexed); progress arrives as docs.progress / docs.job.
    'docs.add': ({ collection, paths, wait }) => docs.add(collection, paths, { wait }),
    'docs.cancel': ({ jobId }) => docs.cancel(jobId),
    'docs.jobs.list': () => ({ jobs: docs.jobs() }),
    'docs.files.list': ({ collection }) => ({ documents: docs.listFiles(collection) }),
    'docs.files.remove': ({ collection, documentIds }) => docs.removeFiles(collection, documentIds),
    'docs.search': ({ collection, query, k, mode }, ctx) => docs.search(collection, query, { k, mode, signal: ctx.signal }),
    'docs.chat.set': ({ conversationId, collections }) => chat.set(conversationId, collections),
    'docs.chat.get': ({ conversationId }) => chat.get(conversationId),
    'docs.chat.confirmRemote': ({ conversationId }) => chat.confirmRemote(conversationId),
    'docs.context': (input, ctx) => chat.context({ ...input, signal: ctx.signal }),
    'docs.evaluate': ({ collection, ...input }, ctx) => docs.evaluate(collection, input, { signal: ctx.signal }),
    'docs.evaluateSuite': (input, ctx) => docs.evaluateSuite(input, { signal: ctx.signal }),
    'docs.retrievals.get': ({ messageId }) => ({ retrieval: chat.retrieval(messageId) }),
  };
}
