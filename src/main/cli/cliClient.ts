import { inProcessClient, type InProcessClient } from '../ipc/inProcessClient';
import type { ParityApp } from '../app';

/** The CLI's transport. Commands reach services only through this, so they cannot drift from the app. */
export type CliClient = InProcessClient;

export function cliClient(app: Pick<ParityApp, 'router' | 'bus'>): CliClient {
  return inProcessClient('cli', app.router, app.bus);
}
