import { Command, CommanderError } from 'commander';
import { resolve as resolvePath } from 'node:path';
import pkg from '../../../package.json';
import { createApp, type AppOptions, type ParityApp } from '../app';
import { isAppError } from '../../shared/errors';
import { defaultDataDir } from '../core/app/dataDir';
import { registerApiKeys } from './commands/apiKeys';
import { registerAudit } from './commands/audit';
import { registerChat } from './commands/chat';
import { registerDocs } from './commands/docs';
import { registerEval } from './commands/eval';
import { registerModels } from './commands/models';
import { registerPolicy } from './commands/policy';
import { registerReport } from './commands/report';
import { registerServe } from './commands/serve';

export interface GlobalOptions {
  dataDir: string;
  offline?: boolean;
  providers?: string;
  policy?: string;
}

export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
}

export const defaultIo: CliIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

/** Exit codes: 0 ok, 1 failure (or eval below threshold), 2 bad arguments or bad input file. */
export const EXIT_USAGE = 2;

export function buildProgram(io: CliIo = defaultIo): Command {
  const program = new Command();
  program
    .name('parity')
    .description('Private, on-device LLM inference and side-by-side model comparison.')
    .version(pkg.version)
    .option('--data-dir <dir>', 'where Parity keeps its database, models and logs', defaultDataDir())
    .option('--offline', 'block every outbound request (same as PARITY_OFFLINE=1 or Settings → Offline)')
    .option('--providers <file.yaml>', 'OpenAI-compatible endpoints (name, baseUrl, apiKeyEnv or apiKey, models)')
    .option('--policy <file.yaml>', 'data policy: per provider or model, allow | warn | redact | block each detector (same as PARITY_POLICY_FILE)')
    .showHelpAfterError()
    .showSuggestionAfterError()
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err });
  registerChat(program, io);
  registerAudit(program, io);
  registerApiKeys(program, io);
  registerServe(program, io);
  registerEval(program, io);
  registerModels(program, io);
  registerReport(program, io);
  registerDocs(program, io);
  registerPolicy(program, io);
  return program;
}

export function globalOptions(command: Command): GlobalOptions {
  return command.optsWithGlobals<GlobalOptions>();
}

/** The app for a command, built from the global options (--data-dir, --offline, --providers, --policy). */
export function appFor(command: Command, options: Pick<AppOptions, 'mode' | 'gpu'>): ParityApp {
  const { dataDir, offline, providers, policy } = globalOptions(command);
  return createApp({
    ...options,
    dataDir,
    policyFile: policy ? resolvePath(policy) : undefined,
    remote: { offline: offline === true, providersFile: providers ? resolvePath(providers) : undefined },
  });
}

/** Runs the CLI; resolves to the exit code rather than exiting, so tests can call it. */
export async function runCli(argv: readonly string[], io: CliIo = defaultIo): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.exitCode === 0) return 0;
      return EXIT_USAGE;
    }
    io.err(`parity: ${error instanceof Error ? error.message : String(error)}\n`);
    // A policy file that does not load is a bad input file, like a bad suite.
    return isAppError(error) && error.code === 'POLICY_INVALID' ? EXIT_USAGE : 1;
  }
}
