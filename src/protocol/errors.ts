import { VrrpLabError } from '../util/errors.js';

/**
 * A caller handed the codec a value it cannot represent (a field wider than its bits, an address
 * that does not parse, a MAC with 5 octets). Decoders never throw this: bad bytes from the wire
 * are reported as data, bad values from our own code are bugs and should fail loudly.
 */
export class ProtocolInputError extends VrrpLabError {
  override readonly name = 'ProtocolInputError';
}
