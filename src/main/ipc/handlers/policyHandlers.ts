import type { DataPolicyService } from '../../core/policy/DataPolicyService';
import type { DomainHandlers } from '../Router';

export function policyHandlers(policy: DataPolicyService): DomainHandlers<'policy'> {
  return {
    'policy.get': () => policy.view(),
    'policy.set': ({ yaml }) => policy.setStored(yaml),
    'policy.preview': async ({ ref, text, yaml }) => {
      const s = await policy.preview(ref, text, yaml);
      return { outcome: s.outcome, findings: s.findings, sent: s.outcome === 'blocked' ? null : s.messages[0]!.content, refusal: s.refusal };
    },
  };
}
