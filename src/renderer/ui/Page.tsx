/**
 * Page: the standard scaffold of a feature page — an `<h1>` (which the shell focuses after
 * navigation), an optional one-line description and actions on the right, then the content.
 *
 * Props:
 *   title: string — the page name; must match the navigation link ("Models").
 *   description?: ReactNode — one line under the title.
 *   actions?: ReactNode — buttons aligned with the title.
 *   wide?: boolean — use the full width (chat, comparisons) instead of a ~960px column.
 *   children: ReactNode
 *
 *   <Page title="Models" description="GGUF files on this machine." actions={<Button>Add</Button>}>…</Page>
 */
import type { ReactNode } from 'react';

export interface PageProps {
  title: string;
  description?: ReactNode;
  actions?: ReactNode;
  wide?: boolean;
  children?: ReactNode;
}

export function Page({ title, description, actions, wide = false, children }: PageProps) {
  return (
    <div className={wide ? 'page page--wide' : 'page'}>
      <header className="page-header">
        <div>
          <h1 tabIndex={-1}>{title}</h1>
          {description && <p className="page-description">{description}</p>}
        </div>
        {actions && <div className="page-actions">{actions}</div>}
      </header>
      {children}
    </div>
  );
}
