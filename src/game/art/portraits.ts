/**
 * The callers' portraits, drawn as SVG from a few features per caller and three moods. The build
 * script writes them to assets/art/portraits/; nothing here runs in the browser.
 */

export const MOODS = ['calm', 'annoyed', 'angry'] as const;
export type Mood = (typeof MOODS)[number];

type HairStyle = 'bob' | 'messy' | 'receding' | 'buzz' | 'bun' | 'side-part' | 'cap' | 'short-grey';

interface Features {
  skin: string;
  hair: string;
  hairStyle: HairStyle;
  clothes: string;
  collar?: string;
  glasses?: boolean;
  headset?: boolean;
  tie?: string;
  stubble?: boolean;
  flushed?: boolean;
  sleepyEyes?: boolean;
  wrinkles?: boolean;
  earrings?: boolean;
}

/** Portrait keys are the scenario format's `caller.portrait` values. */
export const CALLER_FEATURES = {
  practice: { skin: '#f1c9a5', hair: '#3a2a22', hairStyle: 'bob', clothes: '#2f8f83', collar: '#e9f3f1', earrings: true },
  gamer: { skin: '#eec39a', hair: '#1f1b1a', hairStyle: 'messy', clothes: '#3b3f58', headset: true },
  charge: { skin: '#e5b68e', hair: '#2b2522', hairStyle: 'receding', clothes: '#5f7fa6', collar: '#f4f6f8', glasses: true },
  abuser: { skin: '#d9a67c', hair: '#161412', hairStyle: 'buzz', clothes: '#2a2d33', stubble: true },
  elderly: { skin: '#f0cdb0', hair: '#c9c7c4', hairStyle: 'bun', clothes: '#8c6fa8', collar: '#f2e9f6', glasses: true, wrinkles: true },
  drunk: { skin: '#e8b48f', hair: '#2e2723', hairStyle: 'side-part', clothes: '#4b5563', collar: '#eef0f2', tie: '#9b2c2c', flushed: true, sleepyEyes: true, stubble: true },
  timetable: { skin: '#e6bb94', hair: '#4a4036', hairStyle: 'cap', clothes: '#7a6a4f', collar: '#d8cfbf', wrinkles: true },
  resident: { skin: '#d6a47c', hair: '#5a544e', hairStyle: 'receding', clothes: '#2f6d8f', collar: '#dfe9ef', stubble: true, wrinkles: true },
  manner: { skin: '#eac3a0', hair: '#b9b6b1', hairStyle: 'receding', clothes: '#7b5e45', collar: '#ece6da', glasses: true, wrinkles: true },
  claim: { skin: '#e9bd98', hair: '#2a1f1a', hairStyle: 'bob', clothes: '#b04a3c', collar: '#fbf7f2' },
  parcel: { skin: '#f3cfae', hair: '#1c1716', hairStyle: 'bun', clothes: '#cf7b9b', collar: '#fbeef3', earrings: true },
  /** For a caller whose portrait key the desk does not know yet. */
  generic: { skin: '#d9c2ad', hair: '#57534e', hairStyle: 'short-grey', clothes: '#64748b', collar: '#e2e8f0' },
} as const satisfies Record<string, Features>;

export type PortraitKey = keyof typeof CALLER_FEATURES;
export const PORTRAIT_KEYS = Object.keys(CALLER_FEATURES) as PortraitKey[];

const BACKGROUND: Record<Mood, [string, string]> = {
  calm: ['#cfe3f7', '#a9c8ea'],
  annoyed: ['#f7e3bf', '#eec98a'],
  angry: ['#f6c4bf', '#e58f86'],
};

function hair(f: Features): { back: string; front: string } {
  const c = f.hair;
  switch (f.hairStyle) {
    case 'bob':
      return {
        back: `<path d="M62 120 Q60 52 128 48 Q196 52 194 120 L198 178 Q170 190 164 170 L92 170 Q86 190 58 178 Z" fill="${c}"/>`,
        front: `<path d="M72 112 Q80 62 128 58 Q178 60 186 112 Q160 96 138 78 Q120 100 72 112 Z" fill="${c}"/>`,
      };
    case 'messy':
      return {
        back: '',
        front: `<path d="M70 118 Q62 70 92 54 L98 40 L112 52 L124 34 L136 50 L152 36 L158 54 L176 48 L174 66 Q196 82 186 118 Q176 92 150 86 Q128 96 104 88 Q82 94 70 118 Z" fill="${c}"/>`,
      };
    case 'receding':
      return {
        back: `<path d="M70 126 Q68 88 84 76 L92 100 L88 128 Z M186 126 Q188 88 172 76 L164 100 L168 128 Z" fill="${c}"/>`,
        front: `<path d="M84 80 Q106 62 128 64 Q150 62 172 80 Q150 72 128 74 Q106 72 84 80 Z" fill="${c}" opacity="0.85"/>`,
      };
    case 'buzz':
      return { back: '', front: `<path d="M72 112 Q70 60 128 56 Q186 60 184 112 Q176 80 128 76 Q80 80 72 112 Z" fill="${c}" opacity="0.9"/>` };
    case 'bun':
      return {
        back: `<circle cx="128" cy="46" r="24" fill="${c}"/><path d="M66 124 Q62 60 128 56 Q194 60 190 124 L182 120 Q178 84 128 80 Q78 84 74 120 Z" fill="${c}"/>`,
        front: `<path d="M74 110 Q84 66 128 64 Q172 66 182 110 Q160 84 128 82 Q96 84 74 110 Z" fill="${c}"/>`,
      };
    case 'side-part':
      return {
        back: `<path d="M68 120 Q64 62 128 56 Q192 62 188 120 L180 118 L176 96 L80 96 L76 118 Z" fill="${c}"/>`,
        front: `<path d="M72 108 Q78 62 128 58 Q180 60 186 104 Q168 78 118 80 Q102 92 72 108 Z" fill="${c}"/>`,
      };
    case 'cap':
      return {
        back: `<path d="M70 124 Q68 100 76 92 L80 124 Z M186 124 Q188 100 180 92 L176 124 Z" fill="${c}"/>`,
        front: `<path d="M66 98 Q70 50 128 48 Q186 50 190 98 Z" fill="#5b6b4a"/><path d="M60 98 Q128 82 206 100 Q200 110 128 104 Q76 104 60 98 Z" fill="#46553a"/><circle cx="128" cy="50" r="5" fill="#46553a"/>`,
      };
    case 'short-grey':
      return {
        back: '',
        front: `<path d="M70 114 Q66 62 128 56 Q190 62 186 114 Q178 84 150 80 Q128 88 106 80 Q80 84 70 114 Z" fill="${c}"/><path d="M84 84 Q100 74 116 78 M140 76 Q160 74 172 86" stroke="#9a948d" stroke-width="3" fill="none" stroke-linecap="round"/>`,
      };
  }
}

function eyes(f: Features, mood: Mood): string {
  const open = f.sleepyEyes ? 3.5 : mood === 'calm' ? 6.5 : mood === 'annoyed' ? 5 : 4.2;
  const pupil = mood === 'angry' ? 3.6 : 4.4;
  const eye = (cx: number) =>
    `<ellipse cx="${cx}" cy="126" rx="10" ry="${open}" fill="#ffffff"/>` +
    `<circle cx="${cx + (mood === 'annoyed' ? 2 : 0)}" cy="126" r="${Math.min(pupil, open)}" fill="#2a2220"/>` +
    (f.sleepyEyes ? `<path d="M${cx - 11} 123 Q${cx} 118 ${cx + 11} 123" stroke="#7a4e3a" stroke-width="2.5" fill="none"/>` : '');
  return eye(106) + eye(150);
}

function brows(f: Features, mood: Mood): string {
  const colour = f.hairStyle === 'bun' || f.hairStyle === 'short-grey' ? '#6b625a' : '#2b2220';
  // Inner ends drop as the caller gets angrier: the classic frown.
  const inner = mood === 'calm' ? 106 : mood === 'annoyed' ? 111 : 116;
  const outer = mood === 'calm' ? 106 : mood === 'annoyed' ? 105 : 101;
  const lift = mood === 'calm' ? 100 : 106;
  return (
    `<path d="M92 ${outer} Q104 ${lift} 118 ${inner}" stroke="${colour}" stroke-width="5" fill="none" stroke-linecap="round"/>` +
    `<path d="M164 ${outer} Q152 ${lift} 138 ${inner}" stroke="${colour}" stroke-width="5" fill="none" stroke-linecap="round"/>` +
    (mood !== 'calm' ? `<path d="M124 ${inner - 6} L126 ${inner + 2} M132 ${inner - 6} L130 ${inner + 2}" stroke="#b07d62" stroke-width="2" stroke-linecap="round"/>` : '')
  );
}

function mouth(mood: Mood): string {
  switch (mood) {
    case 'calm':
      return '<path d="M110 162 Q128 176 146 162" stroke="#8a3b34" stroke-width="4" fill="none" stroke-linecap="round"/>';
    case 'annoyed':
      return '<path d="M112 168 Q128 160 144 168" stroke="#8a3b34" stroke-width="4" fill="none" stroke-linecap="round"/>';
    case 'angry':
      return '<path d="M106 160 Q128 150 150 160 Q148 184 128 186 Q108 184 106 160 Z" fill="#6e1f1f"/><path d="M110 160 Q128 154 146 160 L144 166 Q128 162 112 166 Z" fill="#ffffff"/>';
  }
}

function extras(f: Features, mood: Mood): string {
  let out = '';
  if (f.wrinkles) out += '<path d="M86 144 Q92 150 90 158 M170 144 Q164 150 166 158 M112 92 Q128 88 144 92" stroke="#b98a6c" stroke-width="2" fill="none" stroke-linecap="round"/>';
  if (f.stubble) out += '<path d="M86 150 Q92 196 128 200 Q164 196 170 150 Q160 182 128 186 Q96 182 86 150 Z" fill="#3a3330" opacity="0.22"/>';
  const flush = f.flushed || mood === 'angry';
  if (flush) out += `<ellipse cx="94" cy="150" rx="13" ry="8" fill="#e0524a" opacity="${f.flushed && mood !== 'angry' ? 0.35 : 0.45}"/><ellipse cx="162" cy="150" rx="13" ry="8" fill="#e0524a" opacity="${f.flushed && mood !== 'angry' ? 0.35 : 0.45}"/>`;
  if (f.glasses) out += '<g fill="none" stroke="#2d2d33" stroke-width="3.5"><rect x="90" y="112" width="32" height="26" rx="8"/><rect x="134" y="112" width="32" height="26" rx="8"/><path d="M122 122 Q128 118 134 122"/><path d="M90 120 L74 116 M166 120 L182 116"/></g>';
  if (f.earrings) out += '<circle cx="72" cy="148" r="4" fill="#e8c872"/><circle cx="184" cy="148" r="4" fill="#e8c872"/>';
  if (f.headset)
    out +=
      '<path d="M64 122 Q64 46 128 44 Q192 46 192 122" stroke="#1d1f27" stroke-width="9" fill="none"/><rect x="54" y="108" width="20" height="36" rx="8" fill="#e2434b"/><rect x="182" y="108" width="20" height="36" rx="8" fill="#e2434b"/><path d="M66 140 Q74 176 104 172" stroke="#1d1f27" stroke-width="4" fill="none"/><circle cx="106" cy="172" r="5" fill="#1d1f27"/>';
  if (mood === 'angry')
    out += '<g stroke="#d8322a" stroke-width="4.5" fill="none" stroke-linecap="round"><path d="M188 58 Q194 62 194 54"/><path d="M208 58 Q202 62 202 54"/><path d="M188 74 Q194 70 194 78"/><path d="M208 74 Q202 70 202 78"/></g>';
  if (mood === 'annoyed') out += '<path d="M190 84 Q196 96 190 102 Q184 96 190 84 Z" fill="#7fb7e6"/>';
  return out;
}

/** One portrait as an SVG document, 256 × 256. */
export function portraitSvg(key: PortraitKey, mood: Mood): string {
  const f: Features = CALLER_FEATURES[key];
  const [bgTop, bgBottom] = BACKGROUND[mood];
  const h = hair(f);
  const collar = f.collar ? `<path d="M104 200 L128 226 L152 200 L146 196 L128 214 L110 196 Z" fill="${f.collar}"/>` : '';
  const tie = f.tie ? `<path d="M122 214 L134 214 L138 256 L118 256 Z" fill="${f.tie}"/>` : '';
  return [
    '<svg xmlns="http://www.w3.org/2000/svg" width="256" height="256" viewBox="0 0 256 256">',
    `<defs><linearGradient id="bg" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="${bgTop}"/><stop offset="1" stop-color="${bgBottom}"/></linearGradient></defs>`,
    '<rect width="256" height="256" rx="28" fill="url(#bg)"/>',
    h.back,
    `<path d="M30 256 Q36 206 96 194 L160 194 Q220 206 226 256 Z" fill="${f.clothes}"/>`,
    collar,
    tie,
    `<rect x="110" y="168" width="36" height="36" rx="10" fill="${f.skin}"/>`,
    `<rect x="110" y="186" width="36" height="12" fill="#000000" opacity="0.08"/>`,
    `<ellipse cx="72" cy="130" rx="11" ry="17" fill="${f.skin}"/><ellipse cx="184" cy="130" rx="11" ry="17" fill="${f.skin}"/>`,
    `<ellipse cx="128" cy="126" rx="56" ry="66" fill="${f.skin}"/>`,
    h.front,
    brows(f, mood),
    eyes(f, mood),
    '<path d="M128 132 Q122 148 126 152 Q130 154 134 151" stroke="#b07d62" stroke-width="3" fill="none" stroke-linecap="round"/>',
    mouth(mood),
    extras(f, mood),
    '</svg>',
  ].join('');
}
