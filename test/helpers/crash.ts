import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { checkZip } from '../../src/vault/check-zip.js';
import { parseArchiveName } from '../../src/vault/layout.js';
import { BIN, picvault } from './cli.js';
import { snapshot } from './images.js';
import { vaultZips } from './vault.js';

/** Starts the real binary and SIGKILLs it after `ms`; resolves with its exit code (null when the kill landed). */
export function killedAfter(args: string[], ms: number): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: 'ignore', env: { ...process.env, LANG: 'en_US.UTF-8' } });
    const timer = setTimeout(() => child.kill('SIGKILL'), ms);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

/** SPEC invariant 2: nothing under a final name is half-written. */
export async function assertNoBadFinalZip(vault: string): Promise<void> {
  for (const zip of await vaultZips(vault)) {
    const parsed = parseArchiveName(path.basename(zip));
    assert.ok(parsed, `${zip} has a final name`);
    const check = await checkZip(zip, { readData: true, expectedXxh64: parsed.xxh64 });
    assert.deepEqual(check.damage, [], `${zip} is whole`);
  }
}

/**
 * `archive ... --to VAULT` timed once uninterrupted into `scratch`, then run up to `times` times
 * into its own vault, each SIGKILLed at a moment spread over that time, until a run finishes
 * first; after each, no bad zip may stand under a final name. The kill times and the full time.
 */
export async function archiveKilledAtManyMoments(args: string[], scratch: string, times: number): Promise<{ kills: number[]; full: number }> {
  const to = args.indexOf('--to') + 1;
  const started = Date.now();
  const probe = await picvault(args.map((a, i) => (i === to ? scratch : a)));
  assert.equal(probe.code, 0, probe.stderr);
  const full = Date.now() - started;
  const kills: number[] = [];
  for (let i = 0; i < times; i++) {
    const at = Math.round(150 + (full * (i + Math.random())) / times);
    const code = await killedAfter(args, at);
    kills.push(at);
    await assertNoBadFinalZip(args[to]);
    if (code === 0) break;
  }
  return { kills, full };
}

/** Every file of `original` (a snapshot of `src`) is under `back/<device>` as `restore --to back` writes it: its bytes and its time. */
export async function assertAllRestored(original: Map<string, { bytes: Buffer; mtimeMs: number }>, src: string, back: string, device: string): Promise<void> {
  const restored = await snapshot(path.join(back, device));
  for (const [rel, f] of original) {
    const got = restored.get(path.relative('/', path.join(src, rel)));
    assert.ok(got, `${rel} is restorable`);
    assert.deepEqual(got.bytes, f.bytes, rel);
    assert.ok(Math.abs(got.mtimeMs - f.mtimeMs) < 1, rel);
  }
}
