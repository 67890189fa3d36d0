import { describe, expect, it } from 'vitest';
import { PrivateAddressBlockedError } from './http/address-policy.js';
import { createTimeoutReason } from './deadline.js';
import { TRANSPORT_ERROR_MESSAGES, classifyTransportError } from './network-errors.js';

/** An error shaped like Node's / undici's: a message and a `code`. */
function driverError(code: string, message = `raw driver text for ${code} at 10.1.2.3:443`): Error {
  return Object.assign(new Error(message), { code });
}

describe('classifyTransportError', () => {
  it.each([
    { error: driverError('UND_ERR_CONNECT_TIMEOUT'), code: 'timeout' },
    { error: driverError('UND_ERR_HEADERS_TIMEOUT'), code: 'timeout' },
    { error: driverError('UND_ERR_BODY_TIMEOUT'), code: 'timeout' },
    { error: driverError('ETIMEDOUT'), code: 'timeout' },
    { error: createTimeoutReason(5_000), code: 'timeout' },
    { error: new DOMException('The operation was aborted due to timeout', 'TimeoutError'), code: 'timeout' },
    { error: driverError('ENOTFOUND'), code: 'dns_error' },
    { error: driverError('EAI_AGAIN'), code: 'dns_error' },
    { error: driverError('ECONNREFUSED'), code: 'connection_refused' },
    { error: driverError('ECONNRESET'), code: 'connection_reset' },
    { error: driverError('EPIPE'), code: 'connection_reset' },
    { error: driverError('UND_ERR_SOCKET', 'other side closed'), code: 'connection_reset' },
    { error: driverError('ENETUNREACH'), code: 'network_unreachable' },
    { error: driverError('EHOSTUNREACH'), code: 'network_unreachable' },
    { error: driverError('CERT_HAS_EXPIRED'), code: 'tls_error' },
    { error: driverError('ERR_TLS_CERT_ALTNAME_INVALID'), code: 'tls_error' },
    { error: driverError('DEPTH_ZERO_SELF_SIGNED_CERT'), code: 'tls_error' },
    { error: driverError('UNABLE_TO_VERIFY_LEAF_SIGNATURE'), code: 'tls_error' },
    { error: driverError('ERR_SSL_WRONG_VERSION_NUMBER'), code: 'tls_error' },
    { error: driverError('EPROTO'), code: 'tls_error' },
    { error: new PrivateAddressBlockedError('internal.example', ['10.0.0.5']), code: 'private_address_blocked' },
    { error: driverError('HPE_INVALID_CONSTANT', 'Expected HTTP/'), code: 'network_error' },
    { error: driverError('UND_ERR_RES_CONTENT_LENGTH_MISMATCH'), code: 'network_error' },
    { error: new Error('something odd'), code: 'network_error' },
    { error: 'a string was thrown', code: 'network_error' },
    { error: undefined, code: 'network_error' },
  ])('when the driver fails with $error.code, then the code is $code', ({ error, code }) => {
    expect(classifyTransportError(error).code).toBe(code);
  });

  it('when the cause chain holds the driver error, then it is found', () => {
    const wrapped = new TypeError('fetch failed', { cause: driverError('ECONNREFUSED') });

    expect(classifyTransportError(wrapped).code).toBe('connection_refused');
  });

  it('when Happy Eyeballs aggregates per-address errors, then the members are classified', () => {
    const aggregate = new AggregateError([driverError('ECONNREFUSED'), driverError('ECONNREFUSED')], 'connect failed');

    expect(classifyTransportError(aggregate).code).toBe('connection_refused');
  });

  it('when classifying, then the message is the fixed customer-safe text, never the driver text', () => {
    const failure = classifyTransportError(driverError('ECONNRESET', 'read ECONNRESET 10.1.2.3:443'));

    expect(failure.message).toBe(TRANSPORT_ERROR_MESSAGES.connection_reset);
    expect(failure.message).not.toContain('10.1.2.3');
  });
});
