import { auditExport } from '../../core/audit/auditExport';
import type { AuditLog } from '../../core/audit/AuditLog';
import type { DomainHandlers } from '../Router';

export function auditHandlers(audit: AuditLog): DomainHandlers<'audit'> {
  return {
    'audit.list': ({ offset, limit }) => audit.page(offset, limit),
    'audit.verify': () => audit.verify(),
    'audit.export': ({ format }) => auditExport(audit, format),
  };
}
