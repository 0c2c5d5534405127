import { createCipheriv, createDecipheriv, createHmac, hkdfSync } from 'node:crypto';

/**
 * Page cursors are opaque: the keyset a page continues from (a patient's last and first name, an
 * id) is sealed with AES-256-GCM under a key only the subgraph holds (derived from its signing
 * secret), so a cursor reveals nothing of it. The nonce is synthetic (an HMAC of scope and keyset,
 * as in SIV): a row's cursor is the same wherever one listing hands it out (an edge's cursor and the
 * page's end cursor agree), and differs between listings. The seal is bound to its listing
 * (`scope`: the list, its order, the reader, the search): another listing refuses it.
 */
export interface CursorSeal {
  seal(keyset: string, scope: string): string;
  /** The keyset, or undefined for anything this subgraph did not seal for this scope. */
  open(cursor: string, scope: string): string | undefined;
}

const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const MAX_CURSOR_LENGTH = 1024;

export function createCursorSeal(secret: string): CursorSeal {
  const key = Buffer.from(hkdfSync('sha256', secret, 'clinic-federation', 'page-cursor-v1', 32));
  const nonceKey = Buffer.from(hkdfSync('sha256', secret, 'clinic-federation', 'page-cursor-nonce-v1', 32));
  return {
    seal(keyset, scope) {
      const nonce = createHmac('sha256', nonceKey).update(scope).update('\u0000').update(keyset).digest().subarray(0, NONCE_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, nonce);
      cipher.setAAD(Buffer.from(scope, 'utf8'));
      const sealed = Buffer.concat([cipher.update(keyset, 'utf8'), cipher.final()]);
      return Buffer.concat([nonce, sealed, cipher.getAuthTag()]).toString('base64url');
    },
    open(cursor, scope) {
      if (cursor.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(cursor)) return undefined;
      const raw = Buffer.from(cursor, 'base64url');
      // Base64 decoding skips stray characters: only the exact text this seal wrote is accepted.
      if (raw.length < NONCE_BYTES + TAG_BYTES + 1 || raw.toString('base64url') !== cursor) return undefined;
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, NONCE_BYTES));
        decipher.setAAD(Buffer.from(scope, 'utf8'));
        decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
        return Buffer.concat([decipher.update(raw.subarray(NONCE_BYTES, raw.length - TAG_BYTES)), decipher.final()]).toString('utf8');
      } catch {
        return undefined;
      }
    },
  };
}
