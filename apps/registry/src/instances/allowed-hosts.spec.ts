import { isAllowedHost } from './allowed-hosts';

describe(isAllowedHost.name, () => {
  it.each([
    'http://127.0.0.1:1',
    'http://127.8.9.10',
    'http://localhost:5',
    'http://[::1]:80',
    'http://2130706433',
  ])('allows loopback %s', (url) => expect(isAllowedHost(url, [])).toBe(true));

  it.each([
    'http://10.0.0.1',
    'http://169.254.169.254',
    'http://example.com',
    'http://127.0.0.1.nip.io',
    'http://0.0.0.0',
  ])('refuses %s unless listed', (url) => expect(isAllowedHost(url, [])).toBe(false));

  it('allows a listed host, exactly', () => {
    expect(isAllowedHost('http://app.internal:80', ['app.internal'])).toBe(true);
    expect(isAllowedHost('http://app.internal.evil:80', ['app.internal'])).toBe(false);
  });
});
