/** Scene keys, equal to the class names. */
export const SCENE = { preloader: 'Preloader', menu: 'Menu', call: 'Call', debrief: 'Debrief' } as const;

/** Game-wide events on `game.events`. */
export const GAME_EVENT = { relayout: 'hold-the-line.relayout' } as const;
