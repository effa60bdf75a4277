/**
 * True when an instance URL's host may be registered: loopback always, other hosts only when listed
 * (exact names or IPs). Keeps the registry from being used to probe arbitrary hosts.
 */
export function isAllowedHost(url: string, allowed: readonly string[]): boolean {
  const host = new URL(url).hostname.toLowerCase().replace(/^\[|\]$/g, '');
  if (host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host)) return true;
  return allowed.includes(host);
}
