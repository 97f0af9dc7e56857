#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { checkTarget } from '../shared/loopback';
import { parseDuration } from '@modelwatch/conventions';
import { FaultClient } from './client';
import { FAULT_KINDS, type FaultKind, type FaultRequest } from './kinds';

const USAGE = `Usage:
  fault <kind> [--model m] [--provider p] [--route r] [--duration 60s] [options]
  fault list
  fault heal <id>

Kinds: ${FAULT_KINDS.join(', ')}

Options:
  --target URL         the demo service (default http://127.0.0.1:$PORT, PORT default 8080)
  --token T            admin token (default: $ADMIN_TOKEN)
  --duration D         heals itself after D (e.g. 90s, 5m; default 60s, max 1h)
  --probability P      share of requests hit, 0..1 (provider faults, http_errors)
  --latency D          latency_spike: added latency (default 4s)
  --delay D            slow_db: added query time (default 250ms)
  --mb-per-second N    memory_leak: growth rate (default 16)
  --max-mb N           memory_leak: bound (default 512)
  --cpu-percent N      cpu_burn: share of one core (default 80)
  --tokens-per-minute N  rate_limit_drain: tokens taken from the budget a minute (default 15000000)
  --allow-remote       allow a non-loopback target`;

/** `npm run fault -- provider_outage --model gpt-4o-mini --duration 2m`: the admin API from a shell. */
export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      target: { type: 'string' },
      token: { type: 'string' },
      model: { type: 'string' },
      provider: { type: 'string' },
      route: { type: 'string' },
      duration: { type: 'string' },
      probability: { type: 'string' },
      latency: { type: 'string' },
      delay: { type: 'string' },
      'mb-per-second': { type: 'string' },
      'max-mb': { type: 'string' },
      'cpu-percent': { type: 'string' },
      'tokens-per-minute': { type: 'string' },
      'allow-remote': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [command, argument] = positionals;
  if (values.help || !command) {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  const token = values.token ?? env.ADMIN_TOKEN;
  if (!token) throw new Error('No admin token: pass --token or set ADMIN_TOKEN (the service must run with the same ADMIN_TOKEN)');
  const serviceUrl = checkTarget(values.target ?? `http://127.0.0.1:${env.PORT ?? 8080}`, values['allow-remote']);
  const client = new FaultClient(serviceUrl, token);

  if (command === 'list') {
    console.log(JSON.stringify(await client.list(), null, 2));
    return 0;
  }
  if (command === 'heal') {
    if (!argument) throw new Error('heal needs a fault id (see `fault list`)');
    await client.heal(argument);
    console.log(`healed ${argument}`);
    return 0;
  }
  if (!(FAULT_KINDS as readonly string[]).includes(command)) throw new Error(`Unknown fault kind ${JSON.stringify(command)}\n\n${USAGE}`);

  const request: FaultRequest = { kind: command as FaultKind };
  const target = Object.fromEntries(Object.entries({ provider: values.provider, model: values.model, route: values.route }).filter(([, value]) => value !== undefined));
  if (Object.keys(target).length > 0) request.target = target;
  if (values.duration) request.durationSeconds = parseDuration(values.duration) / 1000;
  if (values.probability) request.probability = Number(values.probability);
  if (values.latency) request.latencyMs = parseDuration(values.latency.replace(/^(\d+(?:\.\d+)?)$/, '$1ms'));
  if (values.delay) request.delayMs = parseDuration(values.delay.replace(/^(\d+(?:\.\d+)?)$/, '$1ms'));
  if (values['mb-per-second']) request.mbPerSecond = Number(values['mb-per-second']);
  if (values['max-mb']) request.maxMb = Number(values['max-mb']);
  if (values['cpu-percent']) request.cpuPercent = Number(values['cpu-percent']);
  if (values['tokens-per-minute']) request.tokensPerMinute = Number(values['tokens-per-minute']);

  const fault = await client.inject(request);
  console.log(`injected ${fault.kind} ${fault.id} until ${fault.endsAt} (heal early: fault heal ${fault.id})`);
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : String(error));
      process.exit(1);
    },
  );
}
