import { Command, CommanderError } from 'commander';
import pkg from '../../../package.json';
import { defaultDataDir } from '../core/app/dataDir';
import { registerServe } from './commands/serve';

export interface GlobalOptions {
  dataDir: string;
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
    .showHelpAfterError()
    .showSuggestionAfterError()
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err });
  registerServe(program, io);
  return program;
}

export function globalOptions(command: Command): GlobalOptions {
  return command.optsWithGlobals<GlobalOptions>();
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
    return 1;
  }
}
