/** The dashboard's own words in both languages; scenario text comes from the scenarios. */
import type { Localised } from '../engine/format/schema';

export type Lang = 'zh-CN' | 'en';

const WORDS = {
  title: { en: 'Hold the Line · Team lead', 'zh-CN': 'Hold the Line · 班组长看板' },
  'login.title': { en: 'Log in', 'zh-CN': '登录' },
  'login.name': { en: 'Name', 'zh-CN': '姓名' },
  'login.password': { en: 'Password', 'zh-CN': '密码' },
  'login.submit': { en: 'Log in', 'zh-CN': '登录' },
  'login.hint': { en: 'Leads are added on the server: ', 'zh-CN': '组长账号在服务器上添加:' },
  'setup.title': { en: 'Create the first team lead', 'zh-CN': '创建第一个组长账号' },
  'setup.submit': { en: 'Create and log in', 'zh-CN': '创建并登录' },
  'setup.hint': { en: 'At least 10 characters. This link works once.', 'zh-CN': '至少 10 个字符。此链接只能使用一次。' },
  logout: { en: 'Log out', 'zh-CN': '退出' },
  cohorts: { en: 'Cohorts', 'zh-CN': '学员组' },
  'cohort.new': { en: 'New cohort', 'zh-CN': '新建学员组' },
  'cohort.create': { en: 'Create', 'zh-CN': '创建' },
  'cohort.none': { en: 'No cohort yet: create one, then give its join code to your trainees.', 'zh-CN': '还没有学员组:先创建一个,再把加入码发给学员。' },
  'cohort.stats': { en: '{trainees} {trainees|trainee|trainees} · {attempts} {attempts|call|calls}', 'zh-CN': '{trainees} 名学员 · {attempts} 通电话' },
  codes: { en: 'Join codes', 'zh-CN': '加入码' },
  'codes.new': { en: 'New code', 'zh-CN': '新加入码' },
  'codes.revoke': { en: 'Close', 'zh-CN': '停用' },
  'codes.none': { en: 'No open code: nobody can join.', 'zh-CN': '没有可用的加入码:现在无人能加入。' },
  'codes.hint': { en: 'Trainees open the game, choose “Join a cohort”, and type their name and this code.', 'zh-CN': '学员打开游戏,选择“加入学员组”,输入姓名和此加入码。' },
  from: { en: 'From', 'zh-CN': '从' },
  to: { en: 'To', 'zh-CN': '到' },
  caller: { en: 'Caller', 'zh-CN': '来电' },
  'caller.all': { en: 'All callers', 'zh-CN': '全部来电' },
  refresh: { en: 'Refresh', 'zh-CN': '刷新' },
  'export.csv': { en: 'Export CSV', 'zh-CN': '导出 CSV' },
  'export.xapi': { en: 'Export xAPI', 'zh-CN': '导出 xAPI' },
  'table.title': { en: 'Trainees × callers', 'zh-CN': '学员 × 来电' },
  'table.hint': { en: 'Best and last score of each trainee on each caller; ✓ passed at least once.', 'zh-CN': '每位学员在每个来电上的最佳和最近得分;✓ 表示至少通过一次。' },
  trainee: { en: 'Trainee', 'zh-CN': '学员' },
  'cell.best': { en: 'best', 'zh-CN': '最佳' },
  'cell.last': { en: 'last', 'zh-CN': '最近' },
  'cell.tries': { en: '{n}×', 'zh-CN': '{n} 次' },
  'cell.none': { en: '—', 'zh-CN': '—' },
  passed: { en: 'passed', 'zh-CN': '通过' },
  'not-passed': { en: 'not passed', 'zh-CN': '未通过' },
  'heat.title': { en: 'Skills heat map', 'zh-CN': '能力热力图' },
  'heat.hint': { en: 'Mean score per skill over each trainee’s latest call on each caller. Red is weak.', 'zh-CN': '每位学员在各来电最近一次通话中各项能力的平均分。红色为薄弱项。' },
  'trainees.none': { en: 'Nobody has joined this cohort yet.', 'zh-CN': '还没有学员加入这个组。' },
  'chart.title': { en: '{name}: score over attempts', 'zh-CN': '{name}:历次得分' },
  'chart.hint': { en: 'One line per caller; the x axis counts that caller’s attempts.', 'zh-CN': '每个来电一条线;横轴为该来电的第几次练习。' },
  'chart.none': { en: 'No calls in this range.', 'zh-CN': '该时间段内没有通话。' },
  attempts: { en: 'Calls', 'zh-CN': '通话记录' },
  when: { en: 'When', 'zh-CN': '时间' },
  score: { en: 'Score', 'zh-CN': '得分' },
  outcome: { en: 'Outcome', 'zh-CN': '结果' },
  transcript: { en: 'Transcript', 'zh-CN': '通话记录' },
  close: { en: 'Close', 'zh-CN': '关闭' },
  'debrief.caller': { en: 'Caller', 'zh-CN': '来电者' },
  'debrief.agent': { en: 'Trainee', 'zh-CN': '学员' },
  'debrief.silence': { en: 'Silence: the reply timer ran out', 'zh-CN': '沉默:回复超时' },
  'debrief.hold': { en: 'On hold {s} s', 'zh-CN': '保持通话 {s} 秒' },
  'debrief.answer': { en: 'Picked up on ring {ring}', 'zh-CN': '第 {ring} 声铃响接听' },
  'debrief.late': { en: '(late)', 'zh-CN': '(过晚)' },
  'debrief.moodLimit': { en: 'The caller’s anger hit the limit', 'zh-CN': '来电者的怒气到达上限' },
  'debrief.kept': { en: 'kept', 'zh-CN': '做到' },
  'debrief.broken': { en: 'broke', 'zh-CN': '违反' },
  'debrief.mood': { en: 'anger {a} → {b}', 'zh-CN': '怒气 {a} → {b}' },
  'debrief.total': { en: '{total}% (pass mark {mark}%)', 'zh-CN': '{total}%(及格线 {mark}%)' },
  'debrief.best': { en: 'Best path', 'zh-CN': '最佳路径' },
  'debrief.shown': { en: 'Options shown, in this order; chose no. {n}', 'zh-CN': '当时显示的选项(按此顺序),选了第 {n} 项' },
  'debrief.critical': { en: 'critical rule broken', 'zh-CN': '违反关键规则' },
  'debrief.failCritical': { en: 'Failed for a critical rule: {rule}', 'zh-CN': '因违反关键规则未通过:{rule}' },
  'debrief.untimed': { en: 'Not timed by the server (played without a server start, e.g. offline): dated when the server received it.', 'zh-CN': '未经服务器计时(未经服务器开始,例如离线完成):按服务器收到的时间记录。' },
  'debrief.flags': { en: 'For the lead to check', 'zh-CN': '请组长核查' },
  'debrief.assessment': { en: 'assessment', 'zh-CN': '考核' },
  loading: { en: 'Loading…', 'zh-CN': '加载中…' },
  error: { en: 'Something went wrong: {message}', 'zh-CN': '出错了:{message}' },
} as const satisfies Record<string, Localised>;

export type WordKey = keyof typeof WORDS;

export const OUTCOME_WORDS: Record<string, Localised> = {
  resolved: { en: 'resolved', 'zh-CN': '已解决' },
  escalated: { en: 'escalated', 'zh-CN': '已升级' },
  'supervisor-demanded': { en: 'supervisor demanded', 'zh-CN': '要求找主管' },
  complaint: { en: 'complaint', 'zh-CN': '投诉' },
  'caller-hung-up': { en: 'caller hung up', 'zh-CN': '来电者挂断' },
  'agent-hung-up': { en: 'agent hung up', 'zh-CN': '坐席先挂断' },
  unanswered: { en: 'unanswered', 'zh-CN': '未接听' },
};

export function pick(text: Localised | null | undefined, lang: Lang, fallback = ''): string {
  return text?.[lang] ?? text?.[lang === 'en' ? 'zh-CN' : 'en'] ?? fallback;
}

export function makeT(lang: Lang) {
  return (key: WordKey, vars: Record<string, string | number> = {}): string =>
    // `{name|one|other}`: an English plural, "one" when the value is 1 ("1 trainee", "3 trainees").
    pick(WORDS[key], lang).replace(/\{(\w+)(?:\|([^|}]*)\|([^|}]*))?\}/g, (whole, name: string, one?: string, other?: string) => {
      if (vars[name] === undefined) return whole;
      if (one === undefined) return String(vars[name]);
      return Number(vars[name]) === 1 ? one : (other ?? '');
    });
}
export type T = ReturnType<typeof makeT>;

export function initialLang(): Lang {
  const saved = localStorage.getItem('htl.dashboard.lang');
  if (saved === 'en' || saved === 'zh-CN') return saved;
  return navigator.language?.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}
