import { ServiceBusError } from '@azure/service-bus';
import type { ServiceBusErrorCode } from '@azure/service-bus';
import { describe, expect, it } from 'vitest';
import { TransportError } from '../errors.js';
import { classifyServiceBusError } from './servicebus-errors.js';

/** What the SDK rejects with for a socket failure: its own code, the Node errno kept (as core-amqp copies it). */
function socketFailure(sdkCode: string, errno: number, syscall: string, text: string): ServiceBusError {
  const translated = Object.assign(new Error(text), { name: 'MessagingError', code: sdkCode, errno, syscall, retryable: true });
  return new ServiceBusError(translated);
}

describe('Service Bus error classification', () => {
  it.each<[ServiceBusErrorCode, string, boolean]>([
    ['MessagingEntityNotFound', 'queue_not_found', false],
    ['MessagingEntityDisabled', 'queue_disabled', false],
    ['UnauthorizedAccess', 'auth_failed', false],
    ['MessageSizeExceeded', 'message_too_large', false],
    ['ServiceBusy', 'throttled', true],
    ['QuotaExceeded', 'throttled', true],
    ['ServiceTimeout', 'timeout', true],
  ])('when Service Bus answers %s, then the code is %s (retryable: %s)', (sdkCode, code, retryable) => {
    const raw = new ServiceBusError('the broker said no: sb://internal-ns.servicebus.windows.net/orders', sdkCode);

    const failure = classifyServiceBusError(raw);

    expect(failure).toBeInstanceOf(TransportError);
    expect(failure).toMatchObject({ code, retryable, cause: raw });
    expect(failure.message).not.toContain('internal-ns');
  });

  it.each([
    ['the connection is refused', socketFailure('ConnectionForcedError', -111, 'connect', 'connect ECONNREFUSED 127.0.0.1:5671'), 'connection_refused'],
    ['the host does not resolve', socketFailure('ServiceCommunicationError', -3008, 'getaddrinfo', 'getaddrinfo ENOTFOUND nowhere.invalid'), 'dns_error'],
    ['the connection is reset', socketFailure('OperationTimeoutError', -104, 'read', 'read ECONNRESET'), 'connection_reset'],
    ['the network is unreachable', socketFailure('OperationTimeoutError', -101, 'connect', 'connect ENETUNREACH'), 'network_unreachable'],
  ])('when %s, then the shared network code is recovered from errno', (_when, raw, code) => {
    expect(classifyServiceBusError(raw)).toMatchObject({ code, retryable: true });
  });

  it('when a plain Node socket error arrives, then it is classified by its code', () => {
    const raw = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    expect(classifyServiceBusError(raw)).toMatchObject({ code: 'connection_refused' });
  });

  it('when the SDK fails in a way it does not name, then it is servicebus_error with the SDK\'s retryability', () => {
    const raw = Object.assign(new ServiceBusError('something odd', 'GeneralError'), { retryable: false });
    expect(classifyServiceBusError(raw)).toMatchObject({ code: 'servicebus_error', retryable: false, message: 'Service Bus did not accept the message.' });
  });

  it('when the error is not from the SDK nor the network, then it is network_error', () => {
    expect(classifyServiceBusError(new Error('weird'))).toMatchObject({ code: 'network_error', retryable: true });
  });
});
