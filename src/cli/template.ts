/**
 * The skeleton `npm run scenario -- new ID` writes: small, bilingual, valid and playable, and a fair
 * test as it stands. The best answer sits at a different place in each decision, the wrong answers
 * are as long and as polite-sounding as the right ones, and a wrong answer costs enough that random
 * play rarely passes, so the audit (`npm run scenario -- audit`) finds nothing to flag. A new file is
 * a draft: trainees do not see it until its trainer publishes it.
 */
import type { ScenarioInput } from '../engine/index';

/** `schema`: the path from the new file's folder to scenarios/scenario.schema.json (or a URL). */
export function newScenarioTemplate(id: string, schema = './scenario.schema.json'): ScenarioInput {
  const say = (zh: string, en: string) => ({ 'zh-CN': zh, en });
  const hangUp = (node: string) => ({
    id: `${node}-hang-up`,
    kind: 'hang-up' as const,
    text: say('挂机', 'Hang up'),
    next: 'end-agent-hung-up',
    scores: { composure: -3 },
    rules: { broken: ['never-hang-up-first'] },
    feedback: say('无论用户多激动，客服都不能先挂电话。', 'However heated the caller, the agent never hangs up first.'),
  });
  return {
    $schema: schema,
    formatVersion: 1,
    id,
    revision: 1,
    status: 'draft',
    title: say('新来电（请改标题）', 'New caller (change this title)'),
    summary: say('一句话说明这通电话练什么。', 'One sentence on what this call practises.'),
    source: '003_ab304f42f911cf29.txt',
    difficulty: 1,
    passMark: 70,
    caller: {
      name: say('王先生', 'Mr Wang'),
      persona: say('描述来电人：他是谁，为什么打来，脾气如何。', 'Who the caller is, why he calls and what his temper is like.'),
      // A man in his fifties: `npm run scenario -- cast` lists every portrait and voice.
      portrait: 'resident',
      voice: 'resident',
      mood: 30,
      moodLimit: 90,
      onMoodLimit: 'end-caller-hung-up',
    },
    timing: { ringSeconds: 2.5, answerWithinRings: 3, giveUpAfterRings: 8, replySeconds: 20 },
    start: 'greet',
    nodes: [
      {
        id: 'greet',
        kind: 'decision',
        prompt: say('电话接通了。先问候。', 'You are connected. Greet the caller.'),
        choices: [
          {
            id: 'greet-wei',
            text: say('喂？听得到吗？有事您就说吧。', 'Yeah? Can you hear me? Go on, then.'),
            next: 'problem', mood: 10, scores: { courtesy: -2 }, rules: { broken: ['courteous-words', 'greeting'] },
            feedback: say('“喂”是不礼貌用语，也没有报部门和姓名。', '"Yeah?" is a rude opener, and it gives neither the department nor your name.'),
          },
          {
            id: 'greet-chat',
            text: say('您好您好，这边是客服，您别急，慢慢说，今天是什么事把您急成这样了呀？', 'Hi there, customer service here, no rush, take your time: what on earth has got you so worked up today?'),
            next: 'problem', mood: 10, scores: { courtesy: -2 }, rules: { broken: ['greeting'] },
            feedback: say('听着热情，却没报部门和姓名，还先替用户下了“着急”的结论。', 'It sounds warm, but it gives no department or name, and it tells the caller he is worked up before he has said a word.'),
          },
          {
            id: 'greet-standard',
            text: say('您好，客服中心，我是小张，请问有什么可以帮您？', 'Hello, customer service, Zhang speaking. How can I help you?'),
            next: 'problem', mood: -5, scores: { courtesy: 2 }, step: 'greet', rules: { kept: ['answer-fast', 'greeting', 'courteous-words'] },
            feedback: say('规范问候：您好、部门、姓名。', 'The standard greeting: hello, the department, your name.'),
          },
          hangUp('greet'),
        ],
      },
      {
        id: 'problem',
        kind: 'decision',
        lines: [{ id: `${id}.problem.1`, text: say('你们的网络怎么回事？家里断网三天了！', 'What is wrong with your network? We have had no internet at home for three days!') }],
        choices: [
          {
            id: 'problem-deny',
            text: say('我们这边系统显示一切正常，应该不是我们的问题，您先看看是不是自己家设备坏了。', 'Our system shows everything is fine, so it is not on our side; have a look whether your own equipment is broken first.'),
            next: 'check', mood: 25, scores: { listening: -2, empathy: -2 }, rules: { broken: ['ask-dont-block', 'apologise-first'] },
            feedback: say('没听完就把问题推回给用户，只会火上浇油。', 'Pushing the problem back before hearing him out only adds fuel to the fire.'),
          },
          {
            id: 'problem-apologise',
            text: say('非常抱歉，断网三天确实给您添麻烦了。请问具体是什么情况？', "I'm very sorry; three days without internet really is a nuisance. Could you tell me what is happening?"),
            next: 'check', mood: -10, scores: { empathy: 2, listening: 1 }, step: 'apologise', rules: { kept: ['apologise-first', 'ask-dont-block'] },
            feedback: say('先致歉，再顺着用户的话提问。', 'Apologise first, then ask about what the caller said.'),
          },
          {
            id: 'problem-promise',
            text: say('非常抱歉给您带来不便，您放心，不管是什么问题，我今天一定全部给您解决好，再给您补偿话费。', "I'm so sorry for the trouble. Don't worry: whatever it is, I'll have it all fixed today and give you credit for the lost days."),
            next: 'check', mood: -5, scores: { empathy: 1, compliance: -3 }, rules: { kept: ['apologise-first'], broken: ['no-overpromise'] },
            feedback: say('还没查清就许诺修好和补偿，这些不在坐席的权限内，兑现不了就是新的投诉。', 'You promise a fix and compensation before checking anything; neither is yours to give, and a broken promise is a new complaint.'),
          },
          hangUp('problem'),
        ],
      },
      {
        id: 'check',
        kind: 'decision',
        lines: [{ id: `${id}.check.1`, text: say('就是上不了网，那个灯一直在闪。', 'It just will not connect, and that light keeps blinking.') }],
        choices: [
          {
            id: 'check-confirm',
            text: say('好的，您是说网络灯一直在闪、上不了网，对吗？我这就帮您查一下线路。', 'Right: the network light keeps blinking and you cannot get online, is that it? I will check your line now.'),
            next: 'close', mood: -5, scores: { listening: 2, resolution: 1 }, step: 'ask', rules: { kept: ['confirm-understanding', 'no-dead-air'] },
            feedback: say('复述确认听得对，再说清下一步，查询时不留空白。', 'You repeat what he said to be sure, then say what happens next, with no dead air.'),
          },
          {
            id: 'check-lecture',
            text: say('灯一直闪一般就是设备的问题，这个大家都知道要先重启一下，您重启过了吗？', 'A blinking light usually means the equipment; everyone knows to restart it first. Have you restarted it?'),
            next: 'close', mood: 15, scores: { empathy: -2 }, rules: { broken: ['let-them-save-face'] },
            feedback: say('“大家都知道”等于说他无知；可以请他重启，但要给他台阶。', '"Everyone knows" calls him ignorant; you may ask him to restart it, but let him save face.'),
          },
          {
            id: 'check-silent',
            text: say('嗯，好的，您稍等，我这边先看一下系统里的记录，看完了再跟您说。', 'Mm, fine, hold on, I will look at the records in the system first and tell you once I have.'),
            next: 'close', mood: 10, scores: { listening: -2 }, rules: { broken: ['no-dead-air'] },
            feedback: say('一句“稍等”就让用户干等。边查边问，别让他听着沉默。', 'A bare "hold on" leaves him waiting in silence. Ask while you look.'),
          },
          hangUp('check'),
        ],
      },
      {
        id: 'close',
        kind: 'decision',
        lines: [{ id: `${id}.close.1`, text: say('那你们什么时候能修好？', 'So when will you have it fixed?') }],
        choices: [
          {
            id: 'close-upsell',
            text: say('已经给您报修了。另外我们现在有宽带提速优惠套餐，非常划算，请问您要不要了解一下？', 'I have logged the fault. Also, we have a faster broadband offer at a great price right now; would you like to hear about it?'),
            next: 'end-resolved', mood: 10, scores: { closing: -2, resolution: -1 }, rules: { broken: ['close-in-time'] },
            feedback: say('用户正为断网着急，这时推销套餐只会惹人烦。问题说清楚了就及时收尾。', 'He is upset about the outage; a sales pitch now only annoys him. Once it is clear, close in time.'),
          },
          {
            id: 'close-vague',
            text: say('已经给您登记了，具体什么时候修好我也说不准，您就耐心等等吧，有消息会通知您的。', 'It is logged. I cannot really say when it will be fixed; just be patient, and someone will let you know.'),
            next: 'end-resolved', mood: 10, scores: { resolution: -2, closing: -1 }, rules: { broken: ['concrete-help'] },
            feedback: say('“说不准、等通知”没有给用户任何可以指望的东西。', '"I cannot say, someone will let you know" gives him nothing to count on.'),
          },
          {
            id: 'close-standard',
            text: say('已经给您报修了，维修师傅二十四小时内会联系您。请问还有其他可以帮您的吗？', 'I have logged the fault; an engineer will contact you within twenty-four hours. Is there anything else I can help with?'),
            next: 'end-resolved', mood: -5, scores: { resolution: 2, closing: 1 }, step: 'anything-else', rules: { kept: ['concrete-help', 'close-in-time'] },
            feedback: say('给出具体的时间和下一步，再问还有没有其他问题。', 'A concrete time and next step, then ask whether there is anything else.'),
          },
          hangUp('close'),
        ],
      },
      {
        id: 'end-resolved', kind: 'ending', outcome: 'resolved',
        title: say('问题解决', 'Resolved'), summary: say('用户知道了接下来会怎样，结束了通话。', 'The caller knows what happens next and ends the call.'),
      },
      {
        id: 'end-caller-hung-up', kind: 'ending', outcome: 'caller-hung-up',
        lines: [{ id: `${id}.hung-up.1`, text: say('算了！我找你们领导去！', 'Forget it! I will talk to your manager!') }],
        title: say('用户挂机', 'The caller hung up'), summary: say('用户生气地挂断了电话。', 'The caller hung up angry.'),
      },
      {
        id: 'end-agent-hung-up', kind: 'ending', outcome: 'agent-hung-up',
        title: say('客服先挂机', 'You hung up first'), summary: say('客服不能先挂电话。', 'The agent must never hang up first.'),
      },
    ],
  };
}

/** The template's best play, for its tests and the README. */
export const TEMPLATE_BEST = ['greet-standard', 'problem-apologise', 'check-confirm', 'close-standard'] as const;
