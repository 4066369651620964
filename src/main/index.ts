import { runDesktop } from './shell/main';

runDesktop();
