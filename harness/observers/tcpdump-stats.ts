/**
 * tcpdump's counters. "received by filter" counts every packet that reached the socket, including those the
 * kernel then dropped for lack of ring space; so a capture is complete when captured = received − dropped.
 */
export interface TcpdumpStats {
  captured: number;
  receivedByFilter: number;
  droppedByKernel: number;
}

// SIGUSR1 prints one line: "tcpdump: 3 packets captured, 3 packets received by filter, 0 packets dropped by kernel".
const INFO_LINE = /(\d+) packets? captured, (\d+) packets? received by filter, (\d+) packets? dropped by kernel/g;
// Exit prints three lines: "3 packets captured\n3 packets received by filter\n0 packets dropped by kernel".
const EXIT_LINES = /^(\d+) packets? captured\n(\d+) packets? received by filter\n(\d+) packets? dropped by kernel$/m;

/** The last SIGUSR1 report in the text, if any. */
export function lastInfoStats(text: string): TcpdumpStats | undefined {
  let last: RegExpExecArray | undefined;
  for (const m of text.matchAll(INFO_LINE)) last = m as RegExpExecArray;
  return last ? toStats(last) : undefined;
}

export function exitStats(text: string): TcpdumpStats | undefined {
  const m = EXIT_LINES.exec(text);
  return m ? toStats(m) : undefined;
}

export function outstanding(s: TcpdumpStats): number {
  return s.receivedByFilter - s.droppedByKernel - s.captured;
}

function toStats(m: RegExpExecArray): TcpdumpStats {
  return { captured: Number(m[1]), receivedByFilter: Number(m[2]), droppedByKernel: Number(m[3]) };
}
