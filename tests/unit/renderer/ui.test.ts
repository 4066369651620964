import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src/shared/errors';
import { Button } from '../../../src/renderer/ui/Button';
import { ErrorBanner } from '../../../src/renderer/ui/ErrorBanner';
import { Field } from '../../../src/renderer/ui/Field';
import { ProgressBar } from '../../../src/renderer/ui/ProgressBar';

/*
 * The shared components' accessibility contract, checked on their server-rendered markup (no
 * DOM needed). Interaction (focus, toasts, Undo) is covered by tests/e2e/app.spec.ts.
 */
const html = (element: Parameters<typeof renderToStaticMarkup>[0]): string => renderToStaticMarkup(element);

describe('ProgressBar', () => {
  it('exposes a determinate value through aria-valuenow, clamped to the range', () => {
    const markup = html(createElement(ProgressBar, { label: 'Downloading', value: 512, max: 1024, valueText: '512 B of 1.00 KB' }));
    expect(markup).toContain('role="progressbar"');
    expect(markup).toContain('aria-valuenow="512"');
    expect(markup).toContain('aria-valuemax="1024"');
    expect(markup).toContain('aria-valuetext="512 B of 1.00 KB"');
    expect(markup).toContain('transform:scaleX(0.5)');
    expect(html(createElement(ProgressBar, { label: 'Over', value: 7, max: 5 }))).toContain('aria-valuenow="5"');
  });

  it('names the bar after its label and defaults the text to a percentage', () => {
    const markup = html(createElement(ProgressBar, { label: 'Hashing model', value: 0.25 }));
    const labelId = /<span id="([^"]+)">Hashing model<\/span>/.exec(markup)?.[1];
    expect(labelId).toBeDefined();
    expect(markup).toContain(`aria-labelledby="${labelId}"`);
    expect(markup).toContain('aria-valuetext="25%"');
  });

  it('leaves out aria-valuenow when progress is unknown', () => {
    const markup = html(createElement(ProgressBar, { label: 'Waiting', value: null }));
    expect(markup).toContain('role="progressbar"');
    expect(markup).not.toContain('aria-valuenow');
    expect(markup).toContain('progress-fill--indeterminate');
  });
});

describe('Field', () => {
  it('labels the control and links hint and error to it', () => {
    const markup = html(
      createElement(Field, { label: 'Threads', hint: 'CPU threads', error: 'Too small', children: (props) => createElement('input', props) }),
    );
    const id = /<label class="field-label" for="([^"]+)">Threads<\/label>/.exec(markup)?.[1];
    expect(id).toBeDefined();
    expect(markup).toContain(`<input id="${id}" aria-describedby="${id}-hint ${id}-error" aria-invalid="true"/>`);
    expect(markup).toContain(`id="${id}-error" role="alert">Too small`);
  });

  it('marks nothing invalid without an error', () => {
    const markup = html(createElement(Field, { label: 'Threads', children: (props) => createElement('input', props) }));
    expect(markup).not.toContain('aria-invalid');
    expect(markup).not.toContain('aria-describedby');
  });
});

describe('Button and ErrorBanner', () => {
  it('a button never submits a form by default and is disabled while busy', () => {
    expect(html(createElement(Button, null, 'Go'))).toContain('type="button"');
    const busy = html(createElement(Button, { busy: true }, 'Saving'));
    expect(busy).toContain('disabled=""');
    expect(busy).toContain('aria-busy="true"');
  });

  it('an error banner is an alert with the AppError message and code', () => {
    const markup = html(createElement(ErrorBanner, { title: 'Could not load', error: new AppError('STORE_LOCKED', 'Close the other Parity window.') }));
    expect(markup).toContain('role="alert"');
    expect(markup).toContain('Close the other Parity window.');
    expect(markup).toContain('STORE_LOCKED');
  });
});
