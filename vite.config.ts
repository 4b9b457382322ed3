import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import { menuPlugin } from './src/dev/menu-plugin';
import { trainerPlugin } from './src/dev/trainer-plugin';
import { serviceWorkerPlugin } from './src/pwa/sw-plugin';

// One page per user: the trainee's game, the lead's dashboard, the trainer's preview and studio.
const pages = ['index', 'dashboard', 'preview', 'studio'].filter((page) => existsSync(resolve(__dirname, `${page}.html`)));

export default defineConfig({
  // The service worker (/sw.js) is written from the build's own file list: the game works offline.
  // The menu's view of each caller file carries its status: drafts stay off the trainees' menu.
  plugins: [menuPlugin(), trainerPlugin(__dirname), serviceWorkerPlugin(__dirname)],
  build: {
    target: 'es2022',
    rollupOptions: {
      input: Object.fromEntries(pages.map((page) => [page, resolve(__dirname, `${page}.html`)])),
      output: {
        manualChunks(id: string) {
          if (id.includes('node_modules/phaser')) return 'phaser';
          if (id.includes('node_modules/howler')) return 'howler';
          return undefined;
        },
      },
    },
  },
});
