/** An applied impairment; undo() restores the previous state and is safe to call twice. */
export interface Impairment extends AsyncDisposable {
  readonly description: string;
  undo(): Promise<void>;
}

export function impairment(description: string, undoOnce: () => Promise<void>, onUndone?: () => void): Impairment {
  let undone: Promise<void> | undefined;
  const undo = () => {
    undone ??= undoOnce().finally(() => onUndone?.());
    return undone;
  };
  return { description, undo, [Symbol.asyncDispose]: undo };
}
