import { spawn } from 'node:child_process';
import { mkdirSync, openSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { Daemon } from '../runtime/daemon.js';
import { tuneV8ForDaemon } from '../runtime/v8-tuning.js';
import { ConfigError, formatDiagnostic, PlatformError } from '../util/errors.js';
import { createLogger, type LogFormat } from '../util/logger.js';
import { writeFileNoFollow } from '../util/safe-files.js';

export interface RunOptions {
  configFile: string;
  foreground: boolean;
  logDetail: boolean;
  pidFile: string;
  logFile: string;
  logFormat: LogFormat;
  controlSocket: string;
  /** Set by the supervisor (src/supervisor): where to keep the crash state. */
  crashStateFile?: string;
  /** ADDR:PORT for Prometheus metrics (src/runtime/metrics.ts, loaded only when given). */
  metricsListen?: string;
  argv: string[];
}

/** `vrrpd -f FILE ...`: runs the daemon until SIGTERM/SIGINT; returns the exit code. */
export async function runDaemonCommand(o: RunOptions): Promise<number> {
  if (!o.foreground) return daemonize(o);
  tuneV8ForDaemon();
  const log = createLogger({ format: o.logFormat, level: o.logDetail ? 'debug' : 'info' });
  let daemon: Daemon;
  try {
    daemon = await Daemon.start({
      configFile: o.configFile,
      controlSocket: o.controlSocket,
      log,
      crashStateFile: o.crashStateFile,
    });
  } catch (e) {
    if (e instanceof ConfigError) {
      // Warnings were already logged while loading; print the errors in the FILE:LINE:COL form.
      for (const d of e.diagnostics.filter((x) => x.severity === 'error'))
        process.stderr.write(`${formatDiagnostic(d)}\n`);
      return 1;
    }
    if (e instanceof PlatformError) {
      process.stderr.write(`vrrpd: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
  let metrics: { close(): Promise<void> } | undefined;
  if (o.metricsListen) {
    try {
      const { startMetricsServer } = await import('../runtime/metrics.js');
      metrics = await startMetricsServer(o.metricsListen, () => daemon.status(), log);
    } catch (e) {
      await daemon.stop();
      process.stderr.write(`vrrpd: ${(e as Error).message}\n`);
      return 1;
    }
  }
  mkdirSync(dirname(o.pidFile), { recursive: true });
  writeFileNoFollow(o.pidFile, `${process.pid}\n`);

  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: string): void => {
      if (stopping) return;
      stopping = true;
      log.info('stopping', { signal });
      void Promise.all([daemon.stop(), metrics?.close()]).then(() => {
        rmSync(o.pidFile, { force: true });
        resolve(0);
      });
    };
    process.on('SIGTERM', () => stop('SIGTERM'));
    process.on('SIGINT', () => stop('SIGINT'));
    process.on('SIGHUP', () => void daemon.reload());
    process.on('SIGUSR1', () => void daemon.writeDataDump());
  });
}

/** keepalived forks into the background unless -n; we re-exec ourselves detached with -n. */
function daemonize(o: RunOptions): number {
  mkdirSync(dirname(o.logFile), { recursive: true });
  const out = openSync(o.logFile, 'a');
  const child = spawn(process.execPath, [...process.execArgv, process.argv[1] as string, ...o.argv, '-n'], {
    detached: true,
    stdio: ['ignore', out, out],
  });
  child.unref();
  return 0;
}
