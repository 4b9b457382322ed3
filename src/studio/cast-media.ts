/**
 * Portraits and voices as the trainer picks them: the calm portrait of each cast key as an image,
 * and a sample of each voice — the first line another caller recorded in it, or, for a voice with
 * no recording yet, the browser reading a sample with the voice's pitch and rate.
 */
import type { Language } from '../engine/format/schema';
import type { VoiceManifest } from '../audio/manifest';

const portraits = import.meta.glob<string>('../../assets/art/portraits/*-calm.svg', { query: '?url', import: 'default', eager: true });
const manifests = import.meta.glob<VoiceManifest>('../../assets/audio/voices/*.json', { import: 'default' });
const recordings = import.meta.glob<string>('../../assets/audio/voices/*.mp3', { query: '?url', import: 'default', eager: true });

export function portraitUrl(key: string): string | null {
  return portraits[`../../assets/art/portraits/${key}-calm.svg`] ?? null;
}

let manifestsByVoice: Promise<Map<string, VoiceManifest>> | null = null;

function voiceManifests(): Promise<Map<string, VoiceManifest>> {
  manifestsByVoice ??= Promise.all(Object.values(manifests).map((load) => load().catch(() => null))).then((all) => {
    const byVoice = new Map<string, VoiceManifest>();
    for (const m of all) if (m && !byVoice.has(m.voice)) byVoice.set(m.voice, m);
    return byVoice;
  });
  return manifestsByVoice;
}

let playing: HTMLAudioElement | null = null;

const SAMPLE: Record<Language, string> = { 'zh-CN': '您好，我想问一下我的事情怎么还没处理？', en: 'Hello, I would like to know why my problem has not been sorted out yet.' };

/** Plays a few seconds of the voice; resolves to false when the browser had to read a sample instead. */
export async function playVoice(key: string, language: Language): Promise<boolean> {
  playing?.pause();
  const manifest = (await voiceManifests()).get(key);
  const take = manifest?.languages[language];
  const first = take ? Object.values(take.clips)[0] : undefined;
  const clip = first ? (first.calm ?? first.heated) : undefined;
  const url = take ? recordings[`../../assets/audio/voices/${take.file}`] : undefined;
  if (url && clip) {
    const audio = new Audio(url);
    playing = audio;
    audio.currentTime = clip[0] / 1000;
    const stopAt = (clip[0] + clip[1]) / 1000;
    audio.addEventListener('timeupdate', () => {
      if (audio.currentTime >= stopAt) audio.pause();
    });
    await audio.play().catch(() => undefined);
    return true;
  }
  if ('speechSynthesis' in window) {
    const utterance = new SpeechSynthesisUtterance(SAMPLE[language]);
    utterance.lang = language;
    utterance.pitch = manifest?.synthesis.pitch ?? 1;
    utterance.rate = manifest?.synthesis.rate ?? 1;
    speechSynthesis.cancel();
    speechSynthesis.speak(utterance);
  }
  return false;
}
