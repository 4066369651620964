import { describe, expect, it } from 'vitest';
import { catalogueWithFit, CATALOGUE } from '../../src/main/core/models/catalogue';
import { describeLicence } from '../../src/main/core/models/licence';

describe('licence warnings', () => {
  it('allows permissive licences without a warning', () => {
    expect(describeLicence('mit')).toMatchObject({ commercialUse: 'allowed', warning: null, name: 'MIT' });
    expect(describeLicence('Apache-2.0')).toMatchObject({ commercialUse: 'allowed', warning: null });
  });

  it('warns on community and non-commercial licences', () => {
    expect(describeLicence('llama3.2')).toMatchObject({ commercialUse: 'restricted' });
    expect(describeLicence('llama2').warning).toMatch(/700M/);
    expect(describeLicence('cc-by-nc-4.0')).toMatchObject({ commercialUse: 'restricted', warning: 'Non-commercial use only.' });
    expect(describeLicence('other', 'Research-only licence')).toMatchObject({ commercialUse: 'restricted' });
  });

  it('warns when the file names no licence or an unknown one', () => {
    expect(describeLicence(null)).toMatchObject({ id: null, commercialUse: 'unknown' });
    expect(describeLicence(null).warning).toMatch(/no licence/);
    expect(describeLicence('custom-thing').warning).toMatch(/not one Parity knows/);
  });
});

describe('catalogue fit before download', () => {
  const GiB = 1024 ** 3;
  const hardware = (ram: number, free: number) => ({
    backend: 'cpu',
    gpuDevices: [],
    cpuCores: 2,
    ramTotalBytes: ram,
    ramFreeBytes: free,
    vramTotalBytes: 0,
    vramFreeBytes: 0,
  });

  it('lists about eight hf: entries with sizes and licences', () => {
    expect(CATALOGUE.length).toBeGreaterThanOrEqual(8);
    for (const item of CATALOGUE) {
      expect(item.uri).toMatch(/^hf:[^/]+\/[^/]+\/.+\.gguf$/);
      expect(item.ramBytes).toBeGreaterThanOrEqual(item.sizeBytes);
    }
  });

  it('offers small embedding models for document collections, named as such', () => {
    const embedding = CATALOGUE.filter((item) => item.name.endsWith('(embeddings)'));
    expect(embedding.map((item) => item.id)).toEqual(['bge-small-en-v1.5-q8_0', 'nomic-embed-text-v1.5-q4_k_m']);
    for (const item of embedding) expect(item.description).toMatch(/Not a chat model/);
  });

  it('says 7B models will not fit a 4 GiB machine and small ones do', () => {
    const entries = catalogueWithFit(hardware(4 * GiB, 3.5 * GiB), () => null);
    const byId = new Map(entries.map((e) => [e.id, e]));
    expect(byId.get('qwen2.5-7b-instruct-q4_k_m')!.fit.level).toBe('wont_fit');
    expect(byId.get('qwen2.5-0.5b-instruct-q4_k_m')!.fit).toMatchObject({ level: 'fits', basis: 'size-estimate' });
    expect(byId.get('llama-3.2-3b-instruct-q4_k_m')!.fit.level).toBe('tight');
  });
});
