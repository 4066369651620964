import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/main/cli/program';
import { cliIo } from '../helpers/cli';
import { STORIES_MODEL, tempDir } from '../helpers/tmp';

const STORIES_SHA256 = '270cba1bd5109f42d03350f60406024560464db173c0e387d91f0426d3bd256d';

describe('parity models (CLI)', () => {
  it('adds a linked model, lists it as JSON, removes it, and leaves the linked file alone', async () => {
    using dir = tempDir();
    const add = cliIo();
    expect(await runCli(['--data-dir', dir.path, 'models', 'add', STORIES_MODEL, '--link'], add)).toBe(0);
    expect(add.stdout()).toMatch(/^Added stories260k-[0-9a-f]{6}/i);
    expect(add.stdout()).toContain(STORIES_SHA256);
    expect(add.stdout()).toContain('chat template absent');

    const list = cliIo();
    expect(await runCli(['--data-dir', dir.path, 'models', 'list', '--json'], list)).toBe(0);
    const models = JSON.parse(list.stdout()) as Array<{ id: string; storage: string; sha256: string; architecture: string }>;
    expect(models).toHaveLength(1);
    expect(models[0]).toMatchObject({ storage: 'link', sha256: STORIES_SHA256, architecture: 'llama' });

    const table = cliIo();
    expect(await runCli(['--data-dir', dir.path, 'models', 'list'], table)).toBe(0);
    expect(table.stdout()).toMatch(/ID\s+NAME\s+ARCH/);
    expect(table.stdout()).toContain(models[0]!.id);

    const rm = cliIo();
    expect(await runCli(['--data-dir', dir.path, 'models', 'rm', models[0]!.id], rm)).toBe(0);
    expect(rm.stdout()).toContain('left in place');
    expect(existsSync(STORIES_MODEL)).toBe(true);

    const empty = cliIo();
    expect(await runCli(['--data-dir', dir.path, 'models', 'list', '--json'], empty)).toBe(0);
    expect(JSON.parse(empty.stdout())).toEqual([]);
  });

  it('fails with a clear message and a non-zero exit for a non-GGUF file and an unknown id', async () => {
    using dir = tempDir();
    const bad = join(dir.path, 'notes.gguf');
    writeFileSync(bad, 'plain text, certainly not a GGUF model');
    const add = cliIo();
    expect(await runCli(['--data-dir', dir.path, 'models', 'add', bad], add)).toBe(1);
    expect(add.stderr()).toMatch(/notes\.gguf cannot be used as a model: it is not a GGUF file/);

    const rm = cliIo();
    expect(await runCli(['--data-dir', dir.path, 'models', 'rm', 'nope'], rm)).toBe(1);
    expect(rm.stderr()).toMatch(/Model "nope" was not found/);
  });

  it('downloads with progress on stderr, and exits 1 naming the mismatch when the published digest is wrong', async () => {
    using dir = tempDir();
    const body = readFileSync(STORIES_MODEL);
    let etag = STORIES_SHA256;
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'Content-Length': String(body.length), ETag: `"${etag}"` });
      res.end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const ok = cliIo();
      expect(await runCli(['--data-dir', dir.path, 'models', 'download', `${base}/a/stories260K.gguf`], ok)).toBe(0);
      expect(ok.stdout()).toMatch(/^Added stories260k-/i);
      expect(ok.stdout()).toContain(STORIES_SHA256);
      expect(ok.stderr()).toContain('stories260K.gguf: ');

      etag = 'e'.repeat(64);
      const bad = cliIo();
      expect(await runCli(['--data-dir', dir.path, 'models', 'download', `${base}/b/other.gguf`], bad)).toBe(1);
      expect(bad.stderr()).toMatch(/Checksum mismatch: the host says sha256 e{64}/);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('says on stderr when a download retries: which retry of how many, why, and when', async () => {
    using dir = tempDir();
    const body = readFileSync(STORIES_MODEL);
    let requests = 0;
    const server = createServer((req, res) => {
      if (req.method === 'HEAD') {
        res.writeHead(200, { 'Content-Length': String(body.length), ETag: `"${STORIES_SHA256}"` });
        res.end();
        return;
      }
      // The first attempt's connection drops before any byte of the body; the retry gets the file.
      if (++requests === 1) {
        res.writeHead(200, { 'Content-Length': String(body.length) });
        res.flushHeaders();
        res.destroy();
        return;
      }
      res.writeHead(200, { 'Content-Length': String(body.length), ETag: `"${STORIES_SHA256}"` });
      res.end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const run = cliIo();
      expect(await runCli(['--data-dir', dir.path, 'models', 'download', `${base}/stories260K.gguf`], run)).toBe(0);
      expect(requests).toBe(2);
      expect(run.stderr()).toMatch(/stories260K\.gguf: attempt failed \(.+\); retry 1 of 5, next try in 0\.\d s\n/);
      expect(run.stdout()).toMatch(/^Added stories260k-/i);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
