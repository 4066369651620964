/**
 * EmptyState: what a page or list shows when there is nothing in it yet, and what to do next.
 *
 * Props:
 *   title: string — one short line ("No models yet").
 *   children?: ReactNode — one or two sentences: what will appear here and how to get it.
 *   icon?: ReactNode — a small inline SVG (24px); decorative, hidden from assistive tech.
 *   action?: ReactNode — usually one primary <Button>.
 *
 *   <EmptyState title="No models yet" action={<Button variant="primary">Add a model</Button>}>
 *     Add a GGUF file from disk or download one from Hugging Face.
 *   </EmptyState>
 */
import type { ReactNode } from 'react';

export interface EmptyStateProps {
  title: string;
  children?: ReactNode;
  icon?: ReactNode;
  action?: ReactNode;
}

export function EmptyState({ title, children, icon, action }: EmptyStateProps) {
  return (
    <div className="empty-state">
      {icon && (
        <div className="empty-state-icon" aria-hidden="true">
          {icon}
        </div>
      )}
      <h2>{title}</h2>
      {children && <div className="empty-state-description">{children}</div>}
      {action && <div className="empty-state-action">{action}</div>}
    </div>
  );
}
