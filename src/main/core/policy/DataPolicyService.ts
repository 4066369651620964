import type { ChatMessage } from '../../../shared/domain/generation';
import { isLocal, routeName } from '../../../shared/domain/modelRef';
import { AppError } from '../../../shared/errors';
import {
  ACTION_RANK,
  BUILTIN_DETECTORS,
  detectorLabel,
  EMPTY_POLICY,
  rulesFor,
  type DataPolicy,
  type PolicyAction,
  type PolicyBudget,
  type PolicyRoute,
} from '../../../shared/domain/dataPolicy';
import { BUILTIN_DETECTOR_IMPLS } from './detectors/builtin';
import { parsePolicyYaml } from './loadPolicyFile';
import type { StoredPolicyFile } from './StoredPolicyFile';
import type { DetectedSpan } from './detectors/types';
import { userRegexDetector, type RegexSandbox } from './detectors/userRegex';
import { userTermsDetector } from './detectors/userTerms';

/** How many values of one detector a message set held, and what the policy did with them. */
export interface PolicyFinding {
  detector: string;
  action: Exclude<PolicyAction, 'allow'>;
  count: number;
}

export type ScreeningOutcome = 'clear' | 'warned' | 'redacted' | 'blocked';

export interface Screening {
  outcome: ScreeningOutcome;
  findings: PolicyFinding[];
  /** What may be sent: the input with every redacted value replaced by its placeholder. */
  messages: ChatMessage[];
  /** Placeholder → original value, for putting the values back in the answer on the device. */
  originals: Map<string, string>;
  /** "blocked by data policy: 1 IBAN" when blocked; never the values. */
  refusal: string | null;
}

export interface DataPolicyServiceOptions {
  /** The policy from `--policy` / PARITY_POLICY_FILE: when given, it is the policy and Settings cannot change it. */
  file?: { path: string; policy: DataPolicy } | null;
  /** The policy kept in Settings → Data policy; edits apply to the next request. */
  stored?: StoredPolicyFile | null;
  /** User regexes run only here. */
  sandbox: RegexSandbox;
}

export interface PolicyView {
  source: 'file' | 'stored';
  path: string | null;
  /** The stored policy's text; null for a file policy (read the file). */
  yaml: string | null;
  policy: DataPolicy;
  /** Why the stored policy does not load; remote requests are refused until it is fixed. */
  error: string | null;
}

interface Hit extends DetectedSpan {
  detector: string;
}

/**
 * Decides, for one outbound generation, what each detector found and what the policy does with
 * it: nothing, a warning on the record, placeholders instead of the values, or a refusal.
 * Only detectors the policy sets to something other than `allow` for that model are run.
 */
export class DataPolicyService {
  readonly #file: { path: string; policy: DataPolicy } | null;
  readonly #stored: StoredPolicyFile | null;
  readonly #sandbox: RegexSandbox;

  constructor(options: DataPolicyServiceOptions) {
    this.#file = options.file ?? null;
    this.#stored = options.stored ?? null;
    this.#sandbox = options.sandbox;
  }

  /** Where the policy in force comes from, as Settings shows it. */
  view(): PolicyView {
    if (this.#file) return { source: 'file', path: this.#file.path, yaml: null, policy: this.#file.policy, error: null };
    const stored = this.#stored?.read();
    return { source: 'stored', path: this.#stored?.path ?? null, yaml: stored?.yaml ?? '', policy: stored?.policy ?? EMPTY_POLICY, error: stored?.error?.message ?? null };
  }

  /** Replaces the stored policy; refused while a `--policy` file is in force, since that file would still win. */
  setStored(yaml: string): PolicyView {
    if (this.#file) {
      throw new AppError('CONFLICT', `The data policy comes from the file ${this.#file.path} (--policy or PARITY_POLICY_FILE); edit that file instead.`, { path: this.#file.path });
    }
    if (!this.#stored) throw new AppError('NOT_SUPPORTED', 'This Parity has no place to keep a data policy.');
    this.#stored.write(yaml);
    return this.view();
  }

  /** The policy in force; a stored policy that no longer loads refuses every remote request rather than sending under no policy. */
  current(): DataPolicy {
    if (this.#file) return this.#file.policy;
    const stored = this.#stored?.read();
    if (stored?.error) throw stored.error;
    return stored?.policy ?? EMPTY_POLICY;
  }

  /** The models of `route:<name>`, or null when the policy in force has no such route. */
  route(name: string): PolicyRoute | null {
    return this.current().routes[name] ?? null;
  }

  routeNames(): string[] {
    try {
      return Object.keys(this.current().routes);
    } catch {
      // A stored policy that does not load lists no routes; using one reports why.
      return [];
    }
  }

  /** Whether an eval run may go out without the policy (the policy's `evalBypass`). */
  allowsEvalBypass(): boolean {
    return this.current().evalBypass;
  }

  /** The spending limit of a provider or endpoint (`openai`, `compat:groq`), if the policy sets one. */
  budget(endpoint: string): PolicyBudget | null {
    return this.current().budgets[endpoint] ?? null;
  }

  /** What `text` would become for `ref` under the policy in force, or under `yaml` (Settings' "try it"). */
  async preview(ref: string, text: string, yaml?: string): Promise<Screening> {
    const policy = yaml === undefined ? this.current() : parsePolicyYaml(yaml, 'The data policy');
    const messages = [{ role: 'user' as const, content: text }];
    // Nothing leaves for a local model, so nothing is screened; a route is screened step by step when it runs.
    if (isLocal(ref)) return { outcome: 'clear', findings: [], messages, originals: new Map(), refusal: null };
    const route = routeName(ref);
    if (route !== null) {
      const first = policy.routes[route]?.models.find((step) => !isLocal(step));
      if (!first) return { outcome: 'clear', findings: [], messages, originals: new Map(), refusal: null };
      return this.#screenWith(policy, first, messages, {});
    }
    return this.#screenWith(policy, ref, messages, {});
  }

  /** Throws what a user regex threw (SandboxError): an unchecked message must not be sent as if clean. */
  async screen(ref: string, messages: ChatMessage[], options: { signal?: AbortSignal } = {}): Promise<Screening> {
    return this.#screenWith(this.current(), ref, messages, options);
  }

  async #screenWith(policy: DataPolicy, ref: string, messages: ChatMessage[], options: { signal?: AbortSignal }): Promise<Screening> {
    const active = Object.entries(rulesFor(policy, ref)).filter((entry): entry is [string, PolicyFinding['action']] => entry[1] !== 'allow');
    if (active.length === 0) return { outcome: 'clear', findings: [], messages, originals: new Map(), refusal: null };
    const actions = new Map(active);
    // Every text that goes out: the content, and a turn's tool calls (arguments, raw arguments, the
    // results given back). Raw arguments repeat the arguments, so they are redacted but not counted.
    const slots = messages.map(textSlots);
    const hitsPerSlot = new Map<string, Hit[]>();
    const counts = new Map<string, number>();
    for (const slot of slots.flat()) {
      const hits: Hit[] = [];
      for (const [detector] of active) {
        for (const span of await this.#detect(policy, detector, slot.text, options)) hits.push({ ...span, detector });
      }
      hitsPerSlot.set(slot.key, hits);
      if (slot.counted) for (const hit of hits) counts.set(hit.detector, (counts.get(hit.detector) ?? 0) + 1);
    }
    const findings: PolicyFinding[] = [...counts].map(([detector, count]) => ({ detector, action: actions.get(detector)!, count }));
    findings.sort((a, b) => ACTION_RANK[b.action] - ACTION_RANK[a.action] || order(a.detector) - order(b.detector));
    const blocked = findings.filter((f) => f.action === 'block' || f.action === 'local');
    if (blocked.length > 0) {
      const refusal = `blocked by data policy: ${blocked.map((f) => `${f.count} ${detectorLabel(f.detector)}${f.action === 'local' ? ' (local only)' : ''}`).join(', ')}`;
      return { outcome: 'blocked', findings, messages, originals: new Map(), refusal };
    }
    const redacting = new Set(findings.filter((f) => f.action === 'redact').map((f) => f.detector));
    if (redacting.size === 0) return { outcome: findings.length > 0 ? 'warned' : 'clear', findings, messages, originals: new Map(), refusal: null };
    const placeholders = new PlaceholderBook();
    const redact = (key: string, text: string): string => placeholders.apply(text, (hitsPerSlot.get(key) ?? []).filter((h) => redacting.has(h.detector)));
    const redacted = messages.map((m, i) => redactMessage(m, i, redact));
    return { outcome: 'redacted', findings, messages: redacted, originals: placeholders.originals, refusal: null };
  }

  async #detect(policy: DataPolicy, detector: string, text: string, options: { signal?: AbortSignal }): Promise<DetectedSpan[]> {
    // Own keys only: a custom detector may be called `constructor` or `toString`.
    if (Object.hasOwn(BUILTIN_DETECTOR_IMPLS, detector)) return BUILTIN_DETECTOR_IMPLS[detector as keyof typeof BUILTIN_DETECTOR_IMPLS].detect(text);
    const custom = Object.hasOwn(policy.custom, detector) ? policy.custom[detector] : undefined;
    if (!custom) return [];
    if ('terms' in custom) return userTermsDetector(custom.terms).detect(text);
    return userRegexDetector(this.#sandbox, custom.regex, custom.flags).detect(text, options);
  }
}

interface TextSlot {
  key: string;
  text: string;
  counted: boolean;
}

/**
 * Calls each string leaf of JSON-like data with a key for its path (JSON of the path, so `a.b`
 * and `a` → `b` stay apart); returns the data with the strings replaced.
 */
function mapStrings(value: unknown, path: Array<string | number>, fn: (key: string, text: string) => string): unknown {
  if (typeof value === 'string') return fn(JSON.stringify(path), value);
  if (Array.isArray(value)) return value.map((v, i) => mapStrings(v, [...path, i], fn));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapStrings(v, [...path, k], fn)]));
  return value;
}

function textSlots(message: ChatMessage, i: number): TextSlot[] {
  const slots: TextSlot[] = [{ key: JSON.stringify([i]), text: message.content, counted: true }];
  message.toolCalls?.forEach((call, c) => {
    slots.push({ key: JSON.stringify([i, c, 'raw']), text: call.rawArguments, counted: false });
    mapStrings(call.arguments, [i, c, 'args'], (key, text) => (slots.push({ key, text, counted: true }), text));
    mapStrings(call.result, [i, c, 'result'], (key, text) => (slots.push({ key, text, counted: true }), text));
  });
  return slots;
}

function redactMessage(message: ChatMessage, i: number, redact: (key: string, text: string) => string): ChatMessage {
  const content = redact(JSON.stringify([i]), message.content);
  if (!message.toolCalls) return { ...message, content };
  const toolCalls = message.toolCalls.map((call, c) => ({
    ...call,
    rawArguments: redact(JSON.stringify([i, c, 'raw']), call.rawArguments),
    arguments: mapStrings(call.arguments, [i, c, 'args'], redact),
    result: mapStrings(call.result, [i, c, 'result'], redact),
  }));
  return { ...message, content, toolCalls };
}

function order(detector: string): number {
  const i = (BUILTIN_DETECTORS as readonly string[]).indexOf(detector);
  return i < 0 ? BUILTIN_DETECTORS.length : i;
}

/** Numbers placeholders per label across one request, so a value repeated anywhere gets the same one. */
class PlaceholderBook {
  readonly originals = new Map<string, string>();
  readonly #byValue = new Map<string, string>();
  readonly #next = new Map<string, number>();

  apply(text: string, hits: Hit[]): string {
    // Overlaps (a phone inside a longer secret) are joined: the earlier, longer value names the placeholder.
    const spans: Hit[] = [];
    for (const hit of [...hits].sort((a, b) => a.start - b.start || b.end - a.end)) {
      const last = spans[spans.length - 1];
      if (last && hit.start < last.end) last.end = Math.max(last.end, hit.end);
      else spans.push({ ...hit });
    }
    let out = '';
    let at = 0;
    for (const span of spans) {
      out += text.slice(at, span.start) + this.#placeholderFor(span.detector, text.slice(span.start, span.end));
      at = span.end;
    }
    return out + text.slice(at);
  }

  #placeholderFor(detector: string, value: string): string {
    const label = detectorLabel(detector);
    const key = `${label}\u0000${value}`;
    const known = this.#byValue.get(key);
    if (known) return known;
    const n = (this.#next.get(label) ?? 0) + 1;
    this.#next.set(label, n);
    const placeholder = `[${label}_${n}]`;
    this.#byValue.set(key, placeholder);
    this.originals.set(placeholder, value);
    return placeholder;
  }
}

/** `policy:redacted email:redact=1 iban:warn=2`: the decision for the audit log, without any value. */
export function policyAuditStatus(screening: Pick<Screening, 'outcome' | 'findings'>): string {
  return [`policy:${screening.outcome}`, ...screening.findings.map((f) => `${f.detector}:${f.action}=${f.count}`)].join(' ');
}
