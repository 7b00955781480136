import type { Diagnostics } from './diagnostics.js';
import { checkKeyword, unknownKeywordMessage } from './keywords.js';
import type { TrackedInterface, TrackFile, TrackProcess, TrackRef, VrrpScript } from './model.js';
import type { Statement } from './tree.js';
import { expectBlock, expectNoBlock, noArgs, readDecimal, readInt, readScript, requireArg } from './values.js';

/** Outcome of a `vrrp_script` block: keepalived drops a script without `script` (with a warning). */
export type ScriptResult = { kind: 'ok'; script: VrrpScript } | { kind: 'dropped'; name: string };

export function buildVrrpScript(stmt: Statement, diags: Diagnostics): ScriptResult | undefined {
  const nameArg = requireArg(stmt, 0, diags, 'a name');
  if (!nameArg) return undefined;
  const name = nameArg.value;
  let script: VrrpScript['script'] | undefined;
  let interval = 1;
  let timeout: number | undefined;
  let weight = 0;
  let weightReverse = false;
  let rise = 1;
  let fall = 1;
  let user: string | undefined;
  let group: string | undefined;
  let initFail = false;
  for (const s of expectBlock(stmt, diags)) {
    expectNoBlock(s, diags);
    const known = checkKeyword('vrrp_script', s.keyword, s.pos, diags) !== undefined;
    switch (s.keyword) {
      case 'script':
        script = readScript(s, 0, diags) ?? script;
        break;
      case 'interval':
        interval = readInt(s, 0, 1, 1_000_000, diags) ?? interval;
        break;
      case 'timeout':
        timeout = readInt(s, 0, 1, 1_000_000, diags) ?? timeout;
        break;
      case 'weight': {
        weight = readInt(s, 0, -253, 253, diags) ?? weight;
        const opt = s.args[1];
        if (opt?.value === 'reverse') weightReverse = true;
        else if (opt) diags.error(s.pos, `vrrp_script ${name}: unknown weight option '${opt.value}'`, 'weight');
        break;
      }
      case 'rise':
        rise = readInt(s, 0, 1, 2_147_483_647, diags) ?? rise;
        break;
      case 'fall':
        fall = readInt(s, 0, 1, 2_147_483_647, diags) ?? fall;
        break;
      case 'user': {
        const u = requireArg(s, 0, diags, 'a user name');
        if (u) user = u.value;
        if (s.args[1]) group = s.args[1].value;
        break;
      }
      case 'init_fail':
        noArgs(s, diags);
        initFail = true;
        break;
      default:
        if (!known) diags.error(s.pos, unknownKeywordMessage(s.keyword, `vrrp_script ${name}`), s.keyword);
    }
  }
  if (!script) {
    // keepalived: "No script set for vrrp_script X - removing"; references to it are then ignored.
    diags.warning(stmt.pos, `no script set for vrrp_script ${name}; removing it`, 'vrrp_script');
    return { kind: 'dropped', name };
  }
  const result: VrrpScript = {
    name,
    pos: stmt.pos,
    script,
    interval,
    timeout: timeout ?? interval,
    weight,
    weightReverse,
    rise,
    fall,
    initFail,
  };
  if (user !== undefined) result.user = user;
  if (group !== undefined) result.group = group;
  return { kind: 'ok', script: result };
}

export function buildTrackFile(stmt: Statement, diags: Diagnostics): TrackFile | undefined {
  const nameArg = requireArg(stmt, 0, diags, 'a name');
  if (!nameArg) return undefined;
  if (stmt.keyword === 'vrrp_track_file') {
    diags.warning(stmt.pos, "'vrrp_track_file' is deprecated; use 'track_file'", stmt.keyword);
  }
  const tf: TrackFile = { name: nameArg.value, pos: stmt.pos, file: '', weight: 1, weightReverse: false };
  for (const s of expectBlock(stmt, diags)) {
    expectNoBlock(s, diags);
    const known = checkKeyword('track_file', s.keyword, s.pos, diags) !== undefined;
    switch (s.keyword) {
      case 'file': {
        const a = requireArg(s, 0, diags, 'a file path');
        if (a) tf.file = a.value;
        break;
      }
      case 'weight': {
        tf.weight = readInt(s, 0, -2_147_483_647, 2_147_483_647, diags) ?? tf.weight;
        const opt = s.args[1];
        if (opt?.value === 'reverse') tf.weightReverse = true;
        else if (opt) diags.error(s.pos, `track_file ${tf.name}: unknown weight option '${opt.value}'`, 'weight');
        break;
      }
      case 'init_file': {
        let value = 0;
        let overwrite = false;
        for (const a of s.args) {
          if (a.value === 'overwrite') overwrite = true;
          else if (/^-?\d+$/.test(a.value)) value = Number(a.value);
          else diags.error(s.pos, `init_file: unexpected '${a.value}'`, 'init_file');
        }
        tf.initFile = { value, overwrite };
        break;
      }
      default:
        if (!known) diags.error(s.pos, unknownKeywordMessage(s.keyword, `track_file ${tf.name}`), s.keyword);
    }
  }
  if (tf.file === '') {
    diags.error(stmt.pos, `track_file ${tf.name} has no 'file'`, stmt.keyword);
    return undefined;
  }
  return tf;
}

/** A vrrp_track_process with keepalived 2.2.7's defaults: weight 0, quorum 1, no maximum, no delays. */
export function trackProcessDefaults(name: string, pos: TrackProcess['pos'], process: string): TrackProcess {
  return {
    name,
    pos,
    process,
    params: [],
    paramMatch: 'none',
    weight: 0,
    weightReverse: false,
    quorum: 1,
    quorumMax: Number.MAX_SAFE_INTEGER,
    forkDelay: 0,
    terminateDelay: 0,
    fullCommand: false,
  };
}

/** `vrrp_track_process NAME { process ...; param_match; weight; quorum; quorum_max; *delay; full_command }`. */
export function buildTrackProcess(stmt: Statement, diags: Diagnostics): TrackProcess | undefined {
  const nameArg = requireArg(stmt, 0, diags, 'a name');
  if (!nameArg) return undefined;
  const tp = trackProcessDefaults(nameArg.value, stmt.pos, '');
  let paramMatch: TrackProcess['paramMatch'] | undefined;
  for (const s of expectBlock(stmt, diags)) {
    expectNoBlock(s, diags);
    const known = checkKeyword('vrrp_track_process', s.keyword, s.pos, diags) !== undefined;
    switch (s.keyword) {
      case 'process': {
        const a = requireArg(s, 0, diags, 'a process name');
        if (a) {
          tp.process = a.value;
          tp.params = s.args.slice(1).map((x) => x.value);
        }
        break;
      }
      case 'param_match': {
        const v = s.args[0]?.value;
        if (v === 'initial' || v === 'partial') paramMatch = v;
        else
          diags.error(
            s.pos,
            `vrrp_track_process ${tp.name}: param_match '${v ?? ''}' is not initial or partial`,
            'param_match',
          );
        break;
      }
      case 'weight': {
        tp.weight = readInt(s, 0, -254, 254, diags) ?? tp.weight;
        const opt = s.args[1];
        if (opt?.value === 'reverse') tp.weightReverse = true;
        else if (opt)
          diags.error(s.pos, `vrrp_track_process ${tp.name}: unknown weight option '${opt.value}'`, 'weight');
        break;
      }
      case 'quorum':
        tp.quorum = readInt(s, 0, 1, 65535, diags) ?? tp.quorum;
        break;
      case 'quorum_max':
        tp.quorumMax = readInt(s, 0, 0, 65535, diags) ?? tp.quorumMax;
        break;
      case 'fork_delay':
        tp.forkDelay = readDecimal(s, 0, 0, 3600, diags) ?? tp.forkDelay;
        break;
      case 'terminate_delay':
        tp.terminateDelay = readDecimal(s, 0, 0, 3600, diags) ?? tp.terminateDelay;
        break;
      case 'delay': {
        const d = readDecimal(s, 0, 0, 3600, diags);
        if (d !== undefined) {
          tp.forkDelay = d;
          tp.terminateDelay = d;
        }
        break;
      }
      case 'full_command':
        noArgs(s, diags);
        tp.fullCommand = true;
        break;
      default:
        if (!known) diags.error(s.pos, unknownKeywordMessage(s.keyword, `vrrp_track_process ${tp.name}`), s.keyword);
    }
  }
  if (tp.process === '') {
    diags.error(stmt.pos, `vrrp_track_process ${tp.name} has no 'process'`, stmt.keyword);
    return undefined;
  }
  // keepalived: PARAMs, or param_match alone ("must have no parameters"), make the parameters count.
  tp.paramMatch = paramMatch ?? (tp.params.length > 0 ? 'exact' : 'none');
  if (paramMatch !== undefined && tp.params.length === 0) tp.paramMatch = 'exact';
  if (tp.quorumMax < tp.quorum) {
    diags.error(
      stmt.pos,
      `vrrp_track_process ${tp.name}: quorum_max ${tp.quorumMax} is below quorum ${tp.quorum}`,
      'quorum_max',
    );
  }
  return tp;
}

/** `track_interface { IF [weight W [reverse]] }`. */
export function buildTrackInterfaces(stmt: Statement, diags: Diagnostics): TrackedInterface[] {
  const out: TrackedInterface[] = [];
  for (const line of expectBlock(stmt, diags)) {
    const item: TrackedInterface = { name: line.keyword, weight: 0, reverse: false, pos: line.pos };
    const opts = parseWeightOptions(line, -253, 253, diags, stmt.keyword);
    if (opts.weight !== undefined) item.weight = opts.weight;
    if (opts.reverse) item.reverse = true;
    out.push(item);
  }
  return out;
}

/** `track_script { NAME [weight W [reverse|noreverse]] }` and `track_file { ... }`. */
export function buildTrackRefs(stmt: Statement, diags: Diagnostics, min: number, max: number): TrackRef[] {
  const out: TrackRef[] = [];
  for (const line of expectBlock(stmt, diags)) {
    const ref: TrackRef = { name: line.keyword, pos: line.pos };
    const opts = parseWeightOptions(line, min, max, diags, stmt.keyword);
    if (opts.weight !== undefined) ref.weight = opts.weight;
    if (opts.reverse !== undefined) ref.reverse = opts.reverse;
    out.push(ref);
  }
  return out;
}

function parseWeightOptions(
  line: Statement,
  min: number,
  max: number,
  diags: Diagnostics,
  blockKeyword: string,
): { weight?: number; reverse?: boolean } {
  expectNoBlock(line, diags);
  const result: { weight?: number; reverse?: boolean } = {};
  const args = line.args;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (checkKeyword('track_line', a.value, a.pos, diags) === undefined) {
      diags.error(a.pos, `${blockKeyword} ${line.keyword}: unexpected '${a.value}'`, blockKeyword);
    } else if (a.value === 'weight') {
      const w = args[i + 1];
      if (w === undefined || !/^[-+]?\d+$/.test(w.value)) {
        diags.error(line.pos, `${blockKeyword} ${line.keyword}: 'weight' needs an integer`, 'weight');
        return result;
      }
      const n = Number(w.value);
      if (n < min || n > max) {
        diags.error(
          line.pos,
          `${blockKeyword} ${line.keyword}: weight ${w.value} is out of range [${min}, ${max}]`,
          'weight',
        );
      } else result.weight = n;
      i++;
    } else {
      result.reverse = a.value === 'reverse';
    }
  }
  return result;
}
