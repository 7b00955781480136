import { expect, test } from 'vitest';
import { aptInstallLine, PREREQUISITES } from '../../../harness/cli/prerequisites.js';

test('the apt-get line names each package once', () => {
  const missing = PREREQUISITES.filter((p) => ['FRR vrrpd', 'FRR zebra', 'tc', 'iproute2'].includes(p.name));
  expect(aptInstallLine(missing)).toBe('apt-get install -y iproute2 frr');
});
