/**
 * An undici connector that enforces the {@link AddressPolicy} on every connection the agent opens:
 * IP-literal hosts are checked directly, host names inside the socket's DNS lookup, so the address
 * checked is the address connected to.
 */
import { lookup as dnsLookup } from 'node:dns';
import type { LookupAddress, LookupAllOptions, LookupOneOptions } from 'node:dns';
import { isIP } from 'node:net';
import { buildConnector } from 'undici';
import type { AddressPolicy } from './address-policy.js';
import { PrivateAddressBlockedError } from './address-policy.js';

type LookupOptions = LookupOneOptions | LookupAllOptions;
type LookupCallback = (error: Error | null, address: string | LookupAddress[], family?: number) => void;
export type LookupFunction = (hostname: string, options: LookupOptions, callback: LookupCallback) => void;

/** The system resolver with the `all: true` shape. */
export type Resolver = (
  hostname: string,
  options: LookupAllOptions,
  callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
) => void;

const systemResolver: Resolver = (hostname, options, callback) => dnsLookup(hostname, options, callback);

/**
 * A `net.connect` lookup that resolves all addresses, drops refused ones, and fails with
 * {@link PrivateAddressBlockedError} when none is left. Answers in the shape the caller asked for
 * (`all: true` under Happy Eyeballs, a single address otherwise).
 */
export function createGuardedLookup(policy: AddressPolicy, resolve: Resolver = systemResolver): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, []);
      const permitted = addresses.filter((entry) => policy.isAllowed(entry.address));
      if (permitted.length === 0) {
        const refused = addresses.map((entry) => entry.address);
        return callback(new PrivateAddressBlockedError(hostname, refused), []);
      }
      if (options.all === true) return callback(null, permitted);
      const [first] = permitted as [LookupAddress];
      return callback(null, first.address, first.family);
    });
  };
}

export interface GuardedConnectorOptions {
  readonly policy: AddressPolicy;
  readonly connectTimeoutMs: number;
  readonly resolve?: Resolver;
}

/** A connector for `new Agent({ connect })`. */
export function createGuardedConnector(options: GuardedConnectorOptions): buildConnector.connector {
  const connect = buildConnector({
    timeout: options.connectTimeoutMs,
    lookup: createGuardedLookup(options.policy, options.resolve),
  });
  return (connectOptions, callback) => {
    const { hostname } = connectOptions;
    if (isIP(hostname) !== 0 && !options.policy.isAllowed(hostname)) {
      const error = new PrivateAddressBlockedError(hostname, [hostname]);
      queueMicrotask(() => callback(error, null));
      return;
    }
    connect(connectOptions, callback);
  };
}
