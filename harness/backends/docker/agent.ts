import { readFile } from 'node:fs/promises';
import { createConnection } from 'node:net';
import type Docker from 'dockerode';
import { CommandError, VrrpLabError } from '../../../src/util/errors.js';
import { waitFor } from '../../lab/wait-for.js';
import { isAlive } from '../../platform/procfs.js';
import { spawnIn } from './exec.js';

/**
 * A small exec agent inside each container. A `docker exec` costs 250-400 ms on a loaded 2-core machine
 * (engine, containerd, runc), and its jitter between two containers started "at once" exceeded the 190 ms
 * of Skew_Time that decides which of two nopreempt Backups wins (nopreempt failed on docker that way). The
 * agent is started once per container by the engine's exec API, so it has the container's namespaces,
 * capabilities and cgroup, and every process it forks has them too: exactly what `docker exec` would give,
 * at fork speed. It listens on a unix socket in the host's (bind-mounted) directory; one JSON request per
 * connection.
 */
const AGENT_SOURCE = `
const net = require('net');
const fs = require('fs');
const { spawn } = require('child_process');
const [sock] = process.argv.slice(1);
try { fs.unlinkSync(sock); } catch {}
const env = (extra) => ({ ...process.env, ...(extra || {}) });
function handle(req, reply) {
  if (req.op === 'spawn') {
    const fd = fs.openSync(req.logFile, 'a');
    try {
      const c = spawn(req.cmd, req.args, { detached: true, stdio: ['ignore', fd, fd], env: env(req.env) });
      c.on('error', (e) => reply({ error: String(e.message) }));
      c.on('spawn', () => { c.unref(); reply({ pid: c.pid }); });
    } finally { fs.closeSync(fd); }
    return;
  }
  const c = spawn(req.cmd, req.args, { stdio: ['pipe', 'pipe', 'pipe'], env: env(req.env) });
  const out = [], err = [];
  c.stdout.on('data', (b) => out.push(b));
  c.stderr.on('data', (b) => err.push(b));
  c.on('error', (e) => reply({ error: String(e.message) }));
  c.on('close', (code, sig) => reply({ stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString(),
    exitCode: code === null ? 128 + (require('os').constants.signals[sig] || 0) : code }));
  c.stdin.on('error', () => {});
  c.stdin.end(req.input === undefined ? undefined : req.input);
}
net.createServer((s) => {
  let buf = '';
  let done = false;
  s.setEncoding('utf8');
  s.on('error', () => {});
  s.on('data', (d) => {
    buf += d;
    const i = buf.indexOf('\\n');
    if (i < 0 || done) return;
    done = true;
    let req;
    try { req = JSON.parse(buf.slice(0, i)); } catch (e) { s.end(JSON.stringify({ error: 'bad request' }) + '\\n'); return; }
    let answered = false;
    handle(req, (r) => { if (!answered) { answered = true; s.end(JSON.stringify(r) + '\\n'); } });
  });
}).listen(sock, () => process.stdout.write('listening ' + sock + '\\n'));
`;

export interface AgentExecResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

type Reply = Partial<AgentExecResult> & { pid?: number; error?: string };

/** The host side of one container's agent. */
export class ExecAgent {
  private constructor(
    readonly socket: string,
    readonly pid: number,
  ) {}

  /** Start the agent in `container` (through the engine's exec API) and wait until it accepts requests. */
  static async start(
    container: Docker.Container,
    o: { socket: string; logFile: string; pidFile: string; env: Record<string, string> },
  ): Promise<ExecAgent> {
    const pid = await spawnIn(container, 'node', ['-e', AGENT_SOURCE, o.socket], {
      logFile: o.logFile,
      pidFile: o.pidFile,
      env: o.env,
    });
    const agent = new ExecAgent(o.socket, pid);
    const state = await waitFor(
      async () => {
        if (!(await isAlive(pid))) return 'dead';
        return (await agent.request({ op: 'exec', cmd: 'true', args: [] })).exitCode === 0 && 'ready';
      },
      { timeoutMs: 20_000, intervalMs: 10, description: `exec agent (pid ${pid}) to listen on ${o.socket}` },
    );
    if (state === 'dead') {
      const log = await readFile(o.logFile, 'utf8').catch(() => '(no log)');
      throw new VrrpLabError(`exec agent in container ${container.id.slice(0, 12)} exited:\n${log.slice(-2000)}`);
    }
    return agent;
  }

  private request(req: Record<string, unknown>): Promise<Reply> {
    return new Promise((resolve, reject) => {
      const s = createConnection(this.socket);
      let buf = '';
      s.setEncoding('utf8');
      s.on('connect', () => s.write(`${JSON.stringify(req)}\n`));
      s.on('data', (d: string) => {
        buf += d;
      });
      s.on('error', reject);
      s.on('end', () => {
        try {
          resolve(JSON.parse(buf) as Reply);
        } catch {
          reject(new Error(`exec agent ${this.socket}: no answer (${buf.length} bytes)`));
        }
      });
    });
  }

  /** Run to completion; the exit code is returned, not thrown. Throws when the command cannot start. */
  async execStatus(
    cmd: string,
    args: readonly string[],
    o: { env?: Record<string, string>; input?: string } = {},
  ): Promise<AgentExecResult> {
    const r = await this.request({ op: 'exec', cmd, args, env: o.env, input: o.input });
    if (r.error !== undefined || r.exitCode === undefined) {
      throw new CommandError(cmd, [...args], undefined, r.error ?? 'no exit code', undefined);
    }
    return { stdout: r.stdout ?? '', stderr: r.stderr ?? '', exitCode: r.exitCode };
  }

  /** Start a detached long-running command (own session, output appended to logFile); returns its pid. */
  async spawn(cmd: string, args: readonly string[], o: { logFile: string; env?: Record<string, string> }) {
    const r = await this.request({ op: 'spawn', cmd, args, env: o.env, logFile: o.logFile });
    if (r.pid === undefined) throw new CommandError(cmd, [...args], undefined, r.error ?? 'no pid', undefined);
    return r.pid;
  }
}
