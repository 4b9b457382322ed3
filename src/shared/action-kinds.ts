/**
 * The words for an option's action kind (the badge beside an option), one table for the game and
 * the lead's dashboard, so both say the same. The game adds 'kind.say' for a plain answer.
 */
export const KIND_WORDS = {
  'kind.hold': { en: 'Hold', 'zh-CN': '保持' },
  'kind.lookup': { en: 'Look up', 'zh-CN': '查询' },
  'kind.sms': { en: 'SMS', 'zh-CN': '短信' },
  'kind.ticket': { en: 'Ticket', 'zh-CN': '工单' },
  'kind.transfer': { en: 'Transfer', 'zh-CN': '转接' },
  'kind.escalate': { en: 'Escalate', 'zh-CN': '升级' },
  'kind.hang-up': { en: 'Hang up', 'zh-CN': '挂机' },
} as const;
