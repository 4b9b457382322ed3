/**
 * For the tests: a strict little XML reader (elements, attributes, text, the five entities and
 * character references; anything else is an error), and the checks of cmi5's CourseStructure.xsd
 * (Quartz) that a package of ours can meet: the element order of each sequence, required
 * attributes, the enumerations, masteryScore a decimal in 0..1, langstrings with a language.
 */
export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const decode = (s: string, where: number): string =>
  s.replace(/&(#x[0-9a-f]+|#[0-9]+|amp|lt|gt|quot|apos);|&/gi, (m, e: string | undefined) => {
    if (!e) throw new Error(`bare & at ${where}`);
    if (e[0] === '#') return String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
    return ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" } as Record<string, string>)[e.toLowerCase()]!;
  });

export function parseXml(xml: string): XmlElement {
  let at = 0;
  const declaration = /^<\?xml[^?]*\?>\s*/.exec(xml);
  if (declaration) at = declaration[0].length;
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;
  while (at < xml.length) {
    const lt = xml.indexOf('<', at);
    const text = xml.slice(at, lt < 0 ? xml.length : lt);
    if (text.includes('>')) throw new Error(`stray > at ${at}`);
    if (stack.length) stack[stack.length - 1]!.text += decode(text, at);
    else if (text.trim()) throw new Error(`text outside the root at ${at}`);
    if (lt < 0) break;
    const gt = xml.indexOf('>', lt);
    if (gt < 0) throw new Error(`unclosed tag at ${lt}`);
    const tag = xml.slice(lt + 1, gt);
    at = gt + 1;
    if (tag.startsWith('/')) {
      const open = stack.pop();
      if (!open || open.name !== tag.slice(1).trim()) throw new Error(`</${tag.slice(1)}> at ${lt} closes <${open?.name}>`);
      continue;
    }
    const selfClosing = tag.endsWith('/');
    const body = selfClosing ? tag.slice(0, -1) : tag;
    const name = /^[A-Za-z_][\w.:-]*/.exec(body)?.[0];
    if (!name) throw new Error(`bad tag <${tag}> at ${lt}`);
    const attributes: Record<string, string> = {};
    const rest = body.slice(name.length);
    const attr = /\s+([A-Za-z_][\w.:-]*)="([^"<]*)"/y;
    let pos = 0;
    while (pos < rest.trimEnd().length) {
      attr.lastIndex = pos;
      const m = attr.exec(rest);
      if (!m) throw new Error(`bad attribute in <${tag}> at ${lt}`);
      if (m[1]! in attributes) throw new Error(`attribute ${m[1]} twice at ${lt}`);
      attributes[m[1]!] = decode(m[2]!, lt);
      pos = attr.lastIndex;
    }
    const element: XmlElement = { name, attributes, children: [], text: '' };
    if (stack.length) stack[stack.length - 1]!.children.push(element);
    else if (root) throw new Error(`a second root <${name}> at ${lt}`);
    else root = element;
    if (!selfClosing) stack.push(element);
  }
  if (stack.length || !root) throw new Error(`unclosed <${stack[stack.length - 1]?.name}>`);
  return root;
}

export const CMI5_NS = 'https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd';

/** The problems of a course structure against the XSD's rules (empty: none). */
export function courseStructureProblems(root: XmlElement): string[] {
  const problems: string[] = [];
  const iri = (value: string | undefined, where: string) => {
    if (!value) problems.push(`${where}: id is required`);
    else if (!/^[a-z][a-z0-9+.-]*:\S+$/i.test(value)) problems.push(`${where}: id "${value}" is not an IRI`);
  };
  const textType = (element: XmlElement | undefined, where: string) => {
    if (!element) return;
    if (element.children.length === 0) problems.push(`${where}: needs at least one langstring`);
    for (const child of element.children) {
      if (child.name !== 'langstring') problems.push(`${where}: <${child.name}> is not a langstring`);
      else if (!/^[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*$/.test(child.attributes.lang ?? '')) problems.push(`${where}: langstring lang "${child.attributes.lang}" is not a language`);
    }
  };
  const sequence = (element: XmlElement, expected: { name: string; min: number; max: number }[], where: string) => {
    let i = 0;
    for (const part of expected) {
      let n = 0;
      while (element.children[i]?.name === part.name && n < part.max) {
        i++;
        n++;
      }
      if (n < part.min) problems.push(`${where}: <${part.name}> expected at child ${i + 1}, found <${element.children[i]?.name ?? 'end'}>`);
    }
    if (i < element.children.length) problems.push(`${where}: unexpected <${element.children[i]!.name}> at child ${i + 1}`);
  };
  if (root.name !== 'courseStructure') problems.push(`root is <${root.name}>, not <courseStructure>`);
  if (root.attributes.xmlns !== CMI5_NS) problems.push(`root namespace is "${root.attributes.xmlns}", not ${CMI5_NS}`);
  sequence(root, [{ name: 'course', min: 1, max: 1 }, { name: 'objectives', min: 0, max: 1 }, { name: 'au', min: 1, max: Infinity }], 'courseStructure');
  const course = root.children.find((c) => c.name === 'course');
  if (course) {
    iri(course.attributes.id, 'course');
    sequence(course, [{ name: 'title', min: 1, max: 1 }, { name: 'description', min: 1, max: 1 }, { name: 'languages', min: 0, max: 1 }], 'course');
    textType(course.children.find((c) => c.name === 'title'), 'course title');
    textType(course.children.find((c) => c.name === 'description'), 'course description');
  }
  root.children.filter((c) => c.name === 'au').forEach((au, n) => {
    const where = `au ${n + 1}`;
    iri(au.attributes.id, where);
    sequence(au, [{ name: 'title', min: 1, max: 1 }, { name: 'description', min: 1, max: 1 }, { name: 'objectives', min: 0, max: 1 }, { name: 'url', min: 1, max: 1 }, { name: 'launchParameters', min: 0, max: 1 }, { name: 'entitlementKey', min: 0, max: 1 }], where);
    textType(au.children.find((c) => c.name === 'title'), `${where} title`);
    textType(au.children.find((c) => c.name === 'description'), `${where} description`);
    const url = au.children.find((c) => c.name === 'url')?.text ?? '';
    if (url.length < 1) problems.push(`${where}: url is empty`);
    const { moveOn, masteryScore, launchMethod, authenticationMethod } = au.attributes;
    if (moveOn !== undefined && !['NotApplicable', 'Passed', 'Completed', 'CompletedAndPassed', 'CompletedOrPassed'].includes(moveOn)) problems.push(`${where}: moveOn "${moveOn}"`);
    if (masteryScore !== undefined && (!/^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(masteryScore) || Number(masteryScore) < 0 || Number(masteryScore) > 1)) problems.push(`${where}: masteryScore "${masteryScore}" is not a decimal in 0..1`);
    if (launchMethod !== undefined && !['AnyWindow', 'OwnWindow'].includes(launchMethod)) problems.push(`${where}: launchMethod "${launchMethod}"`);
    if (authenticationMethod !== undefined && authenticationMethod !== 'Basic') problems.push(`${where}: authenticationMethod "${authenticationMethod}"`);
    const known = ['id', 'moveOn', 'masteryScore', 'passIsFinal', 'authenticationMethod', 'launchMethod', 'activityType', 'xmlns'];
    for (const a of Object.keys(au.attributes)) if (!known.includes(a) && !a.includes(':')) problems.push(`${where}: unknown attribute ${a}`);
  });
  return problems;
}
