/**
 * EVAL_UI_PROFILE=1 helpers for bench/eval-ui.bench-run.ts: what the renderer's main thread did
 * while the run panel opened and while cells streamed in, overall and inside each long task (the
 * number the target is about).
 */
import type { CDPSession } from '@playwright/test';

export interface CpuProfile {
  nodes: Array<{ id: number; parent?: number; children?: number[]; callFrame: { functionName: string; url: string; lineNumber: number } }>;
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  args?: { name?: string; data?: { functionName?: string; url?: string } };
}

const frameName = (f: CpuProfile['nodes'][number]['callFrame']): string => `${f.functionName || '(anonymous)'} ${f.url.split('/').pop()}:${f.lineNumber}`;

const table = (rows: Iterable<[string, number]>, top = 15): string =>
  [...rows]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([n, ms]) => `  ${ms.toFixed(1).padStart(7)} ms  ${n}`)
    .join('\n');

/** Self time by function over samples whose time is in [from, to) (µs, the trace clock), or all of them. */
function selfTime(profile: CpuProfile, from = -Infinity, to = Infinity): Map<string, number> {
  const byNode = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  let t = profile.startTime;
  profile.samples.forEach((id, i) => {
    t += profile.timeDeltas[i] ?? 0;
    if (t < from || t >= to) return;
    const name = frameName(byNode.get(id)!.callFrame);
    if (name.startsWith('(idle)')) return;
    self.set(name, (self.get(name) ?? 0) + (profile.timeDeltas[i + 1] ?? 0) / 1000);
  });
  return self;
}

/** Total (inclusive) time by function over the window: which component or hook a long task is spent under. */
function totalTime(profile: CpuProfile, from: number, to: number): Map<string, number> {
  const byNode = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const total = new Map<string, number>();
  let t = profile.startTime;
  profile.samples.forEach((id, i) => {
    t += profile.timeDeltas[i] ?? 0;
    if (t < from || t >= to) return;
    const ms = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    const seen = new Set<string>();
    for (let n: number | undefined = id; n !== undefined; n = parent.get(n)) {
      const name = frameName(byNode.get(n)!.callFrame);
      if (seen.has(name) || name.startsWith('(root)') || name.startsWith('(program)') || name.startsWith('(idle)')) continue;
      seen.add(name);
      total.set(name, (total.get(name) ?? 0) + ms);
    }
  });
  return total;
}

function printProfile(label: string, profile: CpuProfile, trace: TraceEvent[]): void {
  console.log(`${label}: self time\n${table(selfTime(profile))}`);
  // Main-thread time by trace event (Layout, UpdateLayoutTree, Paint, FunctionCall, ...): what "(program)" is made of.
  const main = new Set(trace.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`));
  const onMain = trace.filter((e) => e.ph === 'X' && e.dur && main.has(`${e.pid}:${e.tid}`));
  const byName = new Map<string, number>();
  for (const e of onMain) byName.set(e.name, (byName.get(e.name) ?? 0) + e.dur! / 1000);
  console.log(`${label}: trace events on the main thread by total duration (nested events overlap)\n${table(byName)}`);
  const tasks = onMain.filter((e) => e.name === 'ThreadControllerImpl::RunTask').sort((a, b) => b.dur! - a.dur!);
  const over = (ms: number) => tasks.filter((t) => t.dur! > ms * 1000).length;
  console.log(`${label}: ${tasks.length} main-thread tasks; over 2/5/10/20 ms: ${over(2)}/${over(5)}/${over(10)}/${over(20)}`);
  for (const task of tasks.slice(0, 4)) {
    const end = task.ts + task.dur!;
    const inside = new Map<string, number>();
    for (const e of onMain) {
      if (e === task || e.ts < task.ts || e.ts >= end) continue;
      const what = e.name === 'FunctionCall' || e.name === 'TimerFire' ? `${e.name} ${e.args?.data?.functionName ?? ''} ${(e.args?.data?.url ?? '').split('/').pop()}` : e.name;
      inside.set(what, (inside.get(what) ?? 0) + e.dur! / 1000);
    }
    console.log(
      `${label}: a ${(task.dur! / 1000).toFixed(0)} ms task\n  trace events:\n${table(inside, 12)}\n  self time:\n${table(selfTime(profile, task.ts, end), 12)}\n  total time:\n${table(totalTime(profile, task.ts, end), 25)}`,
    );
  }
}

/** Starts the CPU profiler and a trace on the page; the returned function stops both and prints them under `label`. */
export async function startProfile(cdp: CDPSession): Promise<(label: string) => Promise<void>> {
  const trace: TraceEvent[] = [];
  const collect = (e: { value: unknown[] }) => void trace.push(...(e.value as TraceEvent[]));
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.start');
  cdp.on('Tracing.dataCollected', collect);
  await cdp.send('Tracing.start', { categories: 'toplevel,devtools.timeline,__metadata', transferMode: 'ReportEvents' });
  return async (label) => {
    const profile = (await cdp.send('Profiler.stop')).profile as unknown as CpuProfile;
    const done = new Promise((r) => cdp.once('Tracing.tracingComplete', r));
    await cdp.send('Tracing.end');
    await done;
    cdp.off('Tracing.dataCollected', collect);
    printProfile(label, profile, trace);
  };
}
