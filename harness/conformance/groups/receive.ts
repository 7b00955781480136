import { failed, type GroupContext } from '../runner.js';

export async function runReceive(g: GroupContext): Promise<void> {
  for (const v of g.selected) g.record(v.id, failed('not implemented yet'));
}
