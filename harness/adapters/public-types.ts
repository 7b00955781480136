/**
 * What an adapter module (`--impl ./my-adapter.mjs`) implements, in one place. A module's default export
 * is an `AdapterModule`; with JSDoc in plain JavaScript:
 *
 *   /** @type {import('vrrp-lab/dist/harness/adapters/public-types.js').AdapterModule} *\/
 *   export default { name: 'myvrrp', unsupported: () => [], render: async (host) => [...], ... };
 *
 * vrrp-lab calls, per router host: unsupported() before anything runs (a non-empty list skips the
 * scenario with that reason), render(), start(); then, as the scenario asks, stop() (graceful),
 * kill() (crash: no cleanup), freeze()/thaw(), state(); cleanupStale() after a crash. VIP holders
 * and packets are observed from outside, so state() may report UNKNOWN.
 *
 * A declarative adapter file (.yaml/.yml/.json, see declarative-schema.ts) needs no code at all.
 */

export type { GarpSettings, TrackScriptSettings, VrrpInstanceSettings } from '../topology/vrrp-settings.js';
export { SETTINGS, type Setting } from './capabilities.js';
export { type RenderedKeepalivedConf, renderKeepalivedConf, writeKeepalivedConf } from './keepalived-conf.js';
export type { LabAdapter } from './lab-adapter.js';
export type { AdapterHost, ImplementationAdapter, ImplName, ReportedInstanceState } from './types.js';

import type { PartialLabAdapter } from './lab-adapter.js';

/**
 * The default export of an adapter module: ImplementationAdapter (name, unsupportedSettings?,
 * unsupported, render, start, stop, kill, freeze, thaw, state, holderInterface?) plus, optionally,
 * differences() (behaviour a report should show; default none) and cleanupStale() (what a crash left in
 * the data plane; default: remove the host's VIPs from its VRRP interface).
 */
export type AdapterModule = PartialLabAdapter;
