/**
 * `npm run admin` without downtime: on a PGlite folder no server holds, the CLI opens the database
 * itself; while a server runs on it, the CLI goes through the server's admin channel (a 0600 Unix
 * socket in the 0700 data folder), and both ways do the same things.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');
const PASSWORD = 'admin cli password';
let dataDir: string;
const running: ChildProcess[] = [];

function admin(args: string[], env: Record<string, string> = {}, stdin = ''): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/admin.ts', ...args], {
      cwd: ROOT,
      env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '', LEAD_PASSWORD: '', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.stdin.end(stdin);
    child.on('exit', (status) => resolve({ status, stdout, stderr }));
  });
}

async function startServer(): Promise<{ child: ChildProcess; base: string; output: () => string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts', '--no-build'], {
    cwd: ROOT,
    env: { ...process.env, DATA_DIR: dataDir, PORT: '0', HOST: '', DATABASE_URL: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.push(child);
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const base = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server did not start in time:\n${output}`)), 120_000);
    const poll = setInterval(() => {
      const match = /game:\s+(http:\/\/[^\s/]+)\//.exec(output);
      if (match) {
        clearTimeout(timer);
        clearInterval(poll);
        resolve(match[1]!);
      }
    }, 50);
    child.on('exit', (code) => reject(new Error(`the server exited (${code}):\n${output}`)));
  });
  return { child, base, output: () => output };
}

async function loginAs(base: string, name: string, password: string) {
  const response = await fetch(`${base}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name, password }) });
  return { status: response.status, json: (await response.json()) as { lead?: { isAdmin: boolean; isTrainer: boolean; mustChangePassword: boolean } } };
}

const temporaryIn = (text: string) => /Temporary password[^:]*: ([A-Z2-9-]{19})/.exec(text)?.[1];

beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'htl-admin-cli-'));
});
afterAll(() => {
  for (const child of running) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the admin CLI', () => {
  it('works on the database itself while no server runs', async () => {
    const first = await admin(['add-lead', 'Cli', 'Admin'], { LEAD_PASSWORD: PASSWORD });
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/Lead “Cli Admin” added \(admin, trainer\)/);
    const second = await admin(['add-lead', 'Offline Olga', '--trainer']);
    expect(second.status, second.stderr).toBe(0);
    expect(temporaryIn(second.stdout)).toBeTruthy();
    const like = await admin(['add-lead', 'Off1ine 0lga']);
    expect(like.status).toBe(1);
    expect(like.stderr).toMatch(/looks too much like the lead “Offline Olga”/);
    const list = await admin(['list-leads']);
    expect(list.stdout).toMatch(/Cli Admin\tadmin, trainer/);
    expect(list.stdout).toMatch(/Offline Olga\ttrainer\t.*\(temporary password\)/);
    const last = await admin(['set-roles', 'Cli Admin', '--no-admin']);
    expect(last.status).toBe(1);
    expect(last.stderr).toMatch(/only admin/);
    expect(existsSync(join(dataDir, 'admin.sock'))).toBe(false);
  }, 240_000);

  it('works through the running server’s admin channel, which only the folder’s owner can reach', async () => {
    const server = await startServer();
    try {
      const socket = join(dataDir, 'admin.sock');
      expect(statSync(socket).mode & 0o777).toBe(0o600);
      expect(statSync(dataDir).mode & 0o777).toBe(0o700);

      const added = await admin(['add-lead', 'Online Omar'], {}, '');
      expect(added.status, added.stderr).toBe(0);
      const temporary = temporaryIn(added.stdout)!;
      expect(temporary).toBeTruthy();
      // The running server sees the new lead at once: no restart.
      const login = await loginAs(server.base, 'Online Omar', temporary);
      expect(login.status).toBe(200);
      expect(login.json.lead).toMatchObject({ isAdmin: false, isTrainer: false, mustChangePassword: true });

      const set = await admin(['set-password', 'Cli Admin'], {}, 'a brand new password\n');
      expect(set.status, set.stderr).toBe(0);
      expect((await loginAs(server.base, 'Cli Admin', PASSWORD)).status).toBe(401);
      expect((await loginAs(server.base, 'Cli Admin', 'a brand new password')).json.lead).toMatchObject({ isAdmin: true, mustChangePassword: false });

      const reset = await admin(['reset-password', 'Offline Olga']);
      expect(reset.status, reset.stderr).toBe(0);
      expect((await loginAs(server.base, 'Offline Olga', temporaryIn(reset.stdout)!)).json.lead?.mustChangePassword).toBe(true);

      const roles = await admin(['set-roles', 'Online Omar', '--admin']);
      expect(roles.stdout).toMatch(/“Online Omar”: admin/);
      const cohort = await admin(['add-cohort', 'Online Omar', 'Night shift']);
      expect(cohort.stdout).toMatch(/Join code: [A-Z2-9]{8}/);
      const refuse = await admin(['remove-lead', 'Online Omar']);
      expect(refuse.status).toBe(1);
      expect(refuse.stderr).toMatch(/1 cohort\(s\).*--move-to LEAD/);
      const moved = await admin(['remove-lead', 'Online Omar', '--move-to', 'Cli Admin']);
      expect(moved.status, moved.stderr).toBe(0);
      expect((await admin(['list-leads'])).stdout).not.toContain('Online Omar');

      const log = await admin(['log', '50']);
      expect(log.stdout).toMatch(/CLI \([^)]+\) \(cli\)\tremove-lead\tOnline Omar/);
      expect(log.stdout).not.toContain('a brand new password');
      expect(log.stdout).not.toContain(temporary);

      // Not JSON, or a request the CLI would never send: a refusal in words, and the server goes on.
      const garbage = await new Promise<string>((resolve) => {
        const s = connect(socket, () => s.write('{"request": {"command": "drop-table"}}\n'));
        let out = '';
        s.on('data', (c: Buffer) => (out += c.toString()));
        s.on('end', () => resolve(out));
      });
      expect(JSON.parse(garbage)).toMatchObject({ ok: false });
      expect((await fetch(`${server.base}/api/health`)).status).toBe(200);
    } finally {
      server.child.kill('SIGTERM');
      await new Promise((resolve) => server.child.once('exit', resolve));
    }
    // Stopped: the socket is gone and the CLI opens the database itself again.
    expect(existsSync(join(dataDir, 'admin.sock'))).toBe(false);
    const after = await admin(['list-leads']);
    expect(after.status, after.stderr).toBe(0);
    expect(after.stdout).toMatch(/Cli Admin/);
  }, 300_000);
});
