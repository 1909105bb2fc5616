import { isIP, isIPv4 } from 'node:net';
import { ConfigError } from '@latchkey/auth-nest';

/**
 * Express' `trust proxy` setting: off, every hop (`true`, development only),
 * the number of proxies in front of the server, or the addresses, subnets and
 * names of the proxies that may speak for a client.
 */
export type TrustProxy = boolean | number | readonly string[];

/** The address ranges Express (proxy-addr) knows by name. */
const RANGE_NAMES: readonly string[] = ['loopback', 'linklocal', 'uniquelocal'];

const VARIABLE = 'TRUST_PROXY';

/**
 * Reads TRUST_PROXY: `false`, a hop count, or a comma-separated list of
 * addresses, CIDR subnets (or IPv4 address/netmask) and range names; `true`
 * only outside production. Throws a {@link ConfigError} naming TRUST_PROXY for
 * anything else.
 */
export function parseTrustProxy(raw: string | undefined, isProduction: boolean): TrustProxy {
  if (raw === undefined || raw.toLowerCase() === 'false') return false;
  if (raw.toLowerCase() === 'true') {
    if (isProduction) {
      throw new ConfigError(
        VARIABLE,
        'must not be true when ENV=production: any client could pick its own address (and dodge the per-IP limits); give the proxies in front of the server as a hop count (e.g. 1) or as their addresses (e.g. 10.0.0.5 or 10.0.0.0/8, loopback)',
      );
    }
    return true;
  }
  if (/^\d+$/.test(raw)) {
    const hops = Number(raw);
    if (!Number.isSafeInteger(hops)) throw new ConfigError(VARIABLE, `must be a sensible hop count (got ${raw})`);
    return hops;
  }
  return raw.split(',').map((entry) => trustedEntry(entry.trim()));
}

function trustedEntry(entry: string): string {
  if (!entry) throw new ConfigError(VARIABLE, 'has an empty entry (give a hop count, or addresses, subnets and names separated by commas)');
  const name = entry.toLowerCase();
  if (RANGE_NAMES.includes(name)) return name;
  const slash = entry.indexOf('/');
  const address = slash < 0 ? entry : entry.slice(0, slash);
  const version = isIP(address);
  if (version === 0) {
    throw new ConfigError(VARIABLE, `"${entry}" is neither a hop count, an IP address, a subnet nor one of ${RANGE_NAMES.join(', ')}`);
  }
  if (slash >= 0 && !isValidRange(entry.slice(slash + 1), version)) {
    throw new ConfigError(VARIABLE, `"${entry}" has no valid prefix length (0–${version === 4 ? 32 : 128}${version === 4 ? ', or a netmask' : ''})`);
  }
  return entry;
}

function isValidRange(range: string, version: 4 | 6 | number): boolean {
  if (/^\d{1,3}$/.test(range)) return Number(range) <= (version === 4 ? 32 : 128);
  return version === 4 && isIPv4(range) && isContiguousNetmask(range);
}

/** 255.255.0.0 is a netmask; 255.0.255.0 is not. */
function isContiguousNetmask(mask: string): boolean {
  const bits = mask.split('.').reduce((value, octet) => value * 256 + Number(octet), 0);
  const inverted = 0xffff_ffff - bits;
  return (inverted & (inverted + 1)) === 0;
}
