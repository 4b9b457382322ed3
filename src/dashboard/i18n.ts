/** The dashboard's own words in both languages; scenario text comes from the scenarios. */
import type { Localised } from '../engine/format/schema';

export type Lang = 'zh-CN' | 'en';

export const WORDS = {
  title: { en: 'Hold the Line · Team lead', 'zh-CN': 'Hold the Line · 班组长看板' },
  'login.title': { en: 'Log in', 'zh-CN': '登录' },
  'login.name': { en: 'Name', 'zh-CN': '姓名' },
  'login.password': { en: 'Password', 'zh-CN': '密码' },
  'login.submit': { en: 'Log in', 'zh-CN': '登录' },
  'login.hint': { en: 'Leads are added on the server: ', 'zh-CN': '组长账号在服务器上添加：' },
  'setup.title': { en: 'Create the first team lead', 'zh-CN': '创建第一个组长账号' },
  'setup.submit': { en: 'Create and log in', 'zh-CN': '创建并登录' },
  'setup.hint': { en: 'At least 10 characters. This link works once.', 'zh-CN': '至少 10 个字符。此链接只能使用一次。' },
  logout: { en: 'Log out', 'zh-CN': '退出' },
  cohorts: { en: 'Cohorts', 'zh-CN': '学员组' },
  'cohort.new': { en: 'New cohort', 'zh-CN': '新建学员组' },
  'cohort.create': { en: 'Create', 'zh-CN': '创建' },
  'cohort.none': { en: 'No cohort yet: create one, then give its join code to your trainees.', 'zh-CN': '还没有学员组：先创建一个，再把加入码发给学员。' },
  'cohort.stats': { en: '{trainees} {trainees|trainee|trainees} · {attempts} {attempts|call|calls}', 'zh-CN': '{trainees} 名学员 · {attempts} 通电话' },
  codes: { en: 'Join codes', 'zh-CN': '加入码' },
  'codes.new': { en: 'New code', 'zh-CN': '新加入码' },
  'codes.revoke': { en: 'Close', 'zh-CN': '停用' },
  'codes.none': { en: 'No open code: nobody can join.', 'zh-CN': '没有可用的加入码：现在无人能加入。' },
  'codes.hint': { en: 'Trainees open the game, choose “Join a cohort”, and type their name and this code.', 'zh-CN': '学员打开游戏，选择“加入学员组”，输入姓名和此加入码。' },
  from: { en: 'From', 'zh-CN': '从' },
  to: { en: 'To', 'zh-CN': '到' },
  caller: { en: 'Caller', 'zh-CN': '来电' },
  'caller.all': { en: 'All callers', 'zh-CN': '全部来电' },
  refresh: { en: 'Refresh', 'zh-CN': '刷新' },
  'export.csv': { en: 'Export CSV', 'zh-CN': '导出 CSV' },
  'export.xapi': { en: 'Export xAPI', 'zh-CN': '导出 xAPI' },
  'table.title': { en: 'Trainees × callers', 'zh-CN': '学员 × 来电' },
  'table.hint': { en: 'Best and last score of each trainee on each caller; ✓ passed at least once.', 'zh-CN': '每位学员在每个来电上的最佳和最近得分；✓ 表示至少通过一次。' },
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
  'chart.title': { en: '{name}: score over attempts', 'zh-CN': '{name}：历次得分' },
  'chart.hint': { en: 'One line per caller; the x axis counts that caller’s attempts.', 'zh-CN': '每个来电一条线；横轴为该来电的第几次练习。' },
  'chart.none': { en: 'No calls in this range.', 'zh-CN': '该时间段内没有通话。' },
  attempts: { en: 'Calls', 'zh-CN': '通话记录' },
  when: { en: 'When', 'zh-CN': '时间' },
  score: { en: 'Score', 'zh-CN': '得分' },
  outcome: { en: 'Outcome', 'zh-CN': '结果' },
  transcript: { en: 'Transcript', 'zh-CN': '通话记录' },
  close: { en: 'Close', 'zh-CN': '关闭' },
  'debrief.caller': { en: 'Caller', 'zh-CN': '来电者' },
  'debrief.agent': { en: 'Trainee', 'zh-CN': '学员' },
  'debrief.silence': { en: 'Silence: the reply timer ran out', 'zh-CN': '沉默：回复超时' },
  'debrief.hold': { en: 'On hold {s} s', 'zh-CN': '保持通话 {s} 秒' },
  'debrief.answer': { en: 'Picked up on ring {ring}', 'zh-CN': '第 {ring} 声铃响接听' },
  'debrief.late': { en: '(late)', 'zh-CN': '（过晚）' },
  'debrief.moodLimit': { en: 'The caller’s anger hit the limit', 'zh-CN': '来电者的怒气到达上限' },
  'debrief.kept': { en: 'kept', 'zh-CN': '做到' },
  'debrief.broken': { en: 'broke', 'zh-CN': '违反' },
  'debrief.mood': { en: 'anger {a} → {b}', 'zh-CN': '怒气 {a} → {b}' },
  'debrief.total': { en: '{total}% (pass mark {mark}%)', 'zh-CN': '{total}%（及格线 {mark}%）' },
  'debrief.best': { en: 'Best path', 'zh-CN': '最佳路径' },
  'debrief.shown': { en: 'Options shown, in this order; chose no. {n}', 'zh-CN': '当时显示的选项（按此顺序），选了第 {n} 项' },
  'debrief.critical': { en: 'critical rule broken', 'zh-CN': '违反关键规则' },
  'debrief.failCritical': { en: 'Failed for a critical rule: {rule}', 'zh-CN': '因违反关键规则未通过：{rule}' },
  'debrief.untimed': { en: 'Not timed by the server (played without a server start, e.g. offline): dated when the server received it.', 'zh-CN': '未经服务器计时（未经服务器开始，例如离线完成）：按服务器收到的时间记录。' },
  'debrief.flags': { en: 'For the lead to check', 'zh-CN': '请组长核查' },
  'debrief.assessment': { en: 'assessment', 'zh-CN': '考核' },
  // Administration (issue 15, src/dashboard/admin.ts)
  'admin.open': { en: 'Administration', 'zh-CN': '管理' },
  'admin.back': { en: 'Back to results', 'zh-CN': '返回成绩' },
  'admin.title': { en: 'Administration', 'zh-CN': '管理' },
  'admin.cancel': { en: 'Cancel', 'zh-CN': '取消' },
  'admin.save': { en: 'Save', 'zh-CN': '保存' },
  'pw.title': { en: 'Your password', 'zh-CN': '我的密码' },
  'pw.forced': { en: 'An admin set your password. Choose your own to go on.', 'zh-CN': '你的密码是管理员设置的，请先设置自己的密码再继续。' },
  'pw.current': { en: 'Current password', 'zh-CN': '当前密码' },
  'pw.new': { en: 'New password (at least 10 characters)', 'zh-CN': '新密码（至少 10 个字符）' },
  'pw.again': { en: 'New password again', 'zh-CN': '再次输入新密码' },
  'pw.submit': { en: 'Change password', 'zh-CN': '修改密码' },
  'pw.differ': { en: 'The two new passwords differ.', 'zh-CN': '两次输入的新密码不一致。' },
  'pw.wrong': { en: 'Your current password is not right.', 'zh-CN': '当前密码不正确。' },
  'pw.done': { en: 'Password changed. Your other sessions were ended.', 'zh-CN': '密码已修改，你在其他设备上的登录已退出。' },
  'tr.title': { en: 'Trainees', 'zh-CN': '学员' },
  'tr.hint': {
    en: 'The trainees of your cohorts. One person with two records (they joined twice)? Merge them: the calls move to the record you keep.',
    'zh-CN': '你所带学员组的学员。同一个人有两条记录（例如加入了两次）？可以合并：通话记录并入保留的那一条。',
  },
  'tr.name': { en: 'Name', 'zh-CN': '姓名' },
  'tr.cohort': { en: 'Cohort', 'zh-CN': '学员组' },
  'tr.calls': { en: 'Calls', 'zh-CN': '通话' },
  'tr.last': { en: 'Last call', 'zh-CN': '最近通话' },
  'tr.actions': { en: 'Actions', 'zh-CN': '操作' },
  'tr.rename': { en: 'Rename', 'zh-CN': '改名' },
  'tr.newName': { en: 'New name for {name}', 'zh-CN': '“{name}”的新名字' },
  'tr.renamed': { en: 'Renamed to “{name}”.', 'zh-CN': '已改名为“{name}”。' },
  'tr.taken': {
    en: 'That name is taken, or looks too much like another trainee’s in this cohort: add an initial or a surname.',
    'zh-CN': '这个名字已有人用，或与本组另一位学员的名字过于相似：请加上姓氏或首字母。',
  },
  'tr.merge': { en: 'Merge…', 'zh-CN': '合并…' },
  'tr.mergeFrom': { en: 'Record to merge into {name}', 'zh-CN': '要并入“{name}”的记录' },
  'tr.mergeNone': { en: 'No other trainee in this cohort.', 'zh-CN': '本组没有其他学员可以合并。' },
  'tr.mergeNext': { en: 'Next', 'zh-CN': '下一步' },
  'tr.mergeConfirm': {
    en: 'Merge “{from}” ({n} {n|call|calls}) into “{keep}”? The record “{from}” goes; its calls count for “{keep}”, and a device that joined as “{from}” sends as “{keep}” from now on.',
    'zh-CN': '将“{from}”（{n} 通电话）并入“{keep}”？“{from}”这条记录将删除，其通话记录计入“{keep}”，以“{from}”加入的设备此后以“{keep}”的身份提交。',
  },
  'tr.mergeDo': { en: 'Merge', 'zh-CN': '合并' },
  'tr.merged': { en: '“{from}” merged into “{keep}”: {n} {n|call|calls} moved.', 'zh-CN': '已将“{from}”并入“{keep}”：转移 {n} 通电话。' },
  'tr.remove': { en: 'Remove', 'zh-CN': '移除' },
  'tr.removeConfirm': {
    en: 'Remove “{name}” and delete {n} {n|call|calls}? Their results leave the reports and exports for good; this cannot be undone. Export the cohort first if you need them.',
    'zh-CN': '移除“{name}”并删除其 {n} 通电话记录？其成绩将从报表和导出中永久消失，无法撤销。如需保留，请先导出该学员组。',
  },
  'tr.removeDo': { en: 'Remove and delete {n} {n|call|calls}', 'zh-CN': '移除并删除 {n} 通电话' },
  'tr.removed': { en: '“{name}” removed with {n} {n|call|calls}.', 'zh-CN': '已移除“{name}”及其 {n} 通电话。' },
  'tr.changed': { en: '{name} has sent calls meanwhile: check the number and confirm again.', 'zh-CN': '“{name}”在此期间又提交了通话：请核对数量后再确认。' },
  'tr.none': { en: 'No trainees yet.', 'zh-CN': '还没有学员。' },
  'ld.title': { en: 'Leads', 'zh-CN': '组长' },
  'ld.hint': {
    en: 'Admins add and remove leads, reset their passwords and set their roles. A trainer may edit callers in the studio.',
    'zh-CN': '管理员可以添加、移除组长，重置密码，设置角色。培训师可以在编辑器中编辑来电。',
  },
  'ld.admin': { en: 'Admin', 'zh-CN': '管理员' },
  'ld.trainer': { en: 'Trainer', 'zh-CN': '培训师' },
  'ld.roleOf': { en: '{role}: {name}', 'zh-CN': '{name}：{role}' },
  'ld.stats': { en: '{cohorts} {cohorts|cohort|cohorts} · {trainees} {trainees|trainee|trainees} · {attempts} {attempts|call|calls}', 'zh-CN': '{cohorts} 个学员组 · {trainees} 名学员 · {attempts} 通电话' },
  'ld.you': { en: '(you)', 'zh-CN': '（你）' },
  'ld.temporary': { en: 'temporary password not yet changed', 'zh-CN': '尚未修改临时密码' },
  'ld.new': { en: 'Add a lead', 'zh-CN': '添加组长' },
  'ld.name': { en: 'Name', 'zh-CN': '姓名' },
  'ld.add': { en: 'Add lead', 'zh-CN': '添加组长' },
  'ld.added': { en: '“{name}” added.', 'zh-CN': '已添加“{name}”。' },
  'ld.taken': { en: 'A lead has that name, or one that looks too much like it.', 'zh-CN': '已有组长使用这个名字，或名字过于相似。' },
  'ld.secret': {
    en: 'Temporary password for {name}, shown only now. Give it to them in person; they choose their own when they log in.',
    'zh-CN': '{name} 的临时密码（仅此一次显示）。请当面交给对方；对方登录时需设置自己的密码。',
  },
  'ld.copy': { en: 'Copy', 'zh-CN': '复制' },
  'ld.copied': { en: 'Copied.', 'zh-CN': '已复制。' },
  'ld.reset': { en: 'Reset password', 'zh-CN': '重置密码' },
  'ld.resetConfirm': {
    en: 'Reset the password of “{name}”? They are logged out everywhere and log in with a temporary password you give them.',
    'zh-CN': '重置“{name}”的密码？对方所有登录都将退出，需要用你提供的临时密码登录。',
  },
  'ld.resetDo': { en: 'Reset', 'zh-CN': '重置' },
  'ld.remove': { en: 'Remove', 'zh-CN': '移除' },
  'ld.removeConfirm': { en: 'Remove the lead “{name}”? They can no longer log in.', 'zh-CN': '移除组长“{name}”？对方将无法再登录。' },
  'ld.removeHolds': {
    en: 'They have {cohorts} {cohorts|cohort|cohorts} with {trainees} {trainees|trainee|trainees} and {attempts} {attempts|call|calls}.',
    'zh-CN': '其名下有 {cohorts} 个学员组、{trainees} 名学员、{attempts} 通电话。',
  },
  'ld.moveTo': { en: 'Give the cohorts to {name}', 'zh-CN': '将学员组转给“{name}”' },
  'ld.deleteAll': { en: 'Delete the cohorts with their trainees and calls', 'zh-CN': '连同学员和通话记录一并删除学员组' },
  'ld.removeDo': { en: 'Remove lead', 'zh-CN': '移除组长' },
  'ld.removed': { en: '“{name}” removed.', 'zh-CN': '已移除“{name}”。' },
  'ld.roles': { en: 'Roles of “{name}” saved.', 'zh-CN': '已保存“{name}”的角色。' },
  'ld.lastAdmin': { en: '{name} is the only admin: make another lead an admin first.', 'zh-CN': '“{name}”是唯一的管理员：请先把另一位组长设为管理员。' },
  'ld.clash': { en: 'The other lead already has a cohort of that name: rename one first.', 'zh-CN': '对方已有同名学员组：请先改名。' },
  'log.title': { en: 'Admin log', 'zh-CN': '管理日志' },
  'log.hint': { en: 'The latest 100 actions. Passwords and tokens are never logged.', 'zh-CN': '最近 100 条操作。密码和令牌从不记录。' },
  'log.when': { en: 'When', 'zh-CN': '时间' },
  'log.who': { en: 'Who', 'zh-CN': '操作人' },
  'log.what': { en: 'Action', 'zh-CN': '操作' },
  'log.target': { en: 'On', 'zh-CN': '对象' },
  'log.none': { en: 'Nothing logged yet.', 'zh-CN': '还没有记录。' },
  'log.add-lead': { en: 'added a lead', 'zh-CN': '添加组长' },
  'log.remove-lead': { en: 'removed a lead', 'zh-CN': '移除组长' },
  'log.reset-password': { en: 'reset a password', 'zh-CN': '重置密码' },
  'log.set-roles': { en: 'set roles', 'zh-CN': '设置角色' },
  'log.add-cohort': { en: 'added a cohort', 'zh-CN': '添加学员组' },
  'log.change-own-password': { en: 'changed their password', 'zh-CN': '修改自己的密码' },
  'log.rename-trainee': { en: 'renamed a trainee', 'zh-CN': '学员改名' },
  'log.merge-trainees': { en: 'merged two trainees', 'zh-CN': '合并学员' },
  'log.remove-trainee': { en: 'removed a trainee', 'zh-CN': '移除学员' },
  'log.cli': { en: 'command line', 'zh-CN': '命令行' },
  // End of administration
  loading: { en: 'Loading…', 'zh-CN': '加载中…' },
  error: { en: 'Something went wrong: {message}', 'zh-CN': '出错了：{message}' },
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
