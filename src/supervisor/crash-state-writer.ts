import { rmSync } from 'node:fs';
import { encodeAdvert } from '../protocol/index.js';
import type { InstanceRunner } from '../runtime/instance-runner.js';
import { monotonicMs } from '../util/clock.js';
import { writeFileNoFollow } from '../util/safe-files.js';
import type { CrashState, CrashStateInstance } from './crash-state-format.js';

/**
 * Worker side of crash-safe VIPs: after every transition, the state of every instance (with its VIPs and
 * its priority-0 advert ready to send) goes to `path`, atomically (util/safe-files.ts: temporary file + rename), so a worker
 * SIGKILLed at any instant leaves a whole file for the supervisor. The write is synchronous and runs after
 * the transition's adverts and GARPs (the transition action is the last one, src/core/transitions.ts).
 */
export class CrashStateWriter {
  constructor(
    private readonly path: string,
    private readonly runners: () => Iterable<InstanceRunner>,
  ) {}

  write(): void {
    const state: CrashState = {
      version: 1,
      workerPid: process.pid,
      writtenAtMonoMs: monotonicMs(),
      instances: [...this.runners()].map(describe),
    };
    writeFileNoFollow(this.path, `${JSON.stringify(state)}\n`, 0o600);
  }

  /** Clean shutdown: nothing is left for the supervisor to undo. */
  remove(): void {
    rmSync(this.path, { force: true });
  }
}

function describe(r: InstanceRunner): CrashStateInstance {
  const s = r.settings;
  const destinations = s.unicastPeers.length > 0 ? s.unicastPeers : [s.multicastGroup];
  return {
    name: s.name,
    state: r.state,
    ifname: s.ifname,
    family: s.family,
    source: s.primaryAddress,
    vips: s.vips.map((v) => ({ dev: v.dev, cidr: v.cidr })),
    priorityZero:
      r.state === 'MASTER'
        ? destinations.map((dst) => ({
            dst,
            hex: encodeAdvert(
              {
                version: s.params.version,
                vrid: s.params.vrid,
                priority: 0,
                advertIntervalCs: s.params.advertIntervalCs,
                addresses: s.vips.map((v) => v.address),
                authType: s.authType,
                authPass: s.authPass,
              },
              { family: s.family, src: s.primaryAddress, dst },
            ).toString('hex'),
          }))
        : [],
  };
}
