import { Worker } from 'node:worker_threads';

export interface JavascriptSandboxOptions {
  /** Wall-clock limit; the worker is terminated when it passes (an infinite loop cannot hang us). */
  timeoutMs?: number;
  /** Heap limit of the worker, so a memory bomb dies alone. */
  maxHeapMb?: number;
}

export type SandboxValue = boolean | number | { pass?: unknown; score?: unknown; reason?: unknown } | null | undefined | string;

/**
 * The worker compiles the user's code inside a fresh `vm` context that holds only `output` and
 * `context`: no require, no process, no import. The worker itself gives a hard time and memory
 * limit that `vm`'s own `timeout` cannot (it does not cover async code or allocation).
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const vm = require('node:vm');
const { code, output, context, timeoutMs } = workerData;
try {
  const body = /\\breturn\\b/.test(code) ? code : 'return (' + code + '\\n);';
  const sandbox = vm.createContext({ output, context }, { codeGeneration: { strings: false, wasm: false } });
  const fn = vm.runInContext('(function (output, context) {\\n' + body + '\\n})', sandbox, { timeout: timeoutMs });
  const value = vm.runInContext('__fn(output, context)', Object.assign(sandbox, { __fn: fn }), { timeout: timeoutMs });
  const plain = value === undefined ? { undefined: true } : { value: JSON.parse(JSON.stringify(value ?? null)) };
  parentPort.postMessage({ ok: true, ...plain });
} catch (error) {
  parentPort.postMessage({ ok: false, message: error && error.message ? String(error.message) : String(error) });
}
`;

export class SandboxError extends Error {
  override readonly name = 'SandboxError';
}

/** Runs a promptfoo-style `javascript` assertion: an expression, or a body with `return`. */
export function runJavascript(
  code: string,
  output: string,
  context: Record<string, unknown>,
  options: JavascriptSandboxOptions = {},
): Promise<SandboxValue> {
  const timeoutMs = options.timeoutMs ?? 1000;
  const maxHeapMb = options.maxHeapMb ?? 64;
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { code, output, context, timeoutMs },
      resourceLimits: { maxOldGenerationSizeMb: maxHeapMb, maxYoungGenerationSizeMb: 16, stackSizeMb: 4 },
      env: {},
      stdout: true,
      stderr: true,
    });
    let settled = false;
    const settle = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      fn();
    };
    // The hard stop: covers what vm's timeout cannot, plus worker start-up.
    const timer = setTimeout(() => settle(() => reject(new SandboxError(`timed out after ${timeoutMs} ms`))), timeoutMs + 500);
    worker.once('message', (msg: { ok: boolean; value?: SandboxValue; undefined?: boolean; message?: string }) => {
      settle(() => (msg.ok ? resolve(msg.undefined ? undefined : msg.value) : reject(new SandboxError(msg.message ?? 'the expression threw'))));
    });
    worker.once('error', (error) => settle(() => reject(new SandboxError(error.message))));
    worker.once('exit', (code) => settle(() => reject(new SandboxError(`the sandbox stopped (exit ${code}); it may have run out of memory`))));
  });
}
