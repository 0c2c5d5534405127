import type { NextFunction, Request, Response } from 'express';
import { describe, expect, it } from 'vitest';
import { connectRedis, RedisReplayMemory } from './redis.js';
import { LocalReplayMemory, requireGatewaySignature, signedFetch, type ReplayMemory } from './request-signing.js';

const SECRET = 'unit-test-signing-secret-of-at-least-32-characters';

/** The headers and body the gateway would send, captured unsent. */
async function signedRequest(audience: string): Promise<{ headers: Record<string, string>; body: string }> {
  const body = '{"query":"{ __typename }"}';
  let headers: Record<string, string> = {};
  const original = globalThis.fetch;
  globalThis.fetch = (async (_url: unknown, init?: RequestInit) => {
    headers = Object.fromEntries(new Headers(init?.headers).entries());
    return new Response('{}');
  }) as typeof fetch;
  try {
    await signedFetch(SECRET, { audience })('http://127.0.0.1/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  } finally {
    globalThis.fetch = original;
  }
  return { headers, body };
}

/** Runs the subgraph's signature check on one request; the status it answers (200: let through). */
async function check(replays: ReplayMemory, request: { headers: Record<string, string>; body: string }): Promise<number> {
  const guard = requireGatewaySignature(SECRET, { audience: 'patient', replays });
  let status = 200;
  const req = { method: 'POST', originalUrl: '/graphql', header: (name: string) => request.headers[name.toLowerCase()], rawBody: Buffer.from(request.body) } as unknown as Request;
  const res = { status: (code: number) => ((status = code), { json: () => undefined }) } as unknown as Response;
  await guard(req, res, (() => undefined) as NextFunction);
  return status;
}

describe('replay memory', () => {
  it('lets a signed request through once per memory', async () => {
    const memory = new LocalReplayMemory();
    const request = await signedRequest('patient');
    expect(await check(memory, request)).toBe(200);
    expect(await check(memory, request)).toBe(401);
  });

  it('refuses (503) rather than lets through when the shared memory cannot answer', async () => {
    const dead = connectRedis('redis://127.0.0.1:1');
    dead.on('error', () => undefined);
    try {
      expect(await check(new RedisReplayMemory(dead, 'patient'), await signedRequest('patient'))).toBe(503);
    } finally {
      dead.disconnect();
    }
  });
});
