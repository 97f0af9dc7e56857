import winston from 'winston';
import { describe, expect, it } from 'vitest';
import { capture } from './__fixtures__/capture';
import { createLogger, type CreateLoggerOptions } from './create-logger';
import { redact } from './formats';
import { Redactor } from './redaction';

async function logged(log: (logger: winston.Logger) => void, options: CreateLoggerOptions = {}): Promise<{ raw: string; entries: Record<string, unknown>[] }> {
  const out = capture();
  log(createLogger({ ...options, transports: out.transport, level: 'info', service: 'svc' }));
  await out.flush();
  return { raw: out.lines.join('\n'), entries: out.entries() };
}

/** Each secret shape, the text around it, and what of that text must survive. */
const SECRETS = [
  { name: 'an OpenAI key', text: 'key is sk-abcdefghijklmnopqrstuvwxyz0123456789ABCD ok', secret: 'abcdefghijklmnop', kept: 'key is [REDACTED] ok' },
  { name: 'an OpenAI project key', text: 'OPENAI_API_KEY=sk-proj-Ab12Cd34Ef56_Gh78-Ij90Kl12Mn34Op56', secret: 'Ab12Cd34', kept: 'OPENAI_API_KEY=[REDACTED]' },
  { name: 'an Anthropic key', text: 'using sk-ant-api03-Zy98Xw76Vu54Ts32Rq10-PoNmLk_JiHgFeDcBa0123AA for claude', secret: 'Zy98Xw76', kept: 'for claude' },
  { name: 'a Google API key', text: 'gemini key AIzaSyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q in use', secret: 'SyA1b2C3', kept: 'gemini key [REDACTED] in use' },
  { name: 'a Bearer token', text: 'sent Bearer eyAbc.def-123_456/+== to upstream', secret: 'eyAbc', kept: 'sent Bearer [REDACTED] to upstream' },
  { name: 'an Authorization header line', text: 'GET /v1\r\nAuthorization: Basic dXNlcjpwYXNz\r\nAccept: */*', secret: 'dXNlcjpwYXNz', kept: 'Authorization: [REDACTED]\r\nAccept: */*' },
  { name: 'an x-api-key header line', text: 'x-api-key: k-7f3a9c\nhost: api.anthropic.com', secret: 'k-7f3a9c', kept: 'host: api.anthropic.com' },
  { name: 'an api_key in a URL query', text: 'GET https://api.example.com/v1/models?api_key=k3y-value-1&limit=5', secret: 'k3y-value-1', kept: '?api_key=[REDACTED]&limit=5' },
  { name: 'a generic key in a URL query', text: 'https://generativelanguage.googleapis.com/v1/models?alt=sse&key=plainvalue123', secret: 'plainvalue123', kept: '?alt=sse&key=[REDACTED]' },
  { name: 'an access_token in a URL query', text: '/callback?access_token=tok_abc123#frag', secret: 'tok_abc123', kept: '?access_token=[REDACTED]#frag' },
  { name: 'a password assignment', text: 'connect failed password=hunter2 retrying', secret: 'hunter2', kept: 'password=[REDACTED] retrying' },
  { name: 'URL credentials', text: 'db at postgres://app:s3cr3tpw@db.internal:5432/app', secret: 's3cr3tpw', kept: 'postgres://app:[REDACTED]@db.internal:5432/app' },
  { name: 'a JSON body with an api_key', text: 'upstream said {"api_key":"abc123xyz","model":"gpt-4o"}', secret: 'abc123xyz', kept: '"api_key":"[REDACTED]","model":"gpt-4o"' },
  { name: 'a Stripe secret key', text: 'charge with sk_live_51HxAbCdEfGhIjKlMnOp failed', secret: '51HxAbCdEf', kept: 'charge with [REDACTED] failed' },
  { name: 'a Stripe restricted key', text: 'rk_test_4eC39HqLyjWDarjtT1zdp7dc in use', secret: '4eC39HqLyj', kept: '[REDACTED] in use' },
  { name: 'a Stripe webhook secret', text: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw rotated', secret: 'MfKQ9r8GKY', kept: '[REDACTED] rotated' },
  { name: 'a GitHub token', text: 'clone with ghp_16C7e42F292c6912E7710c838347Ae178B4a done', secret: '16C7e42F292c', kept: 'clone with [REDACTED] done' },
  { name: 'a GitHub fine-grained token', text: 'github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz', secret: '11ABCDEFG01', kept: '[REDACTED]' },
  { name: 'a Slack bot token', text: 'posting as xoxb-123456789012-1234567890123-AbCdEfGhIjKl now', secret: '123456789012', kept: 'posting as [REDACTED] now' },
  { name: 'an AWS access key id', text: 'signed by AKIAIOSFODNN7EXAMPLE today', secret: 'IOSFODNN7', kept: 'signed by [REDACTED] today' },
  { name: 'an AWS secret access key in JSON', text: '{"SecretAccessKey":"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}', secret: 'wJalrXUtnFEMI', kept: '"SecretAccessKey":"[REDACTED]"' },
  { name: 'an AWS secret access key in an env line', text: 'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', secret: 'wJalrXUtnFEMI', kept: 'aws_secret_access_key = [REDACTED]' },
  {
    name: 'a JWT',
    text: 'session eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U expired',
    secret: 'dozjgNryP4J3',
    kept: 'session [REDACTED] expired',
  },
] as const;

/** Where in an entry the secret-bearing text is put. */
const PLACES = [
  { place: 'the message', log: (l: winston.Logger, text: string) => l.info(text) },
  { place: 'a nested meta field', log: (l: winston.Logger, text: string) => l.info('call', { request: { detail: { note: text } } }) },
  { place: 'an array', log: (l: winston.Logger, text: string) => l.info('batch', { notes: ['first', { text }, [text]] }) },
  { place: "a logged Error's message and stack", log: (l: winston.Logger, text: string) => l.error(new Error(text)) },
  { place: 'an Error nested in meta', log: (l: winston.Logger, text: string) => l.warn('upstream failed', { error: new Error(text, { cause: new Error(text) }) }) },
  { place: 'a printf argument', log: (l: winston.Logger, text: string) => l.info('got %s', text) },
] as const;

describe('secrets in strings are masked', () => {
  describe.each(PLACES)('in $place', ({ log }) => {
    it.each(SECRETS)('$name', async ({ text, secret, kept }) => {
      const { raw, entries } = await logged((l) => log(l, text));
      expect(entries).toHaveLength(1);
      expect(raw).not.toContain(secret);
      expect(raw).toContain('[REDACTED]');
      expect(JSON.stringify(entries[0])).toContain(JSON.stringify(kept).slice(1, -1));
    });
  });

  it('masks the stack too, not only the message of a logged Error', async () => {
    const { entries } = await logged((l) => l.error(new Error('boom with sk-abcdefghijklmnopqrstuvwxyz')));
    expect(entries[0]!.message).toBe('boom with [REDACTED]');
    expect(entries[0]!.stack).toMatch(/^Error: boom with \[REDACTED\]\n\s+at /);
  });

  it.each([
    'the bearer of bad news',
    'Bearer tokens expire hourly',
    'bearer authentication is required',
    'risk_live_assessment finished',
    'ASIAN markets opened; desk_test_results pending',
    'the ghp_ prefix marks GitHub tokens',
    'sketch-artist task-runner is done',
  ])('leaves words that only look like secrets alone: %s', async (text) => {
    const { entries } = await logged((l) => l.info(text));
    expect(entries[0]!.message).toBe(text);
  });

  it('leaves ordinary text alone', async () => {
    const text = 'task-runner finished: 3 items, skipped=0, see https://example.com/docs?page=2 (tokens: 1200)';
    const { entries } = await logged((l) => l.info(text, { path: '/users/42', note: 'Bearer-less request' }));
    expect(entries[0]).toMatchObject({ message: text, path: '/users/42', note: 'Bearer-less request' });
  });
});

describe('personal data, when asked for', () => {
  const pii = (kinds: CreateLoggerOptions['redact']) => ({ redact: kinds });

  it.each([
    ['an email address', 'reply to jane.doe+billing@example.co.uk today', 'reply to [REDACTED] today'],
    ['a card number in groups', 'card 4111 1111 1111 1111 declined', 'card [REDACTED] declined'],
    ['a card number with dashes', 'card 5500-0000-0000-0004 declined', 'card [REDACTED] declined'],
    ['a card number in one run', 'pan=378282246310005;', 'pan=[REDACTED];'],
    ['an international phone number', 'call +44 20 7946 0958 back', 'call [REDACTED] back'],
    ['an E.164 phone number', 'sms to +14155552671 sent', 'sms to [REDACTED] sent'],
    ['a North American phone number', 'call (555) 123-4567 or 555.123.4567', 'call [REDACTED] or [REDACTED]'],
  ])('masks %s', async (_, text, masked) => {
    const { entries } = await logged((l) => l.info(text, { nested: { text } }), pii({ pii: true }));
    expect(entries[0]).toMatchObject({ message: masked, nested: { text: masked } });
  });

  it.each([
    ['a 16-digit number failing the Luhn check', 'order 4111 1111 1111 1112 shipped'],
    ['a date', 'due 2024-01-15, paid 15.01.2024'],
    ['an IP address and a version', 'from 192.168.100.200 running 1.22.333'],
    ['a bare run of digits', 'trace 14155552671 took 1200 ms'],
    ['an at-sign without a domain', 'ping @oncall or user@localhost'],
  ])('leaves %s alone', async (_, text) => {
    const { entries } = await logged((l) => l.info(text), pii({ pii: true }));
    expect(entries[0]!.message).toBe(text);
  });

  it('is off by default, and can be asked for by kind', async () => {
    const text = 'jane@example.com paid with 4111111111111111 from +14155552671';
    expect((await logged((l) => l.info(text))).entries[0]!.message).toBe(text);
    expect((await logged((l) => l.info(text), pii({ pii: ['email'] }))).entries[0]!.message).toBe('[REDACTED] paid with 4111111111111111 from +14155552671');
    expect((await logged((l) => l.info(text), pii({ pii: ['card', 'phone'] }))).entries[0]!.message).toBe('jane@example.com paid with [REDACTED] from [REDACTED]');
  });

  it('rejects an unknown kind, naming it', () => {
    expect(() => redact({ pii: ['ssn' as never] })).toThrow('redact: option "pii[0]" must be "email" or "card" or "phone", got the string "ssn"');
  });
});

describe('fields are masked by name', () => {
  it.each([
    { name: 'an Authorization header', meta: { headers: { Authorization: 'Bearer abc' } }, expected: { headers: { Authorization: '[REDACTED]' } } },
    { name: 'a cookie and set-cookie', meta: { headers: { cookie: 'sid=1', 'Set-Cookie': ['sid=2; HttpOnly'] } }, expected: { headers: { cookie: '[REDACTED]', 'Set-Cookie': '[REDACTED]' } } },
    { name: 'API key headers and fields', meta: { 'X-API-Key': 'k1', 'api-key': 'k2', apiKey: 'k3', api_key: 'k4', OPENAI_API_KEY: 'k5' }, expected: { 'X-API-Key': '[REDACTED]', 'api-key': '[REDACTED]', apiKey: '[REDACTED]', api_key: '[REDACTED]', OPENAI_API_KEY: '[REDACTED]' } },
    { name: 'passwords, secrets and tokens at any depth', meta: { db: { PASSWORD: 'p', client_secret: 's', auth: { access_token: 't', refreshToken: 'r' } } }, expected: { db: { PASSWORD: '[REDACTED]', client_secret: '[REDACTED]', auth: { access_token: '[REDACTED]', refreshToken: '[REDACTED]' } } } },
    { name: 'a secret holding an object', meta: { secret: { nested: 1 } }, expected: { secret: '[REDACTED]' } },
    { name: 'fields in an array of objects', meta: { users: [{ name: 'a', password: 'x' }, { name: 'b', password: 'y' }] }, expected: { users: [{ name: 'a', password: '[REDACTED]' }, { name: 'b', password: '[REDACTED]' }] } },
    { name: 'token counts and look-alikes kept', meta: { tokens_input: 5, max_tokens: 10, keyboard: 'us', author: 'ada', password_policy_version: 2 }, expected: { tokens_input: 5, max_tokens: 10, keyboard: 'us', author: 'ada', password_policy_version: 2 } },
    { name: 'empty values kept as they are', meta: { token: null, password: undefined }, expected: { token: null } },
  ])('$name', async ({ meta, expected }) => {
    const { entries } = await logged((l) => l.info('fields', meta));
    const { timestamp: _t, level: _l, message: _m, service: _s, ...fields } = entries[0]!;
    expect(fields).toEqual(expected);
  });

  it('masks configured fields and patterns as well', async () => {
    const { entries } = await logged((l) => l.info('customer 4111-1111-1111-1111', { customer: { ssn: '078-05-1120', customer_ssn: '1', name: 'ada' } }), {
      redact: { fields: ['ssn'], patterns: [/\b(?:\d{4}-){3}\d{4}\b/] },
    });
    expect(entries[0]).toMatchObject({ message: 'customer [REDACTED]', customer: { ssn: '[REDACTED]', customer_ssn: '[REDACTED]', name: 'ada' } });
  });

  it('masks configured field names inside strings', async () => {
    const { entries } = await logged((l) => l.info('lookup?ssn=078-05-1120&x=1 and session-id: abc'), { redact: { fields: ['ssn', 'session_id'] } });
    expect(entries[0]!.message).toBe('lookup?ssn=[REDACTED]&x=1 and session-id: [REDACTED]');
  });
});

describe('the caller’s objects', () => {
  it('are never changed, though what is logged is masked', async () => {
    const error = new Error('failed with sk-abcdefghijklmnopqrstuvwxyz');
    const meta = {
      headers: { Authorization: 'Bearer abc', accept: 'json' },
      list: ['sk-abcdefghijklmnopqrstuvwxyz', { password: 'p' }],
      error,
      url: new URL('https://api.example.com/v1?api_key=abc123'),
    };
    const snapshot = structuredClone({ ...meta, error: undefined, url: meta.url.href });
    const { raw } = await logged((l) => l.info('request', meta));

    expect(raw).not.toContain('abc123');
    expect(raw).not.toContain('abcdefghijklmnop');
    expect({ ...meta, error: undefined, url: meta.url.href }).toEqual(snapshot);
    expect(error.message).toBe('failed with sk-abcdefghijklmnopqrstuvwxyz');
    expect(Object.keys(error)).toEqual([]);
  });

  it('are returned as they are when nothing needs masking', () => {
    const info = { level: 'info', message: 'plain', meta: { a: [1, 2, { b: 'c' }] } };
    expect(redact().transform(info, {})).toBe(info);
  });
});

describe('bounds', () => {
  it('logs a cyclic object once, the cycle marked', async () => {
    const node: Record<string, unknown> = { name: 'root', secret: 'x' };
    node.self = node;
    const list: unknown[] = ['a'];
    list.push(list);
    const { entries } = await logged((l) => l.info('cyclic', { node, list }));
    expect(entries[0]).toMatchObject({ node: { name: 'root', secret: '[REDACTED]', self: '[Circular]' }, list: ['a', '[Circular]'] });
  });

  it('cuts a 10 MB string, keeping its start', async () => {
    const huge = 'data '.repeat(2 * 1024 * 1024);
    const { raw, entries } = await logged((l) => l.info(huge, { body: huge }));
    expect(raw.length).toBeLessThan(40_000);
    expect(entries[0]!.message).toMatch(/^(data ){100}.*…\[Truncated\]$/s);
    expect((entries[0]!.body as string).length).toBeLessThanOrEqual(16_384 + '…[Truncated]'.length);
  });

  it('drops a short run of key characters at the cut, which could be a secret’s prefix', () => {
    const redactor = new Redactor({ maxStringLength: 100 });
    const text = `${'x '.repeat(45)}sk-abcdefghijklmnopqrstuvwxyz`;
    expect(redactor.string(text)).toBe(`${'x '.repeat(45)}…[Truncated]`);
  });

  it('replaces what lies deeper than 10 levels in a 10,000-deep object', async () => {
    const root: Record<string, unknown> = {};
    let node = root;
    for (let i = 0; i < 10_000; i++) node = node.child = {};
    const { raw, entries } = await logged((l) => l.info('deep', { root }));
    expect(raw.length).toBeLessThan(500);
    let level = entries[0]!.root as Record<string, unknown>;
    let depth = 1;
    while (typeof level.child === 'object') {
      level = level.child as Record<string, unknown>;
      depth++;
    }
    expect(level.child).toBe('[Truncated]');
    expect(depth).toBe(10);
  });

  it('stops after 10,000 values in a huge array or object', async () => {
    const array = Array.from({ length: 1_000_000 }, (_, i) => i);
    const wide = Object.fromEntries(Array.from({ length: 50_000 }, (_, i) => [`k${i}`, i]));
    const { raw, entries } = await logged((l) => {
      l.info('long', { array });
      l.info('wide', { wide });
    });
    const long = entries[0]!.array as unknown[];
    expect(long.slice(0, 3)).toEqual([0, 1, 2]);
    expect(long.at(-1)).toBe('[Truncated]');
    expect(long.length).toBeLessThanOrEqual(10_001);
    const kept = entries[1]!.wide as Record<string, unknown>;
    expect(kept).toMatchObject({ k0: 0, k1: 1, _truncated: '[Truncated]' });
    expect(Object.keys(kept).length).toBeLessThanOrEqual(10_001);
    expect(raw.length).toBeLessThan(300_000);
    expect(array).toHaveLength(1_000_000);
  });

  it('writes a large Buffer as [Truncated] and a small one as JSON does', async () => {
    const { entries } = await logged((l) => l.info('bytes', { big: Buffer.alloc(10 * 1024 * 1024), small: Buffer.from('hi') }));
    expect(entries[0]).toMatchObject({ big: '[Truncated]', small: { type: 'Buffer', data: [104, 105] } });
  });

  it('keeps the string total of one entry under maxTotalLength', () => {
    const redactor = new Redactor({ maxStringLength: 1000, maxTotalLength: 3000 });
    const out = redactor.value(Array.from({ length: 10 }, () => 'y'.repeat(1000))) as string[];
    expect(out.filter((s) => s === '[Truncated]')).toHaveLength(7);
  });

  it('rejects invalid bounds at construction, naming the value', () => {
    expect(() => redact({ maxDepth: 0 })).toThrow('redact: option "maxDepth" must be a positive integer, got number 0');
    expect(() => new Redactor({ maxNodes: 1.5 })).toThrow('redact: option "maxNodes" must be a positive integer, got number 1.5');
  });
});

describe('failures', () => {
  it('writes an unreadable field as [Unreadable]', async () => {
    const nested = {
      get broken(): string {
        throw new Error('getter failed');
      },
      fine: 1,
    };
    const { entries } = await logged((l) => l.info('getter', { nested }));
    expect(entries[0]!.nested).toEqual({ broken: '[Unreadable]', fine: 1 });
  });

  it('writes a minimal masked entry with log_error when the entry cannot be read at all', () => {
    const hostile = new Proxy({ level: 'warn', message: 'key sk-abcdefghijklmnopqrstuvwxyz', timestamp: 't', secret: 'x' } as Record<string | symbol, unknown>, {
      ownKeys() {
        throw new Error('no keys');
      },
    });
    const out = redact().transform(hostile as winston.Logform.TransformableInfo, {});
    expect(out).toEqual({ level: 'warn', message: 'key [REDACTED]', timestamp: 't', log_error: 'redact: no keys', [Symbol.for('level')]: 'warn' });
  });

  it('still writes the line when the logged object itself cannot be copied', async () => {
    const hostile = new Proxy({ message: 'hostile' } as Record<string | symbol, unknown>, {
      ownKeys() {
        throw new Error('no keys');
      },
    });
    const { entries } = await logged((l) => l.info(hostile));
    expect(entries[0]).toMatchObject({ level: 'info', message: '[Unreadable]', log_error: 'entry: no keys' });
  });

  it('writes a minimal line when json() cannot serialise the entry', async () => {
    let reads = 0;
    const flaky = {
      get value(): number {
        if (++reads > 1) throw new Error('second read');
        return 1;
      },
    };
    const { entries } = await logged((l) => l.info('flaky', { flaky }));
    expect(entries[0]).toMatchObject({ level: 'info', message: '[Unreadable]', log_error: 'json: second read' });
  });

  it('masks the formatted line when placed after json()', async () => {
    const out = capture();
    const logger = winston.createLogger({ format: winston.format.combine(winston.format.json(), redact()), transports: [out.transport] });
    logger.info('late', { header: 'Authorization: Bearer abc' });
    await out.flush();
    expect(out.lines[0]).toBe('{"header":"Authorization: [REDACTED]","level":"info","message":"late"}');
  });
});
