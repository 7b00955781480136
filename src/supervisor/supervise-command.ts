import { createLogger, type LogFormat } from '../util/logger.js';
import { supervise } from './supervisor.js';

export interface SuperviseCommandOptions {
  configFile: string;
  pidFile: string;
  controlSocket: string;
  logFormat: LogFormat;
  logDetail: boolean;
  restart: boolean;
}

/** `<pid file without .pid><suffix>`: the worker's pid file and the crash state live next to the supervisor's pid file. */
export function siblingOf(pidFile: string, suffix: string): string {
  return `${pidFile.replace(/\.pid$/, '')}${suffix}`;
}

/** `vrrpd --supervise -n ...`: this process supervises; the worker is vrrpd itself with the same flags. */
export function superviseCommand(o: SuperviseCommandOptions): Promise<number> {
  const log = createLogger({ format: o.logFormat, level: o.logDetail ? 'debug' : 'info' });
  const workerArgs = [
    '-f',
    o.configFile,
    '-n',
    '-p',
    siblingOf(o.pidFile, '-worker.pid'),
    '--log-format',
    o.logFormat,
    '--control-socket',
    o.controlSocket,
    ...(o.logDetail ? ['-D'] : []),
  ];
  return supervise({
    workerArgs,
    stateFile: siblingOf(o.pidFile, '.crash-state'),
    pidFile: o.pidFile,
    restart: o.restart,
    log,
  });
}
