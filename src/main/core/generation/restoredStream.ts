import type { PolicyNote } from '../../../shared/domain/dataPolicy';
import type { ScreenResult } from '../egress/EgressGateway';
import { PlaceholderRestorer } from '../policy/PlaceholderRestorer';
import type { StreamEvent } from '../providers/ModelProvider';

/** What the answer's metrics say about the policy: nothing when it found nothing. */
function policyNoteOf(screening: ScreenResult | null): PolicyNote | null {
  if (!screening) return null;
  if (screening.auditRow?.status.startsWith('policy:off')) return { outcome: 'off', findings: [] };
  if (screening.outcome !== 'warned' && screening.outcome !== 'redacted') return null;
  return { outcome: screening.outcome, findings: screening.findings };
}

/** The answer as the user reads it: redacted values put back, placeholders split across deltas included. */
export async function* restoredStream(events: AsyncGenerator<StreamEvent>, screening: ScreenResult | null): AsyncGenerator<StreamEvent> {
  const note = policyNoteOf(screening);
  if (!screening || screening.originals.size === 0) {
    for await (const event of events) yield event.type === 'done' && note ? { ...event, metrics: { ...event.metrics, policy: note } } : event;
    return;
  }
  const restorer = new PlaceholderRestorer(screening.originals);
  for await (const event of events) {
    if (event.type === 'delta') {
      const text = restorer.push(event.text);
      if (text) yield { type: 'delta', text };
      continue;
    }
    const tail = restorer.flush();
    if (tail) yield { type: 'delta', text: tail };
    // A tool call the model made with a placeholder (send_email to [EMAIL_1]) runs with the real value here;
    // its problem (checked against the redacted schema) names the real property too.
    const toolCalls = event.metrics.toolCalls?.map((call) => ({
      ...call,
      arguments: PlaceholderRestorer.restoreDeep(screening.originals, call.arguments),
      rawArguments: PlaceholderRestorer.restoreJsonText(screening.originals, call.rawArguments),
      ...(typeof call.problem === 'string' ? { problem: PlaceholderRestorer.restore(screening.originals, call.problem) } : {}),
    }));
    const sampling = event.metrics.sampling?.stop ? { sampling: { ...event.metrics.sampling, stop: event.metrics.sampling.stop.map((s) => PlaceholderRestorer.restore(screening.originals, s)) } } : {};
    yield { ...event, text: PlaceholderRestorer.restore(screening.originals, event.text), metrics: { ...event.metrics, ...(toolCalls ? { toolCalls } : {}), ...sampling, ...(note ? { policy: note } : {}) } };
  }
}

