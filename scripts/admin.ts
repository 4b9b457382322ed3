/**
 * `npm run admin -- <command>`: leads and cohorts from the command line, on the same database as
 * the server (DATABASE_URL, or PGlite in DATA_DIR, default ./data).
 *
 *   add-lead NAME            asks for a password (or takes LEAD_PASSWORD, or one line on stdin;
 *                            with an empty stdin it makes one and prints it)
 *   set-password NAME        the same, for an existing lead; ends their sessions
 *   remove-lead NAME         with their cohorts, trainees and attempts
 *   list-leads
 *   add-cohort LEAD NAME     prints the cohort's join code
 */
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { hashPassword, newJoinCode, newToken } from '../src/server/auth';
import { prepareDataDir } from '../src/server/db';
import { lockDataDir } from '../src/server/lock';
import { personName } from '../src/server/schemas';
import { openRepository, REPO_ROOT } from '../src/server/service';

const USAGE = `usage: npm run admin -- add-lead NAME | set-password NAME | remove-lead NAME | list-leads | add-cohort LEAD NAME`;

async function readPassword(prompt: string): Promise<string> {
  if (process.env.LEAD_PASSWORD) return process.env.LEAD_PASSWORD;
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: process.stdin.isTTY === true });
  if (!process.stdin.isTTY) {
    // Piped: the first line is the password.
    for await (const line of rl) {
      rl.close();
      return line;
    }
    return '';
  }
  const ask = (q: string) =>
    new Promise<string>((done) => {
      const output = rl as unknown as { _writeToOutput: (s: string) => void; output: NodeJS.WriteStream };
      let muted = false;
      output._writeToOutput = (s: string) => {
        if (!muted || s.includes('\n')) output.output.write(muted ? '\n' : s);
      };
      rl.question(q, (answer) => done(answer));
      muted = true;
    });
  const first = await ask(prompt);
  const second = await ask('Again: ');
  rl.close();
  if (first !== second) throw new Error('the two passwords differ');
  return first;
}

function checkPassword(password: string): string {
  if (password.length < 10) throw new Error('a password needs at least 10 characters');
  if (password.length > 200) throw new Error('a password has at most 200 characters');
  return password;
}

function nameArg(value: string | undefined, what: string): string {
  const parsed = personName.safeParse(value ?? '');
  if (!parsed.success) throw new Error(`${what}: ${parsed.error.issues[0]?.message ?? 'not valid'}\n${USAGE}`);
  return parsed.data;
}

async function main() {
  const [command, ...args] = process.argv.slice(2);
  if (!command || command === 'help' || command === '--help') {
    console.log(USAGE);
    return;
  }
  const databaseUrl = process.env.DATABASE_URL || undefined;
  const dataDir = resolve(process.env.DATA_DIR ?? join(REPO_ROOT, 'data'));
  let release = () => {};
  if (!databaseUrl) {
    prepareDataDir(dataDir);
    try {
      release = await lockDataDir(dataDir);
    } catch (error) {
      throw new Error(`${(error as Error).message} (the server holds the embedded database while it runs; stop it, run this, start it again)`);
    }
  }
  const { db, repository } = await openRepository({ databaseUrl, dataDir });
  try {
    switch (command) {
      case 'add-lead': {
        const name = nameArg(args[0], 'add-lead NAME');
        if (await repository.findLeadByName(name)) throw new Error(`a lead called “${name}” exists; use set-password to change the password`);
        let password = await readPassword(`Password for ${name}: `);
        // Nothing given on a pipe (CI, scripts): make one and print it once.
        const generated = password === '';
        if (generated) password = newToken().slice(0, 20);
        await repository.createLead(name, await hashPassword(checkPassword(password)));
        console.log(`Lead “${name}” added.${generated ? ` Password: ${password}` : ''} Log in at /dashboard.html.`);
        break;
      }
      case 'set-password': {
        const name = nameArg(args[0], 'set-password NAME');
        if (!(await repository.findLeadByName(name))) throw new Error(`no lead called “${name}”`);
        const password = checkPassword(await readPassword(`New password for ${name}: `));
        if (!password) throw new Error('no password given');
        await repository.setLeadPassword(name, await hashPassword(password));
        console.log(`Password of “${name}” changed; their sessions were ended.`);
        break;
      }
      case 'remove-lead': {
        const name = nameArg(args[0], 'remove-lead NAME');
        if (!(await repository.removeLead(name))) throw new Error(`no lead called “${name}”`);
        console.log(`Lead “${name}” removed, with their cohorts.`);
        break;
      }
      case 'list-leads': {
        const leads = await repository.listLeads();
        if (!leads.length) console.log('No leads yet: npm run admin -- add-lead NAME');
        for (const lead of leads) console.log(`${lead.name}\t${lead.cohorts} cohort(s)\tsince ${lead.createdAt.slice(0, 10)}`);
        break;
      }
      case 'add-cohort': {
        const leadName = nameArg(args[0], 'add-cohort LEAD NAME');
        const cohortName = nameArg(args.slice(1).join(' '), 'add-cohort LEAD NAME');
        const lead = await repository.findLeadByName(leadName);
        if (!lead) throw new Error(`no lead called “${leadName}”`);
        const code = newJoinCode();
        const id = await repository.createCohort(lead.id, cohortName, code);
        if (id === 'name-taken') throw new Error(`${leadName} already has a cohort called “${cohortName}”`);
        console.log(`Cohort “${cohortName}” (id ${id}) for ${leadName}. Join code: ${code}`);
        break;
      }
      default:
        throw new Error(`unknown command “${command}”\n${USAGE}`);
    }
  } finally {
    await db.close();
    release();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
