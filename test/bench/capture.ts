import { type ChildProcess, spawn } from 'node:child_process';

/**
 * tcpdump on a host's interface, VRRP only, with wall-clock µs timestamps (the same clock as
 * performance.timeOrigin + performance.now() in this process). Resolves once tcpdump is listening.
 */
export interface AdvertCapture {
  /** Each captured advert: wall-clock ms and source address. */
  readonly adverts: { atMs: number; src: string }[];
  /** Resolves with the first advert (at or after `sinceMs`). */
  first(sinceMs: number, timeoutMs: number): Promise<{ atMs: number; src: string }>;
  stop(): void;
}

export async function captureAdverts(netns: string, ifname: string, filter = 'ip proto 112'): Promise<AdvertCapture> {
  const child: ChildProcess = spawn(
    'ip',
    ['netns', 'exec', netns, 'tcpdump', '-i', ifname, '-n', '-tt', '-l', '--time-stamp-precision=micro', filter],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const adverts: { atMs: number; src: string }[] = [];
  const waiters: (() => void)[] = [];
  let buffer = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    const lines = buffer.split('\n');
    buffer = lines.pop() ?? '';
    for (const line of lines) {
      // "1700000000.123456 IP 10.0.0.1 > 224.0.0.18: VRRPv3, Advertisement, ..."
      const m = /^(\d+\.\d+) IP (\S+) >/.exec(line);
      if (m) adverts.push({ atMs: Number(m[1]) * 1000, src: m[2] as string });
    }
    for (const w of waiters.splice(0)) w();
  });
  await new Promise<void>((resolve, reject) => {
    let err = '';
    const timer = setTimeout(() => reject(new Error(`tcpdump did not start in ${netns}: ${err}`)), 10_000);
    child.stderr?.on('data', (d: Buffer) => {
      err += d.toString();
      if (err.includes('listening on')) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  return {
    adverts,
    first(sinceMs, timeoutMs) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const a = adverts.find((x) => x.atMs >= sinceMs);
          if (a) {
            clearTimeout(timer);
            resolve(a);
          } else waiters.push(check);
        };
        const timer = setTimeout(() => reject(new Error(`no advert within ${timeoutMs} ms`)), timeoutMs);
        check();
      });
    },
    stop: () => child.kill('SIGTERM'),
  };
}

/** Wall-clock now in ms with µs resolution, comparable with tcpdump -tt timestamps. */
export const wallMs = (): number => performance.timeOrigin + performance.now();
