/** Migration 007: leads are admins and/or trainers; the first lead is both, and the session says so. */
import { describe, expect, it } from 'vitest';
import { openDb } from '../../src/server/db';
import { migrate, readMigrations } from '../../src/server/migrate';
import { Repository } from '../../src/server/repository';
import { addLead, call, login, testService } from './helpers';

describe('lead roles', () => {
  it('makes the first lead an admin and a trainer, and no other lead unless asked', async () => {
    const service = await testService();
    try {
      await addLead(service, 'First');
      await addLead(service, 'Second');
      const third = await service.repository.createLead('Third', 'scrypt$x', { isTrainer: true });
      const leads = await service.repository.listLeads();
      expect(leads.map((l) => [l.name, l.isAdmin, l.isTrainer])).toEqual([
        ['First', true, true],
        ['Second', false, false],
        ['Third', false, true],
      ]);
      expect(leads.find((l) => l.id === third)?.passwordTemporary).toBe(false);
      const first = await call(service.app, 'GET', '/api/session', { cookie: await login(service, 'First') });
      expect(first.json.lead).toMatchObject({ name: 'First', isAdmin: true, isTrainer: true, mustChangePassword: false });
      const second = await call(service.app, 'GET', '/api/session', { cookie: await login(service, 'Second') });
      expect(second.json.lead).toMatchObject({ name: 'Second', isAdmin: false, isTrainer: false });
      const answer = await call(service.app, 'POST', '/api/login', { body: { name: 'First', password: 'correct horse battery' } });
      expect(answer.json.lead).toMatchObject({ isAdmin: true, isTrainer: true });
    } finally {
      await service.close();
    }
  }, 120_000);

  it('makes the oldest lead of an existing install its admin and trainer when it migrates', async () => {
    const db = await openDb({ dataDir: 'memory://' });
    try {
      const all = readMigrations();
      const before = all.filter((m) => m.version < 7);
      await migrate(db, before);
      // Leads as the schema before 007 held them: the oldest is not the first by name or id order.
      await db.query(`INSERT INTO leads (name, password_hash, created_at) VALUES ('Zed', 'scrypt$x', '2026-01-01T00:00:00Z')`);
      await db.query(`INSERT INTO leads (name, password_hash, created_at) VALUES ('Amy', 'scrypt$y', '2026-03-01T00:00:00Z')`);
      await db.query(`UPDATE leads SET created_at = '2025-12-01T00:00:00Z' WHERE name = 'Amy'`);
      await migrate(db, all);
      const leads = await new Repository(db).listLeads();
      expect(leads.map((l) => [l.name, l.isAdmin, l.isTrainer])).toEqual([
        ['Amy', true, true],
        ['Zed', false, false],
      ]);
    } finally {
      await db.close();
    }
  }, 120_000);

  it('applies a migration that lands after a higher number, once', async () => {
    const db = await openDb({ dataDir: 'memory://' });
    try {
      const all = readMigrations();
      const without = all.filter((m) => m.version !== 3);
      await migrate(db, without);
      expect(await migrate(db, all)).toEqual([all.find((m) => m.version === 3)!.name]);
      expect(await migrate(db, all)).toEqual([]);
      expect(() => readMigrations()).not.toThrow();
    } finally {
      await db.close();
    }
  }, 120_000);
});
