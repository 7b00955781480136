import { chmodSync, mkdirSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { dirname } from 'node:path';

/**
 * The daemon's control socket: a client connects, sends one request line ("status"), and receives one
 * JSON document. Unix socket only, so access is governed by file permissions: the socket is created mode 0600
 * (owner only: root), with the umask narrowed while it is bound so there is no instant at which it is open
 * to others; connecting needs write permission on it, so another user gets EACCES.
 */
export function startControlServer(
  path: string,
  handlers: Record<string, () => unknown>,
  onError: (e: Error) => void,
): Server {
  mkdirSync(dirname(path), { recursive: true });
  rmSync(path, { force: true });
  const server = createServer((conn) => {
    let buf = '';
    conn.setEncoding('utf8');
    conn.on('data', (chunk) => {
      buf += chunk;
      const nl = buf.indexOf('\n');
      if (nl < 0) return;
      const cmd = buf.slice(0, nl).trim();
      const handler = handlers[cmd];
      const body = handler ? handler() : { error: `unknown request '${cmd}'` };
      conn.end(`${JSON.stringify(body)}\n`);
    });
    conn.on('error', () => conn.destroy());
  });
  server.on('error', onError);
  // The bind happens inside listen() (synchronously for a pipe): the umask covers the socket's creation.
  const umask = process.umask(0o177);
  try {
    server.listen(path);
  } finally {
    process.umask(umask);
  }
  server.once('listening', () => chmodSync(path, 0o600));
  server.unref();
  return server;
}

export async function queryControlSocket(path: string, request: string, timeoutMs = 3000): Promise<unknown> {
  const { createConnection } = await import('node:net');
  return new Promise((resolve, reject) => {
    const conn = createConnection(path);
    let data = '';
    const timer = setTimeout(() => {
      conn.destroy();
      reject(new Error(`no answer from ${path} within ${timeoutMs} ms`));
    }, timeoutMs);
    conn.setEncoding('utf8');
    conn.on('connect', () => conn.write(`${request}\n`));
    conn.on('data', (c) => {
      data += c;
    });
    conn.on('end', () => {
      clearTimeout(timer);
      try {
        resolve(JSON.parse(data));
      } catch (e) {
        reject(e);
      }
    });
    conn.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}
