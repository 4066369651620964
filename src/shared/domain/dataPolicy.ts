import { z } from 'zod';
import { endpointKey, isRoute, parse as parseRef } from './modelRef';

/**
 * The data policy: which detected values may leave the device for which provider or model.
 * Shared by the policy file loader (CLI/serve), the stored policy (Settings → Data policy) and the
 * enforcement at the egress gateway, so all three read one schema.
 */

/** Detectors built into Parity; user-defined ones (terms, regexes) are named in `custom`. */
export const BUILTIN_DETECTORS = ['email', 'phone', 'iban', 'card', 'ssn', 'nino', 'ip', 'secret'] as const;
export type BuiltinDetector = (typeof BUILTIN_DETECTORS)[number];

/** How a detector's kind is named in placeholders (`[EMAIL_1]`) and in refusals ("1 IBAN"). */
export const DETECTOR_LABELS: Record<BuiltinDetector, string> = {
  email: 'EMAIL',
  phone: 'PHONE',
  iban: 'IBAN',
  card: 'CARD',
  ssn: 'SSN',
  nino: 'NINO',
  ip: 'IP',
  secret: 'SECRET',
};

/** `local`: the value may not leave the device; a route goes straight to its first local model, anything else is refused. */
export const POLICY_ACTIONS = ['allow', 'warn', 'redact', 'local', 'block'] as const;
export const PolicyActionSchema = z.enum(POLICY_ACTIONS, { message: `must be one of ${POLICY_ACTIONS.join(', ')}` });
export type PolicyAction = z.infer<typeof PolicyActionSchema>;

/** Strictness order: when rules meet, the stricter action is what a value gets. */
export const ACTION_RANK: Record<PolicyAction, number> = { allow: 0, warn: 1, redact: 2, local: 3, block: 4 };

const CUSTOM_NAME = /^[a-z][a-z0-9_]{0,31}$/;

export const CustomDetectorSchema = z.union([
  z.object({ terms: z.array(z.string().trim().min(1, 'a term cannot be empty')).min(1, 'list at least one term') }).strict(),
  z
    .object({
      regex: z.string().min(1, 'the pattern cannot be empty').max(2000),
      /** JavaScript RegExp flags; `g` is implied. */
      flags: z.string().regex(/^[imsu]*$/, 'flags may only be i, m, s, u').default(''),
    })
    .strict(),
]);
export type CustomDetector = z.infer<typeof CustomDetectorSchema>;

/** `{ email: redact, iban: block }`: detector name → action. Names are checked against the policy's detectors. */
export const PolicyRulesSchema = z.record(z.string(), PolicyActionSchema);
export type PolicyRules = z.infer<typeof PolicyRulesSchema>;

const ROUTE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** `[anthropic:claude-…, openai:gpt-…, local:<id>]`, or with the retries each step gets before the next is tried. */
export const PolicyRouteSchema = z
  .union([
    z.array(z.string().min(3)).min(1, 'a route lists at least one model'),
    z
      .object({
        models: z.array(z.string().min(3)).min(1, 'a route lists at least one model'),
        /** Retries of a 429/5xx/timeout on one step before the next step; 0 by default (the route is the retry). */
        retries: z.number().int().min(0).max(5).default(0),
      })
      .strict(),
  ])
  .transform((r) => (Array.isArray(r) ? { models: r, retries: 0 } : r));
export type PolicyRoute = z.infer<typeof PolicyRouteSchema>;

/** Spending limits per provider or endpoint, in USD, from the price table; a spent provider is skipped by routes. */
export const PolicyBudgetSchema = z
  .object({ dailyUsd: z.number().min(0).optional(), monthlyUsd: z.number().min(0).optional() })
  .strict()
  .refine((b) => b.dailyUsd !== undefined || b.monthlyUsd !== undefined, 'give dailyUsd, monthlyUsd or both');
export type PolicyBudget = z.infer<typeof PolicyBudgetSchema>;

export const DataPolicySchema = z
  .object({
    /** User-defined detectors: client names, project code names, ticket ids. */
    custom: z.record(z.string(), CustomDetectorSchema).default({}),
    /** Keyed by provider (`openai`), endpoint (`compat:groq`) or `*` for every remote provider. */
    providers: z.record(z.string(), PolicyRulesSchema).default({}),
    /** Keyed by model ref (`openai:gpt-4o-mini`); wins over the provider's rules for that model. */
    models: z.record(z.string(), PolicyRulesSchema).default({}),
    /** `route:<name>` models: tried in order (see PolicyRouteSchema). */
    routes: z.record(z.string(), PolicyRouteSchema).default({}),
    budgets: z.record(z.string(), PolicyBudgetSchema).default({}),
    /**
     * Lets an eval run started with `dataPolicy: off` send its cases unredacted, to measure what the
     * rules cost in quality. Off by default: without it such a run is refused, so the policy holds.
     */
    evalBypass: z.boolean().default(false),
  })
  .strict()
  .superRefine((policy, ctx) => {
    for (const name of Object.keys(policy.custom ?? {})) {
      if (!CUSTOM_NAME.test(name)) {
        ctx.addIssue({ code: 'custom', path: ['custom', name], message: 'a detector name is lower-case letters, digits and _ (at most 32), starting with a letter' });
      } else if ((BUILTIN_DETECTORS as readonly string[]).includes(name)) {
        ctx.addIssue({ code: 'custom', path: ['custom', name], message: `"${name}" is a built-in detector; pick another name` });
      }
    }
    // zod runs this refinement even when a field already failed, so each value is checked for shape first.
    for (const [name, r] of Object.entries(policy.routes ?? {})) {
      if (!r || !Array.isArray(r.models)) continue;
      if (!ROUTE_NAME.test(name)) ctx.addIssue({ code: 'custom', path: ['routes', name], message: 'a route name is letters, digits, . _ - (at most 64)' });
      r.models.forEach((ref, i) => {
        if (!parseRef(ref).provider) ctx.addIssue({ code: 'custom', path: ['routes', name, i], message: `"${ref}" is not a model; write provider:model, e.g. openai:gpt-4o-mini or local:<id>` });
        else if (isRoute(ref)) ctx.addIssue({ code: 'custom', path: ['routes', name, i], message: 'a route cannot contain another route' });
      });
    }
    const known = [...BUILTIN_DETECTORS, ...Object.keys(policy.custom ?? {})];
    for (const section of ['providers', 'models'] as const) {
      for (const [target, rules] of Object.entries(policy[section] ?? {})) {
        if (!rules || typeof rules !== 'object' || Array.isArray(rules)) continue;
        if (section === 'models' && !parseRef(target).provider) {
          ctx.addIssue({ code: 'custom', path: [section, target], message: 'a model is written provider:model, e.g. openai:gpt-4o-mini' });
        }
        for (const detector of Object.keys(rules)) {
          if (!known.includes(detector)) {
            ctx.addIssue({ code: 'custom', path: [section, target, detector], message: `unknown detector "${detector}" (known: ${known.join(', ')})` });
          }
        }
      }
    }
  });
export type DataPolicy = z.infer<typeof DataPolicySchema>;
export type DataPolicyInput = z.input<typeof DataPolicySchema>;

export const EMPTY_POLICY: DataPolicy = { custom: {}, providers: {}, models: {}, routes: {}, budgets: {}, evalBypass: false };

/** `email` → `EMAIL`, a custom `client` → `CLIENT`. */
export function detectorLabel(detector: string): string {
  return Object.hasOwn(DETECTOR_LABELS, detector) ? DETECTOR_LABELS[detector as BuiltinDetector] : detector.toUpperCase();
}

/**
 * The rules that apply to one model: `*`, then the provider, then the endpoint (compat), then the
 * model itself; a more specific entry replaces a less specific one detector by detector.
 */
export function rulesFor(policy: DataPolicy, ref: string): PolicyRules {
  const provider = parseRef(ref).provider;
  const endpoint = endpointKey(ref);
  const layers = [policy.providers['*'], policy.providers[provider], endpoint !== provider ? policy.providers[endpoint] : undefined, policy.models[ref]];
  const rules: PolicyRules = {};
  for (const layer of layers) if (layer) Object.assign(rules, layer);
  return rules;
}

/** Readable zod issues: `providers.openai.emial: unknown detector "emial" (...)`. */
export function describePolicyIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length ? i.path.map(String).join('.') : '(top level)'}: ${i.message}`).join('; ');
}

/** What the data policy did to an answer's request, for the answer's metrics (never the values). */
export const PolicyNoteSchema = z.object({
  /** `warned`: sent as written, noted; `redacted`: sent with placeholders; `off`: an eval run without the policy. */
  outcome: z.enum(['warned', 'redacted', 'off']),
  findings: z.array(z.object({ detector: z.string(), action: PolicyActionSchema, count: z.number().int() })),
});
export type PolicyNote = z.infer<typeof PolicyNoteSchema>;

/** "1 EMAIL redacted, 2 PHONE noted": a note a user reads under the answer or on stderr. */
export function policyNoteText(note: PolicyNote): string {
  if (note.outcome === 'off') return 'sent without the data policy (eval run)';
  const verb = (action: PolicyAction): string => (action === 'redact' ? 'redacted' : action === 'warn' ? 'sent, noted' : action);
  return `data policy: ${note.findings.map((f) => `${f.count} ${detectorLabel(f.detector)} ${verb(f.action)}`).join(', ')}`;
}

/** One step of a route as it was taken: why it answered, failed or was skipped. */
export const RouteStepSchema = z.object({
  ref: z.string(),
  outcome: z.enum(['answered', 'failed', 'skipped']),
  /** `PROVIDER_RATE_LIMITED: …`, `budget spent: daily $5.01 of $5.00`, `local only: 1 SSN`; null when it answered. */
  reason: z.string().nullable(),
  /** The provider's budget state when the step was considered (`daily $0.42 of $5.00`); absent without a budget. */
  budget: z.string().optional(),
});
export type RouteStep = z.infer<typeof RouteStepSchema>;

/** Which model of `route:<name>` answered and why: kept with the answer's metrics and on the audit log. */
export const RouteReportSchema = z.object({
  name: z.string(),
  answeredBy: z.string().nullable(),
  /** One sentence: "first choice", or what happened to the steps before the one that answered. */
  reason: z.string(),
  steps: z.array(RouteStepSchema),
});
export type RouteReport = z.infer<typeof RouteReportSchema>;
