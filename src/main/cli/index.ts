import { exitQuietlyOnClosedPipe } from './closedPipe';
import { runCli } from './program';

exitQuietlyOnClosedPipe();
const code = await runCli(process.argv.slice(2));
process.exitCode = code;
