import type { Command } from 'commander';
import { detectorLabel } from '../../../shared/domain/dataPolicy';
import { routeRef } from '../../../shared/domain/modelRef';
import { cliClient } from '../cliClient';
import { appFor, type CliIo } from '../program';

interface CheckOptions {
  model: string;
  json?: boolean;
}

/**
 * `parity policy show` and `parity policy check --model <ref> <text>`: the data policy in force
 * (from --policy, PARITY_POLICY_FILE or Settings) and what it would do to a message, without
 * sending anything.
 */
export function registerPolicy(program: Command, io: CliIo): void {
  const policy = program.command('policy').description('show the data policy in force, or check what it does to a message (nothing is sent)');
  policy
    .command('show')
    .description('print the data policy in force and where it comes from')
    .option('--json', 'print JSON: { source, path, policy, error }')
    .action(async (opts: { json?: boolean }, command: Command) => {
      const app = appFor(command, { mode: 'cli', gpu: false });
      try {
        const view = await cliClient(app).call('policy.get', {});
        if (opts.json) {
          io.out(`${JSON.stringify(view, null, 2)}\n`);
          return;
        }
        io.out(`Data policy from ${view.source === 'file' ? `the file ${view.path}` : `Settings (${view.path ?? 'stored'})`}.\n`);
        if (view.error) io.err(`parity: ${view.error}\n`);
        const targets = [...Object.entries(view.policy.providers), ...Object.entries(view.policy.models)];
        if (targets.length === 0) io.out('No rules: prompts go to remote models as written.\n');
        for (const [target, rules] of targets) {
          io.out(`${target}: ${Object.entries(rules).map(([d, a]) => `${detectorLabel(d)} ${a}`).join(', ')}\n`);
        }
        for (const [name, route] of Object.entries(view.policy.routes)) io.out(`${routeRef(name)} = ${route.models.join(' → ')}${route.retries ? ` (${route.retries} retries per step)` : ''}\n`);
        for (const [endpoint, budget] of Object.entries(view.policy.budgets)) {
          io.out(`budget ${endpoint}: ${[budget.dailyUsd !== undefined ? `$${budget.dailyUsd}/day` : null, budget.monthlyUsd !== undefined ? `$${budget.monthlyUsd}/month` : null].filter(Boolean).join(', ')}\n`);
        }
      } finally {
        await app.dispose();
      }
    });
  policy
    .command('check')
    .description('what the policy would send to a model for this text: placeholders, a refusal, or the text as written')
    .argument('<text>', 'the message to check')
    .requiredOption('--model <ref>', 'the model it would go to, e.g. openai:gpt-4o-mini')
    .option('--json', 'print JSON: { outcome, findings, sent, refusal }')
    .action(async (text: string, opts: CheckOptions, command: Command) => {
      const app = appFor(command, { mode: 'cli', gpu: false });
      try {
        const result = await cliClient(app).call('policy.preview', { ref: opts.model, text });
        if (opts.json) {
          io.out(`${JSON.stringify(result)}\n`);
        } else {
          const findings = result.findings.map((f) => `${f.count} ${detectorLabel(f.detector)} (${f.action})`).join(', ');
          io.out(`${result.outcome}${findings ? `: ${findings}` : ''}\n`);
          io.out(result.refusal ? `${result.refusal}\n` : `would send: ${result.sent}\n`);
        }
        // Like a failed send: a refusal is exit 1, so scripts can gate on it.
        process.exitCode = result.outcome === 'blocked' ? 1 : 0;
      } finally {
        await app.dispose();
      }
    });
}
