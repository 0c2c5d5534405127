import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bufferedFetch, isBufferedResponse } from './buffered-fetch.js';

describe('bufferedFetch', () => {
  let server: http.Server;
  let base: string;
  const connections = { count: 0 };
  const seen: { method?: string; headers: http.IncomingHttpHeaders; body: string }[] = [];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (body += chunk));
      req.on('end', () => {
        seen.push({ method: req.method, headers: req.headers, body });
        if (req.url === '/slow') return void setTimeout(() => res.end('{}'), 2_000);
        if (req.url === '/half') {
          res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
          res.write('{"partial":');
          return void setTimeout(() => res.destroy(), 20);
        }
        if (req.url === '/empty') return void res.writeHead(204).end();
        res.writeHead(201, { 'content-type': 'application/json', 'x-echo': 'é' === body ? 'accent' : 'plain' }).end(JSON.stringify({ got: body, path: req.url }));
      });
    });
    server.on('connection', () => (connections.count += 1));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const send = bufferedFetch();

  it('sends the method, headers and body, and answers a Response read whole', async () => {
    const res = await send(`${base}/echo?q=1`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-one': 'a' }, body: '{"a":"é"}' });
    expect(isBufferedResponse(res)).toBe(true);
    expect(res).toBeInstanceOf(Response);
    expect([res.status, res.ok, res.headers.get('content-type')]).toEqual([201, true, 'application/json']);
    expect(await res.clone().text()).toBe('{"got":"{\\"a\\":\\"é\\"}","path":"/echo?q=1"}');
    expect(await res.json()).toEqual({ got: '{"a":"é"}', path: '/echo?q=1' });
    expect(new TextDecoder().decode(await res.arrayBuffer())).toContain('"path"');
    const streamed = await new Response(res.body).text();
    expect(streamed).toContain('/echo?q=1');
    const last = seen.at(-1);
    expect([last?.method, last?.headers['x-one'], last?.headers['content-length'], last?.body]).toEqual(['POST', 'a', String(Buffer.byteLength('{"a":"é"}')), '{"a":"é"}']);
  });

  it('keeps connections alive between calls', async () => {
    await send(`${base}/echo`);
    const before = connections.count;
    for (let i = 0; i < 5; i += 1) await send(`${base}/echo`, { method: 'POST', body: String(i) });
    expect(connections.count).toBe(before);
  });

  it("closes an idle connection a second before the server's announced keep-alive ends, so no call goes out on one it is closing", async () => {
    // A server that keeps idle connections 2 s (it announces Keep-Alive: timeout=2).
    const brief = http.createServer((_req, res) => res.end('{}'));
    brief.keepAliveTimeout = 2_000;
    let opened = 0;
    brief.on('connection', () => (opened += 1));
    await new Promise<void>((resolve) => brief.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(brief.address() as AddressInfo).port}/`;
    try {
      const call = bufferedFetch();
      expect((await call(url)).headers.get('keep-alive')).toBe('timeout=2');
      await call(url);
      expect(opened).toBe(1);
      // 1.4 s idle: past the client's 1 s, before the server's 2 s. The next call opens a new connection.
      await new Promise((resolve) => setTimeout(resolve, 1_400));
      await call(url);
      expect(opened).toBe(2);
    } finally {
      brief.closeAllConnections();
      await new Promise<void>((resolve) => brief.close(() => resolve()));
    }
  });

  it('answers a status without a body with an empty one', async () => {
    const res = await send(`${base}/empty`, { method: 'POST', body: '' });
    expect(res.status).toBe(204);
    expect(await res.text()).toBe('');
  });

  it("rejects with the signal's reason when aborted before or while waiting for the answer", async () => {
    const reason = new Error('call exceeded its deadline');
    const aborted = AbortSignal.abort(reason);
    await expect(send(`${base}/echo`, { signal: aborted })).rejects.toBe(reason);
    const controller = new AbortController();
    setTimeout(() => controller.abort(reason), 50);
    await expect(send(`${base}/slow`, { signal: controller.signal })).rejects.toBe(reason);
  });

  it('rejects a response cut before its end, a refused connection and a body it cannot send', async () => {
    await expect(send(`${base}/half`)).rejects.toThrow();
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    await expect(send(`http://127.0.0.1:${port}/`)).rejects.toThrow();
    await expect(send(`${base}/echo`, { method: 'POST', body: new Blob(['x']) })).rejects.toThrow(/string and byte bodies/);
    await expect(send('ftp://127.0.0.1/')).rejects.toThrow(/not http/);
  });
});
