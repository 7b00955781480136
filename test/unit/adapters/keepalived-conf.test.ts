import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { renderKeepalivedConf, writeKeepalivedConf } from '../../../harness/adapters/keepalived-conf.js';
import { fakeHost, inst } from './fixtures.js';

describe('renderKeepalivedConf', () => {
  it('renders the VRRPv2 PASS configuration of docs/quirks.md', () => {
    const host = fakeHost([inst({ vrid: 51, priority: 150, authPass: 's3cr3t', vips: ['10.0.0.254/24'] })]);
    const r = renderKeepalivedConf(host);
    expect(r.scripts).toEqual([]);
    expect(r.text).toBe(`global_defs {
  router_id r1
  vrrp_version 2
  enable_script_security
  script_user root
  notify_fifo /run/lab/r1/notify.fifo
  vrrp_garp_master_delay 5
  vrrp_garp_master_repeat 5
  vrrp_garp_master_refresh 0
}

vrrp_instance VI_1 {
  state BACKUP
  interface eth0
  virtual_router_id 51
  priority 150
  advert_int 1
  authentication {
    auth_type PASS
    auth_pass s3cr3t
  }
  virtual_ipaddress {
    10.0.0.254/24 dev eth0
  }
  garp_master_delay 5
  garp_master_repeat 5
  garp_master_refresh 0
}
`);
  });

  it('renders v3 unicast with one peer per line (quirks Q9), nopreempt, preempt_delay and GARP settings', () => {
    const host = fakeHost([
      inst({
        vrid: 7,
        version: 3,
        advertIntervalS: 0.1,
        preempt: false,
        unicast: true,
        authPass: 'ignored',
        vips: ['10.0.0.254/24', '10.0.0.253/24'],
        garp: { masterRepeat: 1, masterDelayS: 0, masterRefreshS: 2.5 },
      }),
      inst({ name: 'VI_2', vrid: 8, version: 3, preemptDelayS: 2.5, initialState: 'MASTER', vips: ['10.0.0.250/24'] }),
    ]);
    expect(renderKeepalivedConf(host).text).toBe(`global_defs {
  router_id r1
  vrrp_version 3
  enable_script_security
  script_user root
  notify_fifo /run/lab/r1/notify.fifo
  vrrp_garp_master_delay 0
  vrrp_garp_master_repeat 1
  vrrp_garp_master_refresh 2.5
}

vrrp_instance VI_1 {
  state BACKUP
  interface eth0
  virtual_router_id 7
  priority 100
  advert_int 0.1
  nopreempt
  virtual_ipaddress {
    10.0.0.254/24 dev eth0
    10.0.0.253/24 dev eth0
  }
  unicast_src_ip 10.0.0.11
  unicast_peer {
    10.0.0.12
    10.0.0.13
  }
  garp_master_delay 0
  garp_master_repeat 1
  garp_master_refresh 2.5
}

vrrp_instance VI_2 {
  state MASTER
  interface eth0
  virtual_router_id 8
  priority 100
  advert_int 1
  preempt_delay 2.5
  virtual_ipaddress {
    10.0.0.250/24 dev eth0
  }
  garp_master_delay 5
  garp_master_repeat 5
  garp_master_refresh 0
}
`);
  });

  it('renders track scripts (nginx check substituted, one script file each) and tracked interfaces', () => {
    const host = fakeHost(
      [
        inst({
          vrid: 51,
          vips: ['10.0.0.254/24'],
          trackScripts: [
            { name: 'chk_nginx', script: '{{nginxCheck}}', weight: -60, rise: 2, fall: 2, intervalS: 1, timeoutS: 1 },
            { name: 'chk_file', script: 'test -e /tmp/ok', weight: 0, rise: 1, fall: 1, intervalS: 0.5 },
          ],
          trackInterfaces: ['eth1'],
        }),
      ],
      { nginxCheck: 'exec /usr/bin/curl -sf -m 1 -o /dev/null http://10.0.0.11/' },
    );
    const r = renderKeepalivedConf(host);
    expect(r.text).toBe(`global_defs {
  router_id r1
  vrrp_version 2
  enable_script_security
  script_user root
  notify_fifo /run/lab/r1/notify.fifo
  vrrp_garp_master_delay 5
  vrrp_garp_master_repeat 5
  vrrp_garp_master_refresh 0
}

vrrp_script chk_nginx {
  script "/run/lab/r1/scripts/chk_nginx.sh"
  interval 1
  timeout 1
  weight -60
  rise 2
  fall 2
}

vrrp_script chk_file {
  script "/run/lab/r1/scripts/chk_file.sh"
  interval 0.5
  weight 0
  rise 1
  fall 1
}

vrrp_instance VI_1 {
  state BACKUP
  interface eth0
  virtual_router_id 51
  priority 100
  advert_int 1
  virtual_ipaddress {
    10.0.0.254/24 dev eth0
  }
  track_script {
    chk_nginx
    chk_file
  }
  track_interface {
    eth1
  }
  garp_master_delay 5
  garp_master_repeat 5
  garp_master_refresh 0
}
`);
    expect(r.scripts).toEqual([
      {
        path: '/run/lab/r1/scripts/chk_nginx.sh',
        content:
          '#!/bin/sh\n# vrrp-lab track script chk_nginx for host r1\nexec /usr/bin/curl -sf -m 1 -o /dev/null http://10.0.0.11/\n',
      },
      {
        path: '/run/lab/r1/scripts/chk_file.sh',
        content: '#!/bin/sh\n# vrrp-lab track script chk_file for host r1\ntest -e /tmp/ok\n',
      },
    ]);
  });

  it('renders IPv6 unicast with IPv6 source and peers only, and per-instance versions when they differ', () => {
    const host = fakeHost([
      inst({ vrid: 1, version: 2, vips: ['10.0.0.254/24'] }),
      inst({ name: 'VI_6', vrid: 2, version: 3, unicast: true, vips: ['2001:db8::254/64'] }),
    ]);
    const text = renderKeepalivedConf(host).text;
    expect(text).not.toContain('vrrp_version');
    expect(text).toContain('  virtual_router_id 1\n  priority 100\n  version 2\n');
    expect(text).toContain(`  version 3
  advert_int 1
  virtual_ipaddress {
    2001:db8::254/64 dev eth0
  }
  unicast_src_ip 2001:db8::11
  unicast_peer {
    2001:db8::12
  }
`);
  });

  it('refuses {{nginxCheck}} on a host without nginx', () => {
    const host = fakeHost([
      inst({
        vrid: 1,
        vips: ['10.0.0.254/24'],
        trackScripts: [{ name: 'c', script: '{{nginxCheck}}', intervalS: 1, weight: 0, rise: 1, fall: 1 }],
      }),
    ]);
    expect(() => renderKeepalivedConf(host)).toThrow(/no nginx check/);
  });
});

describe('writeKeepalivedConf', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('writes the conf and root-owned 0755 scripts in a 0755 directory (quirks Q13)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vat-unit-'));
    dirs.push(dir);
    const host = fakeHost(
      [
        inst({
          vrid: 1,
          vips: ['10.0.0.254/24'],
          trackScripts: [{ name: 'chk', script: 'true', intervalS: 1, weight: 0, rise: 1, fall: 1 }],
        }),
      ],
      { dir },
    );
    const paths = await writeKeepalivedConf(host, join(dir, 'keepalived.conf'));
    expect(paths).toEqual([join(dir, 'keepalived.conf'), join(dir, 'scripts', 'chk.sh')]);
    expect(await readFile(paths[0]!, 'utf8')).toBe(renderKeepalivedConf(host).text);
    const script = await stat(paths[1]!);
    const scriptDir = await stat(join(dir, 'scripts'));
    expect(script.mode & 0o777).toBe(0o755);
    expect(scriptDir.mode & 0o777).toBe(0o755);
    if (process.getuid?.() === 0) expect([script.uid, scriptDir.uid]).toEqual([0, 0]);
  });
});

describe('track_interface', () => {
  it('leaves out the VRRP interface itself (keepalived tracks it anyway and warns)', () => {
    const host = fakeHost([inst({ vrid: 1, vips: ['10.0.0.254/24'], trackInterfaces: ['eth0'] })]);
    expect(renderKeepalivedConf(host).text).not.toContain('track_interface');
  });
});

describe('vmac and accept settings', () => {
  it('render use_vmac and accept / no_accept only when set', () => {
    const text = (o: { vmac?: boolean; acceptMode?: boolean }) =>
      renderKeepalivedConf(fakeHost([inst({ vrid: 9, vips: ['10.0.0.254/24'], ...o })])).text;
    expect(text({})).not.toMatch(/use_vmac|accept/);
    expect(text({ vmac: true, acceptMode: false })).toMatch(/\n {2}use_vmac\n {2}no_accept\n/);
    expect(text({ acceptMode: true })).toMatch(/\n {2}accept\n/);
  });

  it('FRR reports what it cannot do: no_accept, and running without the VMAC', async () => {
    const { frrProblems } = await import('../../../harness/adapters/frr.js');
    expect(frrProblems(fakeHost([inst({ vrid: 9, version: 3, vips: ['10.0.0.254/24'], acceptMode: false })]))).toEqual([
      'VI_1 (VRID 9): FRR vrrpd has no Accept_Mode False (its Master always accepts)',
    ]);
    expect(frrProblems(fakeHost([inst({ vrid: 9, version: 3, vips: ['10.0.0.254/24'], vmac: true })]))).toEqual([]);
  });
});
