import type { ConfigDiagnostic } from '../util/errors.js';
import type { SourcePos } from './position.js';

/** Collects errors and warnings in the order they are found. */
export class Diagnostics {
  readonly list: ConfigDiagnostic[] = [];

  error(pos: SourcePos, message: string, keyword?: string): void {
    this.add('error', pos, message, keyword);
  }

  warning(pos: SourcePos, message: string, keyword?: string): void {
    this.add('warning', pos, message, keyword);
  }

  get hasErrors(): boolean {
    return this.list.some((d) => d.severity === 'error');
  }

  private add(severity: 'error' | 'warning', pos: SourcePos, message: string, keyword?: string): void {
    const d: ConfigDiagnostic = { file: pos.file, line: pos.line, column: pos.column, severity, message };
    if (keyword !== undefined) d.keyword = keyword;
    this.list.push(d);
  }
}
