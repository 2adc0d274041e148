import { describe, expect, it } from 'vitest';
import { createRegistry, PLUGIN_API_VERSION, type Plugin } from './registry.js';
import { isQtkError } from '../errors/QtkError.js';

const plugin = (name: string, extra: Partial<Plugin & { available: () => boolean }> = {}): Plugin & { available?: () => boolean } => ({ name, kind: 'executor', apiVersion: PLUGIN_API_VERSION, ...extra });

describe('plugin registry', () => {
  it('treats registering the same object twice as a no-op', () => {
    const r = createRegistry();
    const p = plugin('a');
    r.register(p);
    r.register(p);
    expect(r.list('executor')).toEqual([p]);
  });

  it('throws E_PLUGIN naming both plugins when another object takes a registered name', () => {
    const r = createRegistry();
    r.register(plugin('a', { description: 'first' }));
    let err: unknown;
    try { r.register(plugin('a', { description: 'second' })); } catch (e) { err = e; }
    expect(isQtkError(err, 'E_PLUGIN')).toBe(true);
    expect((err as Error).message).toMatch(/first/);
    expect((err as Error).message).toMatch(/second/);
  });

  it('looks plugins up by kind and name, and lists the known names when one is missing', () => {
    const r = createRegistry();
    r.register(plugin('b'));
    r.register({ name: 'b', kind: 'observer', apiVersion: PLUGIN_API_VERSION });
    expect(r.get('executor', 'b').kind).toBe('executor');
    expect(r.get('observer', 'b').kind).toBe('observer');
    expect(() => r.get('executor', 'zzz')).toThrow(/registered: b/);
  });

  it('warns on an API-version mismatch and still registers', () => {
    const warnings: string[] = [];
    const r = createRegistry((m) => warnings.push(m));
    r.register({ ...plugin('old'), apiVersion: PLUGIN_API_VERSION + 1 });
    expect(warnings.length).toBe(1);
    expect(warnings[0]).toMatch(/old/);
    expect(r.find('executor', 'old')).toBeDefined();
  });

  it('resolves the first available plugin by priority and reports every failure when none works', async () => {
    const r = createRegistry();
    r.register(plugin('slow', { priority: 5, available: () => true }));
    r.register(plugin('broken', { priority: 0, available: () => { throw new Error('no binary'); } }));
    expect((await r.resolve('executor')).name).toBe('slow');
    r.unregister('executor', 'slow');
    await expect(r.resolve('executor')).rejects.toThrow(/broken: no binary/);
  });

  it('rejects objects without a name, kind or apiVersion', () => {
    const r = createRegistry();
    expect(() => r.register({ kind: 'executor', apiVersion: 1 } as Plugin)).toThrow(/name/);
    expect(() => r.register({ name: 'x', kind: 'executor' } as Plugin)).toThrow(/apiVersion/);
  });
});
