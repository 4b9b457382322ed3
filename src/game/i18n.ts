/**
 * The desk's own words (buttons, labels, announcements) in both languages. Scenario text comes from
 * the scenario files; this table only holds the interface around it.
 */
import type { ChoiceKind, FlowStep, Language, Localised, Outcome, TicketTier } from '../engine/format/schema';
import { KIND_WORDS } from '../shared/action-kinds';

export type { Language, Localised };
export const UI_LANGUAGES = ['zh-CN', 'en'] as const satisfies readonly Language[];

export const STRINGS = {
  'app.title': { en: 'Hold the Line', 'zh-CN': 'Hold the Line · 稳住这通电话' },
  'app.tagline': { en: 'Practise difficult callers before you take real ones.', 'zh-CN': '正式上岗前，先和难缠的来电者练一练。' },
  'boot.loading': { en: 'Setting up your desk… {percent}%', 'zh-CN': '正在准备工位… {percent}%' },
  'menu.callers': { en: 'Choose a caller', 'zh-CN': '选择来电者' },
  'menu.keys': { en: 'Tab or arrow keys to move · Enter to pick', 'zh-CN': 'Tab 或方向键移动 · Enter 选择' },
  'menu.keysPages': { en: 'Tab or arrow keys to move · Enter to pick · Page Up/Down for more callers', 'zh-CN': 'Tab 或方向键移动 · Enter 选择 · PageUp/PageDown 翻页查看更多来电者' },
  'menu.touch': { en: 'Tap a caller to take the call', 'zh-CN': '轻触来电者即可接听' },
  'menu.touchPages': { en: 'Tap a caller to take the call · ‹ › for more callers', 'zh-CN': '轻触来电者即可接听 · 点 ‹ › 查看更多来电者' },
  'menu.difficulty': { en: 'Difficulty {n} of 5', 'zh-CN': '难度 {n}/5' },
  'menu.best': { en: 'Best {score}%', 'zh-CN': '最佳 {score}%' },
  'menu.notPlayed': { en: 'Not tried yet', 'zh-CN': '尚未练习' },
  'menu.attempts': { en: '{n} {n|try|tries}', 'zh-CN': '练习 {n} 次' },
  'menu.passed': { en: 'Passed', 'zh-CN': '已通过' },
  'menu.notPassed': { en: 'Not passed yet', 'zh-CN': '尚未通过' },
  'menu.loading': { en: 'Loading {title}…', 'zh-CN': '正在载入「{title}」…' },
  'menu.loadFailed': { en: 'This caller could not be loaded: {reason}', 'zh-CN': '无法载入该来电：{reason}' },
  'menu.update': { en: 'A new version is ready: reload ▸', 'zh-CN': '新版本已就绪：点此刷新 ▸' },
  'menu.history': { en: 'Your recent calls', 'zh-CN': '最近的练习' },
  'menu.historyEmpty': { en: 'Your calls will be listed here, on this device.', 'zh-CN': '练习记录会保存在本设备上，显示在这里。' },
  'menu.page': { en: 'Page {page} of {pages}', 'zh-CN': '第 {page}/{pages} 页' },
  'menu.more': { en: 'More callers', 'zh-CN': '更多来电者' },
  'settings.title': { en: 'Settings', 'zh-CN': '设置' },
  'settings.language': { en: 'Language', 'zh-CN': '语言' },
  'settings.volume': { en: 'Volume', 'zh-CN': '音量' },
  'settings.captions': { en: 'Captions', 'zh-CN': '字幕' },
  'settings.motion': { en: 'Motion', 'zh-CN': '动效' },
  'settings.motion.full': { en: 'Full', 'zh-CN': '正常' },
  'settings.motion.reduced': { en: 'Reduced', 'zh-CN': '减少' },
  'settings.captions.small': { en: 'Small', 'zh-CN': '小' },
  'settings.captions.medium': { en: 'Medium', 'zh-CN': '中' },
  'settings.captions.large': { en: 'Large', 'zh-CN': '大' },
  'settings.volume.off': { en: 'Off', 'zh-CN': '静音' },
  'settings.voices': { en: 'Voices', 'zh-CN': '语音' },
  'settings.voices.on': { en: 'On', 'zh-CN': '开' },
  'settings.voices.off': { en: 'Off', 'zh-CN': '关' },
  'lang.en': { en: 'English', 'zh-CN': 'English' },
  'lang.zh-CN': { en: '中文', 'zh-CN': '中文' },
  'call.incoming': { en: 'Incoming call', 'zh-CN': '来电' },
  'call.ring': { en: 'Ring {n}', 'zh-CN': '第 {n} 声' },
  'call.ringAdvice': { en: 'Answer before ring {limit}', 'zh-CN': '请在第 {limit} 声前接听' },
  'call.ringLate': { en: 'Late: answer now', 'zh-CN': '已超时，请立即接听' },
  'call.answer': { en: 'Answer', 'zh-CN': '接听' },
  'call.answerKeys': { en: 'Enter or Space', 'zh-CN': 'Enter 或空格' },
  'call.speaking': { en: '{name} is speaking…', 'zh-CN': '{name}正在说话…' },
  // Voices not made yet (issue 17): a line without a recorded take.
  'call.voiceMissing': { en: 'no recording yet, read by the browser', 'zh-CN': '暂无录音，由浏览器朗读' },
  'call.voiceMissingSilent': { en: 'no recording yet', 'zh-CN': '暂无录音' },
  'call.assessment': { en: 'Assessment', 'zh-CN': '考核' },
  'call.skip': { en: 'Skip ▸', 'zh-CN': '跳过 ▸' },
  'call.skipKeys': { en: 'Space', 'zh-CN': '空格' },
  'call.yourReply': { en: 'Your reply', 'zh-CN': '你的回答' },
  'call.replyKeys': { en: '1–{n}, ↑↓ and Enter', 'zh-CN': '数字键 1–{n}，↑↓ 与 Enter' },
  'call.secondsLeft': { en: '{s} s left', 'zh-CN': '剩 {s} 秒' },
  'call.onHold': { en: 'Caller on hold · {s} s', 'zh-CN': '通话保持中 · {s} 秒' },
  'call.resume': { en: 'Back to the caller ▸', 'zh-CN': '恢复通话 ▸' },
  'call.mood': { en: 'Anger', 'zh-CN': '怒气' },
  'call.mood.calm': { en: 'Calm', 'zh-CN': '平静' },
  'call.mood.annoyed': { en: 'Annoyed', 'zh-CN': '不耐烦' },
  'call.mood.angry': { en: 'Angry', 'zh-CN': '愤怒' },
  'call.flow': { en: 'Standard flow', 'zh-CN': '标准流程' },
  'call.transcript': { en: 'Transcript', 'zh-CN': '通话记录' },
  'call.you': { en: 'You', 'zh-CN': '你' },
  'call.silence': { en: 'Silence: the reply timer ran out.', 'zh-CN': '沉默：答复时间已到。' },
  'call.hold': { en: 'Caller on hold for {s} s.', 'zh-CN': '让用户等待 {s} 秒。' },
  'call.answered': { en: 'Picked up on ring {n}.', 'zh-CN': '第 {n} 声接起。' },
  'call.answeredLate': { en: 'Picked up late, on ring {n}.', 'zh-CN': '第 {n} 声才接起，接听过慢。' },
  'call.moodLimit': { en: 'The caller has had enough.', 'zh-CN': '用户的忍耐到了极限。' },
  'call.ended': { en: 'Call ended', 'zh-CN': '通话结束' },
  'call.scoring': { en: 'Scoring your call…', 'zh-CN': '正在为本次通话评分…' },
  'call.clock': { en: 'Desk clock', 'zh-CN': '工位时钟' },
  'call.actions': { en: 'Desk actions', 'zh-CN': '工位操作' },
  'call.notOffered': { en: 'not available now', 'zh-CN': '当前不可用' },
  'call.scrollHint': { en: 'More below', 'zh-CN': '下方还有' },
  'call.leave': { en: 'Leave', 'zh-CN': '离开' },
  'call.leaveConfirm': { en: 'Press Esc again to leave. This call will not be scored.', 'zh-CN': '再按一次 Esc 离开；本次通话不计分。' },
  'call.broken': { en: 'This call cannot go on: the scenario is broken at this point.', 'zh-CN': '剧本在此处有误，通话无法继续。' },
  'kind.say': { en: 'Say', 'zh-CN': '回答' },
  ...KIND_WORDS,
  'tier.ordinary': { en: 'ordinary', 'zh-CN': '普通' },
  'tier.serious': { en: 'serious', 'zh-CN': '重大' },
  'tier.compensation': { en: 'compensation', 'zh-CN': '索赔' },
  'tier.batch': { en: 'batch', 'zh-CN': '批量' },
  'tier.unjustified': { en: 'unjustified', 'zh-CN': '无理' },
  'step.greet': { en: 'Greet', 'zh-CN': '接听问候' },
  'step.ask': { en: 'Ask', 'zh-CN': '询问问题' },
  'step.apologise': { en: 'Apologise', 'zh-CN': '致歉/理解' },
  'step.basis': { en: 'Explain the basis', 'zh-CN': '处理依据' },
  'step.anything-else': { en: 'Anything else?', 'zh-CN': '其他问题' },
  'step.thanks': { en: 'Thank', 'zh-CN': '致谢祝福' },
  'step.goodbye': { en: 'Goodbye', 'zh-CN': '再见' },
  'outcome.resolved': { en: 'Resolved', 'zh-CN': '问题已解决' },
  'outcome.escalated': { en: 'Escalated', 'zh-CN': '已升级处理' },
  'outcome.supervisor-demanded': { en: 'Supervisor demanded', 'zh-CN': '用户要求找领导' },
  'outcome.complaint': { en: 'Complaint filed', 'zh-CN': '用户投诉' },
  'outcome.caller-hung-up': { en: 'Caller hung up', 'zh-CN': '用户挂断' },
  'outcome.agent-hung-up': { en: 'You hung up first', 'zh-CN': '坐席先挂机' },
  'outcome.unanswered': { en: 'Unanswered', 'zh-CN': '未接听' },
  'debrief.title': { en: 'Debrief', 'zh-CN': '通话复盘' },
  'debrief.passed': { en: 'Passed', 'zh-CN': '通过' },
  'debrief.failed': { en: 'Not passed', 'zh-CN': '未通过' },
  'debrief.total': { en: 'Total', 'zh-CN': '总分' },
  'debrief.passMark': { en: 'Pass mark {n}%', 'zh-CN': '及格线 {n}%' },
  'debrief.skills': { en: 'Skills', 'zh-CN': '各项能力' },
  'debrief.facts': { en: 'Ring {ring} · {silences} {silences|silence|silences} · {duration}', 'zh-CN': '第 {ring} 声接起 · 沉默 {silences} 次 · 用时 {duration}' },
  'debrief.critical': { en: 'Not passed: a critical rule was broken', 'zh-CN': '未通过：违反了关键规则' },
  'debrief.criticalBy': { en: 'Broken by your reply: “{text}”', 'zh-CN': '违反于你的回答：“{text}”' },
  'debrief.criticalBySilence': { en: 'Broken by a silence: the reply timer ran out', 'zh-CN': '违反于一次沉默：回复计时已到' },
  'debrief.criticalByAnswer': { en: 'Broken by answering late', 'zh-CN': '违反于接听过晚' },
  'debrief.shown': { en: 'Options as you saw them · you chose {position} of {count}', 'zh-CN': '你看到的选项 · 你选了第 {position} 项（共 {count} 项）' },
  'debrief.weight': { en: 'weight ×{w}', 'zh-CN': '权重 ×{w}' },
  'debrief.vsModel': { en: 'you {raw} · model call {model} points', 'zh-CN': '你 {raw} 分 · 示范 {model} 分' },
  'debrief.notCounted': { en: 'not in the total', 'zh-CN': '不计入总分' },
  'debrief.modelMark': { en: 'The bar is measured against the model call (100%).', 'zh-CN': '每项以示范通话为 100% 计算。' },
  'debrief.assessment': { en: 'Assessment: each choice with its feedback and rules; the model call is not shown.', 'zh-CN': '考核：逐条显示反馈与规则，不显示示范通话。' },
  'debrief.factsUnanswered': { en: 'Not picked up · rang for {duration}', 'zh-CN': '未接起 · 响铃 {duration}' },
  'debrief.yourCall': { en: 'Your call, choice by choice', 'zh-CN': '你的通话，逐句点评' },
  'debrief.modelCall': { en: 'The model call', 'zh-CN': '示范通话' },
  'debrief.modelSame': { en: 'Same as the model', 'zh-CN': '与示范一致' },
  'debrief.modelDiffers': { en: 'The model said instead', 'zh-CN': '示范的说法' },
  'debrief.kept': { en: 'Kept', 'zh-CN': '做到' },
  'debrief.broken': { en: 'Broke', 'zh-CN': '违反' },
  'debrief.noChoices': { en: 'You did not answer the phone, so there is nothing to review.', 'zh-CN': '电话没有接起，没有可点评的内容。' },
  'debrief.retry': { en: 'Try this caller again', 'zh-CN': '再练一次' },
  'debrief.another': { en: 'Another caller', 'zh-CN': '换一位来电者' },
  'debrief.saved': { en: 'Saved on this device', 'zh-CN': '已保存在本设备' },
  'debrief.sent': { en: 'Sent to your team', 'zh-CN': '已发送给团队' },
  'debrief.notSaved': { en: 'Could not save on this device', 'zh-CN': '未能保存在本设备' },
  'debrief.mood': { en: 'anger {before} → {after}', 'zh-CN': '怒气 {before} → {after}' },
  'debrief.scrollHint': { en: '↑↓ or wheel to scroll', 'zh-CN': '↑↓ 或滚轮翻阅' },
  'debrief.ending': { en: 'Ending', 'zh-CN': '结局' },
  'live.callerSays': { en: '{name}: {text}', 'zh-CN': '{name}:{text}' },
  'live.youSay': { en: 'You: {text}', 'zh-CN': '你：{text}' },
  'live.choices': { en: 'Your options: {list}', 'zh-CN': '你的选项：{list}' },
  'live.result': { en: 'Result: {outcome}. {verdict}. Total {total}%, pass mark {passMark}%.', 'zh-CN': '结果：{outcome}。{verdict}。总分 {total}%，及格线 {passMark}%。' },
  'live.ringing': { en: 'The phone is ringing: ring {n}. Press Enter to answer.', 'zh-CN': '电话响了：第 {n} 声。按 Enter 接听。' },
  'live.menu': { en: 'Choose a caller. {count} {count|caller|callers}.', 'zh-CN': '选择来电者，共 {count} 位。' },
  // Assignments on the menu (issue 15: src/game/ui/assignment-tile.ts, src/game/net/assignments.ts)
  'assign.heading': { en: 'Your assignments', 'zh-CN': '我的培训任务' },
  'assign.assessment': { en: 'Assessment', 'zh-CN': '考核' },
  'assign.practice': { en: 'Practice', 'zh-CN': '练习' },
  'assign.due': { en: 'Due {date}', 'zh-CN': '截止 {date}' },
  'assign.used': { en: '{used} of {allowed} {allowed|attempt|attempts} used', 'zh-CN': '已用 {used}/{allowed} 次' },
  'assign.passed': { en: '✓ Passed', 'zh-CN': '✓ 已通过' },
  'assign.failed': { en: 'Done, not passed', 'zh-CN': '已完成，未通过' },
  'assign.todo': { en: 'Not done yet', 'zh-CN': '尚未完成' },
  'assign.closed.due': { en: 'Past the due date', 'zh-CN': '已过截止时间' },
  'assign.closed.used-up': { en: 'No attempts left', 'zh-CN': '次数已用完' },
  'assign.closed.released': { en: 'Closed: the model call is out', 'zh-CN': '已结束，参考通话已公布' },
  'assign.more': { en: '+{n} more: they appear here as these close', 'zh-CN': '另有 {n} 项任务，上面的任务结束后显示' },
  'assign.refused.offline': { en: 'An assignment’s call is started by the server: check the connection, then try again.', 'zh-CN': '培训任务的通话需由服务器开始：请检查网络后再试。' },
  'assign.refused.due': { en: 'This assignment is past its due date: no new attempts.', 'zh-CN': '此任务已过截止时间，不能再开始新的通话。' },
  'assign.refused.used-up': { en: 'You have used every attempt this assignment allows.', 'zh-CN': '此任务允许的通话次数已全部用完。' },
  'assign.refused.released': { en: 'This assessment is closed: its model call has been released.', 'zh-CN': '此考核已结束，参考通话已公布。' },
  'assign.refused': { en: 'The server did not start this call: {reason}', 'zh-CN': '服务器未开始此通话：{reason}' },
  // A cmi5 launch from the company's LMS (issue 15: src/game/net/cmi5.ts)
  'cmi5.connecting': { en: 'Connecting to your course…', 'zh-CN': '正在连接课程…' },
  'cmi5.failed': { en: 'Your course could not be reached, so this call will not be recorded there: {reason}', 'zh-CN': '无法连接课程，本次通话不会记入课程：{reason}' },
  'cmi5.noCaller': { en: 'Your course asked for the caller “{id}”, which this game does not have.', 'zh-CN': '课程要求的来电“{id}”在本游戏中不存在。' },
  'cmi5.sending': { en: 'Sending your result to your course…', 'zh-CN': '正在把结果发送到课程…' },
  'cmi5.sent': { en: 'Sent to your course: {verdict} ({score}%, mastery score {mastery}%)', 'zh-CN': '已发送到课程：{verdict}（{score}%，掌握分数线 {mastery}%）' },
  'cmi5.sentNoMastery': { en: 'Sent to your course: {verdict} ({score}%)', 'zh-CN': '已发送到课程：{verdict}（{score}%）' },
  'cmi5.notRecorded': { en: 'Opened by your course to browse or review: this call is not recorded there.', 'zh-CN': '课程以浏览或复习方式打开：本次通话不计入课程。' },
  'cmi5.alreadySent': { en: 'Your course has this session’s result: this call is practice only.', 'zh-CN': '课程已收到本次的结果：这通电话仅作练习。' },
  'cmi5.sendFailed': { en: 'Your result could not be sent to your course: {reason}', 'zh-CN': '结果未能发送到课程：{reason}' },
  'cmi5.return': { en: 'Return to your course', 'zh-CN': '返回课程' },
  'cmi5.error.token': { en: 'the course’s sign-in link did not work (it may have been used already: start again from your course)', 'zh-CN': '课程的登录链接无效（可能已使用过，请从课程重新进入）' },
  'cmi5.error.launchData': { en: 'the course’s record store did not give the launch data', 'zh-CN': '课程的学习记录库未提供启动数据' },
  'cmi5.error.timeout': { en: 'no answer in {seconds} seconds', 'zh-CN': '{seconds} 秒内没有响应' },
  'cmi5.error.params': { en: 'the launch address is not complete ({detail})', 'zh-CN': '启动地址不完整（{detail}）' },
} as const satisfies Record<string, Record<Language, string>>;

export type StringKey = keyof typeof STRINGS;

/**
 * Fills `{name}` from params. `{name|one|other}` is an English plural: "one" when the value is 1,
 * else "other" ("{n} {n|try|tries}" reads "1 try", "3 tries"); Chinese needs none.
 */
export function t(language: Language, key: StringKey, params: Record<string, string | number> = {}): string {
  return fill(STRINGS[key][language], params);
}

/** "Label: value" as each language writes it: an English colon and space, a Chinese full-width colon. */
export function labelled(language: Language, label: string, value: string): string {
  return language === 'zh-CN' ? `${label}：${value}` : `${label}: ${value}`;
}

export function fill(template: string, params: Record<string, string | number>): string {
  return template.replace(/\{(\w+)(?:\|([^|}]*)\|([^|}]*))?\}/g, (whole, name: string, one?: string, other?: string) => {
    if (!(name in params)) return whole;
    if (one === undefined) return String(params[name]);
    return Number(params[name]) === 1 ? one : (other ?? '');
  });
}

/** Scenario text in the trainee's language, falling back to the other language rather than to nothing. */
export function pick(text: Localised | undefined, language: Language): string {
  if (!text) return '';
  return text[language] ?? text[language === 'en' ? 'zh-CN' : 'en'] ?? '';
}

export const kindLabel = (language: Language, kind: ChoiceKind) => t(language, `kind.${kind}`);
export const stepLabel = (language: Language, step: FlowStep) => t(language, `step.${step}`);
export const outcomeLabel = (language: Language, outcome: Outcome) => t(language, `outcome.${outcome}`);
export const tierLabel = (language: Language, tier: TicketTier) => t(language, `tier.${tier}`);

/** The trainee's language from the browser: Chinese for any zh locale, English otherwise. */
export function browserLanguage(languages: readonly string[]): Language {
  for (const tag of languages) {
    const lower = tag.toLowerCase();
    if (lower.startsWith('zh')) return 'zh-CN';
    if (lower.startsWith('en')) return 'en';
  }
  return 'en';
}
