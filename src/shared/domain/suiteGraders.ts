import type { AssertionSpec, SuiteSpec } from './evals';

/**
 * Every model a suite names to grade or embed answers: assertion `provider`s (assert-set members
 * included), each case's `options.provider` and defaultTest's. A grader receives the prompts and
 * the answers, so a remote one sends them off this device just as a remote model under test does.
 */
export function suiteGraders(spec: Pick<SuiteSpec, 'cases' | 'defaultTest'>): string[] {
  const found = new Set<string>();
  const visit = (assertions: readonly unknown[]): void => {
    for (const a of assertions) {
      if (!a || typeof a !== 'object') continue;
      const { provider, value } = a as Partial<AssertionSpec>;
      if (typeof provider === 'string' && provider) found.add(provider);
      // An assert-set keeps its members, unparsed, as its value.
      if (Array.isArray(value)) visit(value);
    }
  };
  for (const scope of [spec.defaultTest, ...spec.cases]) {
    if (!scope) continue;
    if (scope.options?.provider) found.add(scope.options.provider);
    visit(scope.assert);
  }
  return [...found];
}
