/** The studio's own words in both languages; the caller's text comes from the file being edited. */
import type { Language, Localised } from '../engine/format/schema';

const STRINGS = {
  'app.title': { en: 'Trainer studio', 'zh-CN': '培训师工作室' },
  'lang.label': { en: 'Language', 'zh-CN': '界面语言' },
  'open.server': { en: 'Open a caller…', 'zh-CN': '打开来电…' },
  'open.serverNone': { en: 'No caller list here (open a file instead)', 'zh-CN': '这里没有来电列表（请打开文件）' },
  'open.file': { en: 'Open a file', 'zh-CN': '打开文件' },
  'open.new': { en: 'New caller', 'zh-CN': '新建来电' },
  'open.confirmDiscard': { en: 'Discard the unsaved changes to this caller?', 'zh-CN': '放弃对当前来电未保存的修改吗？' },
  'open.failed': { en: 'Could not open {name}: {reason}', 'zh-CN': '无法打开 {name}：{reason}' },
  'open.restored': { en: 'Your unsaved work on {id} was restored.', 'zh-CN': '已恢复你对 {id} 未保存的修改。' },
  'empty.title': { en: 'Write a caller without touching JSON', 'zh-CN': '不碰 JSON，也能写一通来电' },
  'empty.body': { en: 'Start a new caller from the template, or open one to change it.', 'zh-CN': '从模板新建一通来电，或打开已有的来电进行修改。' },
  'store.download': { en: 'Saving here downloads the file. To save into the scenarios folder, run the dev server, or sign in on the dashboard as a lead with the trainer role.', 'zh-CN': '在这里保存会下载文件。要直接存入 scenarios 文件夹，请使用开发服务器，或在管理页以具有培训师权限的组长身份登录。' },
  'store.dev': { en: 'Dev server: saving writes into the scenarios folder.', 'zh-CN': '开发服务器：保存会直接写入 scenarios 文件夹。' },
  'store.server': { en: 'Signed in as a trainer: saving writes into the server\'s scenarios folder; a published caller is on the trainees\' menu the next time they open it.', 'zh-CN': '已以培训师身份登录：保存会写入服务器的 scenarios 文件夹；发布的来电在学员下次打开菜单时就会出现。' },
  'undo': { en: 'Undo', 'zh-CN': '撤销' },
  'redo': { en: 'Redo', 'zh-CN': '重做' },
  'save': { en: 'Save', 'zh-CN': '保存' },
  'save.download': { en: 'Download', 'zh-CN': '下载' },
  'publish': { en: 'Publish', 'zh-CN': '发布' },
  'status.draft': { en: 'Draft: trainees do not see it', 'zh-CN': '草稿：学员看不到' },
  'status.published': { en: 'Published: on the trainees\' menu', 'zh-CN': '已发布：学员菜单上可见' },
  'saved': { en: 'Saved {file}.', 'zh-CN': '已保存 {file}。' },
  'saved.download': { en: 'Downloaded {file}: put it in scenarios/ to use it.', 'zh-CN': '已下载 {file}：放进 scenarios/ 文件夹即可使用。' },
  'published': { en: 'Published {file}: it is on the trainees\' menu.', 'zh-CN': '已发布 {file}：学员菜单上已经可以看到。' },
  'save.failed': { en: 'Not saved: {reason}', 'zh-CN': '未保存：{reason}' },
  'save.hasErrors': { en: 'Fix the errors first ({n}): a caller with errors cannot be saved into scenarios/.', 'zh-CN': '请先修正错误（{n} 个）：有错误的来电不能存入 scenarios/。' },
  'unsaved': { en: 'Unsaved changes', 'zh-CN': '有未保存的修改' },
  // Voices made on save (issue 17)
  'voices.label': { en: 'Voices', 'zh-CN': '配音' },
  'voices.idle': { en: 'Voices: made when you save', 'zh-CN': '配音：保存后自动生成' },
  'voices.queued': { en: 'Voices: waiting to be made…', 'zh-CN': '配音：排队等待生成…' },
  'voices.starting': { en: 'Making voices…', 'zh-CN': '正在生成配音…' },
  'voices.making': { en: 'Making voices… {done}/{total}', 'zh-CN': '正在生成配音… {done}/{total}' },
  'voices.ready': { en: 'Voices ready', 'zh-CN': '配音已生成' },
  'voices.failed': { en: 'Voices not made ({reason}): the game will read new lines with the browser\'s voice', 'zh-CN': '配音生成失败（{reason}）：游戏会用浏览器的语音朗读新台词' },
  'voices.off': { en: 'No voice tools on this server: the game will read new lines with the browser\'s voice', 'zh-CN': '此服务器没有配音工具：游戏会用浏览器的语音朗读新台词' },
  'voices.offMissing': { en: 'No voice tools on this server ({missing}): the game will read new lines with the browser\'s voice', 'zh-CN': '此服务器没有配音工具（缺少 {missing}）：游戏会用浏览器的语音朗读新台词' },
  'voices.download': { en: 'Voices: run {command} after putting the file in scenarios/', 'zh-CN': '配音：把文件放进 scenarios/ 后运行 {command}' },
  'graph.label': { en: 'The call as a graph', 'zh-CN': '通话流程图' },
  'graph.help': { en: 'Drag from an option\'s dot to a card to connect them. Drag the background to move, wheel to zoom.', 'zh-CN': '从选项右侧的圆点拖到另一张卡片即可连线。拖动空白处移动画布，滚轮缩放。' },
  'graph.addDecision': { en: '+ Decision', 'zh-CN': '+ 决策' },
  'graph.addCaller': { en: '+ Caller speaks', 'zh-CN': '+ 来电者说话' },
  'graph.addEnding': { en: '+ Ending', 'zh-CN': '+ 结局' },
  'graph.layout': { en: 'Tidy up', 'zh-CN': '自动排列' },
  'graph.zoomIn': { en: 'Zoom in', 'zh-CN': '放大' },
  'graph.zoomOut': { en: 'Zoom out', 'zh-CN': '缩小' },
  'graph.fit': { en: 'Fit', 'zh-CN': '适应窗口' },
  'graph.model': { en: 'Model call', 'zh-CN': '标准接法' },
  'graph.played': { en: 'Last play', 'zh-CN': '上次试玩' },
  'graph.start': { en: 'start', 'zh-CN': '开始' },
  'graph.silence': { en: 'silence', 'zh-CN': '沉默' },
  'graph.next': { en: 'then', 'zh-CN': '然后' },
  'graph.connected': { en: '{from} now leads to {to}.', 'zh-CN': '{from} 现在通向 {to}。' },
  'kind.caller': { en: 'Caller speaks', 'zh-CN': '来电者说话' },
  'kind.decision': { en: 'Decision', 'zh-CN': '决策' },
  'kind.ending': { en: 'Ending', 'zh-CN': '结局' },
  'form.settings': { en: 'Call settings', 'zh-CN': '通话设置' },
  'form.id': { en: 'Id (letters, digits, -)', 'zh-CN': '编号（小写字母、数字、-）' },
  'form.idTaken': { en: 'That id is taken or not valid.', 'zh-CN': '这个编号已被使用或无效。' },
  'form.title': { en: 'Title', 'zh-CN': '标题' },
  'form.summary': { en: 'Summary', 'zh-CN': '简介' },
  'form.source': { en: 'Training document', 'zh-CN': '培训资料' },
  'form.difficulty': { en: 'Difficulty (1–5)', 'zh-CN': '难度（1–5）' },
  'form.passMark': { en: 'Pass mark (%)', 'zh-CN': '及格线（%）' },
  'form.callerName': { en: 'Caller\'s name', 'zh-CN': '来电者称呼' },
  'form.persona': { en: 'Who the caller is', 'zh-CN': '来电者是谁' },
  'form.portrait': { en: 'Portrait', 'zh-CN': '头像' },
  'form.voice': { en: 'Voice', 'zh-CN': '声音' },
  'form.playVoice': { en: 'Hear', 'zh-CN': '试听' },
  'form.noSample': { en: 'No recording of this voice yet; the browser reads a sample.', 'zh-CN': '这个声音还没有录音，由浏览器朗读示例。' },
  'form.mood': { en: 'Anger at the start (0–100)', 'zh-CN': '开始时的火气（0–100）' },
  'form.moodLimit': { en: 'Breaks off at anger', 'zh-CN': '火气达到多少时挂断' },
  'form.onMoodLimit': { en: 'Then goes to', 'zh-CN': '随后进入' },
  'form.start': { en: 'The call starts at', 'zh-CN': '通话从这里开始' },
  'form.zh': { en: '中文', 'zh-CN': '中文' },
  'form.en': { en: 'English', 'zh-CN': '英文' },
  'form.lines': { en: 'What the caller says', 'zh-CN': '来电者说的话' },
  'form.addLine': { en: '+ Line', 'zh-CN': '+ 台词' },
  'form.remove': { en: 'Remove', 'zh-CN': '删除' },
  'form.removeNode': { en: 'Delete this card', 'zh-CN': '删除这张卡片' },
  'form.prompt': { en: 'Hint for the trainee', 'zh-CN': '给学员的提示' },
  'form.options': { en: 'Options', 'zh-CN': '选项' },
  'form.addOption': { en: '+ Option', 'zh-CN': '+ 选项' },
  'form.option': { en: 'Option {n}', 'zh-CN': '选项 {n}' },
  'form.kind': { en: 'Kind', 'zh-CN': '类型' },
  'form.text': { en: 'What the agent says or does', 'zh-CN': '坐席说的话或操作' },
  'form.feedback': { en: 'Feedback in the debrief', 'zh-CN': '复盘时的点评' },
  'form.next': { en: 'Leads to', 'zh-CN': '通向' },
  'form.none': { en: '(none)', 'zh-CN': '（无）' },
  'form.moodChange': { en: 'Anger change (+ angrier)', 'zh-CN': '火气变化（+ 更生气）' },
  'form.points': { en: 'Points per dimension', 'zh-CN': '各维度得分' },
  'form.rules': { en: 'Rules', 'zh-CN': '规则' },
  'form.rule.none': { en: '—', 'zh-CN': '—' },
  'form.rule.kept': { en: 'keeps', 'zh-CN': '遵守' },
  'form.rule.broken': { en: 'breaks', 'zh-CN': '违反' },
  'form.rule.critical': { en: 'critical', 'zh-CN': '关键' },
  'form.rulesFilter': { en: 'Find a rule by its words', 'zh-CN': '按内容查找规则' },
  'form.step': { en: 'Standard-flow step', 'zh-CN': '标准流程步骤' },
  'form.tier': { en: 'Complaint tier', 'zh-CN': '投诉级别' },
  'form.holdSeconds': { en: 'Hold for (seconds)', 'zh-CN': '等待时长（秒）' },
  'form.when': { en: 'Offered only when', 'zh-CN': '仅在以下情况出现' },
  'form.flagsSet': { en: 'these flags are set', 'zh-CN': '这些标记已设置' },
  'form.flagsNotSet': { en: 'these flags are not set', 'zh-CN': '这些标记未设置' },
  'form.moodMin': { en: 'anger at least', 'zh-CN': '火气不低于' },
  'form.moodMax': { en: 'anger at most', 'zh-CN': '火气不高于' },
  'form.setFlags': { en: 'Sets flags', 'zh-CN': '设置标记' },
  'form.unsetFlags': { en: 'Clears flags', 'zh-CN': '清除标记' },
  'form.newFlag': { en: 'New flag', 'zh-CN': '新标记' },
  'form.addFlag': { en: 'Add', 'zh-CN': '添加' },
  'form.noFlags': { en: 'No flags yet: a choice can set one.', 'zh-CN': '还没有标记：选项可以设置标记。' },
  'form.replySeconds': { en: 'Seconds to reply (blank: the call\'s)', 'zh-CN': '回复时限（秒，留空用默认）' },
  'form.silenceNext': { en: 'Silence leads to', 'zh-CN': '沉默后进入' },
  'form.branches': { en: 'Branches (first that holds wins)', 'zh-CN': '分支（按顺序，第一个成立的生效）' },
  'form.addBranch': { en: '+ Branch', 'zh-CN': '+ 分支' },
  'form.outcome': { en: 'Outcome', 'zh-CN': '结果' },
  'form.endingTitle': { en: 'Title in the debrief', 'zh-CN': '复盘标题' },
  'form.endingSummary': { en: 'What happened and why', 'zh-CN': '经过和原因' },
  'form.up': { en: 'Move up', 'zh-CN': '上移' },
  'form.down': { en: 'Move down', 'zh-CN': '下移' },
  'form.playFrom': { en: 'Play from here', 'zh-CN': '从这里试玩' },
  'check.title': { en: 'Checks', 'zh-CN': '检查结果' },
  'check.running': { en: 'Checking…', 'zh-CN': '正在检查…' },
  'check.ok': { en: 'No problem found.', 'zh-CN': '没有发现问题。' },
  'check.counts': { en: '{errors} error(s), {warnings} warning(s)', 'zh-CN': '{errors} 个错误，{warnings} 个警告' },
  'check.hint': { en: 'What to do:', 'zh-CN': '怎么改：' },
  'audit.title': { en: 'Can it be guessed?', 'zh-CN': '能否靠猜通过？' },
  'audit.random': { en: 'Random choices pass {percent} of {plays} plays.', 'zh-CN': '随机乱选：{plays} 次中通过 {percent}。' },
  'audit.model': { en: 'Model call: {path}', 'zh-CN': '标准接法：{path}' },
  'play.title': { en: 'Play and simulate', 'zh-CN': '试玩与模拟' },
  'play.button': { en: 'Play in the desk', 'zh-CN': '在工位中试玩' },
  'play.from': { en: 'Start from', 'zh-CN': '从这里开始' },
  'play.cannot': { en: 'Fix the errors to play.', 'zh-CN': '修正错误后才能试玩。' },
  'play.result': { en: 'Last play from {start}: {outcome}, {total}%, {verdict}.', 'zh-CN': '上次从 {start} 试玩：{outcome}，{total}%，{verdict}。' },
  'play.passed': { en: 'passed', 'zh-CN': '通过' },
  'play.failed': { en: 'failed', 'zh-CN': '未通过' },
  'play.savePlan': { en: 'Save as a golden test plan', 'zh-CN': '保存为标准测试方案' },
  'play.planSaved': { en: 'Plan saved in {file}.', 'zh-CN': '测试方案已保存到 {file}。' },
  'debrief.close': { en: 'Back to the studio', 'zh-CN': '返回工作室' },
  'debrief.open': { en: 'Debrief', 'zh-CN': '查看复盘' },
  'simulate.button': { en: 'Simulate 2,000 random plays', 'zh-CN': '模拟 2000 次随机通话' },
  'simulate.result': { en: '{passed} of {runs} random plays passed ({percent}).', 'zh-CN': '{runs} 次随机通话中有 {passed} 次通过（{percent}）。' },
  'keys': { en: 'Ctrl+Z undo · Ctrl+Shift+Z redo · Ctrl+S save', 'zh-CN': 'Ctrl+Z 撤销 · Ctrl+Shift+Z 重做 · Ctrl+S 保存' },
} as const satisfies Record<string, Record<Language, string>>;

export type StringKey = keyof typeof STRINGS;

let current: Language = navigator.language.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
try {
  const saved = localStorage.getItem('htl.studio.language');
  if (saved === 'en' || saved === 'zh-CN') current = saved;
} catch {
  // storage may be off; the browser's language stays
}

export const language = (): Language => current;

export function setLanguage(lang: Language): void {
  current = lang;
  document.documentElement.lang = lang;
  try {
    localStorage.setItem('htl.studio.language', lang);
  } catch {
    // not kept: fine
  }
}

export function t(key: StringKey, params: Record<string, string | number> = {}): string {
  return STRINGS[key][current].replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? ''));
}

/** A caller's text in the studio's language, else the other one. */
export function pick(text: Localised | undefined): string {
  if (!text) return '';
  return text[current] || text[current === 'en' ? 'zh-CN' : 'en'] || '';
}
