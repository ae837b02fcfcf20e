import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';
import { NewsdeskError } from '../../domain/errors.js';

/**
 * Feed URLs come from chat users, so a URL must never reach the bot's own network: loopback,
 * RFC 1918, link-local (incl. 169.254.169.254 cloud metadata), CGNAT, multicast, unspecified,
 * IPv6 ULA (incl. fd00:ec2::254), and any of those wrapped in IPv4-mapped / NAT64 / 6to4 / Teredo.
 * Only public unicast passes.
 */
export function isPublicAddress(address: string): boolean {
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    parsed = ipaddr.parse(address.replace(/^\[|\]$/g, '').replace(/%.*$/, ''));
  } catch {
    return false;
  }
  if (parsed.kind() === 'ipv6') {
    const v6 = parsed as ipaddr.IPv6;
    if (v6.isIPv4MappedAddress()) return isPublicAddress(v6.toIPv4Address().toString());
    return v6.range() === 'unicast';
  }
  return (parsed as ipaddr.IPv4).range() === 'unicast';
}

/** Only http and https, with a host; throws `bad_input` otherwise. */
export function parseFeedUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new NewsdeskError('bad_input', `Not a valid URL: ${raw}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new NewsdeskError(
      'bad_input',
      `Only http and https feeds are allowed, not ${url.protocol.replace(/:$/, '')}`,
    );
  }
  if (!url.hostname) throw new NewsdeskError('bad_input', `The URL has no host: ${raw}`);
  return url;
}

export function refusal(host: string, address: string): NewsdeskError {
  return new NewsdeskError('forbidden', `Refused: ${host} points to a private or reserved address (${address})`, {
    host,
    address,
  });
}

/** Checks an IP-literal host up front (Node connects to literals without calling `lookup`). */
export function checkLiteralHost(url: URL, isAllowed: AddressPolicy): void {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host) !== 0 && !isAllowed(host)) throw refusal(url.hostname, host);
}

/** Which resolved addresses may be contacted. */
export type AddressPolicy = (address: string) => boolean;

export function addressPolicy(allowPrivate: boolean): AddressPolicy {
  return allowPrivate ? () => true : isPublicAddress;
}

export type Resolver = (hostname: string) => Promise<LookupAddress[]>;

const systemResolver: Resolver = (hostname) =>
  new Promise((resolve, reject) =>
    dnsLookup(hostname, { all: true, verbatim: true }, (err, addresses) => (err ? reject(err) : resolve(addresses))),
  );

/**
 * A `lookup` for http.request that resolves once, checks every answer, and hands the socket the
 * address it checked. Connecting to exactly that address is what defeats DNS rebinding: there is
 * no second resolution between the check and the connect.
 */
export function createGuardedLookup(options: { isAllowed: AddressPolicy; resolve?: Resolver }): LookupFunction {
  const resolve = options.resolve ?? systemResolver;
  return ((hostname: string, lookupOptions: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    resolve(hostname).then(
      (addresses) => {
        const blocked = addresses.find((entry) => !options.isAllowed(entry.address));
        if (blocked) return callback(refusal(hostname, blocked.address));
        const chosen = addresses[0];
        if (!chosen) return callback(new NewsdeskError('transient', `${hostname} does not resolve`));
        if (lookupOptions?.all) return callback(null, [chosen]);
        return callback(null, chosen.address, chosen.family);
      },
      (err: unknown) => callback(err),
    );
  }) as LookupFunction;
}

/**
 * Up-front check for `/news feeds add`: scheme, then every address the name resolves to. The
 * fetcher checks again on each request (DNS can change), so this is for a quick, clear answer.
 */
export async function assertFetchableUrl(
  raw: string,
  options: { allowPrivate: boolean; resolve?: Resolver },
): Promise<URL> {
  const url = parseFeedUrl(raw);
  if (options.allowPrivate) return url;
  checkLiteralHost(url, isPublicAddress);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host) !== 0) return url;
  let addresses: LookupAddress[];
  try {
    addresses = await (options.resolve ?? systemResolver)(host);
  } catch {
    throw new NewsdeskError('bad_input', `${host} does not resolve`);
  }
  const blocked = addresses.find((entry) => !isPublicAddress(entry.address));
  if (blocked) throw refusal(host, blocked.address);
  return url;
}
