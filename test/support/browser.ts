import { Browser, chromium } from 'playwright-core';

/** Debian's chromium package (.ci/run installs it when missing). */
const CHROMIUM = '/usr/bin/chromium';

/**
 * A headless Chromium with a fresh profile of its own (launch() makes a temporary one), that
 * reaches the network only when a page asks it to.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
