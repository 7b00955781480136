import { describe, expect, it } from 'vitest';
import { parseFifoLine } from '../../../harness/observers/state-fifo.js';

describe('notify FIFO lines (keepalived.conf(5) notify_fifo)', () => {
  it('parses instance and group lines', () => {
    expect(parseFifoLine('INSTANCE "VI_1" MASTER 100')).toEqual({
      kind: 'INSTANCE',
      name: 'VI_1',
      state: 'MASTER',
      priority: 100,
    });
    expect(parseFifoLine('GROUP "G1" BACKUP')).toMatchObject({ kind: 'GROUP', name: 'G1', state: 'BACKUP' });
  });

  it('rejects anything else', () => {
    expect(parseFifoLine('hello')).toBeUndefined();
    expect(parseFifoLine('INSTANCE VI_1 MASTER 100')).toBeUndefined();
  });
});
