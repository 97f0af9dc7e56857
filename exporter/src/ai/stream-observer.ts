/**
 * The one place a streamed AI call ends, exactly once, at the first of:
 * - the stream ends → success with the usage its items carried (or the failure
 *   an item reported, OpenAI's `response.failed`);
 * - the application stops early (`break`, `return()`, a reader's `cancel()`)
 *   → success with the usage seen so far;
 * - reading fails, or an item is an error (the AI SDK's `error` part) → failure;
 * - the request's `AbortSignal` aborts → `canceled`, whether or not the stream
 *   was being read (while a read is in flight, that read reports how it ended).
 * A stream never read and never aborted is not recorded. Nothing is kept once
 * the call has ended: the abort listener is removed, and no timer is started.
 *
 * Thin adapters put it on what the application iterates: an async iterator
 * ({@link observeIterator}: the generic wrapper and the SDKs' `Stream`) and a
 * `ReadableStream` ({@link observeReadableStream}: the Vercel AI SDK).
 */
import type { AiCallHandle } from './call-types';

/** Reads the items of one stream as the application iterates it. */
export interface StreamReader {
  /** Takes one item: `true` when it carries output (marks the time to first chunk), `'failed'` when it reports the call failed (then {@link failure} tells why). */
  read(item: unknown): boolean | 'failed';
  /** The usage the items carried so far; undefined when none. */
  usage(): unknown;
  /** The error of a failed call: checked on a `'failed'` item, and when the stream ends normally. */
  failure?(): unknown;
}

export interface StreamObserverOptions {
  /** Ends the call as canceled when it aborts. */
  signal?: AbortSignal;
  /** Hands each item to the call (its span); `handle.readResponse` by default. */
  see?: (item: unknown) => void;
  /** Counts a failure inside Modelwatch; reading an item never throws into the application. */
  onInternalError?: () => void;
}

/** One streamed call: the adapters report to it. */
export interface StreamObserver {
  item(value: unknown): void;
  /** The stream ended (or was aborted while being read, which the SDKs end quietly). */
  done(): void;
  /** The application stopped early. */
  stopped(): void;
  failed(error: unknown): void;
  /** Brackets a read: an abort meanwhile is left to the read to report. */
  reading(active: boolean): void;
}

export function observeStreamCall(handle: AiCallHandle, reader: StreamReader, options: StreamObserverOptions = {}): StreamObserver {
  const { signal, onInternalError } = options;
  const see = options.see ?? ((item: unknown) => handle.readResponse(item));
  let ended = false;
  let sawOutput = false;
  let reads = 0;
  // Does not close over the stream: the signal (which a long-lived application signal may keep) must not keep an unread stream.
  const onAbort = () => {
    if (reads === 0) cancel();
  };
  const finish = (record: () => void) => {
    if (ended) return;
    ended = true;
    signal?.removeEventListener('abort', onAbort);
    record();
  };
  const cancel = () => finish(() => handle.fail(abortReason(signal)));
  const fail = (error: unknown) => finish(() => handle.fail(error));
  const succeed = () =>
    finish(() => {
      let usage: unknown;
      let failure: unknown;
      try {
        usage = reader.usage();
        failure = reader.failure?.();
      } catch {
        onInternalError?.();
      }
      if (failure === undefined) handle.end(usage);
      else handle.fail(failure);
    });

  if (signal?.aborted) cancel();
  else signal?.addEventListener('abort', onAbort, { once: true });

  return {
    item(value) {
      if (ended) return;
      try {
        see(value);
        const read = reader.read(value);
        if (read === 'failed') fail(reader.failure?.());
        else if (read && !sawOutput) {
          sawOutput = true;
          handle.firstChunk();
        }
      } catch {
        onInternalError?.();
      }
    },
    done: () => (signal?.aborted ? cancel() : succeed()),
    stopped: succeed,
    failed: fail,
    reading(active) {
      reads += active ? 1 : -1;
    },
  };
}

/** The error a canceled stream is recorded with: the abort reason when it names an abort or a timeout, else a plain AbortError. */
export function abortReason(signal: AbortSignal | undefined): unknown {
  const reason: unknown = signal?.reason;
  if (typeof reason === 'object' && reason !== null && ((reason as Error).name === 'AbortError' || (reason as Error).name === 'TimeoutError')) return reason;
  return new DOMException('The request was aborted.', 'AbortError');
}

/** `source`, reported to `observer` as the application iterates it. */
export function observeIterator<T>(source: AsyncIterator<T>, observer: StreamObserver): AsyncIterableIterator<T> {
  const iterator: AsyncIterableIterator<T> = {
    async next(...args: [] | [undefined]) {
      let step: IteratorResult<T>;
      observer.reading(true);
      try {
        step = await source.next(...args);
      } catch (error) {
        observer.reading(false);
        observer.failed(error);
        throw error;
      }
      observer.reading(false);
      if (step.done) observer.done();
      else observer.item(step.value);
      return step;
    },
    async return(value?: unknown) {
      observer.stopped();
      return source.return ? source.return(value) : { done: true as const, value: value as T };
    },
    async throw(error?: unknown) {
      observer.failed(error);
      if (source.throw) return source.throw(error);
      throw error;
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}

/** A stream that reads `stream` part for part (pull-based: it reads ahead no more than `stream` would be read), reported to `observer`. */
export function observeReadableStream<T>(stream: ReadableStream<T>, observer: StreamObserver): ReadableStream<T> {
  const reader = stream.getReader();
  return new ReadableStream<T>({
    async pull(controller) {
      let step: Awaited<ReturnType<typeof reader.read>>;
      try {
        step = await reader.read();
      } catch (error) {
        observer.failed(error);
        controller.error(error);
        return;
      }
      if (step.done) {
        observer.done();
        controller.close();
        return;
      }
      observer.item(step.value);
      controller.enqueue(step.value);
    },
    cancel(reason) {
      observer.stopped();
      return reader.cancel(reason);
    },
  });
}
