/**
 * Runs inside the isolate (QuickJS), never in Node. It reads the two strings the host set, decides
 * expression or function body by parsing (a text that parses as an expression is one, so
 * `output.includes('return')` stays an expression), runs it, settles a returned promise through
 * QuickJS's own job queue, and leaves the verdict as JSON text for the host to read.
 */
const ISOLATE_PRELUDE = String.raw`
(function () {
  const input = JSON.parse(globalThis.__parityInput);
  const code = globalThis.__parityCode;
  delete globalThis.__parityInput;
  delete globalThis.__parityCode;
  let fn;
  try {
    fn = new Function('output', 'context', 'return (' + code.replace(/;\s*$/, '') + '\n);');
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    fn = new Function('output', 'context', code);
  }
  const box = { done: false };
  globalThis.__parityBox = box;
  const settle = (value) => { box.done = true; box.value = value; };
  const fail = (error) => { box.done = true; box.error = error && error.message !== undefined ? String(error.name || 'Error') + ': ' + String(error.message) : String(error); };
  try {
    const value = fn(input.output, input.context);
    if (value !== null && (typeof value === 'object' || typeof value === 'function') && typeof value.then === 'function') value.then(settle, fail);
    else settle(value);
  } catch (error) {
    fail(error);
  }
})();
`;

const ISOLATE_RESULT = String.raw`
(function () {
  const box = globalThis.__parityBox;
  if (!box || !box.done) return JSON.stringify({ error: 'the returned promise never settled' });
  if (box.error !== undefined) return JSON.stringify({ error: box.error });
  if (box.value === undefined) return '{"undefined":true}';
  return JSON.stringify({ value: box.value });
})()
`;

/**
 * The worker thread that hosts the isolate: trusted code, CommonJS, evaluated from this string so
 * it needs no separate bundle entry. The QuickJS module paths come from the host's resolution.
 */
export const SANDBOX_WORKER_SOURCE = String.raw`
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const core = require(workerData.corePath);
const variantModule = require(workerData.variantPath);
const variant = variantModule.default || variantModule;
const PRELUDE = ${JSON.stringify(ISOLATE_PRELUDE)};
const RESULT = ${JSON.stringify(ISOLATE_RESULT)};
let modulePromise = null;

function describe(vm, handle) {
  try {
    const error = vm.dump(handle);
    if (error && typeof error === 'object') return String(error.name || 'Error') + ': ' + String(error.message);
    return String(error);
  } catch (e) {
    return 'the script threw';
  }
}

function classify(message, timedOut) {
  if (timedOut) return 'timeout';
  if (/out of memory/i.test(message)) return 'memory';
  return 'error';
}

function runJob(QuickJS, job) {
  const runtime = QuickJS.newRuntime();
  let timedOut = false;
  try {
    runtime.setMemoryLimit(job.memoryBytes);
    runtime.setMaxStackSize(512 * 1024);
    const deadline = Date.now() + job.timeoutMs;
    runtime.setInterruptHandler(() => {
      if (Date.now() > deadline) timedOut = true;
      return timedOut;
    });
    const vm = runtime.newContext();
    try {
      const setString = (name, text) => {
        const handle = vm.newString(text);
        vm.setProp(vm.global, name, handle);
        handle.dispose();
      };
      setString('__parityInput', job.input);
      setString('__parityCode', job.code);
      const started = vm.evalCode(PRELUDE, 'assertion.js');
      if (started.error) {
        const message = describe(vm, started.error);
        started.error.dispose();
        return failure(job, message, timedOut);
      }
      started.value.dispose();
      const pending = runtime.executePendingJobs(-1);
      if (pending.error) {
        const message = describe(vm, pending.error);
        pending.error.dispose();
        return failure(job, message, timedOut);
      }
      const result = vm.evalCode(RESULT, 'result.js');
      if (result.error) {
        const message = describe(vm, result.error);
        result.error.dispose();
        return failure(job, message, timedOut);
      }
      const json = vm.getString(result.value);
      result.value.dispose();
      const parsed = JSON.parse(json);
      if (parsed.error !== undefined) return failure(job, String(parsed.error), timedOut);
      return { id: job.id, ok: true, json };
    } finally {
      vm.dispose();
    }
  } finally {
    runtime.dispose();
  }
}

function failure(job, message, timedOut) {
  const kind = classify(message, timedOut);
  const text = kind === 'timeout' ? 'timed out after ' + job.timeoutMs + ' ms'
    : kind === 'memory' ? 'ran out of memory (limit ' + Math.round(job.memoryBytes / 1048576) + ' MB)'
    : message;
  return { id: job.id, ok: false, kind, message: text };
}

parentPort.on('message', async (job) => {
  try {
    modulePromise = modulePromise || core.newQuickJSWASMModuleFromVariant(variant);
    const QuickJS = await modulePromise;
    parentPort.postMessage(runJob(QuickJS, job));
  } catch (error) {
    // A failure of the isolate machinery itself (not of the script): start afresh next time.
    modulePromise = null;
    parentPort.postMessage({ id: job.id, ok: false, kind: 'error', message: 'the script sandbox failed: ' + (error && error.message ? error.message : String(error)) });
  }
});
`;
