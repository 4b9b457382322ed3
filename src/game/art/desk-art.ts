/** The desk, the phone, the action icons and the logo, as SVG documents written by build-art. */

export const DESK_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="1280" height="720" viewBox="0 0 1280 720">
<defs>
<linearGradient id="wall" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#132036"/><stop offset="1" stop-color="#0c1524"/></linearGradient>
<linearGradient id="desk" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#3a4a63"/><stop offset="0.08" stop-color="#2b3850"/><stop offset="1" stop-color="#1c2638"/></linearGradient>
<linearGradient id="night" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#1b3358"/><stop offset="1" stop-color="#2c4a72"/></linearGradient>
</defs>
<rect width="1280" height="720" fill="url(#wall)"/>
<g opacity="0.55">
<rect x="940" y="40" width="300" height="250" rx="6" fill="url(#night)"/>
<g fill="#0f1b2d"><rect x="970" y="180" width="40" height="110"/><rect x="1020" y="140" width="55" height="150"/><rect x="1085" y="200" width="35" height="90"/><rect x="1130" y="160" width="60" height="130"/><rect x="1195" y="210" width="45" height="80"/></g>
<g fill="#f6d58b" opacity="0.8"><rect x="1030" y="152" width="6" height="6"/><rect x="1046" y="170" width="6" height="6"/><rect x="1140" y="176" width="6" height="6"/><rect x="1160" y="196" width="6" height="6"/><rect x="980" y="200" width="6" height="6"/><rect x="1060" y="220" width="6" height="6"/></g>
<g stroke="#0e1930" stroke-width="3">${Array.from({ length: 11 }, (_, i) => `<line x1="940" y1="${52 + i * 22}" x2="1240" y2="${52 + i * 22}"/>`).join('')}</g>
<rect x="940" y="40" width="300" height="250" rx="6" fill="none" stroke="#2a3d5c" stroke-width="8"/>
</g>
<g opacity="0.35" stroke="#20314d" stroke-width="2">${Array.from({ length: 16 }, (_, i) => `<line x1="${i * 80 + 40}" y1="0" x2="${i * 80 + 40}" y2="560"/>`).join('')}</g>
<rect y="560" width="1280" height="160" fill="url(#desk)"/>
<rect y="556" width="1280" height="8" fill="#4a5d7c"/>
<g opacity="0.5"><ellipse cx="90" cy="560" rx="46" ry="8" fill="#0b1320"/><path d="M70 560 L78 500 L102 500 L110 560 Z" fill="#2f6d5a"/><path d="M90 500 Q60 450 74 420 Q92 460 90 500 Q96 440 120 424 Q118 470 90 500 Q70 470 44 470 Q64 490 90 500" fill="#3f9a74"/></g>
</svg>`;

export const PHONE_BASE_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="360" height="240" viewBox="0 0 360 240">
<defs><linearGradient id="body" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#3b4658"/><stop offset="1" stop-color="#232b38"/></linearGradient></defs>
<ellipse cx="180" cy="226" rx="160" ry="12" fill="#000" opacity="0.35"/>
<path d="M30 220 L58 70 Q62 52 82 52 L278 52 Q298 52 302 70 L330 220 Z" fill="url(#body)"/>
<path d="M70 84 L290 84 L292 96 L68 96 Z" fill="#1a212c"/>
<rect x="206" y="112" width="96" height="44" rx="6" fill="#9fd3c7"/><rect x="212" y="118" width="84" height="32" rx="4" fill="#c9efe5"/>
<g fill="#d9e1ec">${[0, 1, 2, 3]
  .flatMap((row) => [0, 1, 2].map((col) => `<rect x="${86 + col * 36}" y="${112 + row * 26}" width="28" height="18" rx="5"/>`))
  .join('')}</g>
<circle cx="306" cy="188" r="8" fill="#e2434b"/>
<circle cx="280" cy="188" r="8" fill="#3fbf86"/>
</svg>`;

export const HANDSET_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="300" height="90" viewBox="0 0 300 90">
<path d="M20 30 Q14 8 40 6 L260 6 Q286 8 280 30 L270 70 Q266 84 250 84 L214 84 Q200 84 204 70 L210 46 L90 46 L96 70 Q100 84 86 84 L50 84 Q34 84 30 70 Z" fill="#2c3646"/>
<path d="M40 14 L260 14" stroke="#4a5870" stroke-width="4" stroke-linecap="round"/>
</svg>`;

const ICON_PATHS = {
  hold: '<rect x="12" y="10" width="6" height="20" rx="2"/><rect x="22" y="10" width="6" height="20" rx="2"/>',
  lookup: '<circle cx="17" cy="17" r="9" fill="none" stroke="#fff" stroke-width="4"/><path d="M24 24 L33 33" stroke="#fff" stroke-width="5" stroke-linecap="round"/>',
  sms: '<path d="M6 9 Q6 6 9 6 L31 6 Q34 6 34 9 L34 25 Q34 28 31 28 L16 28 L9 34 L10 28 L9 28 Q6 28 6 25 Z"/><g fill="#1a2435"><circle cx="14" cy="17" r="2.5"/><circle cx="20" cy="17" r="2.5"/><circle cx="26" cy="17" r="2.5"/></g>',
  ticket: '<path d="M6 10 L34 10 L34 16 Q30 17 30 20 Q30 23 34 24 L34 30 L6 30 L6 24 Q10 23 10 20 Q10 17 6 16 Z"/><path d="M16 14 L16 26" stroke="#1a2435" stroke-width="2" stroke-dasharray="3 2"/>',
  transfer: '<path d="M6 14 L28 14 L28 9 L35 16 L28 23 L28 18 L6 18 Z"/><path d="M34 26 L12 26 L12 21 L5 28 L12 35 L12 30 L34 30 Z"/>',
  escalate: '<path d="M20 4 L32 16 L24 16 L24 26 L16 26 L16 16 L8 16 Z"/><rect x="10" y="30" width="20" height="5" rx="2"/>',
  'hang-up': '<path d="M4 22 Q20 8 36 22 L33 28 Q31 30 28 29 L25 26 Q24 23 25 21 Q20 18 15 21 Q16 23 15 26 L12 29 Q9 30 7 28 Z"/>',
  say: '<path d="M8 8 L32 8 Q35 8 35 11 L35 24 Q35 27 32 27 L18 27 L11 33 L12 27 L8 27 Q5 27 5 24 L5 11 Q5 8 8 8 Z"/>',
} as const;

export type IconName = keyof typeof ICON_PATHS;
export const ICON_NAMES = Object.keys(ICON_PATHS) as IconName[];

export function iconSvg(name: IconName): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40" viewBox="0 0 40 40"><g fill="#ffffff">${ICON_PATHS[name]}</g></svg>`;
}

export const LOGO_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="96" height="96" viewBox="0 0 96 96">
<rect width="96" height="96" rx="24" fill="#3b8cf0"/>
<path d="M22 54 Q22 22 48 22 Q74 22 74 54" stroke="#fff" stroke-width="7" fill="none" stroke-linecap="round"/>
<rect x="16" y="48" width="16" height="24" rx="6" fill="#fff"/><rect x="64" y="48" width="16" height="24" rx="6" fill="#fff"/>
<path d="M72 70 Q70 82 54 82" stroke="#fff" stroke-width="5" fill="none" stroke-linecap="round"/><circle cx="52" cy="82" r="5" fill="#fff"/>
</svg>`;
