import { describe, expect, it } from 'vitest';
import {
  frrFiles,
  macvlanName,
  renderStartScript,
  renderVrrpdConf,
  renderZebraConf,
  virtualMac,
} from '../../../harness/adapters/frr-conf.js';
import { frrLinks, holdsFromIpJson } from '../../../harness/adapters/frr-links.js';
import { fakeHost, inst } from './fixtures.js';

describe('FRR names', () => {
  it('macvlan names fit IFNAMSIZ and VMACs follow RFC 5798 §7.3', () => {
    expect(macvlanName(255, 6)).toBe('vl6-255');
    expect(virtualMac(51, 4)).toBe('00:00:5e:00:01:33');
    expect(virtualMac(7, 6)).toBe('00:00:5e:00:02:07');
    expect(virtualMac(255, 4)).toBe('00:00:5e:00:01:ff');
  });

  it('one macvlan per VRID and family', () => {
    const host = fakeHost([
      inst({ vrid: 51, vips: ['10.0.0.254/24'] }),
      inst({ name: 'VI_6', vrid: 51, version: 3, vips: ['2001:db8::254/64'] }),
    ]);
    expect(frrLinks(host)).toEqual([
      { name: 'vl4-51', family: 4, vrid: 51, mac: '00:00:5e:00:01:33', vips: ['10.0.0.254/24'] },
      { name: 'vl6-51', family: 6, vrid: 51, mac: '00:00:5e:00:02:33', vips: ['2001:db8::254/64'] },
    ]);
  });
});

describe('FRR configuration', () => {
  it('zebra.conf only names the host and the log', () => {
    expect(renderZebraConf(fakeHost([]))).toBe('hostname r1\nlog file /run/lab/r1/frr/zebra.log\n');
  });

  it('vrrpd.conf as in docs/quirks.md Q20, interval in ms, preempt off, both families under one VRID', () => {
    const host = fakeHost([
      inst({
        vrid: 51,
        version: 3,
        priority: 100,
        advertIntervalS: 0.1,
        preempt: false,
        vips: ['10.0.0.254/24', '10.0.0.253/24'],
      }),
      inst({
        name: 'VI_6',
        vrid: 51,
        version: 3,
        priority: 100,
        advertIntervalS: 0.1,
        preempt: false,
        vips: ['2001:db8::254/64'],
      }),
      inst({ name: 'VI_2', vrid: 52, version: 2, priority: 200, vips: ['10.0.0.250/24'] }),
    ]);
    expect(renderVrrpdConf(host)).toBe(`hostname r1
log file /run/lab/r1/frr/vrrpd.log debugging
log timestamp precision 6
debug vrrp protocol
!
interface eth0
 vrrp 51 version 3
 vrrp 51 priority 100
 vrrp 51 advertisement-interval 100
 no vrrp 51 preempt
 vrrp 51 ip 10.0.0.254
 vrrp 51 ip 10.0.0.253
 vrrp 51 ipv6 2001:db8::254
 vrrp 52 version 2
 vrrp 52 priority 200
 vrrp 52 advertisement-interval 1000
 vrrp 52 ip 10.0.0.250
!
`);
  });

  it('start script: private mounts, frr user, everything under the host directory', () => {
    const f = frrFiles(fakeHost([]));
    expect(renderStartScript(fakeHost([]))).toBe(`#!/bin/sh
# FRR zebra + vrrpd for vrrp-lab host r1; run as: unshare -m --propagation private sh start.sh
set -e
mount --bind '${f.varTmp}' /var/tmp
mkdir -p /run/frr
mount -t tmpfs tmpfs /run/frr
/usr/lib/frr/zebra -d -u frr -g frr -f '/run/lab/r1/frr/zebra.conf' -i '/run/lab/r1/frr/zebra.pid' -z '/run/lab/r1/frr/zserv.api' --vty_socket '/run/lab/r1/frr' -P 0 --log 'file:/run/lab/r1/frr/zebra.out' </dev/null >>'/run/lab/r1/frr/zebra.out.stdout' 2>&1
/usr/lib/frr/vrrpd -d -u frr -g frr -f '/run/lab/r1/frr/vrrpd.conf' -i '/run/lab/r1/frr/vrrpd.pid' -z '/run/lab/r1/frr/zserv.api' --vty_socket '/run/lab/r1/frr' -P 0 --log 'file:/run/lab/r1/frr/vrrpd.out' </dev/null >>'/run/lab/r1/frr/vrrpd.out.stdout' 2>&1
`);
  });
});

describe('holdsFromIpJson (quirks Q19 iii)', () => {
  it('holder = up and protodown off', () => {
    expect(
      holdsFromIpJson('[{"ifname":"vl4-51","flags":["BROADCAST","MULTICAST","UP","LOWER_UP"],"proto_down":false}]'),
    ).toBe(true);
    expect(holdsFromIpJson('[{"ifname":"vl4-51","flags":["BROADCAST","MULTICAST","UP"],"proto_down":true}]')).toBe(
      false,
    );
    expect(holdsFromIpJson('[{"ifname":"vl4-51","flags":["BROADCAST","MULTICAST"]}]')).toBe(false);
    expect(holdsFromIpJson('[]')).toBe(false);
  });
});
