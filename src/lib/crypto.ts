import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync, chmodSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Field encryption for free text that can identify or endanger a client
 * (intake answers, notes, evaluations). AES-256-GCM; every value carries the
 * id of the key that sealed it, so keys can be rotated: new values use the
 * first (active) key, old values still open with the retired keys listed after it.
 *
 * Envelope: `v1.<keyId>.<iv>.<tag>.<ciphertext>` (base64url parts).
 * An optional AAD ("what this value is", e.g. `notes.body`) binds a ciphertext
 * to its place, so it cannot be copied into another column unnoticed.
 */

export interface FieldKey {
  id: string;
  key: Buffer;
}

export class CryptoError extends Error {
  constructor(
    readonly code: 'KEY_INVALID' | 'KEY_UNKNOWN' | 'ENVELOPE_INVALID' | 'DECRYPT_FAILED',
    message: string,
  ) {
    super(message);
    this.name = 'CryptoError';
  }
}

const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;

export class FieldCipher {
  private readonly byId: Map<string, Buffer>;
  readonly activeKeyId: string;

  constructor(keys: FieldKey[]) {
    if (keys.length === 0) throw new CryptoError('KEY_INVALID', 'at least one encryption key is needed');
    this.byId = new Map();
    for (const k of keys) {
      if (!KEY_ID.test(k.id)) throw new CryptoError('KEY_INVALID', `key id "${k.id}" must be 1-32 letters, digits, _ or -`);
      if (k.key.length !== 32) throw new CryptoError('KEY_INVALID', `key "${k.id}" must be 32 bytes (base64 of 32 random bytes)`);
      if (this.byId.has(k.id)) throw new CryptoError('KEY_INVALID', `key id "${k.id}" is listed twice`);
      this.byId.set(k.id, k.key);
    }
    this.activeKeyId = keys[0]!.id;
  }

  encrypt(plaintext: string, aad?: string): string {
    const key = this.byId.get(this.activeKeyId)!;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    if (aad) cipher.setAAD(Buffer.from(aad, 'utf8'));
    const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return ['v1', this.activeKeyId, iv.toString('base64url'), tag.toString('base64url'), ct.toString('base64url')].join('.');
  }

  decrypt(envelope: string, aad?: string): string {
    const parts = envelope.split('.');
    if (parts.length !== 5 || parts[0] !== 'v1') throw new CryptoError('ENVELOPE_INVALID', 'not an encrypted value');
    const [, keyId, ivB64, tagB64, ctB64] = parts as [string, string, string, string, string];
    const key = this.byId.get(keyId);
    if (!key) throw new CryptoError('KEY_UNKNOWN', `value was sealed with key "${keyId}", which is not configured`);
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(ivB64, 'base64url'));
      if (aad) decipher.setAAD(Buffer.from(aad, 'utf8'));
      decipher.setAuthTag(Buffer.from(tagB64, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(ctB64, 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      throw new CryptoError('DECRYPT_FAILED', 'value could not be decrypted (wrong key, wrong place, or tampered)');
    }
  }

  encryptJson(value: unknown, aad?: string): string {
    return this.encrypt(JSON.stringify(value), aad);
  }

  decryptJson<T>(envelope: string, aad?: string): T {
    return JSON.parse(this.decrypt(envelope, aad)) as T;
  }

  /** Key id a stored value was sealed with (for re-encryption after rotation). */
  static keyIdOf(envelope: string): string | null {
    const parts = envelope.split('.');
    return parts.length === 5 && parts[0] === 'v1' ? parts[1]! : null;
  }

  /** Nullable convenience for optional columns. */
  seal(plaintext: string | null | undefined, aad?: string): string | null {
    return plaintext == null ? null : this.encrypt(plaintext, aad);
  }

  open(envelope: string | null | undefined, aad?: string): string | null {
    return envelope == null ? null : this.decrypt(envelope, aad);
  }
}

/** `ENCRYPTION_KEYS=k2:<base64 32 bytes>,k1:<base64>`: first is active, the rest decrypt old values. */
export function parseKeyList(spec: string): FieldKey[] {
  return spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((entry) => {
      const i = entry.indexOf(':');
      if (i <= 0) throw new CryptoError('KEY_INVALID', 'each key must be written as <id>:<base64 key>');
      const id = entry.slice(0, i);
      const key = Buffer.from(entry.slice(i + 1), 'base64');
      return { id, key };
    });
}

export function generateKeySpec(id = 'k1'): string {
  return `${id}:${randomBytes(32).toString('base64')}`;
}

/**
 * Embedded / sandbox default: a local key file made once (mode 0600) and reused,
 * so data written yesterday still opens today. Production refuses this path (config).
 */
export function loadOrCreateKeyFile(path: string): { keys: FieldKey[]; created: boolean } {
  if (existsSync(path)) {
    return { keys: parseKeyList(readFileSync(path, 'utf8')), created: false };
  }
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${generateKeySpec('local1')}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(path, 0o600);
  return { keys: parseKeyList(readFileSync(path, 'utf8')), created: true };
}

/** The field decrypted for a reader, or a note saying it cannot be (no configured key opens it): never throws. */
export function decryptForReader(cipher: Pick<FieldCipher, 'decrypt'>, envelope: string, aad: string): string {
  try {
    return cipher.decrypt(envelope, aad);
  } catch {
    return '(cannot be decrypted with the configured keys)';
  }
}
