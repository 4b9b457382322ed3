/**
 * The audio module against a fake Howler: nothing before the first gesture, the phone, ducking the
 * room under the caller, the take chosen per line, language and mood, mute, volume and voice
 * settings kept across reloads, hold music, speech synthesis.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CallAudio, FADE_MS, HANG_UP_MS, LINE_LOAD_WAIT_MS, MIX, type AudioEvent } from '../../src/audio/call-audio';
import { howlerSoundPort } from '../../src/audio/howler-sound-port';
import { DESK_SOUND_IDS, type DeskManifest, type DeskSound, type SpriteWindow, type VoiceManifest } from '../../src/audio/manifest';
import { AUDIO_SETTINGS_KEY, DEFAULT_AUDIO_SETTINGS, SettingsStore, parseSettings } from '../../src/audio/settings';
import { SpeechVoice, type SpeechSynthesisLike } from '../../src/audio/speech';
import { GESTURE_EVENTS, onFirstGesture } from '../../src/audio/unlock';
import { FakeHowler, type FakeHowl } from './fake-howler';

const desk: DeskManifest = {
  formatVersion: 1,
  file: 'desk.mp3',
  bytes: 1,
  sounds: Object.fromEntries(DESK_SOUND_IDS.map((id, i) => [id, [i * 1000, 500] as SpriteWindow])) as Record<DeskSound, SpriteWindow>,
};

const voices: VoiceManifest = {
  formatVersion: 1,
  scenarioId: 'test-call',
  voice: 'gamer',
  synthesis: { pitch: 1.1, rate: 1.2 },
  sourceHash: 'x',
  languages: {
    'zh-CN': {
      file: 'test-call.zh-CN.mp3',
      bytes: 1,
      clips: { 'a.1': { calm: [200, 1000], heated: [1400, 900] }, 'a.2': { heated: [2500, 800] } },
    },
    en: {
      file: 'test-call.en.mp3',
      bytes: 1,
      clips: { 'a.1': { calm: [200, 1200], heated: [1600, 1000] }, 'a.2': { heated: [2800, 900] } },
    },
  },
};

class MemoryStorage {
  readonly items = new Map<string, string>();
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.items.set(key, value);
  }
}

interface Rig {
  audio: CallAudio;
  fake: FakeHowler;
  storage: MemoryStorage;
  events: AudioEvent[];
  howlerLoads: () => number;
  desk: () => FakeHowl;
}

function rig(options: { storage?: MemoryStorage; speech?: SpeechVoice; voices?: (id: string) => Promise<null> } = {}): Rig {
  const fake = new FakeHowler();
  const storage = options.storage ?? new MemoryStorage();
  let loads = 0;
  const audio = new CallAudio({
    howler: async () => {
      loads++;
      return fake.module();
    },
    desk: { manifest: desk, url: '/built/desk.mp3' },
    voices: options.voices ?? (async (id) => (id === 'test-call' ? { manifest: voices, urls: { 'zh-CN': '/built/test-call.zh-CN.mp3', en: '/built/test-call.en.mp3' } } : null)),
    settings: new SettingsStore(storage),
    ...(options.speech ? { speech: options.speech } : {}),
  });
  const events: AudioEvent[] = [];
  audio.onEvent((e) => events.push(e));
  return { audio, fake, storage, events, howlerLoads: () => loads, desk: () => fake.howl('desk.mp3') };
}

async function ready(options: Parameters<typeof rig>[0] = {}): Promise<Rig> {
  const r = rig(options);
  await r.audio.unlock();
  await r.audio.scenario('test-call', 'zh-CN');
  return r;
}

const ambienceOf = (r: Rig) => r.desk().plays('ambience')[0];

describe('before the first gesture', () => {
  it('touches no Howler at all (no AudioContext, so no autoplay warning), whatever the scenes ask', async () => {
    const r = rig();
    await r.audio.scenario('test-call', 'zh-CN');
    r.audio.ring();
    r.audio.pickUp();
    r.audio.speak('a.1', 'zh-CN', 10);
    r.audio.ui('choice');
    r.audio.setVolume(0.4);
    r.audio.setMuted(true);
    expect(r.howlerLoads()).toBe(0);
    expect(r.fake.howls).toHaveLength(0);
    expect(r.fake.volumeCalls).toEqual([]);
    expect(r.events).toContainEqual({ type: 'skip', key: 'a.1', reason: 'audio not unlocked yet' });
  });

  it('on the first gesture applies the saved settings and loads the desk and the scenario in use', async () => {
    const r = rig();
    r.audio.setVolume(0.4);
    r.audio.setMuted(true);
    await r.audio.scenario('test-call', 'en');
    await r.audio.unlock();
    await r.audio.unlock();
    expect(r.howlerLoads()).toBe(1);
    expect(r.fake.volumeCalls.at(-1)).toBe(0.4);
    expect(r.fake.muteCalls.at(-1)).toBe(true);
    expect(r.fake.howls.map((h) => h.options.src[0])).toEqual(['/built/desk.mp3', '/built/test-call.en.mp3']);
    expect(r.events).toContainEqual({ type: 'unlocked' });
  });

  it('the gesture gate fires once, on whichever gesture comes first, and then stops listening', () => {
    const target = new EventTarget();
    const start = vi.fn();
    onFirstGesture(target, start);
    target.dispatchEvent(new Event('keydown'));
    target.dispatchEvent(new Event('pointerdown'));
    target.dispatchEvent(new Event('click'));
    expect(start).toHaveBeenCalledTimes(1);
    expect(GESTURE_EVENTS).toContain('touchend');
  });
});

describe('the phone', () => {
  it('rings once per ring the engine counts, never two rings over each other, with the room behind', async () => {
    const r = await ready();
    r.audio.ring();
    r.audio.ring();
    const rings = r.desk().plays('ring');
    expect(rings).toHaveLength(2);
    expect(rings[0]?.stopped).toBe(true);
    expect(rings[1]?.stopped).toBe(false);
    expect(r.desk().plays('ambience')).toHaveLength(1);
    expect(ambienceOf(r)?.volume).toBe(MIX.ambience);
  });

  it('picking up stops the ring and clicks', async () => {
    const r = await ready();
    r.audio.ring();
    r.audio.pickUp();
    expect(r.desk().plays('ring')[0]?.stopped).toBe(true);
    expect(r.desk().plays('pick-up')).toHaveLength(1);
  });

  describe('hanging up', () => {
    beforeEach(() => vi.useFakeTimers());
    afterEach(() => vi.useRealTimers());

    it('stops the ring and the hold music, clicks, and fades the room out before stopping it', async () => {
      const r = await ready();
      r.audio.ring();
      r.audio.hold(true);
      r.audio.hangUp();
      expect(r.desk().plays('ring')[0]?.stopped).toBe(true);
      expect(r.desk().plays('hold-music')[0]?.fades.at(-1)).toEqual([MIX.holdMusic, 0, FADE_MS.holdOut]);
      await vi.advanceTimersByTimeAsync(HANG_UP_MS.settle);
      expect(r.desk().plays('hang-up')).toHaveLength(1);
      const room = ambienceOf(r);
      expect(room?.fades.at(-1)).toEqual([MIX.ambience, 0, FADE_MS.ambienceOut]);
      expect(room?.stopped).toBe(false);
      r.desk().completeFades();
      expect(room?.stopped).toBe(true);
    });

    it('lets the caller finish his last words before the line goes dead', async () => {
      const r = await ready();
      r.audio.ring();
      r.audio.pickUp();
      r.audio.hangUp();
      // The ending's lines come just after the engine ends the call.
      await vi.advanceTimersByTimeAsync(50);
      r.audio.speak('a.1', 'zh-CN', 10);
      await vi.advanceTimersByTimeAsync(5000);
      const zh = r.fake.howl('test-call.zh-CN.mp3');
      expect(zh.played[0]?.stopped).toBe(false);
      expect(r.desk().plays('hang-up')).toHaveLength(0);
      zh.end(zh.played[0]?.id as number);
      await vi.advanceTimersByTimeAsync(HANG_UP_MS.afterLine - 10);
      expect(r.desk().plays('hang-up')).toHaveLength(0);
      await vi.advanceTimersByTimeAsync(20);
      expect(r.desk().plays('hang-up')).toHaveLength(1);
    });

    it('cuts the caller off at once when the scene stops the line first', async () => {
      const r = await ready();
      r.audio.ring();
      r.audio.pickUp();
      r.audio.speak('a.1', 'zh-CN', 10);
      r.audio.stopLine();
      r.audio.hangUp();
      expect(r.fake.howl('test-call.zh-CN.mp3').played[0]?.stopped).toBe(true);
      await vi.advanceTimersByTimeAsync(HANG_UP_MS.settle);
      expect(r.desk().plays('hang-up')).toHaveLength(1);
    });

    it('forgets a pending hang-up when the next call rings', async () => {
      const r = await ready();
      r.audio.ring();
      r.audio.hangUp();
      r.audio.ring();
      await vi.advanceTimersByTimeAsync(5000);
      expect(r.desk().plays('hang-up')).toHaveLength(0);
      expect(ambienceOf(r)?.stopped).toBe(false);
    });
  });

  it('plays hold music faded in while on hold, and fades it out and stops it after', async () => {
    const r = await ready();
    r.audio.pickUp();
    r.audio.speak('a.1', 'zh-CN', 10);
    r.audio.hold(true);
    r.audio.hold(true);
    const music = r.desk().plays('hold-music');
    expect(music).toHaveLength(1);
    expect(music[0]?.fades[0]).toEqual([0, MIX.holdMusic, FADE_MS.holdIn]);
    expect(r.fake.howl('test-call.zh-CN.mp3').played[0]?.stopped).toBe(true);
    r.audio.hold(false);
    expect(music[0]?.fades.at(-1)).toEqual([MIX.holdMusic, 0, FADE_MS.holdOut]);
    r.desk().completeFades();
    expect(music[0]?.stopped).toBe(true);
    expect(r.desk().options.sprite?.['hold-music']).toEqual([3000, 500, true]);
    expect(r.desk().options.sprite?.ambience).toEqual([4000, 500, true]);
    expect(r.desk().options.sprite?.ring).toEqual([0, 500]);
  });

  it('plays the interface cues from the desk sprite', async () => {
    const r = await ready();
    for (const cue of ['choice', 'good', 'bad', 'pass', 'fail'] as const) r.audio.ui(cue);
    expect(r.desk().played.map((p) => p.sprite)).toEqual(['ui-choice', 'ui-good', 'ui-bad', 'ui-pass', 'ui-fail']);
  });
});

describe('the caller', () => {
  it('chooses the sprite per line and language: the language asked for, the take for the mood', async () => {
    const r = await ready();
    r.audio.speak('a.1', 'zh-CN', 10);
    r.audio.speak('a.1', 'zh-CN', 80);
    r.audio.speak('a.1', 'en', 59);
    r.audio.speak('a.1', 'en', 60);
    expect(r.fake.howl('test-call.zh-CN.mp3').played.map((p) => p.sprite)).toEqual(['a.1@calm', 'a.1@heated']);
    expect(r.fake.howl('test-call.en.mp3').played.map((p) => p.sprite)).toEqual(['a.1@calm', 'a.1@heated']);
    expect(r.fake.howl('test-call.en.mp3').options.sprite).toEqual({ 'a.1@calm': [200, 1200], 'a.1@heated': [1600, 1000], 'a.2@heated': [2800, 900] });
  });

  it('falls back to the take there is when a line has none for the mood', async () => {
    const r = await ready();
    r.audio.speak('a.2', 'zh-CN', 0);
    expect(r.fake.howl('test-call.zh-CN.mp3').played[0]?.sprite).toBe('a.2@heated');
  });

  it('plays nothing for a line without a take, and says so (no speech synthesis in this browser)', async () => {
    const r = await ready();
    r.audio.speak('nope', 'en', 0);
    expect(r.events).toContainEqual({ type: 'missing', key: 'nope', synthesised: false });
    expect(r.events).toContainEqual({ type: 'skip', key: 'nope', reason: 'no recorded take for this line yet' });
    expect(r.fake.howls.find((h) => h.options.src[0]?.endsWith('en.mp3'))).toBeUndefined();
  });

  it('gets louder as the mood rises', async () => {
    const r = await ready();
    r.audio.speak('a.1', 'zh-CN', 0);
    r.audio.speak('a.1', 'zh-CN', 50);
    r.audio.speak('a.1', 'zh-CN', 100);
    const volumes = r.fake.howl('test-call.zh-CN.mp3').played.map((p) => p.volume);
    expect(volumes[0]).toBeCloseTo(MIX.voiceCalm);
    expect(volumes[1]).toBeGreaterThan(volumes[0] as number);
    expect(volumes[2]).toBeCloseTo(1);
  });

  it('ducks the room under the voice and brings it back when the line ends', async () => {
    const r = await ready();
    r.audio.ring();
    r.audio.pickUp();
    r.audio.speak('a.1', 'zh-CN', 10);
    const room = ambienceOf(r);
    expect(room?.fades.at(-1)).toEqual([MIX.ambience, MIX.ambienceDucked, FADE_MS.duck]);
    const zh = r.fake.howl('test-call.zh-CN.mp3');
    zh.end(zh.played[0]?.id as number);
    expect(room?.fades.at(-1)).toEqual([MIX.ambienceDucked, MIX.ambience, FADE_MS.unduck]);
    expect(r.events.filter((e) => e.type === 'end' && e.sound === 'line')).toHaveLength(1);
  });

  it('keeps the room ducked from one line to the next, and stops the first (a caller does not talk over himself)', async () => {
    const r = await ready();
    r.audio.ring();
    r.audio.speak('a.1', 'zh-CN', 10);
    r.audio.speak('a.2', 'zh-CN', 10);
    const zh = r.fake.howl('test-call.zh-CN.mp3');
    expect(zh.played[0]?.stopped).toBe(true);
    expect(ambienceOf(r)?.fades).toEqual([[MIX.ambience, MIX.ambienceDucked, FADE_MS.duck]]);
    // The first line's end no longer counts: only the second brings the room back.
    zh.end(zh.played[0]?.id as number);
    expect(ambienceOf(r)?.fades).toHaveLength(1);
    zh.end(zh.played[1]?.id as number);
    expect(ambienceOf(r)?.fades).toHaveLength(2);
  });

  it('stopping the caller mid-line stops the voice and unducks', async () => {
    const r = await ready();
    r.audio.ring();
    r.audio.speak('a.1', 'zh-CN', 10);
    r.audio.stopLine();
    expect(r.fake.howl('test-call.zh-CN.mp3').played[0]?.stopped).toBe(true);
    expect(ambienceOf(r)?.volume).toBe(MIX.ambience);
  });

  describe('while the voices are still loading', () => {
    beforeEach(() => vi.useFakeTimers());
    afterEach(() => vi.useRealTimers());

    it('waits for them, then plays', async () => {
      const r = rig();
      r.fake.loadAtOnce = false;
      await r.audio.unlock();
      await r.audio.scenario('test-call', 'zh-CN');
      r.audio.speak('a.1', 'zh-CN', 10);
      const zh = r.fake.howl('test-call.zh-CN.mp3');
      expect(zh.played).toHaveLength(0);
      zh.finishLoad();
      await vi.advanceTimersByTimeAsync(0);
      expect(zh.played.map((p) => p.sprite)).toEqual(['a.1@calm']);
    });

    it('drops the line (its caption carries it) when they take too long', async () => {
      const r = rig();
      r.fake.loadAtOnce = false;
      await r.audio.unlock();
      await r.audio.scenario('test-call', 'zh-CN');
      r.audio.speak('a.1', 'zh-CN', 10);
      await vi.advanceTimersByTimeAsync(LINE_LOAD_WAIT_MS + 10);
      r.fake.howl('test-call.zh-CN.mp3').finishLoad();
      await vi.advanceTimersByTimeAsync(0);
      expect(r.fake.howl('test-call.zh-CN.mp3').played).toHaveLength(0);
      expect(r.events).toContainEqual({ type: 'skip', key: 'a.1@calm', reason: 'voices still loading' });
    });
  });
});

describe('settings kept across reloads', () => {
  it('mute silences through Howler and is remembered by the next visit', async () => {
    const storage = new MemoryStorage();
    const first = await ready({ storage });
    first.audio.setMuted(true);
    expect(first.fake.muteCalls.at(-1)).toBe(true);
    expect(JSON.parse(storage.getItem(AUDIO_SETTINGS_KEY) as string)).toMatchObject({ muted: true });
    const second = await ready({ storage });
    expect(second.audio.settings().muted).toBe(true);
    expect(second.fake.muteCalls).toEqual([true]);
    second.audio.setMuted(false);
    expect(second.fake.muteCalls.at(-1)).toBe(false);
  });

  it('volume goes to Howler, clamped to 0–1, and is remembered', async () => {
    const storage = new MemoryStorage();
    const r = await ready({ storage });
    r.audio.setVolume(0.3);
    expect(r.fake.volumeCalls.at(-1)).toBe(0.3);
    r.audio.setVolume(1.7);
    expect(r.fake.volumeCalls.at(-1)).toBe(1);
    expect(new SettingsStore(storage).get().volume).toBe(1);
  });

  it('voice off silences the caller (mid-line too) and is remembered; the phone still rings', async () => {
    const storage = new MemoryStorage();
    const r = await ready({ storage });
    r.audio.speak('a.1', 'zh-CN', 10);
    r.audio.setVoice(false);
    expect(r.fake.howl('test-call.zh-CN.mp3').played[0]?.stopped).toBe(true);
    r.audio.speak('a.1', 'zh-CN', 10);
    expect(r.fake.howl('test-call.zh-CN.mp3').played).toHaveLength(1);
    r.audio.ring();
    expect(r.desk().plays('ring')).toHaveLength(1);
    expect(new SettingsStore(storage).get().voice).toBe(false);
  });

  it('reads a stored record field by field and ignores what is malformed', () => {
    expect(parseSettings(null)).toEqual(DEFAULT_AUDIO_SETTINGS);
    expect(parseSettings('{not json')).toEqual(DEFAULT_AUDIO_SETTINGS);
    expect(parseSettings('[1,2]')).toEqual(DEFAULT_AUDIO_SETTINGS);
    expect(parseSettings('{"volume":"loud","muted":1,"voice":false,"speech":"robot"}')).toEqual({ ...DEFAULT_AUDIO_SETTINGS, voice: false });
    expect(parseSettings('{"volume":-3}').volume).toBe(0);
    expect(AUDIO_SETTINGS_KEY).toMatch(/\.v\d+$/);
  });

  it('lives with storage that throws (private browsing)', () => {
    const broken = { getItem: () => { throw new Error('denied'); }, setItem: () => { throw new Error('denied'); } };
    const store = new SettingsStore(broken);
    expect(store.update({ muted: true }).muted).toBe(true);
    expect(store.get().muted).toBe(true);
  });
});

describe('speech synthesis, when the trainee picks it', () => {
  class Utterance {
    lang = '';
    voice: unknown = null;
    pitch = 1;
    rate = 1;
    onend: (() => void) | null = null;
    onerror: (() => void) | null = null;
    constructor(readonly text: string) {}
  }

  function synth(langs: string[]): SpeechSynthesisLike & { spoken: Utterance[] } {
    const spoken: Utterance[] = [];
    return {
      spoken,
      getVoices: () => langs.map((lang) => ({ lang, name: lang })),
      speak: (u) => spoken.push(u as unknown as Utterance),
      cancel: () => undefined,
    };
  }

  it('reads the caption with the browser voice for the language, in the caller’s pitch and rate', async () => {
    const browser = synth(['zh-CN', 'en-US']);
    const speech = new SpeechVoice(browser, (text) => new Utterance(text) as unknown as SpeechSynthesisUtterance);
    const r = await ready({ speech });
    r.audio.setSpeech('synthesis');
    await r.audio.scenario('test-call', 'zh-CN', new Map([['a.1', { 'zh-CN': '你好', en: 'Hello' }]]));
    r.audio.ring();
    r.audio.speak('a.1', 'zh-CN', 0);
    expect(browser.spoken.map((u) => [u.text, u.lang, u.pitch, u.rate])).toEqual([['你好', 'zh-CN', 1.1, 1.2]]);
    expect(r.fake.howls.some((h) => h.options.src[0]?.endsWith('zh-CN.mp3') && h.played.length > 0)).toBe(false);
    expect(ambienceOf(r)?.volume).toBe(MIX.ambienceDucked);
    browser.spoken[0]?.onend?.();
    expect(ambienceOf(r)?.volume).toBe(MIX.ambience);
  });

  it('falls back to the recorded take where the browser has no voice for the language', async () => {
    const browser = synth(['en-GB']);
    const speech = new SpeechVoice(browser, (text) => new Utterance(text) as unknown as SpeechSynthesisUtterance);
    const r = await ready({ speech });
    r.audio.setSpeech('synthesis');
    await r.audio.scenario('test-call', 'zh-CN', new Map([['a.1', { 'zh-CN': '你好' }]]));
    r.audio.speak('a.1', 'zh-CN', 0);
    expect(browser.spoken).toHaveLength(0);
    expect(r.fake.howl('test-call.zh-CN.mp3').played.map((p) => p.sprite)).toEqual(['a.1@calm']);
    expect(r.audio.synthesisAvailable('en')).toBe(true);
  });
});

describe('a line whose voice has not been made yet', () => {
  class Utterance {
    lang = '';
    voice: unknown = null;
    pitch = 1;
    rate = 1;
    onend: (() => void) | null = null;
    onerror: (() => void) | null = null;
    constructor(readonly text: string) {}
  }
  const browser = () => {
    const spoken: Utterance[] = [];
    const synthesis: SpeechSynthesisLike = { getVoices: () => [{ lang: 'zh-CN', name: 'zh' }, { lang: 'en-GB', name: 'en' }], speak: (u) => spoken.push(u as unknown as Utterance), cancel: () => undefined };
    return { spoken, speech: new SpeechVoice(synthesis, (text) => new Utterance(text) as unknown as SpeechSynthesisUtterance) };
  };

  it('is read by the browser’s speech synthesis, with recorded voices chosen, and reported as missing', async () => {
    const { spoken, speech } = browser();
    const r = await ready({ speech });
    await r.audio.scenario('test-call', 'zh-CN', new Map([['a.9', { 'zh-CN': '新加的一句', en: 'A new line' }]]));
    r.audio.speak('a.9', 'zh-CN', 0);
    expect(spoken.map((u) => u.text)).toEqual(['新加的一句']);
    expect(r.events).toContainEqual({ type: 'missing', key: 'a.9', synthesised: true });
    // A line that has its take still plays it.
    r.audio.speak('a.1', 'zh-CN', 0);
    expect(r.fake.howl('test-call.zh-CN.mp3').played.map((p) => p.sprite)).toEqual(['a.1@calm']);
  });

  it('is read for a caller whose voices were never made, but not while they are still loading', async () => {
    const { spoken, speech } = browser();
    let arrive: (v: null) => void = () => undefined;
    const slow = new Promise<null>((done) => (arrive = done));
    const r = rig({ speech, voices: () => slow });
    await r.audio.unlock();
    const loading = r.audio.scenario('new-caller', 'en', new Map([['n.1', { en: 'Hello?' }]]));
    r.audio.speak('n.1', 'en', 0);
    expect(spoken).toHaveLength(0);
    arrive(null);
    await loading;
    r.audio.speak('n.1', 'en', 0);
    expect(spoken.map((u) => u.text)).toEqual(['Hello?']);
    expect(r.events).toContainEqual({ type: 'missing', key: 'n.1', synthesised: true });
  });

  it('reaches the desk through the sound port', async () => {
    const { speech } = browser();
    const r = await ready({ speech });
    const port = howlerSoundPort(r.audio, { language: () => 'en', texts: async () => new Map([['a.9', { en: 'A new line' }]]) });
    await port.prepare('test-call');
    const heard: [string, boolean][] = [];
    const off = port.onMissingVoice?.((id, synthesised) => heard.push([id, synthesised]));
    port.line('a.9', 'en', 0);
    port.line('a.1', 'en', 0);
    off?.();
    port.line('a.9', 'en', 0);
    expect(heard).toEqual([['a.9', true]]);
  });
});

describe('the game’s sound port', () => {
  it('passes the scenes’ calls through, with the mood of each line', async () => {
    const r = rig();
    await r.audio.unlock();
    const port = howlerSoundPort(r.audio, { language: () => 'en' });
    await port.prepare('test-call');
    expect(r.fake.howls.map((h) => h.options.src[0])).toContain('/built/test-call.en.mp3');
    port.ring();
    port.pickUp();
    port.line('a.1', 'en', 75);
    port.hold(true);
    port.ui('good');
    port.setVolume(0.5);
    port.stopLine();
    port.hangUp();
    await new Promise((resolve) => setTimeout(resolve, HANG_UP_MS.settle + 20));
    expect(r.desk().played.map((p) => p.sprite)).toEqual(['ambience', 'ring', 'pick-up', 'hold-music', 'ui-good', 'hang-up']);
    expect(r.fake.howl('test-call.en.mp3').played.map((p) => p.sprite)).toEqual(['a.1@heated']);
    expect(r.fake.volumeCalls.at(-1)).toBe(0.5);
  });

  it('turns the callers\' voices off from the menu\'s setting, keeping the desk sounds', async () => {
    const r = rig();
    await r.audio.unlock();
    const port = howlerSoundPort(r.audio, { language: () => 'en' });
    await port.prepare('test-call');
    port.setVoices(false);
    port.line('a.1', 'en', 20);
    port.ring();
    expect(r.fake.howl('test-call.en.mp3').played).toEqual([]);
    expect(r.desk().played.map((p) => p.sprite)).toContain('ring');
    port.setVoices(true);
    port.line('a.1', 'en', 20);
    expect(r.fake.howl('test-call.en.mp3').played.length).toBe(1);
  });
});
