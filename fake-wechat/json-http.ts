import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the fake servers (WeChat, the top-up partner) share: JSON in and out, a loopback listener. */
export async function readText(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const text = await readText(req);
  try {
    return JSON.parse(text || '{}');
  } catch {
    return {};
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

export function jsonServer(handle: (req: IncomingMessage, res: ServerResponse) => Promise<unknown>) {
  let server: Server | null = null;
  return {
    async listen(port = 0, host = '127.0.0.1'): Promise<string> {
      server = createServer((req, res) => {
        handle(req, res).catch((err) => sendJson(res, 500, { errcode: -1, errmsg: String(err) }));
      });
      await new Promise<void>((resolve) => server!.listen(port, host, resolve));
      return `http://${host}:${(server.address() as AddressInfo).port}`;
    },
    async close(): Promise<void> {
      if (!server) return;
      server.closeAllConnections();
      await new Promise<void>((resolve) => server!.close(() => resolve()));
    },
  };
}
