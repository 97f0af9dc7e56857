import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { Instruments } from '../instruments';
import type { TraceSource } from '../tracing/active-trace';
import { RequestObserver } from './request-observer';
import { parseExposition, seriesOf, valueOf, type Sample } from '@modelwatch/testkit';

const DURATION = 'http_server_request_duration_seconds';
const ACTIVE = 'http_server_active_requests';

/** A response as the observer sees it: events, a status code and whether `end()` was called. */
class FakeResponse extends EventEmitter {
  statusCode = 200;
  writableEnded = false;

  /** What Node does when the response is complete: 'finish', then 'close'. */
  complete(): void {
    this.writableEnded = true;
    this.emit('finish');
    this.emit('close');
  }
}

function setup(traceSource: TraceSource = () => undefined) {
  const instruments = new Instruments();
  const observer = new RequestObserver(instruments, traceSource);
  const observe = (method: string, route: () => string | undefined) => {
    const response = new FakeResponse();
    observer.observe({ method } as IncomingMessage, response as unknown as ServerResponse, route);
    return response;
  };
  const samples = async (): Promise<Sample[]> => parseExposition(await instruments.registry.text('text')).samples;
  return { observe, samples };
}

describe('RequestObserver', () => {
  it.each([
    { case: "'close' after end(), whether or not the last bytes reached the client", ended: true, status: '201' },
    { case: "'close' before end(): the client went away first", ended: false, status: '499' },
  ])('records $case once, with status $status', async ({ ended, status }) => {
    const { observe, samples } = setup();
    const response = observe('POST', () => '/jobs');
    response.statusCode = 201;
    response.writableEnded = ended;
    response.emit('close');
    // Events after the first 'close' (a response ended after its client left, a second 'close') change nothing.
    response.complete();

    const all = await samples();
    expect(seriesOf(all, DURATION)).toEqual([{ http_request_method: 'POST', http_route: '/jobs', http_response_status_code: status }]);
    expect(valueOf(all, `${DURATION}_count`)).toBe(1);
    expect(valueOf(all, ACTIVE)).toBe(0);
  });

  it("waits for 'close': a response that has only emitted 'finish' is still in flight", async () => {
    const { observe, samples } = setup();
    const response = observe('GET', () => '/a');
    response.writableEnded = true;
    response.emit('finish');
    expect(valueOf(await samples(), ACTIVE)).toBe(1);

    response.emit('close');
    const all = await samples();
    expect(valueOf(all, ACTIVE)).toBe(0);
    expect(valueOf(all, `${DURATION}_count`)).toBe(1);
  });

  it('counts a request as active from observe() until it ends', async () => {
    const { observe, samples } = setup();
    const first = observe('GET', () => '/a');
    observe('GET', () => '/b');
    expect(valueOf(await samples(), ACTIVE)).toBe(2);

    first.complete();
    expect(valueOf(await samples(), ACTIVE)).toBe(1);
  });

  it('records a response observed twice (two adapters stacked) twice, and ends both', async () => {
    const instruments = new Instruments();
    const observer = new RequestObserver(instruments, () => undefined);
    const response = new FakeResponse();
    observer.observe({ method: 'GET' } as IncomingMessage, response as unknown as ServerResponse, () => '/outer');
    observer.observe({ method: 'GET' } as IncomingMessage, response as unknown as ServerResponse, () => '/inner');
    response.complete();

    const all = parseExposition(await instruments.registry.text('text')).samples;
    expect(valueOf(all, ACTIVE)).toBe(0);
    expect(valueOf(all, `${DURATION}_count`, { http_route: '/outer' })).toBe(1);
    expect(valueOf(all, `${DURATION}_count`, { http_route: '/inner' })).toBe(1);
  });

  it.each([
    { case: 'a method outside the OTel list', method: 'PURGE', route: () => '/x', labels: ['_OTHER', '/x'] },
    { case: 'a lower-case method', method: 'get', route: () => '/x', labels: ['_OTHER', '/x'] },
    { case: 'no route', method: 'GET', route: () => undefined, labels: ['GET', '_unmatched'] },
    { case: 'an empty route', method: 'GET', route: () => '', labels: ['GET', '_unmatched'] },
  ])('labels $case as method $labels.0, route $labels.1', async ({ method, route, labels }) => {
    const { observe, samples } = setup();
    observe(method, route).complete();

    expect(seriesOf(await samples(), DURATION)).toEqual([{ http_request_method: labels[0], http_route: labels[1], http_response_status_code: '200' }]);
  });

  it('asks for the route only when the request ends (routers match late)', async () => {
    const { observe, samples } = setup();
    const router = { matched: undefined as string | undefined };
    const response = observe('GET', () => router.matched);
    router.matched = '/late/:id';
    response.complete();

    expect(seriesOf(await samples(), DURATION)).toEqual([{ http_request_method: 'GET', http_route: '/late/:id', http_response_status_code: '200' }]);
  });

  it('never throws into the app: a throwing route callback is counted and the active gauge still drops', async () => {
    const { observe, samples } = setup();
    const response = observe('GET', () => {
      throw new Error('route lookup failed');
    });
    expect(() => response.complete()).not.toThrow();

    const all = await samples();
    expect(valueOf(all, ACTIVE)).toBe(0);
    expect(seriesOf(all, DURATION)).toEqual([]);
    expect(valueOf(all, 'modelwatch_instrumentation_errors_total', { reason: 'internal' })).toBe(1);
  });

  it('never throws into the app: a throwing trace source skips the request and is counted', async () => {
    const { observe, samples } = setup(() => {
      throw new Error('no tracer');
    });
    const response = observe('GET', () => '/x');
    response.complete();

    const all = await samples();
    expect(valueOf(all, ACTIVE)).toBe(0);
    expect(seriesOf(all, DURATION)).toEqual([]);
    expect(valueOf(all, 'modelwatch_instrumentation_errors_total', { reason: 'internal' })).toBe(1);
  });
});
