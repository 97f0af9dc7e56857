import { describe, expect, it } from 'vitest';
import { checkTarget, isLoopbackUrl } from './loopback';

describe('isLoopbackUrl', () => {
  it.each([
    ['http://127.0.0.1:8080', true],
    ['http://127.45.6.7', true],
    ['http://localhost:8080', true],
    ['http://api.localhost', true],
    ['http://[::1]:8080', true],
    ['http://10.0.0.1', false],
    ['http://192.168.1.10', false],
    ['http://172.16.0.1', false],
    ['http://8.8.8.8', false],
    ['http://example.com', false],
    ['http://127.0.0.1.example.com', false],
    ['http://[::ffff:7f00:1]', true],
    ['http://[2001:db8::1]', false],
  ])('%s → %s', (url, loopback) => {
    expect(isLoopbackUrl(new URL(url))).toBe(loopback);
  });
});

describe('checkTarget', () => {
  it('refuses a non-loopback target and names the override', () => {
    expect(() => checkTarget('http://10.1.2.3:8080')).toThrow(/Refusing non-loopback target 10\.1\.2\.3:8080.*--allow-remote/);
  });

  it('accepts a remote target only with allowRemote', () => {
    expect(checkTarget('http://10.1.2.3:8080', true).host).toBe('10.1.2.3:8080');
  });

  it('refuses other protocols and garbage', () => {
    expect(() => checkTarget('ftp://127.0.0.1')).toThrow(/http\(s\)/);
    expect(() => checkTarget('not a url')).toThrow(/Invalid target URL/);
  });
});
