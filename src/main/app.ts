import { join } from 'node:path';
import pkg from '../../package.json';
import type { AppInfo } from '../shared/contract';
import { APP_NAME, databasePath, prepareDataDir } from './core/app/dataDir';
import { ChatService } from './core/chat/ChatService';
import { completeOnce } from './core/chat/completeOnce';
import { CompareService } from './core/compare/CompareService';
import { LlamaEngine } from './core/engine/LlamaEngine';
import { resolveThreads } from './core/engine/threads';
import { EventBus } from './core/events/EventBus';
import { ScriptSandbox } from './core/sandbox/ScriptSandbox';
import { EvalService } from './core/evals/EvalService';
import { LocalEmbedder } from './core/evals/LocalEmbedder';
import { GenerationService } from './core/generation/GenerationService';
import { LocalProvider } from './core/providers/local/LocalProvider';
import { EchoProvider } from './core/providers/echo/EchoProvider';
import { ProviderRegistry } from './core/providers/ProviderRegistry';
import { AuditChainKey } from './core/audit/AuditChainKey';
import { AuditLog } from './core/audit/AuditLog';
import { AuditRepository } from './core/audit/AuditRepository';
import { EgressGateway, type FetchLike } from './core/egress/EgressGateway';
import { EvalRunner } from './core/evals/EvalRunner';
import type { RetryPolicy } from './core/generation/retryPolicy';
import { FileKeyCipher, masterKeyPath } from './core/keys/FileKeyCipher';
import { KeyVault } from './core/keys/KeyVault';
import type { SecretCipher } from './core/keys/SecretCipher';
import { PriceTable } from './core/pricing/PriceTable';
import { PROVIDER_DEFINITIONS } from './core/providers/registry';
import { ProviderConfig } from './core/providers/service/ProviderConfig';
import { ProvidersService } from './core/providers/service/ProvidersService';
import { DownloadRepository } from './core/store/DownloadRepository';
import { ModelRepository } from './core/store/ModelRepository';
import { ProviderRepository } from './core/store/ProviderRepository';
import { RunRepository } from './core/store/RunRepository';
import { SecretRepository } from './core/store/SecretRepository';
import { SuiteRepository } from './core/store/SuiteRepository';
import { auditHandlers } from './ipc/handlers/auditHandlers';
import { pricesHandlers, providersHandlers } from './ipc/handlers/providersHandlers';
import { SettingsService } from './core/settings/SettingsService';
import { CompareRepository } from './core/store/CompareRepository';
import { ConversationRepository } from './core/store/ConversationRepository';
import { MessageRepository } from './core/store/MessageRepository';
import { SettingsRepository } from './core/store/SettingsRepository';
import { Store } from './core/store/Store';
import { appHandlers, settingsHandlers, type PathPicker } from './ipc/handlers/appHandlers';
import { chatHandlers } from './ipc/handlers/chatHandlers';
import { embeddingsHandlers } from './ipc/handlers/embeddingsHandlers';
import { compareHandlers } from './ipc/handlers/compareHandlers';
import { engineHandlers } from './ipc/handlers/engineHandlers';
import { evalsHandlers } from './ipc/handlers/evalsHandlers';
import { decideHandlers } from './ipc/handlers/decideHandlers';
import { DecideService } from './core/decide/DecideService';
import { describeForRecord } from './core/decide/describeForRecord';
import { costSettingsOf } from '../shared/contract/decide';
import { Router, type Handlers } from './ipc/Router';
import { ModelDownloader } from './core/models/ModelDownloader';
import { DataPolicyService } from './core/policy/DataPolicyService';
import { StoredPolicyFile } from './core/policy/StoredPolicyFile';
import { BudgetLedger } from './core/policy/BudgetLedger';
import { RouteProvider } from './core/providers/route/RouteProvider';
import { policyHandlers } from './ipc/handlers/policyHandlers';
import { loadPolicyFile } from './core/policy/loadPolicyFile';
import { ApiEndpoints } from './core/api/ApiEndpoints';
import { ApiKeyService } from './core/api/ApiKeyService';
import { ApiRequestLog } from './core/api/ApiRequestLog';
import { DEFAULT_API_PARALLEL, DEFAULT_API_QUEUE, ModelQueue } from './core/api/ModelQueue';
import { ApiKeyRepository } from './core/store/ApiKeyRepository';
import { apiHandlers } from './ipc/handlers/apiHandlers';
import { ApiListener } from './ipc/openai/ApiListener';
import { OpenAiApi } from './ipc/openai/OpenAiApi';
import { ModelLibrary } from './core/models/ModelLibrary';
import { DocsService } from './core/docs/DocsService';
import { DocsRepository } from './core/store/DocsRepository';
import { DocsChatRepository } from './core/store/DocsChatRepository';
import { ChatRetrieval } from './core/docs/ChatRetrieval';
import { docsHandlers } from './ipc/handlers/docsHandlers';
import { isLocal, localRef } from '../shared/domain/modelRef';
import { modelsHandlers } from './ipc/handlers/modelsHandlers';

export interface RemoteOptions {
  /** Desktop passes Electron safeStorage; CLI/serve fall back to the master-key file. */
  cipher?: SecretCipher | null;
  env?: NodeJS.ProcessEnv;
  /** `--offline`; PARITY_OFFLINE=1 and the `offline` setting also switch it on. */
  offline?: boolean;
  /** `--providers <file.yaml>`; PARITY_PROVIDERS_FILE too. */
  providersFile?: string | null;
  /** The real network, replaceable in tests. */
  fetch?: FetchLike;
  policy?: Partial<RetryPolicy>;
}

export interface AppOptions {
  dataDir: string;
  mode: AppInfo['mode'];
  electronVersion?: string | null;
  chromeVersion?: string | null;
  /** 'auto' detects Metal/CUDA/Vulkan; false forces CPU (tests, CI). Defaults to PARITY_GPU=off → false, else 'auto'. */
  gpu?: 'auto' | false;
  /** Keys, offline switch, providers file and (in tests) the network. */
  /** The desktop shell's native open dialog (absent in serve and the CLI). */
  pickPath?: PathPicker;
  /** Run the background integrity check of the database (default true). */
  integrityCheck?: boolean;
  remote?: RemoteOptions;
  /** The OpenAI-compatible API's queue per local model: parallel sequences (default 2, the engine's per-context count) and waiting places (default 16). */
  api?: { maxParallel?: number; maxQueued?: number };
  /** `--policy <file.yaml>` (PARITY_POLICY_FILE in `remote.env` or the environment too): the data policy, instead of the stored one. */
  policyFile?: string | null;
}

/** The OpenAI-compatible API: mounted under /v1 by serve; `listener` is the desktop app's own port. */
export interface ParityApi {
  readonly openAi: OpenAiApi;
  readonly listener: ApiListener;
  readonly endpoints: ApiEndpoints;
  readonly queue: ModelQueue;
}

export interface ParityApp extends AsyncDisposable {
  readonly router: Router;
  readonly bus: EventBus;
  readonly store: Store;
  readonly settings: SettingsService;
  readonly providers: ProviderRegistry;
  readonly generation: GenerationService;
  readonly evals: EvalService;
  readonly models: ModelLibrary;
  readonly downloads: ModelDownloader;
  readonly engine: LlamaEngine;
  readonly chat: ChatService;
  readonly docs: DocsService;
  readonly api: ParityApi;
  info(): AppInfo;
  dispose(): Promise<void>;
}

/**
 * The composition root: builds every service once, in order, and disposes them in reverse.
 * Electron, `parity serve` and the CLI all start here.
 */
export function createApp(options: AppOptions): ParityApp {
  const disposers: Array<() => void | Promise<void>> = [];
  // Read before anything opens: a policy that does not load must stop start-up, not be skipped.
  const policyPath = options.policyFile ?? (options.remote?.env ?? process.env).PARITY_POLICY_FILE ?? null;
  const policyFile = policyPath ? { path: policyPath, policy: loadPolicyFile(policyPath) } : null;
  const bus = new EventBus();
  prepareDataDir(options.dataDir);
  const store = Store.open({ path: databasePath(options.dataDir) });
  disposers.push(() => store.dispose());
  // Off the main thread: damage deep in the file is found now rather than when that table is next read.
  if (options.integrityCheck !== false) {
    store.checkIntegrity().then(
      (health) => bus.emit('app.storeHealth', health),
      (error: unknown) => console.error('parity: the database integrity check could not run:', error),
    );
  }
  const settings = new SettingsService(new SettingsRepository(store), bus);
  const providers = new ProviderRegistry();
  // Untrusted code (suite assertions and regexes, user detector patterns) runs only in this isolate.
  const sandbox = new ScriptSandbox();
  disposers.push(() => sandbox.dispose());
  // Settings → Data policy keeps its YAML beside the database; a --policy file wins over it.
  const dataPolicy = new DataPolicyService({ file: policyFile, stored: new StoredPolicyFile(join(options.dataDir, 'data-policy.yaml')), sandbox });
  // Keys, egress, audit, prices and the cloud and OpenAI-compatible providers.
  const env = options.remote?.env ?? process.env;
  const providerRepo = new ProviderRepository(store);
  const fileCipher = new FileKeyCipher({ keyPath: masterKeyPath(options.dataDir) });
  const givenCipher = options.remote?.cipher ?? null;
  const keychain = givenCipher?.isAvailable() ? givenCipher : null;
  const vault = new KeyVault({
    cipher: keychain ?? fileCipher,
    alternates: keychain ? [fileCipher] : givenCipher ? [givenCipher] : [],
    secrets: new SecretRepository(store),
    env,
  });
  const providerConfig = new ProviderConfig({ vault, repo: providerRepo, env, providersFile: options.remote?.providersFile ?? env.PARITY_PROVIDERS_FILE ?? null });
  providerConfig.start();
  // The chain's head is kept beside the database, so deleting the newest rows shows too.
  // The chain's HMAC key sits with the API keys (OS keychain on the desktop, the 0600 master key file otherwise).
  const audit = new AuditLog(new AuditRepository(store), { key: new AuditChainKey(vault), headFile: join(options.dataDir, 'audit-head.json') });
  const forcedOffline = options.remote?.offline === true || env.PARITY_OFFLINE === '1' || env.PARITY_OFFLINE === 'true';
  const gateway = new EgressGateway({
    audit,
    isOffline: () => forcedOffline || settings.get('offline'),
    isProviderEnabled: (id) => providerConfig.isEnabled(id),
    fetch: options.remote?.fetch,
    dataPolicy,
  });
  const prices = new PriceTable(providerRepo);
  for (const definition of PROVIDER_DEFINITIONS) providers.register(definition.create({ gateway, config: providerConfig }));
  const providersService = new ProvidersService({ registry: providers, config: providerConfig, gateway });
  // Budgets are read from the audit log's token counts, so the CLI, serve and the desktop app share one ledger.
  const budgets = new BudgetLedger({ usage: audit, prices, budget: (endpoint) => dataPolicy.budget(endpoint) });
  const generation = new GenerationService(providers, { gateway, prices, settings, policy: options.remote?.policy, routes: dataPolicy, budgets });
  // `route:<name>` is a model id like any other; GenerationService expands it into its steps.
  providers.register(new RouteProvider({ routes: dataPolicy, registry: providers }));
  // Domain services are built below, each after what it depends on.
  // The process's one llama.cpp runtime: the library's fit calculation and every local generation share it.
  const engine = new LlamaEngine({
    gpu: options.gpu ?? (process.env.PARITY_GPU === 'off' ? false : 'auto'),
    idleUnloadMinutes: () => settings.get('idleUnloadMinutes'),
    memoryBudgetMb: () => settings.get('memoryBudgetMb'),
    onChange: () => bus.emit('engine.changed', {}),
  });
  disposers.push(() => engine.dispose());
  const sharedLlama = () => engine.getLlama();
  const models = new ModelLibrary({ store, repo: new ModelRepository(store), dataDir: options.dataDir, getLlama: sharedLlama, bus });
  // Downloads are this feature's only network use, so they go through the egress gateway (offline switch, audit).
  const downloads = new ModelDownloader({ repo: new DownloadRepository(store), dataDir: options.dataDir, library: models, bus, fetch: gateway.fetchFor({ provider: 'download', purpose: 'download' }) });
  disposers.push(() => models.dispose());
  disposers.push(() => downloads.dispose());
  providers.register(
    new LocalProvider({
      engine,
      resolver: models,
      defaultThreads: () => resolveThreads(settings.get('defaultThreads')),
      onLoadProgress: (modelId, progress) => bus.emit('engine.loadProgress', { modelId, progress: Math.min(1, Math.max(0, progress)) }),
      listModels: async () => (await models.list()).map((m) => ({ ref: localRef(m.id), name: m.name, contextLength: m.trainContextSize })),
    }),
  );
  // promptfoo's built-in `echo` (answers with the prompt), so suites that use it run as written.
  providers.register(new EchoProvider());
  const chat = new ChatService({
    conversations: new ConversationRepository(store),
    messages: new MessageRepository(store),
    transaction: (fn) => store.transaction(fn),
    generation,
    bus,
    // Built further down, after the document collections; only called once an answer starts.
    retrieval: { augment: (input) => chatRetrieval.augment(input) },
  });
  disposers.push(() => chat.dispose());
  const compare = new CompareService({ generation, repo: new CompareRepository(store), bus });
  disposers.push(() => compare.dispose());
  // `similar` assertions embed with a local model loaded through the shared engine.
  const embedder = new LocalEmbedder({
    loadModel: async (ref, { signal }) => (await engine.load(await models.resolve(ref, { importIfMissing: true, signal }), { signal })).loaded.model,
    threads: resolveThreads(settings.get('defaultThreads')),
  });
  disposers.push(() => embedder.dispose());
  const runs = new RunRepository(store);
  const runner = new EvalRunner({ runs, generation, providers, bus, embed: embedder.embed, sandbox });
  const evals = new EvalService({
    suites: new SuiteRepository(store),
    runs,
    runner,
    providers,
    appVersion: pkg.version,
    defaultGrader: () => settings.get('evalGraderModel') || null,
    dataPolicy: () => dataPolicy.current(),
    // The run card records the library's facts about a local model before the first cell runs.
    describeModel: async (ref, { wait }) => {
      if (!isLocal(ref)) return {};
      // A `local:/path/to/x.gguf` ref is linked into the library so the local provider can resolve it.
      const resolved = await models.resolve(ref, { importIfMissing: true });
      const model = await models.get(resolved.id);
      return { sha256: model.sha256 ?? (wait ? await models.waitForHash(resolved.id) : null), quantization: model.quantization };
    },
  });
  disposers.push(() => evals.dispose());
  // Document collections: chunks are embedded on this device only, by the collection's local model.
  const docs = new DocsService({
    repo: new DocsRepository(store),
    bus,
    embed: async (texts, { model, signal }) => (await embedder.embedWithUsage(texts, { model, signal, truncate: true })).vectors,
    resolveEmbeddingModel: async (ref) => localRef((await models.resolve(ref, { importIfMissing: true })).id),
  });
  disposers.push(() => docs.dispose());
  const chatRetrieval = new ChatRetrieval({ docs, repo: new DocsChatRepository(store), bus, audit });
  // Cost at a volume, break-evens and the decision record: a run's results priced with Settings → Cost.
  const decide = new DecideService({
    results: (runId) => evals.results(runId),
    runCard: (runId) => evals.getRun(runId).runCard,
    price: (ref) => prices.lookup(ref),
    costSettings: () => costSettingsOf(settings.getAll()),
    describe: describeForRecord({ models, providers }),
    audit,
    appVersion: pkg.version,
  });
  const apiKeys = new ApiKeyService({ repo: new ApiKeyRepository(store) });
  const apiLog = new ApiRequestLog({ bus });
  const apiEndpoints = new ApiEndpoints({ bus });
  const apiQueue = new ModelQueue({ maxParallel: options.api?.maxParallel ?? DEFAULT_API_PARALLEL, maxQueued: options.api?.maxQueued ?? DEFAULT_API_QUEUE });

  const info = (): AppInfo => ({
    name: APP_NAME,
    version: pkg.version,
    dataDir: options.dataDir,
    databasePath: store.path,
    schemaVersion: store.schemaVersion,
    nodeVersion: process.versions.node,
    electronVersion: options.electronVersion ?? null,
    chromeVersion: options.chromeVersion ?? null,
    platform: process.platform,
    arch: process.arch,
    mode: options.mode,
    store: store.health(),
  });

  const handlers = {
    ...appHandlers(info, options.pickPath),
    ...modelsHandlers({ library: models, downloader: downloads, getLlama: sharedLlama }),
    ...settingsHandlers(settings),
    ...providersHandlers(providersService),
    ...pricesHandlers(prices),
    ...auditHandlers(audit),
    ...policyHandlers(dataPolicy, audit, evals),
    ...compareHandlers(compare),
    ...chatHandlers(chat, (input, { signal }) => completeOnce({ generation, providers, library: models, bus }, input, { signal })),
    ...engineHandlers({ engine, resolver: models, bus }),
    ...evalsHandlers(evals),
    ...decideHandlers(decide),
    ...apiHandlers({ keys: apiKeys, log: apiLog, endpoints: apiEndpoints }),
    ...docsHandlers(docs, chatRetrieval),
    // Only library models: a path the library does not know is NOT_FOUND, never a file loaded on request.
    ...embeddingsHandlers(async (ref, texts, { signal }) => {
      await models.resolve(ref, { signal });
      return embedder.embedWithUsage(texts, { model: ref, signal });
    }),
  } satisfies Handlers;
  const router = new Router(handlers);
  // Constructors only wire; start-up work (repairs after a crash, purges, resumed hashing) runs
  // here, once, with everything built.
  for (const service of [chat, compare, evals, downloads, models, docs]) service.start();

  const openAi = new OpenAiApi({ router, events: bus, keys: apiKeys, log: apiLog, queue: apiQueue });
  const apiListener = new ApiListener({ api: openAi, settings, bus, endpoints: apiEndpoints, warn: (message) => console.warn(`parity: ${message}`) });
  disposers.push(() => apiListener.dispose());
  const api: ParityApi = { openAi, listener: apiListener, endpoints: apiEndpoints, queue: apiQueue };

  let disposed = false;
  const dispose = async (): Promise<void> => {
    if (disposed) return;
    disposed = true;
    for (const d of disposers.reverse()) {
      try {
        await d();
      } catch (error) {
        console.error('dispose failed:', error);
      }
    }
  };

  return { router, bus, store, settings, providers, generation, evals, models, downloads, engine, chat, docs, api, info, dispose, [Symbol.asyncDispose]: dispose };
}
