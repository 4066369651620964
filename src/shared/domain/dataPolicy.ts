import { z } from 'zod';
import { endpointKey, parse as parseRef } from './modelRef';

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

export const POLICY_ACTIONS = ['allow', 'warn', 'redact', 'block'] as const;
export const PolicyActionSchema = z.enum(POLICY_ACTIONS, { message: `must be one of ${POLICY_ACTIONS.join(', ')}` });
export type PolicyAction = z.infer<typeof PolicyActionSchema>;

/** Strictness order: when rules meet, the stricter action is what a value gets. */
export const ACTION_RANK: Record<PolicyAction, number> = { allow: 0, warn: 1, redact: 2, block: 3 };

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

export const DataPolicySchema = z
  .object({
    /** User-defined detectors: client names, project code names, ticket ids. */
    custom: z.record(z.string(), CustomDetectorSchema).default({}),
    /** Keyed by provider (`openai`), endpoint (`compat:groq`) or `*` for every remote provider. */
    providers: z.record(z.string(), PolicyRulesSchema).default({}),
    /** Keyed by model ref (`openai:gpt-4o-mini`); wins over the provider's rules for that model. */
    models: z.record(z.string(), PolicyRulesSchema).default({}),
  })
  .strict()
  .superRefine((policy, ctx) => {
    for (const name of Object.keys(policy.custom)) {
      if (!CUSTOM_NAME.test(name)) {
        ctx.addIssue({ code: 'custom', path: ['custom', name], message: 'a detector name is lower-case letters, digits and _ (at most 32), starting with a letter' });
      } else if ((BUILTIN_DETECTORS as readonly string[]).includes(name)) {
        ctx.addIssue({ code: 'custom', path: ['custom', name], message: `"${name}" is a built-in detector; pick another name` });
      }
    }
    const known = [...BUILTIN_DETECTORS, ...Object.keys(policy.custom)];
    for (const section of ['providers', 'models'] as const) {
      for (const [target, rules] of Object.entries(policy[section])) {
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

export const EMPTY_POLICY: DataPolicy = { custom: {}, providers: {}, models: {} };

/** `email` → `EMAIL`, a custom `client` → `CLIENT`. */
export function detectorLabel(detector: string): string {
  return (DETECTOR_LABELS as Record<string, string>)[detector] ?? detector.toUpperCase();
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
