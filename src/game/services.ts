/**
 * What the scenes share beyond Phaser: the settings, the attempt store and the aria-live region.
 * main.ts makes them once; scenes read them here instead of from loosely typed registries.
 */
import { LocalAttemptStore, MemoryAttemptStore, type AttemptStore } from './attempt-store';
import { LiveRegion } from './live-region';
import { SettingsStore } from './settings';

export interface Services {
  settings: SettingsStore;
  attempts: AttemptStore;
  live: LiveRegion;
}

let current: Services | null = null;

function browserStorage(): Storage | null {
  try {
    const storage = window.localStorage;
    const probe = 'hold-the-line.probe';
    storage.setItem(probe, '1');
    storage.removeItem(probe);
    return storage;
  } catch {
    return null;
  }
}

export function createServices(liveElement: HTMLElement | null): Services {
  const storage = browserStorage();
  current = {
    settings: new SettingsStore(storage, {
      languages: navigator.languages?.length ? navigator.languages : [navigator.language],
      prefersReducedMotion: window.matchMedia?.('(prefers-reduced-motion: reduce)').matches ?? false,
    }),
    attempts: storage ? new LocalAttemptStore(storage) : new MemoryAttemptStore(),
    live: new LiveRegion(liveElement),
  };
  return current;
}

export function services(): Services {
  if (!current) throw new Error('services() before createServices(): main.ts makes them first');
  return current;
}

/** Lets another module (the results sender) swap the store, keeping the same interface. */
export function setAttemptStore(store: AttemptStore): void {
  services().attempts = store;
}
