/**
 * `npm run admin -- <command>`: leads and cohorts from the command line, on the same database as
 * the server (DATABASE_URL, or PGlite in DATA_DIR, default ./data), with or without the server
 * running. With PGlite: when no server holds the folder, the command opens the database itself;
 * when a server runs on it, the command goes to that server through its admin channel (a Unix socket
 * in the data folder only the folder's owner can reach; src/server/admin-channel.ts). With
 * PostgreSQL it connects directly, server or not.
 *
 *   add-lead NAME [--admin] [--trainer]
 *                            asks for a password (or takes LEAD_PASSWORD, or one line on stdin;
 *                            with an empty stdin it makes a temporary one, prints it once, and the
 *                            lead chooses their own at the first login). The first lead is always
 *                            an admin and a trainer.
 *   set-password NAME        the same, for an existing lead; ends their sessions
 *   reset-password NAME      a temporary password, printed once; ends their sessions
 *   set-roles NAME [--admin|--no-admin] [--trainer|--no-trainer]
 *   remove-lead NAME [--move-to LEAD | --delete-cohorts]
 *                            a lead with cohorts: give them to LEAD, or delete them with their
 *                            trainees and attempts; never the last admin
 *   list-leads
 *   add-cohort LEAD NAME     prints the cohort's join code
 *   log [N]                  the latest N admin actions (30)
 */
import { userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { AdminActions, AdminError, MIN_PASSWORD } from '../src/server/admin-actions';
import { askServer } from '../src/server/admin-channel';
import { runCliCommand, type CliRequest } from '../src/server/admin-cli';
import { prepareDataDir } from '../src/server/db';
import { lockDataDir } from '../src/server/lock';
import { openRepository, REPO_ROOT } from '../src/server/service';

const USAGE = `usage: npm run admin -- add-lead NAME [--admin] [--trainer] | set-password NAME | reset-password NAME
       | set-roles NAME [--admin|--no-admin] [--trainer|--no-trainer] | remove-lead NAME [--move-to LEAD | --delete-cohorts]
       | list-leads | add-cohort LEAD NAME | log [N]`;

class UsageError extends Error {}

async function readPassword(prompt: string, allowEmpty: boolean): Promise<string> {
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
  const first = await ask(`${prompt}${allowEmpty ? ' (empty: make a temporary one)' : ''}: `);
  if (first === '' && allowEmpty) {
    rl.close();
    return '';
  }
  const second = await ask('Again: ');
  rl.close();
  if (first !== second) throw new UsageError('the two passwords differ');
  return first;
}

/** Flags out of the arguments; what is left are the words. */
function flags(args: string[], known: string[], withValue: string[] = []): { words: string[]; set: Map<string, string | true> } {
  const set = new Map<string, string | true>();
  const words: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith('--')) words.push(arg);
    else if (withValue.includes(arg)) {
      const value = args[++i];
      if (value === undefined) throw new UsageError(`${arg} needs a value`);
      set.set(arg, value);
    } else if (known.includes(arg)) set.set(arg, true);
    else throw new UsageError(`unknown option ${arg}`);
  }
  return { words, set };
}

async function requestOf(command: string, args: string[]): Promise<CliRequest> {
  switch (command) {
    case 'add-lead': {
      const { words, set } = flags(args, ['--admin', '--trainer']);
      const name = words.join(' ');
      if (!name) throw new UsageError('add-lead NAME: a name is needed');
      const password = await readPassword(`Password for ${name}`, true);
      if (password !== '' && password.length < MIN_PASSWORD) throw new UsageError(`a password needs at least ${MIN_PASSWORD} characters`);
      return { command, name, password, isAdmin: set.has('--admin'), isTrainer: set.has('--trainer') };
    }
    case 'set-password': {
      const name = args.join(' ');
      if (!name) throw new UsageError('set-password NAME: a name is needed');
      const password = await readPassword(`New password for ${name}`, false);
      if (!password) throw new UsageError('no password given');
      return { command, name, password };
    }
    case 'reset-password':
      if (!args.length) throw new UsageError('reset-password NAME: a name is needed');
      return { command, name: args.join(' ') };
    case 'set-roles': {
      const { words, set } = flags(args, ['--admin', '--no-admin', '--trainer', '--no-trainer']);
      if (!words.length || set.size === 0) throw new UsageError('set-roles NAME and at least one of --admin, --no-admin, --trainer, --no-trainer');
      if ((set.has('--admin') && set.has('--no-admin')) || (set.has('--trainer') && set.has('--no-trainer'))) throw new UsageError('a role cannot be both given and taken');
      return {
        command,
        name: words.join(' '),
        ...(set.has('--admin') || set.has('--no-admin') ? { isAdmin: set.has('--admin') } : {}),
        ...(set.has('--trainer') || set.has('--no-trainer') ? { isTrainer: set.has('--trainer') } : {}),
      };
    }
    case 'remove-lead': {
      const { words, set } = flags(args, ['--delete-cohorts'], ['--move-to']);
      if (!words.length) throw new UsageError('remove-lead NAME: a name is needed');
      if (set.has('--move-to') && set.has('--delete-cohorts')) throw new UsageError('either --move-to LEAD or --delete-cohorts, not both');
      const moveTo = set.get('--move-to');
      return { command, name: words.join(' '), deleteCohorts: set.has('--delete-cohorts'), ...(typeof moveTo === 'string' ? { moveTo } : {}) };
    }
    case 'list-leads':
      return { command };
    case 'add-cohort':
      if (args.length < 2) throw new UsageError('add-cohort LEAD NAME: a lead and a cohort name are needed');
      return { command, lead: args[0]!, name: args.slice(1).join(' ') };
    case 'log': {
      const limit = args[0] === undefined ? 30 : Number(args[0]);
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new UsageError('log [N]: N is a whole number from 1 to 1000');
      return { command, limit };
    }
    default:
      throw new UsageError(`unknown command “${command}”`);
  }
}

async function direct(request: CliRequest, options: { databaseUrl: string | undefined; dataDir: string }, release: () => void): Promise<string[]> {
  const { db, repository } = await openRepository(options);
  try {
    return await runCliCommand(new AdminActions(repository), request, userInfo().username);
  } finally {
    await db.close();
    release();
  }
}

async function main() {
  const [command, ...args] = process.argv.slice(2);
  if (!command || command === 'help' || command === '--help') {
    console.log(USAGE);
    return;
  }
  const request = await requestOf(command, args);
  const databaseUrl = process.env.DATABASE_URL || undefined;
  const dataDir = resolve(process.env.DATA_DIR ?? join(REPO_ROOT, 'data'));
  let lines: string[];
  if (databaseUrl) {
    lines = await direct(request, { databaseUrl, dataDir }, () => {});
  } else {
    prepareDataDir(dataDir);
    let release: (() => void) | null = null;
    try {
      release = await lockDataDir(dataDir);
    } catch {
      // A server holds the folder: ask it.
      release = null;
    }
    if (release) {
      lines = await direct(request, { databaseUrl, dataDir }, release);
    } else {
      const answer = await askServer(dataDir, request, userInfo().username).catch((error: NodeJS.ErrnoException) => {
        throw new Error(
          `another process holds the database in ${dataDir}, and no server answers on its admin channel (${error.code ?? error.message}): ` +
            'a server of an older version (stop it, run this, start it again), or another npm run admin still running',
        );
      });
      if (!answer.ok) throw new AdminError(400, answer.error);
      lines = answer.lines;
    }
  }
  for (const line of lines) console.log(line);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  if (error instanceof UsageError) console.error(USAGE);
  process.exit(1);
});
