/** Scene keys, equal to the class names. */
export const SCENE = { preloader: 'Preloader', menu: 'Menu', call: 'Call', debrief: 'Debrief' } as const;

/**
 * Game-wide events on `game.events`. `menuReady`: the menu is on screen and takes input (emitted
 * after its first frame, and again before a call starts): what the page starts behind the menu
 * (the results' database, outbox and panel: main.ts) starts then, once.
 */
export const GAME_EVENT = { relayout: 'hold-the-line.relayout', menuReady: 'hold-the-line.menu-ready' } as const;
