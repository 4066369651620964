/**
 * `parity audit | head`: once the reader exits, every later write to stdout fails with EPIPE,
 * delivered as an 'error' event that, unhandled, crashes the CLI with a stack trace. Nobody is
 * left to read the rest, so the command ends quietly instead; finished work is already stored.
 * Any other stream error is still thrown.
 */
export function exitQuietlyOnClosedPipe(streams: readonly NodeJS.WriteStream[] = [process.stdout, process.stderr], exit: (code: number) => void = (code) => process.exit(code)): void {
  for (const stream of streams) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
      exit(0);
    });
  }
}
