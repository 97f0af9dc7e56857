import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { Instruments } from '../instruments';
import type { TraceSource } from '../trace/active-trace';
import { RequestObserver } from './request-observer';
import { parseExposition, seriesOf, valueOf, type Sample } from '../test-support/exposition';

const DURATION = 'http_server_request_duration_seconds';
const ACTIVE = 'http_server_active_requests';

/** A response as the observer sees it: events, a status code and whether it finished writing. */
class FakeResponse extends EventEmitter {
  statusCode = 200;
  writableFinished = false;
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
    { events: "'finish' from an injected response that never sets writableFinished", emit: ['finish'], writableFinished: false, status: '201' },
    { events: "'finish' then 'close' from a real socket", emit: ['finish', 'close'], writableFinished: true, status: '201' },
    { events: "'close' after the response was fully written", emit: ['close'], writableFinished: true, status: '201' },
    { events: "'close' before the response finished (client abort)", emit: ['close', 'finish'], writableFinished: false, status: '499' },
  ])('records $events once, with status $status', async ({ emit, writableFinished, status }) => {
    const { observe, samples } = setup();
    const response = observe('POST', () => '/jobs');
    response.statusCode = 201;
    response.writableFinished = writableFinished;
    for (const event of emit) response.emit(event);

    const all = await samples();
    expect(seriesOf(all, DURATION)).toEqual([{ http_request_method: 'POST', http_route: '/jobs', http_response_status_code: status }]);
    expect(valueOf(all, `${DURATION}_count`)).toBe(1);
    expect(valueOf(all, ACTIVE)).toBe(0);
  });

  it('counts a request as active from observe() until it ends', async () => {
    const { observe, samples } = setup();
    const first = observe('GET', () => '/a');
    observe('GET', () => '/b');
    expect(valueOf(await samples(), ACTIVE)).toBe(2);

    first.emit('close');
    first.emit('close');
    expect(valueOf(await samples(), ACTIVE)).toBe(1);
  });

  it('records a response observed twice (two adapters stacked) twice, and ends both', async () => {
    const instruments = new Instruments();
    const observer = new RequestObserver(instruments, () => undefined);
    const response = new FakeResponse();
    observer.observe({ method: 'GET' } as IncomingMessage, response as unknown as ServerResponse, () => '/outer');
    observer.observe({ method: 'GET' } as IncomingMessage, response as unknown as ServerResponse, () => '/inner');
    response.emit('finish');
    response.emit('close');

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
    observe(method, route).emit('finish');

    expect(seriesOf(await samples(), DURATION)).toEqual([{ http_request_method: labels[0], http_route: labels[1], http_response_status_code: '200' }]);
  });

  it('asks for the route only when the request ends (routers match late)', async () => {
    const { observe, samples } = setup();
    const router = { matched: undefined as string | undefined };
    const response = observe('GET', () => router.matched);
    router.matched = '/late/:id';
    response.emit('finish');

    expect(seriesOf(await samples(), DURATION)).toEqual([{ http_request_method: 'GET', http_route: '/late/:id', http_response_status_code: '200' }]);
  });

  it('never throws into the app: a throwing route callback is counted and the active gauge still drops', async () => {
    const { observe, samples } = setup();
    const response = observe('GET', () => {
      throw new Error('route lookup failed');
    });
    expect(() => response.emit('finish')).not.toThrow();

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
    response.emit('finish');

    const all = await samples();
    expect(valueOf(all, ACTIVE)).toBe(0);
    expect(seriesOf(all, DURATION)).toEqual([]);
    expect(valueOf(all, 'modelwatch_instrumentation_errors_total', { reason: 'internal' })).toBe(1);
  });
});
