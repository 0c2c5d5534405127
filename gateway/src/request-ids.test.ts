import { describe, expect, it } from 'vitest';
import { clientRequestIdOf } from './request-ids.js';

const of = (value: string | string[] | undefined) => clientRequestIdOf({ headers: { 'x-request-id': value } } as never);

describe("a client's own request id", () => {
  it('is kept when short and plain', () => {
    expect(of('client-0001')).toBe('client-0001');
    expect(of('trace:abc.DEF_42')).toBe('trace:abc.DEF_42');
    expect(of('x'.repeat(64))).toBe('x'.repeat(64));
  });

  it('is dropped when absent, too long, repeated or odd (it could fill or forge log lines)', () => {
    for (const bad of [undefined, '', 'x'.repeat(65), 'a b', 'id\nforged log line', '<script>', 'é', ['a', 'b']]) expect(of(bad as never), String(bad)).toBeNull();
  });
});
