/**
 * The portraits the game can draw and the voices the audio script can make, by key. A scenario's
 * `caller.portrait` and `caller.voice` must name one of these; the game's art
 * (src/game/art/portraits.ts) and the audio script (scripts/make-audio/voices.ts) hold one entry per
 * key, which a test keeps in step.
 */
export const CAST = {
  practice: 'a polite woman in her thirties',
  gamer: 'a brash young man',
  charge: 'a middle-aged man worried about his bill',
  abuser: 'a rough, loud man',
  elderly: 'a lonely woman in her late seventies',
  drunk: 'a drunk man in his forties',
  timetable: 'a precise older man',
  resident: 'a man in his fifties',
  manner: 'a retired teacher in his sixties',
  claim: 'a bakery owner in her forties',
  parcel: 'a young office worker, a woman',
} as const;

export type CastKey = keyof typeof CAST;
export const CAST_KEYS = Object.keys(CAST) as CastKey[];
