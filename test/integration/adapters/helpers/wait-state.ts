import type { ImplementationAdapter, ReportedInstanceState } from '../../../../harness/adapters/types.js';
import { waitFor } from '../../../../harness/lab/wait-for.js';
import { TimeoutError } from '../../../../src/util/errors.js';
import type { TestHost } from './tiny-lab.js';

/** Wait until the adapter reports `want` for the host's first instance; a timeout names the last reported states. */
export async function waitState(
  adapter: ImplementationAdapter,
  host: TestHost,
  want: ReportedInstanceState['state'],
  timeoutMs = 10_000,
): Promise<void> {
  let last: ReportedInstanceState[] | string = 'never asked';
  const description = `${adapter.name} on ${host.name} ${want}`;
  try {
    await waitFor(
      async () => {
        try {
          last = await adapter.state(host);
        } catch (err) {
          last = (err as Error).message;
          return false;
        }
        return last[0]?.state === want;
      },
      { description, timeoutMs, intervalMs: 50 },
    );
  } catch (err) {
    if (err instanceof TimeoutError) throw new TimeoutError(description, timeoutMs, last);
    throw err;
  }
}
