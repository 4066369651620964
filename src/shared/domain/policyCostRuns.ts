import type { DataPolicy } from './dataPolicy';

/**
 * Why a suite cannot be run "under the policy and without it" with this policy, or null when it
 * can. One wording for the run dialog (which disables the option with it) and for main (which
 * refuses evals.runs.startPolicyCost with it), so the reason a user reads is the one enforced.
 */
export function policyCostRefusal(policy: DataPolicy): string | null {
  const hasRules = Object.keys(policy.providers).length > 0 || Object.keys(policy.models).length > 0;
  if (!hasRules) return 'No data policy is set, so there is nothing to measure: add rules in Settings → Data policy first.';
  if (!policy.evalBypass) {
    return 'The data policy does not allow eval runs without it: add "evalBypass: true" to the policy to measure what its rules cost (the second run then sends the data unredacted).';
  }
  return null;
}

/** The refusal when the stored policy does not load: no run may go out under no policy. */
export function policyLoadRefusal(error: string): string {
  return `The data policy does not load (${error}): fix it in Settings → Data policy first.`;
}

/** `policyCostRefusal` of the policy in force, read by `read`, which throws when it does not load. */
export function policyCostRefusalOf(read: () => DataPolicy): string | null {
  let policy: DataPolicy;
  try {
    policy = read();
  } catch (error) {
    return policyLoadRefusal(error instanceof Error ? error.message : String(error));
  }
  return policyCostRefusal(policy);
}
