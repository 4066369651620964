import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');

/** Starts `parity serve --data-dir <temp>` and resolves with the printed URL. */
export async function startServe(extraArgs: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<{ proc: ChildProcess; url: string; dataDir: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'parity-e2e-'));
  const proc = spawn(process.execPath, [join(ROOT, 'bin', 'parity.js'), '--data-dir', dataDir, 'serve', ...extraArgs], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  proc.stderr!.on('data', (c) => (stderr += String(c)));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`parity serve printed no URL in 30s. stderr: ${stderr}`)), 30_000);
    proc.stdout!.on('data', (chunk) => {
      out += String(chunk);
      const match = /(http:\/\/\S+\?token=\S+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    proc.once('exit', (code) => reject(new Error(`parity serve exited with ${code}: ${stderr}`)));
  });
  return { proc, url, dataDir };
}

