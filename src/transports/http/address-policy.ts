/**
 * Which IP addresses outbound connections to tenant-chosen URLs (webhooks) may reach: a tenant's
 * URL must not become a way into the deployment's private network. Checked on the
 * *resolved* address inside the connection's DNS lookup, and on IP-literal hosts, so neither DNS
 * rebinding nor `http://127.1/` gets around it.
 */
import { BlockList, isIP } from 'node:net';
import { PRIVATE_ADDRESS_BLOCKED_CODE } from '../network-errors.js';

/** Thrown (into the connection attempt) when a host resolves only to refused addresses. */
export class PrivateAddressBlockedError extends Error {
  readonly code = PRIVATE_ADDRESS_BLOCKED_CODE;
  constructor(
    readonly hostname: string,
    readonly addresses: readonly string[],
  ) {
    super(`refusing to connect to ${hostname}: ${addresses.join(', ')} is not a public address`);
    this.name = 'PrivateAddressBlockedError';
  }
}

/** Thrown at start-up for an unparseable entry of `allowedNetworks`. */
export class InvalidNetworkError extends Error {
  constructor(readonly network: string) {
    super(`invalid network "${network}": expected an IP address or CIDR such as 127.0.0.0/8`);
    this.name = 'InvalidNetworkError';
  }
}

/** Special-purpose IPv4 ranges (RFC 6890 and friends) never reachable by default. */
export const BLOCKED_IPV4_NETWORKS: readonly string[] = [
  '0.0.0.0/8', // "this network"
  '10.0.0.0/8', // private
  '100.64.0.0/10', // carrier-grade NAT
  '127.0.0.0/8', // loopback
  '169.254.0.0/16', // link-local, cloud metadata
  '172.16.0.0/12', // private
  '192.0.0.0/24', // IETF protocol assignments
  '192.0.2.0/24', // documentation
  '192.88.99.0/24', // 6to4 relay anycast
  '192.168.0.0/16', // private
  '198.18.0.0/15', // benchmarking
  '198.51.100.0/24', // documentation
  '203.0.113.0/24', // documentation
  '224.0.0.0/4', // multicast
  '240.0.0.0/4', // reserved, broadcast
];

/** Special-purpose IPv6 ranges. IPv4-mapped addresses are checked against the IPv4 list. */
export const BLOCKED_IPV6_NETWORKS: readonly string[] = [
  '::/128', // unspecified
  '::1/128', // loopback
  '::/96', // IPv4-compatible (deprecated)
  '64:ff9b:1::/48', // local-use NAT64
  '100::/64', // discard
  '2001:db8::/32', // documentation
  'fc00::/7', // unique local
  'fe80::/10', // link-local
  'fec0::/10', // site-local (deprecated)
  'ff00::/8', // multicast
];

export interface AddressPolicy {
  /** Whether a connection to this IP address (v4 or v6) is permitted. */
  isAllowed(address: string): boolean;
}

export interface AddressPolicyOptions {
  readonly blockPrivateNetworks: boolean;
  readonly allowedNetworks: readonly string[];
}

function addNetwork(list: BlockList, network: string): void {
  const [address = '', prefixText, ...rest] = network.trim().split('/');
  const family = isIP(address);
  const max = family === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? max : Number(prefixText);
  const validPrefix = prefixText === undefined || /^\d{1,3}$/.test(prefixText);
  if (family === 0 || rest.length > 0 || !validPrefix || prefix > max) throw new InvalidNetworkError(network);
  list.addSubnet(address, prefix, family === 4 ? 'ipv4' : 'ipv6');
}

/** `a.b.c.d/p` embedded in an IPv6 prefix (NAT64 `64:ff9b::/96`, 6to4 `2002::/16`). */
function embedIpv4(network: string, template: (hi: string, lo: string) => string, offset: number): string {
  const [address = '', prefix = '32'] = network.split('/');
  const [a = 0, b = 0, c = 0, d = 0] = address.split('.').map(Number);
  const hi = ((a << 8) | b).toString(16);
  const lo = ((c << 8) | d).toString(16);
  return `${template(hi, lo)}/${offset + Number(prefix)}`;
}

function buildBlockedList(): BlockList {
  const list = new BlockList();
  for (const network of BLOCKED_IPV4_NETWORKS) {
    addNetwork(list, network);
    addNetwork(list, embedIpv4(network, (hi, lo) => `64:ff9b::${hi}:${lo}`, 96));
    addNetwork(list, embedIpv4(network, (hi, lo) => `2002:${hi}:${lo}::`, 16));
  }
  for (const network of BLOCKED_IPV6_NETWORKS) addNetwork(list, network);
  return list;
}

/** @throws InvalidNetworkError for a bad `allowedNetworks` entry. */
export function createAddressPolicy(options: AddressPolicyOptions): AddressPolicy {
  const allowed = new BlockList();
  for (const network of options.allowedNetworks) addNetwork(allowed, network);
  if (!options.blockPrivateNetworks) return { isAllowed: () => true };
  const blocked = buildBlockedList();
  return {
    isAllowed(address: string): boolean {
      const family = isIP(address);
      if (family === 0) return false;
      const type = family === 4 ? 'ipv4' : 'ipv6';
      return allowed.check(address, type) || !blocked.check(address, type);
    },
  };
}
