import type { LookupAddress } from 'node:dns';
import { describe, expect, it } from 'vitest';
import { InvalidNetworkError, PrivateAddressBlockedError, createAddressPolicy } from './address-policy.js';
import { createGuardedLookup } from './guarded-connect.js';
import type { Resolver } from './guarded-connect.js';

const strict = createAddressPolicy({ blockPrivateNetworks: true, allowedNetworks: [] });

describe('address policy', () => {
  it.each([
    ['93.184.216.34', true],
    ['8.8.8.8', true],
    ['2606:4700:4700::1111', true],
    ['::ffff:8.8.8.8', true],
    ['127.0.0.1', false],
    ['127.255.255.254', false],
    ['0.0.0.0', false],
    ['10.20.30.40', false],
    ['172.16.0.1', false],
    ['172.31.255.255', false],
    ['172.32.0.1', true],
    ['192.168.1.1', false],
    ['169.254.169.254', false],
    ['100.64.0.1', false],
    ['100.128.0.1', true],
    ['224.0.0.251', false],
    ['255.255.255.255', false],
    ['198.18.0.1', false],
    ['::1', false],
    ['::', false],
    ['fe80::1', false],
    ['fc00::1', false],
    ['fd12:3456::1', false],
    ['ff02::1', false],
    ['::ffff:127.0.0.1', false],
    ['::ffff:7f00:1', false],
    ['::ffff:169.254.169.254', false],
    ['64:ff9b::10.0.0.1', false],
    ['64:ff9b::8.8.8.8', true],
    ['2002:c0a8:0101::1', false],
    ['2002:0808:0808::1', true],
    ['not-an-ip', false],
  ])('when the address is %s, then allowed is %s', (address, allowed) => {
    expect(strict.isAllowed(address)).toBe(allowed);
  });

  it('when a private range is allowlisted, then only that range opens up', () => {
    const policy = createAddressPolicy({ blockPrivateNetworks: true, allowedNetworks: ['127.0.0.0/8', '10.1.0.0/16', '::1'] });

    expect(policy.isAllowed('127.0.0.1')).toBe(true);
    expect(policy.isAllowed('::ffff:127.0.0.1')).toBe(true);
    expect(policy.isAllowed('::1')).toBe(true);
    expect(policy.isAllowed('10.1.2.3')).toBe(true);
    expect(policy.isAllowed('10.2.0.1')).toBe(false);
  });

  it('when blocking is off, then every address is allowed', () => {
    const open = createAddressPolicy({ blockPrivateNetworks: false, allowedNetworks: [] });

    expect(open.isAllowed('127.0.0.1')).toBe(true);
  });

  it.each(['10.0.0.0/33', 'nonsense', '10.0.0.0/8/1', '10.0.0.0/abc', '::1/129'])(
    'when the allowlist holds "%s", then creation fails fast',
    (network) => {
      expect(() => createAddressPolicy({ blockPrivateNetworks: true, allowedNetworks: [network] })).toThrow(InvalidNetworkError);
    },
  );
});

/** A resolver answering fixed addresses, like a hostile DNS server would. */
function resolverOf(...addresses: string[]): Resolver {
  return (_hostname, _options, callback) =>
    callback(null, addresses.map((address): LookupAddress => ({ address, family: address.includes(':') ? 6 : 4 })));
}

function lookupWith(resolver: Resolver, all: boolean): Promise<{ error: Error | null; address: unknown }> {
  const lookup = createGuardedLookup(strict, resolver);
  return new Promise((resolve) => lookup('hooks.example.com', { all }, (error, address) => resolve({ error, address })));
}

describe('guarded lookup', () => {
  it('when DNS answers only private addresses (rebinding), then the connection is refused', async () => {
    const { error } = await lookupWith(resolverOf('169.254.169.254', '::1'), true);

    expect(error).toBeInstanceOf(PrivateAddressBlockedError);
  });

  it('when DNS mixes public and private addresses, then only the public ones are handed to the socket', async () => {
    const { error, address } = await lookupWith(resolverOf('10.0.0.1', '93.184.216.34', 'fd00::1'), true);

    expect(error).toBeNull();
    expect(address).toEqual([{ address: '93.184.216.34', family: 4 }]);
  });

  it('when the socket asks for a single address, then it gets the first permitted one', async () => {
    const { address } = await lookupWith(resolverOf('127.0.0.1', '93.184.216.34'), false);

    expect(address).toBe('93.184.216.34');
  });

  it('when resolution itself fails, then the resolver error passes through for classification', async () => {
    const failing: Resolver = (_h, _o, callback) => callback(Object.assign(new Error('nope'), { code: 'ENOTFOUND' }), []);

    const { error } = await lookupWith(failing, true);

    expect(error).toMatchObject({ code: 'ENOTFOUND' });
  });
});
