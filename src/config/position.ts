/** A place in a configuration file. Lines and columns are 1-based; columns count UTF-16 code units + 1. */
export interface SourcePos {
  file: string;
  line: number;
  column: number;
}
