/**
 * The checker's diagnostics in the trainer's language. The checker writes English messages with the
 * ids it names in straight quotes; this table gives each code its Chinese sentence and hint, filled
 * with those ids, so a zh-CN trainer reads what is wrong and what to do in Chinese. The studio and
 * the preview page both use it.
 */
import type { Diagnostic, DiagnosticCode } from '../engine/check/diagnostics';
import type { Language } from '../engine/format/schema';

interface ZhText {
  /** The sentence, with {0}, {1}… for the quoted ids of the English message, in order. */
  message: string;
  hint: string;
}

const ZH: Record<DiagnosticCode, ZhText> = {
  HTL001: { message: '文件不是有效的 JSON。', hint: '按行号和列号修正语法（缺逗号、引号或括号）。' },
  HTL002: { message: '文件太大。', hint: '一个场景必须小于 1 MB，请拆成几个场景。' },
  HTL003: { message: '文件里不是一个场景对象。', hint: '场景文件只含一个 JSON 对象：{ "formatVersion": 1, … }。' },
  HTL004: { message: '使用了不允许的键名。', hint: '改名：__proto__、constructor 和 prototype 都不允许。' },
  HTL005: { message: '同一个键出现了两次。', hint: '删掉其中一个，否则 JSON 只会悄悄保留后一个。' },
  HTL010: { message: '缺少格式版本 formatVersion。', hint: '在文件开头加上 "formatVersion": 1。' },
  HTL011: { message: '格式版本不受支持。', hint: '本版本只读取 formatVersion 1。' },
  HTL020: { message: '这一项的内容不符合场景格式。', hint: '对照场景格式修改这一项（见下方英文说明）。' },
  HTL030: { message: '指向的节点“{0}”不存在。', hint: '改为指向一个已有的节点，或者添加这个节点。' },
  HTL031: { message: '编号“{0}”重复使用了。', hint: '每个节点、台词和选项都要有自己的编号。' },
  HTL032: { message: '节点“{0}”在任何一种接法下都走不到。', hint: '让某个选项或分支通向它，或者删掉它。' },
  HTL033: { message: '节点“{0}”走到这里就断了，没有下一步。', hint: '给决策加上选项，给来电台词加上“下一步”。' },
  HTL034: { message: '从“{0}”出发会陷入一个走不到任何结局的循环。', hint: '加一个能跳出循环、通向结局的选项。' },
  HTL035: { message: '未知的规则“{0}”。', hint: '从规则手册中选择规则。' },
  HTL036: { message: '未知的评分维度“{0}”。', hint: '从评分维度中选择。' },
  HTL037: { message: '缺少{lang}文本。', hint: '每段文字都要有中文和英文。' },
  HTL038: { message: '这个条件永远不会成立。', hint: '检查标记和情绪范围：没有任何接法能让这个条件成立。' },
  HTL040: { message: '没有任何接法能在不违反关键规则的前提下以“已解决”或“已升级”结束。', hint: '添加一个结果为“已解决”或“已升级”的结局，并让某种不违反关键规则的接法走到它。' },
  HTL041: { message: '通话状态太多，分析没有完成。', hint: '尽早清除不再用到的标记，合并总是一起出现的标记，少在条件里判断情绪。' },
  HTL042: { message: '挂机选项“{0}”通向“{1}”，而不是“坐席先挂机”的结局。', hint: '挂机选项应通向结果为“坐席先挂机”的结局。' },
  HTL043: { message: '规则“{0}”同时被遵守又被违反。', hint: '一个选项要么遵守一条规则，要么违反它，不能两者都是。' },
  HTL044: { message: '决策“{0}”只有 {n0} 个选项。', hint: '每个决策至少给三个选项，让学员必须思考。' },
  HTL045: { message: '在“{0}”沉默不会带来任何后果，沉默的学员会一直等下去。', hint: '让沉默提高情绪，或者设置沉默后的去向。' },
  HTL046: { message: '绕着一个循环反复走，每次都能加分。', hint: '让循环不加分，或者只能走一次（设置一个标记并判断它）。' },
  HTL047: { message: '总是选{strategy}也能通过。', hint: '把错误选项写成真正的错误，长度和语气与正确选项相当，并变换最佳选项的位置。' },
  HTL048: { message: '随便乱选也有 {percent} 的机会通过。', hint: '让更多错误选项扣分或违反关键规则。' },
  HTL049: { message: '最佳选项往往是最长的（{language}）。', hint: '把错误选项写得和正确选项一样长。' },
  HTL050: { message: '中文里用了半角标点：{quote}', hint: '中文使用全角标点：，。：；？！' },
  HTL051: { message: '标准接法在“{dimension}”维度上不得分，这个维度无法计入总分。', hint: '让标准接法在这个维度上得分，或在计分权重中把它设为 0。' },
  HTL052: { message: '工单“{0}”没有注明投诉级别。', hint: '为工单选择投诉级别（普通、严重、赔偿、批量、无理）。' },
  HTL053: { message: '未知的头像“{0}”。', hint: '从列出的头像中选择一个。' },
  HTL054: { message: '未知的声音“{0}”。', hint: '从列出的声音中选择一个。' },
};

const TITLES: Record<'error' | 'warning', Record<Language, string>> = {
  error: { 'zh-CN': '错误', en: 'error' },
  warning: { 'zh-CN': '警告', en: 'warning' },
};

const LANGUAGE_NAMES: Record<string, string> = { 'zh-CN': '中文', en: '英文' };

const STRATEGIES_ZH: Record<string, string> = {
  first: '第一个选项',
  last: '最后一个选项',
  'longest (zh-CN)': '中文最长的选项',
  'longest (en)': '英文最长的选项',
  'shortest (zh-CN)': '中文最短的选项',
  'shortest (en)': '英文最短的选项',
  'most stock-phrase (zh-CN)': '套话最多的选项（中文）',
  'most stock-phrase (en)': '套话最多的选项（英文）',
};

export const severityLabel = (severity: 'error' | 'warning', language: Language): string => TITLES[severity][language];

/** The diagnostic's message and hint in a language; `detail` keeps the checker's own words where they add something. */
export function diagnosticText(d: Diagnostic, language: Language): { message: string; hint: string; detail: string | null } {
  if (language === 'en') return { message: d.message, hint: d.hint, detail: null };
  const zh = ZH[d.code];
  const quoted = [...d.message.matchAll(/"([^"]*)"/g)].map((m) => m[1] ?? '');
  const numbers = [...d.message.matchAll(/\b(\d+(?:\.\d+)?)\b/g)].map((m) => m[1] ?? '');
  const params: Record<string, string> = {
    lang: LANGUAGE_NAMES[/the (\S+) text/.exec(d.message)?.[1] ?? ''] ?? '',
    strategy: STRATEGIES_ZH[/choosing the (.+?) option passes/.exec(d.message)?.[1] ?? ''] ?? '',
    percent: /passes ([\d.]+%)/.exec(d.message)?.[1] ?? '',
    language: LANGUAGE_NAMES[/longest \((\S+)\)/.exec(d.message)?.[1] ?? ''] ?? '',
    quote: /“([^”]*)”/.exec(d.message)?.[1] ?? '',
    dimension: /earns no (\S+) points/.exec(d.message)?.[1] ?? '',
  };
  quoted.forEach((q, i) => (params[String(i)] = q));
  numbers.forEach((n, i) => (params[`n${i}`] = n));
  const message = zh.message.replace(/\{(\w+)\}/g, (_, key: string) => params[key] ?? '');
  // Schema problems and a few others carry details that only the English message holds.
  const detail = d.code === 'HTL020' || d.code === 'HTL001' || d.code === 'HTL038' || d.code === 'HTL041' || d.code === 'HTL046' || d.code === 'HTL033' ? d.message : null;
  return { message, hint: zh.hint, detail };
}
