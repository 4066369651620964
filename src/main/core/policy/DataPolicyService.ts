import type { ChatMessage, GenerationParams } from '../../../shared/domain/generation';
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
import { mapRequestText, type RequestArea, type RequestSlot } from './requestText';

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
  /** Where in the request the detectors found something (the audit row names them when not only the messages). */
  areas: RequestArea[];
  /** What may be sent: the input with every redacted value replaced by its placeholder. */
  messages: ChatMessage[];
  /** The request's tools, response schema and stop sequences, redacted like the messages. */
  params: GenerationParams;
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

export interface ScreenOptions {
  signal?: AbortSignal;
  /** The request's parameters: their tools, response schema and stop sequences go out too. */
  params?: GenerationParams;
}

const AREA_ORDER: readonly RequestArea[] = ['messages', 'tools', 'response-format', 'stop'];

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
    const untouched: Screening = { outcome: 'clear', findings: [], areas: [], messages, params: {}, originals: new Map(), refusal: null };
    // Nothing leaves for a local model, so nothing is screened; a route is screened step by step when it runs.
    if (isLocal(ref)) return untouched;
    const route = routeName(ref);
    if (route !== null) {
      const first = policy.routes[route]?.models.find((step) => !isLocal(step));
      if (!first) return untouched;
      return this.#screenWith(policy, first, messages, {});
    }
    return this.#screenWith(policy, ref, messages, {});
  }

  /** Throws what a user regex threw (SandboxError): an unchecked message must not be sent as if clean. */
  async screen(ref: string, messages: ChatMessage[], options: ScreenOptions = {}): Promise<Screening> {
    return this.#screenWith(this.current(), ref, messages, options);
  }

  async #screenWith(policy: DataPolicy, ref: string, messages: ChatMessage[], options: ScreenOptions): Promise<Screening> {
    const params = options.params ?? {};
    const clear = (outcome: ScreeningOutcome, findings: PolicyFinding[] = [], areas: RequestArea[] = []): Screening => ({ outcome, findings, areas, messages, params, originals: new Map(), refusal: null });
    const active = Object.entries(rulesFor(policy, ref)).filter((entry): entry is [string, PolicyFinding['action']] => entry[1] !== 'allow');
    if (active.length === 0) return clear('clear');
    const actions = new Map(active);
    // Every string that goes out: the messages with their tool calls and results, and the tools,
    // response schema and stop sequences of the request (see requestText).
    const slots: Array<{ slot: RequestSlot; text: string }> = [];
    mapRequestText(messages, params, (slot, text) => (slots.push({ slot, text }), text));
    const hitsPerSlot: Hit[][] = [];
    const counts = new Map<string, number>();
    const areas = new Set<RequestArea>();
    for (const { slot, text } of slots) {
      const hits: Hit[] = [];
      for (const [detector] of active) {
        for (const span of await this.#detect(policy, detector, text, options)) hits.push({ ...span, detector });
      }
      hitsPerSlot.push(hits);
      if (hits.length > 0) areas.add(slot.area);
      if (slot.counted) for (const hit of hits) counts.set(hit.detector, (counts.get(hit.detector) ?? 0) + 1);
    }
    const findings: PolicyFinding[] = [...counts].map(([detector, count]) => ({ detector, action: actions.get(detector)!, count }));
    findings.sort((a, b) => ACTION_RANK[b.action] - ACTION_RANK[a.action] || order(a.detector) - order(b.detector));
    const found = [...areas].sort((a, b) => AREA_ORDER.indexOf(a) - AREA_ORDER.indexOf(b));
    const blocked = findings.filter((f) => f.action === 'block' || f.action === 'local');
    // A tool or schema name must match the provider's name rule: a placeholder there breaks the request, so the value cannot go.
    const inNames = new Map<string, number>();
    slots.forEach(({ slot }, i) => {
      if (slot.kind !== 'name' || !slot.counted) return;
      for (const hit of hitsPerSlot[i]!) if (actions.get(hit.detector) === 'redact') inNames.set(hit.detector, (inNames.get(hit.detector) ?? 0) + 1);
    });
    if (blocked.length > 0 || inNames.size > 0) {
      const parts = blocked.map((f) => `${f.count} ${detectorLabel(f.detector)}${f.action === 'local' ? ' (local only)' : ''}`);
      for (const [detector, count] of inNames) parts.push(`${count} ${detectorLabel(detector)} in a tool or schema name, which cannot be redacted (rename it)`);
      return { ...clear('blocked', findings, found), refusal: `blocked by data policy: ${parts.join(', ')}` };
    }
    const redacting = new Set(findings.filter((f) => f.action === 'redact').map((f) => f.detector));
    if (redacting.size === 0) return clear(findings.length > 0 ? 'warned' : 'clear', findings, found);
    const placeholders = new PlaceholderBook();
    let at = 0;
    const redacted = mapRequestText(messages, params, (_slot, text) => placeholders.apply(text, hitsPerSlot[at++]!.filter((h) => redacting.has(h.detector))));
    return { outcome: 'redacted', findings, areas: found, messages: redacted.messages, params: redacted.params, originals: placeholders.originals, refusal: null };
  }

  async #detect(policy: DataPolicy, detector: string, text: string, options: ScreenOptions): Promise<DetectedSpan[]> {
    // Own keys only: a custom detector may be called `constructor` or `toString`.
    if (Object.hasOwn(BUILTIN_DETECTOR_IMPLS, detector)) return BUILTIN_DETECTOR_IMPLS[detector as keyof typeof BUILTIN_DETECTOR_IMPLS].detect(text);
    const custom = Object.hasOwn(policy.custom, detector) ? policy.custom[detector] : undefined;
    if (!custom) return [];
    if ('terms' in custom) return userTermsDetector(custom.terms).detect(text);
    return userRegexDetector(this.#sandbox, custom.regex, custom.flags).detect(text, options);
  }
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

/**
 * `policy:redacted email:redact=1 iban:warn=2`: the decision for the audit log, without any value;
 * ` in=tools,stop` when something was found outside the messages.
 */
export function policyAuditStatus(screening: Pick<Screening, 'outcome' | 'findings'> & { areas?: readonly RequestArea[] }): string {
  const areas = screening.areas ?? [];
  const where = areas.some((a) => a !== 'messages') ? [`in=${areas.join(',')}`] : [];
  return [`policy:${screening.outcome}`, ...screening.findings.map((f) => `${f.detector}:${f.action}=${f.count}`), ...where].join(' ');
}
