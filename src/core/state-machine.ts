/**
 * The pure VRRP instance state machine: step(snapshot, event, now) → (snapshot, actions). RFC 5798 §6.4
 * (the table in docs/protocol.md §5) plus keepalived's FAULT state, tracking priority, GARP schedule and
 * sync-group orders. It never throws on any event: impossible or stale events are ignored.
 */
import { backupReceiveAdvert } from './backup.js';
import { Draft } from './draft.js';
import { masterReceiveAdvert } from './master.js';
import { nextPeriodicDeadlineUs } from './timer-math.js';
import { becomeMaster, enterBackup, releaseMaster, yieldMaster } from './transitions.js';
import type { InstanceEvent, InstanceSnapshot, StepResult, TimerName } from './types.js';

export function step(snapshot: InstanceSnapshot, event: InstanceEvent, nowUs: number): StepResult {
  const d = new Draft(snapshot, nowUs);
  switch (event.type) {
    case 'startup':
      if (event.delayUs !== undefined && event.delayUs > 0) d.s.delayedStartUntilUs = nowUs + event.delayUs;
      onStartup(d);
      break;
    case 'shutdown':
      onShutdown(d);
      break;
    case 'advert':
      onAdvert(d, event);
      break;
    case 'timer':
      onTimer(d, event.timer);
      break;
    case 'effective-priority':
      onEffectivePriority(d, event.priority);
      break;
    case 'fault':
      onFault(d, event.faulted, event.source ?? 'local', event.reason);
      break;
    case 'sync':
      onSync(d, event.to, event.reason);
      break;
    case 'resign':
      if (d.s.state === 'MASTER') yieldMaster(d, event.reason, false);
      break;
  }
  return d.finish();
}

function onStartup(d: Draft): void {
  if (d.s.state !== 'INIT') return;
  // keepalived (docs/quirks.md Q14): an instance whose tracked object is already failed starts in FAULT.
  if (d.s.faultSources.length > 0) d.transition('FAULT', `startup while faulted (${d.s.faultSources.join(', ')})`);
  else comeUp(d, 'startup');
}

/**
 * RFC 5798 §6.4.1 Startup; also used when a FAULT clears, which keepalived's try_up_instance() handles the
 * same way (the owner goes straight to Master). `initialState` is deliberately not consulted: see types.ts.
 */
function comeUp(d: Draft, reason: string): void {
  d.s.masterAdverIntervalCs = d.p.advertIntervalCs;
  d.s.masterAddress = null;
  d.s.masterPriority = null;
  d.s.preemptHoldUntilUs = null;
  if (d.isOwner) becomeMaster(d, `${reason}: address owner (priority 255)`);
  else enterBackup(d, reason);
}

function onShutdown(d: Draft): void {
  switch (d.s.state) {
    case 'MASTER':
      releaseMaster(d, 'INIT', 'shutdown');
      return;
    case 'BACKUP':
      d.cancel('masterDown');
      d.transition('INIT', 'shutdown');
      return;
    case 'FAULT':
      // VIPs were already removed and the priority-0 advert already sent on entering FAULT.
      d.transition('INIT', 'shutdown');
      return;
    case 'INIT':
      return;
  }
}

function onAdvert(d: Draft, adv: { src: string; priority: number; advertIntervalCs: number }): void {
  if (d.s.state !== 'BACKUP' && d.s.state !== 'MASTER') return; // INIT and FAULT do not listen.
  if (!Number.isInteger(adv.priority) || adv.priority < 0 || adv.priority > 255) return;
  if (!Number.isInteger(adv.advertIntervalCs)) return;
  d.counters.advertsReceived++;
  if (d.s.state === 'BACKUP') backupReceiveAdvert(d, adv);
  else masterReceiveAdvert(d, adv);
}

/**
 * A timer event counts only if that timer is armed and its deadline has passed. Anything else is stale: a
 * callback for a timer that was cancelled or re-armed later (the runtime need not race to clear it).
 */
function onTimer(d: Draft, timer: TimerName): void {
  const deadline = d.timers[timer];
  if (deadline === undefined || deadline > d.nowUs) return;
  d.consume(timer);
  if (timer === 'masterDown') {
    if (d.s.state === 'BACKUP') becomeMaster(d, 'master down timer expired');
    return;
  }
  if (d.s.state !== 'MASTER') return;
  const g = d.p.garp;
  switch (timer) {
    case 'adver':
      d.sendAdvert(d.s.effectivePriority);
      d.arm('adver', nextPeriodicDeadlineUs(deadline, d.adverIntervalUs(), d.nowUs));
      return;
    case 'garpDelay':
      d.sendGarp(g.masterRepeat);
      return;
    case 'garpRefresh':
      d.sendGarp(g.masterRefreshRepeat);
      d.arm('garpRefresh', nextPeriodicDeadlineUs(deadline, g.masterRefreshUs, d.nowUs));
      return;
    case 'garpLowerPrio':
      d.sendGarp(g.lowerPrioRepeat);
      return;
  }
}

/**
 * Tracking changes the priority but never the state by itself: a Master carries the new value in its next
 * advert, a Backup uses it in its next preempt decision and Skew_Time. The owner's 255 never changes
 * (RFC 5798 §6.1; keepalived enforces it), and other priorities are clamped to 1..254 as keepalived does.
 */
function onEffectivePriority(d: Draft, priority: number): void {
  if (d.isOwner || !Number.isFinite(priority)) return;
  d.s.effectivePriority = Math.min(254, Math.max(1, Math.round(priority)));
}

function onFault(d: Draft, faulted: boolean, source: string, reason: string): void {
  const sources = d.s.faultSources;
  const present = sources.includes(source);
  if (faulted === present) return;
  d.s.faultSources = faulted ? [...sources, source].sort() : sources.filter((x) => x !== source);
  if (faulted) {
    if (d.s.state === 'MASTER') releaseMaster(d, 'FAULT', `fault: ${reason}`);
    else if (d.s.state === 'BACKUP') {
      d.cancel('masterDown');
      d.transition('FAULT', `fault: ${reason}`);
    }
    return;
  }
  if (d.s.state === 'FAULT' && d.s.faultSources.length === 0) comeUp(d, `fault cleared: ${reason}`);
}

/** keepalived vrrp_sync_master / vrrp_sync_backup: follow a sync-group peer. The owner never yields. */
function onSync(d: Draft, to: 'MASTER' | 'BACKUP', reason: string): void {
  if (to === 'MASTER' && d.s.state === 'BACKUP') becomeMaster(d, `sync group: ${reason}`);
  else if (to === 'BACKUP' && d.s.state === 'MASTER' && !d.isOwner) yieldMaster(d, `sync group: ${reason}`, false);
}
