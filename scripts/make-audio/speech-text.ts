/**
 * Caption text → what espeak-ng should read. Phone and service numbers are read digit by digit the
 * way an operator says them (10010 is 幺零零幺零, not 一万零一十); amounts and years stay numbers.
 */
import type { VoiceLanguage } from '../../src/audio/manifest';

const ZH_DIGITS = ['零', '幺', '二', '三', '四', '五', '六', '七', '八', '九'];
const EN_DIGITS = ['oh', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];

/** Characters or words after a number that make it a quantity rather than a number to dial. */
const ZH_UNIT = /^[\s]*(元|块|角|毛|分|秒|年|月|日|号楼|岁|个|多|天|小时|米|吨|度|台|人|条|点|%|％)/;
const EN_UNIT = /^\s*(yuan|kuai|fen|jiao|years?|minutes?|seconds?|hours?|days?|times?|people|percent|%|am|pm|o'clock|tons?|metres?|meters?)\b/i;

function spell(digits: string, lang: VoiceLanguage): string {
  const names = lang === 'zh-CN' ? ZH_DIGITS : EN_DIGITS;
  const spelled = [...digits].map((d) => names[Number(d)] ?? d);
  return lang === 'zh-CN' ? spelled.join('') : spelled.join(' ');
}

export function speechText(text: string, lang: VoiceLanguage): string {
  const unit = lang === 'zh-CN' ? ZH_UNIT : EN_UNIT;
  const spoken = text.replace(/(?<![\d.])\d{3,}(?![\d.]\d)/g, (digits, offset: number, whole: string) => {
    const after = whole.slice(offset + digits.length);
    return unit.test(after) ? digits : ` ${spell(digits, lang)} `;
  });
  // Quotation marks and brackets are read aloud or break the phrase; the voice only needs the words.
  return spoken
    .replace(/[“”"「」『』《》()()[\]【】]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
