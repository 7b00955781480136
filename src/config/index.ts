/** keepalived.conf support for vrrpd: lexer, parser, typed model and validation. */
export type { LexOptions, Token, TokenKind } from './lexer.js';
export { lex } from './lexer.js';
export type * from './model.js';
export { nodeSource } from './node-source.js';
export type { ConfigResult, LoadOptions } from './parse.js';
export { loadConfig, loadConfigOrThrow, parseConfigText } from './parse.js';
export type { SourcePos } from './position.js';
export { MAX_INCLUDE_DEPTH } from './reader.js';
export type { ConfigSource } from './source.js';
export { memorySource } from './source.js';
export type { Arg, Statement } from './tree.js';
