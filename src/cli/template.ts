/** The skeleton `npm run scenario -- new ID` writes: small, bilingual, valid and playable. */
import type { ScenarioInput } from '../engine/index';

export function newScenarioTemplate(id: string): ScenarioInput {
  const say = (zh: string, en: string) => ({ 'zh-CN': zh, en });
  return {
    $schema: './scenario.schema.json',
    formatVersion: 1,
    id,
    revision: 1,
    title: say('新来电（请改标题）', 'New caller (change this title)'),
    summary: say('一句话说明这通电话练什么。', 'One sentence on what this call practises.'),
    source: '003_ab304f42f911cf29.txt',
    difficulty: 1,
    passMark: 70,
    caller: {
      name: say('王先生', 'Mr Wang'),
      persona: say('描述来电人：他是谁，为什么打来，脾气如何。', 'Who the caller is, why he calls and what his temper is like.'),
      portrait: 'practice',
      voice: 'practice',
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
            id: 'greet-standard',
            text: say('您好，客服中心，我是小张，请问有什么可以帮您？', 'Hello, customer service, Zhang speaking. How can I help you?'),
            next: 'problem', mood: -5, scores: { courtesy: 2 }, step: 'greet', rules: { kept: ['answer-fast', 'courteous-words'] },
            feedback: say('规范问候：您好、部门、姓名。', 'The standard greeting: hello, the department, your name.'),
          },
          {
            id: 'greet-wei',
            text: say('喂？', 'Yeah?'),
            next: 'problem', mood: 10, scores: { courtesy: -2 }, rules: { broken: ['courteous-words'] },
            feedback: say('“喂”是不礼貌用语。', '"Yeah?" is a rude opener.'),
          },
          {
            id: 'greet-hang-up',
            kind: 'hang-up',
            text: say('挂机', 'Hang up'),
            next: 'end-agent-hung-up', scores: { composure: -3 }, rules: { broken: ['never-hang-up-first'] },
            feedback: say('客服不能先挂电话。', 'The agent never hangs up first.'),
          },
        ],
      },
      {
        id: 'problem',
        kind: 'decision',
        lines: [{ id: `${id}.problem.1`, text: say('你们的服务怎么回事？', 'What is going on with your service?') }],
        choices: [
          {
            id: 'problem-apologise',
            text: say('非常抱歉，给您带来不好的体验。请问具体是什么情况？', "I'm very sorry for the trouble. Could you tell me what happened?"),
            next: 'end-resolved', mood: -10, scores: { empathy: 2, listening: 1 }, step: 'apologise', rules: { kept: ['apologise-first', 'ask-dont-block'] },
            feedback: say('先致歉，再顺着用户的话提问。', 'Apologise first, then ask about what the caller said.'),
          },
          {
            id: 'problem-deny',
            text: say('我们的服务没问题。', 'There is nothing wrong with our service.'),
            next: 'end-caller-hung-up', mood: 30, scores: { listening: -2 }, rules: { broken: ['ask-dont-block'] },
            feedback: say('生硬地挡回去会火上浇油。', 'A flat denial adds fuel to the fire.'),
          },
          {
            id: 'problem-hang-up',
            kind: 'hang-up',
            text: say('挂机', 'Hang up'),
            next: 'end-agent-hung-up', scores: { composure: -3 }, rules: { broken: ['never-hang-up-first'] },
            feedback: say('客服不能先挂电话。', 'The agent never hangs up first.'),
          },
        ],
      },
      {
        id: 'end-resolved', kind: 'ending', outcome: 'resolved',
        title: say('问题解决', 'Resolved'), summary: say('用户满意地结束了通话。', 'The caller ended the call satisfied.'),
      },
      {
        id: 'end-caller-hung-up', kind: 'ending', outcome: 'caller-hung-up',
        lines: [{ id: `${id}.hung-up.1`, text: say('算了！', 'Forget it!') }],
        title: say('用户挂机', 'The caller hung up'), summary: say('用户生气地挂断了电话。', 'The caller hung up angry.'),
      },
      {
        id: 'end-agent-hung-up', kind: 'ending', outcome: 'agent-hung-up',
        title: say('客服先挂机', 'You hung up first'), summary: say('客服不能先挂电话。', 'The agent must never hang up first.'),
      },
    ],
  };
}
