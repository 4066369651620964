import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useId, useRef, type CSSProperties, type Ref } from 'react';
import type { AssertionType } from '../../shared/contract';
import { Button } from '../ui/Button';
import { ASSERTION_TYPES, VALUE_HINTS, newAssertion, type DraftAssertion, type DraftCase } from './suiteDraft';

export interface CaseListProps {
  cases: readonly DraftCase[];
  onChange: (key: number, p: Partial<DraftCase>) => void;
  /** Absent when the last case cannot be removed. */
  onRemove?: (key: number) => void;
}

/**
 * A suite's cases, virtualized: only the cases in view are in the DOM. Each case is a form of a
 * dozen fields, and a 500-case suite rendered whole kept the page busy for seconds (the Run button
 * could not be clicked). The list scrolls on its own, as the results grid does.
 */
export function CaseList({ cases, onChange, onRemove }: CaseListProps) {
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: cases.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => 300,
    overscan: 2,
    gap: 12,
    getItemKey: (i) => cases[i]!.key,
  });
  // "Add case" appends below what may be hundreds of cases: bring the new one into view.
  const count = useRef(cases.length);
  useEffect(() => {
    if (cases.length === count.current + 1) virtualizer.scrollToIndex(cases.length - 1, { align: 'end' });
    count.current = cases.length;
  }, [cases.length, virtualizer]);
  return (
    <div ref={scroller} className="evals-cases-scroll">
      <ol className="evals-cases" style={{ height: virtualizer.getTotalSize() }}>
        {virtualizer.getVirtualItems().map((item) => {
          const c = cases[item.index]!;
          return (
            <CaseEditor
              key={c.key}
              itemRef={virtualizer.measureElement}
              index={item.index}
              style={{ transform: `translateY(${item.start}px)` }}
              value={c}
              onChange={(p) => onChange(c.key, p)}
              onRemove={onRemove && (() => onRemove(c.key))}
            />
          );
        })}
      </ol>
    </div>
  );
}

interface CaseEditorProps {
  index: number;
  value: DraftCase;
  onChange: (p: Partial<DraftCase>) => void;
  onRemove?: () => void;
  itemRef: Ref<HTMLLIElement>;
  style: CSSProperties;
}

function CaseEditor({ index, value, onChange, onRemove, itemRef, style }: CaseEditorProps) {
  const id = useId();
  const setAssertion = (key: number, p: Partial<DraftAssertion>): void => onChange({ assert: value.assert.map((a) => (a.key === key ? { ...a, ...p } : a)) });
  return (
    <li ref={itemRef} data-index={index} className="evals-case card" style={style}>
      <fieldset>
        <legend>
          Case {index + 1}: {value.id || 'unnamed'}
        </legend>
        <div className="evals-grid2">
          <div className="evals-field">
            <label className="field-label" htmlFor={`${id}-id`}>
              Case id
            </label>
            <input id={`${id}-id`} className="input mono" value={value.id} onChange={(e) => onChange({ id: e.target.value })} />
          </div>
          <div className="evals-field">
            <label className="field-label" htmlFor={`${id}-d`}>
              Case description
            </label>
            <input id={`${id}-d`} className="input" value={value.description} onChange={(e) => onChange({ description: e.target.value })} />
          </div>
        </div>
        <div className="evals-grid2">
          <div className="evals-field">
            <label className="field-label" htmlFor={`${id}-vars`}>
              Variables
            </label>
            <textarea
              id={`${id}-vars`}
              className="textarea mono"
              rows={2}
              placeholder="name=value, one per line"
              value={value.vars}
              onChange={(e) => onChange({ vars: e.target.value })}
            />
          </div>
          <div className="evals-field">
            <label className="field-label" htmlFor={`${id}-exp`}>
              Expected output
            </label>
            <textarea id={`${id}-exp`} className="textarea" rows={2} value={value.expected} onChange={(e) => onChange({ expected: e.target.value })} />
          </div>
        </div>
        <div className="evals-assertions" role="group" aria-label={`Assertions of case ${index + 1}`}>
          {value.assert.map((a, ai) => (
            <div className="evals-assertion" key={a.key}>
              <label className="visually-hidden" htmlFor={`${id}-t${a.key}`}>
                Assertion {ai + 1} type
              </label>
              <select id={`${id}-t${a.key}`} className="select" value={a.type} onChange={(e) => setAssertion(a.key, { type: e.target.value as AssertionType })}>
                {ASSERTION_TYPES.map((t) => (
                  <option key={t} value={t}>
                    {t}
                  </option>
                ))}
              </select>
              <label className="evals-not">
                <input type="checkbox" checked={a.negated} onChange={(e) => setAssertion(a.key, { negated: e.target.checked })} /> not
              </label>
              <label className="visually-hidden" htmlFor={`${id}-v${a.key}`}>
                Assertion {ai + 1} value
              </label>
              <input
                id={`${id}-v${a.key}`}
                className="input evals-grow"
                value={a.value}
                placeholder={VALUE_HINTS[a.type] ?? 'value'}
                disabled={a.type === 'is-json' || a.type === 'is-refusal'}
                onChange={(e) => setAssertion(a.key, { value: e.target.value })}
              />
              <label className="visually-hidden" htmlFor={`${id}-w${a.key}`}>
                Assertion {ai + 1} weight
              </label>
              <input
                id={`${id}-w${a.key}`}
                className="input input--number evals-weight"
                type="number"
                min="0"
                step="0.5"
                placeholder="weight"
                value={a.weight}
                onChange={(e) => setAssertion(a.key, { weight: e.target.value })}
              />
              <Button size="sm" variant="ghost" aria-label={`Remove assertion ${ai + 1}`} onClick={() => onChange({ assert: value.assert.filter((x) => x.key !== a.key) })}>
                ✕
              </Button>
            </div>
          ))}
          <Button size="sm" onClick={() => onChange({ assert: [...value.assert, newAssertion()] })}>
            Add assertion
          </Button>
        </div>
        {onRemove && (
          <Button size="sm" variant="danger" className="evals-remove-case" onClick={onRemove}>
            Remove case {index + 1}
          </Button>
        )}
      </fieldset>
    </li>
  );
}
