import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CryptoError, FieldCipher, generateKeySpec, loadOrCreateKeyFile, parseKeyList } from '../../src/lib/crypto.js';

const key = (id: string, byte: number) => ({ id, key: Buffer.alloc(32, byte) });

describe('field encryption', () => {
  it('round-trips text, including Chinese and emoji, and never stores the plain text', () => {
    const c = new FieldCipher([key('k1', 7)]);
    const plain = '他打我。I need help 🙏';
    const sealed = c.encrypt(plain);
    expect(sealed).not.toContain('help');
    expect(sealed.startsWith('v1.k1.')).toBe(true);
    expect(c.decrypt(sealed)).toBe(plain);
  });

  it('uses a fresh IV each time: the same text seals differently', () => {
    const c = new FieldCipher([key('k1', 7)]);
    expect(c.encrypt('same')).not.toBe(c.encrypt('same'));
  });

  it('rotates keys: new values use the first key, old values still open with the retired one', () => {
    const old = new FieldCipher([key('k1', 1)]);
    const sealedOld = old.encrypt('from last year');
    const rotated = new FieldCipher([key('k2', 2), key('k1', 1)]);
    expect(rotated.decrypt(sealedOld)).toBe('from last year');
    const sealedNew = rotated.encrypt('today');
    expect(FieldCipher.keyIdOf(sealedNew)).toBe('k2');
    expect(() => old.decrypt(sealedNew)).toThrow(/key "k2", which is not configured/);
  });

  it('detects tampering and a value moved to another column (AAD)', () => {
    const c = new FieldCipher([key('k1', 3)]);
    const sealed = c.encrypt('note text', 'notes.body');
    const parts = sealed.split('.');
    const flipped = Buffer.from(parts[4]!, 'base64url');
    flipped[0] = flipped[0]! ^ 1;
    parts[4] = flipped.toString('base64url');
    expect(() => c.decrypt(parts.join('.'), 'notes.body')).toThrow(CryptoError);
    expect(() => c.decrypt(sealed, 'cases.plan')).toThrow(/could not be decrypted/);
    expect(c.decrypt(sealed, 'notes.body')).toBe('note text');
  });

  it('refuses malformed keys and envelopes with a clear reason', () => {
    expect(() => new FieldCipher([{ id: 'k1', key: Buffer.alloc(16) }])).toThrow(/32 bytes/);
    expect(() => new FieldCipher([key('k1', 1), key('k1', 2)])).toThrow(/listed twice/);
    expect(() => parseKeyList('no-colon-here')).toThrow(/<id>:<base64 key>/);
    expect(() => new FieldCipher([key('k1', 1)]).decrypt('plain text')).toThrow(/not an encrypted value/);
  });

  it('parses ENCRYPTION_KEYS with the first key active', () => {
    const spec = `${generateKeySpec('new')},${generateKeySpec('old')}`;
    const c = new FieldCipher(parseKeyList(spec));
    expect(c.activeKeyId).toBe('new');
  });

  it("creates a local key file once (mode 0600) and reuses it, so yesterday's data still opens", () => {
    const dir = mkdtempSync(join(tmpdir(), 'cw-key-'));
    const path = join(dir, 'sub', 'encryption.key');
    const first = loadOrCreateKeyFile(path);
    expect(first.created).toBe(true);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const sealed = new FieldCipher(first.keys).encrypt('kept');
    const second = loadOrCreateKeyFile(path);
    expect(second.created).toBe(false);
    expect(new FieldCipher(second.keys).decrypt(sealed)).toBe('kept');
    expect(readFileSync(path, 'utf8').trim().split(',')).toHaveLength(1);
  });
});
