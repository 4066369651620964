import { copyFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { getLlama, type Llama } from 'node-llama-cpp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventPayload } from '../../src/shared/contract';
import { AppError } from '../../src/shared/errors';
import { EventBus } from '../../src/main/core/events/EventBus';
import { ModelLibrary } from '../../src/main/core/models/ModelLibrary';
import { Store } from '../../src/main/core/store/Store';
import { ModelRepository } from '../../src/main/core/store/ModelRepository';
import { databasePath } from '../../src/main/core/app/dataDir';
import { computeFit, MAX_PLAUSIBLE_CONTEXT, readHardware } from '../../src/main/core/models/fit';
import { inspectGguf } from '../../src/main/core/models/inspectGguf';
import { writeWithContextLength } from '../helpers/patchGguf';
import { STORIES_MODEL, SYNTHETIC_MODEL, tempDir } from '../helpers/tmp';

/** Digests from ../shared/models/README.md. */
const STORIES_SHA256 = '270cba1bd5109f42d03350f60406024560464db173c0e387d91f0426d3bd256d';
const SYNTHETIC_SHA256 = '23f8f0f8b18b5d28febb31c15004be35ffc2630f3a3f0656deec6586f59d944f';

describe('ModelLibrary on real GGUF files and a real SQLite store', () => {
  let llama: Llama;
  const llamaOnce = (): Promise<Llama> => Promise.resolve(llama);

  beforeAll(async () => {
    llama = await getLlama({ gpu: false, build: 'never' });
  });
  afterAll(async () => {
    await llama?.dispose();
  });

  function open(dataDir: string): { store: Store; library: ModelLibrary; bus: EventBus } & AsyncDisposable {
    const store = Store.open({ path: databasePath(dataDir) });
    const bus = new EventBus();
    const library = new ModelLibrary({ store, repo: new ModelRepository(store), dataDir, getLlama: llamaOnce, bus });
    library.start();
    return {
      store,
      library,
      bus,
      [Symbol.asyncDispose]: async () => {
        await library.dispose();
        store.dispose();
      },
    };
  }

  it('imports stories260K as a copy, reads its metadata and hashes it in the background', async () => {
    using dir = tempDir();
    await using env = open(dir.path);
    const progress: Array<EventPayload<'models.hashProgress'>> = [];
    env.bus.on('models.hashProgress', (p) => progress.push(p));

    const { model, alreadyPresent } = await env.library.import(STORIES_MODEL, { mode: 'copy' });
    expect(alreadyPresent).toBe(false);
    expect(model).toMatchObject({
      storage: 'copy',
      architecture: 'llama',
      hasChatTemplate: false,
      sizeBytes: 1_185_376,
      quantization: 'F32',
      trainContextSize: 2048,
      fileExists: true,
    });
    expect(model.parameterCount).toBeGreaterThan(200_000);
    expect(model.path).toBe(join(dir.path, 'models', 'stories260K.gguf'));
    expect(readFileSync(model.path).equals(readFileSync(STORIES_MODEL))).toBe(true);
    expect(model.licence).toMatchObject({ id: null, commercialUse: 'unknown' });
    expect(model.licence.warning).toMatch(/no licence/i);
    expect(model.fit).toMatchObject({ level: 'fits', maxContextSize: 2048, basis: 'insights' });

    expect(await env.library.waitForHash(model.id)).toBe(STORIES_SHA256);
    expect((await env.library.get(model.id)).sha256).toBe(STORIES_SHA256);
    expect(progress.at(-1)).toMatchObject({ modelId: model.id, state: 'done', sha256: STORIES_SHA256 });
  });

  it('links the synthetic model in place and reads its chat template, licence and name', async () => {
    using dir = tempDir();
    await using env = open(dir.path);
    const { model } = await env.library.import(SYNTHETIC_MODEL, { mode: 'link' });
    expect(model).toMatchObject({
      storage: 'link',
      path: SYNTHETIC_MODEL,
      architecture: 'llama',
      hasChatTemplate: true,
      quantization: 'Q4_0',
      name: 'synthetic-llama-random',
      trainContextSize: 4096,
    });
    expect(model.licence).toMatchObject({ id: 'mit', commercialUse: 'allowed', warning: null });
    expect(model.parameterCount).toBeGreaterThan(80_000_000);
    expect(existsSync(join(dir.path, 'models'))).toBe(false);
    expect(await env.library.waitForHash(model.id)).toBe(SYNTHETIC_SHA256);

    // Removing a linked model never deletes the user's file.
    expect(await env.library.remove(model.id)).toEqual({ id: model.id, fileDeleted: false });
    expect(existsSync(SYNTHETIC_MODEL)).toBe(true);
    expect(await env.library.list()).toEqual([]);
  });

  it('returns the existing model when the same file is imported twice', async () => {
    using dir = tempDir();
    await using env = open(dir.path);
    const first = await env.library.import(STORIES_MODEL, { mode: 'copy' });
    const second = await env.library.import(STORIES_MODEL, { mode: 'copy' });
    expect(second).toMatchObject({ alreadyPresent: true, model: { id: first.model.id } });
    expect(readdirSync(join(dir.path, 'models')).filter((f) => f.endsWith('.gguf'))).toEqual(['stories260K.gguf']);
    expect(await env.library.list()).toHaveLength(1);
  });

  it('four parallel imports of one file leave one entry whose file exists', async () => {
    using dir = tempDir();
    await using env = open(dir.path);
    const results = await Promise.all([1, 2, 3, 4].map(() => env.library.import(STORIES_MODEL, { mode: 'copy' })));
    const models = await env.library.list();
    expect(models).toHaveLength(1);
    expect(models[0]!.fileExists).toBe(true);
    expect(readFileSync(models[0]!.path).equals(readFileSync(STORIES_MODEL))).toBe(true);
    expect(results.filter((r) => !r.alreadyPresent)).toHaveLength(1);
    expect(new Set(results.map((r) => r.model.id))).toEqual(new Set([models[0]!.id]));
    // No stray copies or temporary files left in the library folder.
    expect(readdirSync(join(dir.path, 'models'))).toEqual(['stories260K.gguf']);
    expect(models[0]!.sha256).toBe(STORIES_SHA256);
  });

  it('refuses the same bytes from another path with MODEL_ALREADY_IN_LIBRARY, naming the model', async () => {
    using dir = tempDir();
    using src = tempDir();
    await using env = open(dir.path);
    const { model } = await env.library.import(STORIES_MODEL, { mode: 'copy' });
    const renamed = join(src.path, 'my-copy.gguf');
    copyFileSync(STORIES_MODEL, renamed);
    const error = await env.library.import(renamed, { mode: 'copy' }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'MODEL_ALREADY_IN_LIBRARY', details: { id: model.id, name: model.name } });
    expect((error as AppError).message).toContain(`already in the library as "${model.name}"`);
    expect(await env.library.list()).toHaveLength(1);
    expect(readdirSync(join(dir.path, 'models'))).toEqual(['stories260K.gguf']);
    // Linking the same bytes is refused too; a folder scan counts them as already present, not as a failure.
    await expect(env.library.import(renamed, { mode: 'link' })).rejects.toMatchObject({ code: 'MODEL_ALREADY_IN_LIBRARY' });
    const scan = await env.library.scan(src.path, { mode: 'link' });
    expect(scan).toMatchObject({ imported: [], alreadyPresent: [model.id], skipped: [] });
    expect(await env.library.list()).toHaveLength(1);
  });

  it('caps the fit of a GGUF claiming a 4-billion-token context at what memory holds, and warns about it', async () => {
    using dir = tempDir();
    using src = tempDir();
    await using env = open(dir.path);
    const absurd = join(src.path, 'claims-4g-context.gguf');
    writeWithContextLength(STORIES_MODEL, absurd, 0xffffffff);
    const { model } = await env.library.import(absurd, { mode: 'link' });
    expect(model.trainContextSize).toBe(4_294_967_295);
    expect(model.metadataWarning).toMatch(/claims a trained context of 4,294,967,295 tokens/);
    expect(model.fit).not.toBeNull();
    expect(model.fit!.note).toContain(model.metadataWarning);
    expect(model.fit!.maxContextSize).toBeGreaterThanOrEqual(2048);
    expect(model.fit!.maxContextSize).toBeLessThanOrEqual(MAX_PLAUSIBLE_CONTEXT);
    const plain = await env.library.import(STORIES_MODEL, { mode: 'link' });
    expect(plain.model.metadataWarning).toBeNull();
    expect(plain.model.fit?.note ?? '').not.toMatch(/claims/);

    // With 64 MB free, the cap is what 64 MB holds, not the claim.
    const { insights } = await inspectGguf(absurd, llama);
    const hardware = { ...(await readHardware(llama)), ramFreeBytes: 64 * 1024 ** 2, vramFreeBytes: 0 };
    const fit = await computeFit(insights, hardware);
    expect(fit.maxContextSize).toBeGreaterThan(4096);
    const need = await insights.estimateContextResourceRequirementsV2({ contextSize: fit.maxContextSize!, modelGpuLayers: 0 });
    expect(need.cpuRam + insights.modelSize).toBeLessThanOrEqual(64 * 1024 ** 2);
  });

  it('deletes a copied file on remove', async () => {
    using dir = tempDir();
    await using env = open(dir.path);
    const { model } = await env.library.import(STORIES_MODEL, { mode: 'copy' });
    await env.library.waitForHash(model.id);
    expect(await env.library.remove(model.id)).toEqual({ id: model.id, fileDeleted: true });
    expect(existsSync(model.path)).toBe(false);
    await expect(env.library.get(model.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  async function expectRefused(env: { library: ModelLibrary }, dataDir: string, file: string, pattern: RegExp): Promise<void> {
    const error = await env.library.import(file, { mode: 'copy' }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('MODEL_INVALID_FILE');
    expect((error as AppError).message).toContain(file.split('/').pop()!);
    expect((error as AppError).message).toMatch(pattern);
    expect(await env.library.list()).toEqual([]);
    const modelsDir = join(dataDir, 'models');
    expect(existsSync(modelsDir) ? readdirSync(modelsDir) : []).toEqual([]);
  }

  it('refuses a truncated copy with MODEL_INVALID_FILE and adds nothing', async () => {
    using dir = tempDir();
    using src = tempDir();
    await using env = open(dir.path);
    const truncated = join(src.path, 'stories-truncated.gguf');
    const bytes = readFileSync(STORIES_MODEL);
    writeFileSync(truncated, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    await expectRefused(env, dir.path, truncated, /truncated/);
  });

  it('refuses a file cut inside its header', async () => {
    using dir = tempDir();
    using src = tempDir();
    await using env = open(dir.path);
    const cut = join(src.path, 'header-cut.gguf');
    writeFileSync(cut, readFileSync(STORIES_MODEL).subarray(0, 4000));
    await expectRefused(env, dir.path, cut, /header|truncated/);
  });

  it('refuses a non-GGUF text file with MODEL_INVALID_FILE and adds nothing', async () => {
    using dir = tempDir();
    using src = tempDir();
    await using env = open(dir.path);
    const text = join(src.path, 'notes.gguf');
    writeFileSync(text, 'These are my notes, not a model.\n'.repeat(20));
    await expectRefused(env, dir.path, text, /not a GGUF file/);
  });

  it('scans a folder: imports the good files, skips and explains the bad ones', async () => {
    using dir = tempDir();
    using folder = tempDir();
    await using env = open(dir.path);
    copyFileSync(STORIES_MODEL, join(folder.path, 'a-stories.gguf'));
    writeFileSync(join(folder.path, 'b-broken.gguf'), 'this is not a model at all, just text');
    writeFileSync(join(folder.path, 'readme.txt'), 'ignored');
    const result = await env.library.scan(folder.path, { mode: 'link' });
    expect(result.imported.map((m) => m.fileName)).toEqual(['a-stories.gguf']);
    expect(result.skipped).toHaveLength(1);
    expect(result.skipped[0]!.path).toContain('b-broken.gguf');
    expect(result.skipped[0]!.reason).toMatch(/not a GGUF file/);
    const again = await env.library.scan(folder.path, { mode: 'link' });
    expect(again.imported).toEqual([]);
    expect(again.alreadyPresent).toEqual([result.imported[0]!.id]);
  });

  it('resolves an id, and a path not yet in the library by importing it as a link', async () => {
    using dir = tempDir();
    await using env = open(dir.path);
    await expect(env.library.resolve(STORIES_MODEL)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const resolved = await env.library.resolve(STORIES_MODEL, { importIfMissing: true });
    expect(resolved).toMatchObject({ path: STORIES_MODEL, hasChatTemplate: false, trainContextSize: 2048 });
    const byId = await env.library.resolve(`local:${resolved.id}`);
    expect(byId.id).toBe(resolved.id);
    expect((await env.library.get(resolved.id)).storage).toBe('link');
  });

  it('keeps the library across a restart and finishes an interrupted hash', async () => {
    using dir = tempDir();
    let id: string;
    {
      await using env = open(dir.path);
      ({ model: { id } } = await env.library.import(SYNTHETIC_MODEL, { mode: 'link' }));
      // Disposing right away cancels the hash: the row must go back to pending, not failed.
    }
    await using env = open(dir.path);
    expect(await env.library.waitForHash(id)).toBe(SYNTHETIC_SHA256);
    expect((await env.library.get(id)).hashState).toBe('done');
  });
});

