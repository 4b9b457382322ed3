/**
 * The page's side of offline play (the worker is src/pwa/service-worker.ts, built to /sw.js):
 * registers the worker once the menu is up (so it never slows the start), asks it to keep the
 * voices of the language in use, and tells the menu when a new version has been deployed and is
 * waiting, so the menu can offer to reload into it. Production builds only: the dev server serves
 * sources that change under it.
 */
import type { Language } from './i18n';
import { setHookOffline } from './test-hook';

export interface OfflineStatus {
  /** A worker controls this page (what it needs comes from the cache when the network is down). */
  controlled: boolean;
  /** The languages whose voices are all in the cache. */
  voices: string[];
  /** The cached version (a hash of the build's file list), once the worker has said. */
  version: string | null;
  /** A newer version is installed and waits for the trainee to reload. */
  updateReady: boolean;
}

const status: OfflineStatus = { controlled: false, voices: [], version: null, updateReady: false };
const listeners = new Set<() => void>();
let registration: ServiceWorkerRegistration | null = null;
let started = false;
let wantedVoices: string | null = null;
let reloading = false;

function changed(): void {
  setHookOffline({ ...status });
  for (const listener of listeners) listener();
}

export function offlineStatus(): Readonly<OfflineStatus> {
  return status;
}

/** Calls `listener` when the status changes (a new version waiting, voices cached); returns the unsubscribe. */
export function onOfflineChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function supported(): boolean {
  return import.meta.env.PROD && typeof navigator !== 'undefined' && 'serviceWorker' in navigator && window.isSecureContext;
}

function watchForUpdates(reg: ServiceWorkerRegistration): void {
  const check = () => {
    // A waiting worker while another controls the page is a new version (the first install is not).
    const waiting = reg.waiting !== null && navigator.serviceWorker.controller !== null;
    if (waiting !== status.updateReady) {
      status.updateReady = waiting;
      changed();
    }
  };
  reg.addEventListener('updatefound', () => reg.installing?.addEventListener('statechange', check));
  // The browser may have found the new version while this page loaded, before it listened.
  reg.installing?.addEventListener('statechange', check);
  check();
  // Ask at every start whether a new version has been deployed (one request for /sw.js, which the
  // browser compares byte for byte); a long session asks again when the tab is shown, and hourly.
  if (reg.active) void reg.update().catch(() => undefined);
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') void reg.update().catch(() => undefined);
  });
  window.setInterval(() => void reg.update().catch(() => undefined), 60 * 60 * 1000);
}

/** Registers the worker (once); the menu calls it when it is interactive. */
export function startOffline(language: Language): void {
  keepVoices(language);
  if (started || !supported()) return;
  started = true;
  const container = navigator.serviceWorker;
  container.addEventListener('message', (event: MessageEvent<{ type?: string; voices?: string[]; version?: string }>) => {
    if (event.data?.type !== 'offline-status') return;
    status.voices = event.data.voices ?? [];
    status.version = event.data.version ?? null;
    changed();
  });
  container.addEventListener('controllerchange', () => {
    status.controlled = true;
    changed();
    // The trainee accepted the new version: load the page it belongs to.
    if (reloading) window.location.reload();
    else askForVoices();
  });
  status.controlled = container.controller !== null;
  changed();
  const script = new URL('sw.js', document.baseURI).href;
  // A page the worker already controls uses its registration: registering again would queue
  // behind the browser's own update check (a minute in Chromium) before the page heard anything.
  container
    .getRegistration('./')
    .then((existing) => (existing?.active?.scriptURL === script ? existing : container.register(script, { scope: './' })))
    .then((reg) => {
      registration = reg;
      watchForUpdates(reg);
      return container.ready;
    })
    .then(() => askForVoices())
    .catch((error: unknown) => console.warn('Offline play is not available:', error));
}

/** Asks the worker to keep this language's voices (again whenever the trainee switches language). */
export function keepVoices(language: Language): void {
  if (wantedVoices === language) return;
  wantedVoices = language;
  askForVoices();
}

function askForVoices(): void {
  const worker = registration?.active ?? (supported() ? navigator.serviceWorker.controller : null);
  if (worker && wantedVoices) worker.postMessage({ type: 'cache-voices', language: wantedVoices });
}

/** Switches to the waiting version and reloads the page into it. */
export function applyUpdate(): void {
  const waiting = registration?.waiting;
  if (!waiting) return;
  reloading = true;
  waiting.postMessage({ type: 'skip-waiting' });
}
