import type { RequestHandler } from 'express';
import { abortOnClose } from '../abort-on-close';
import type { ChatResult, ChatService } from '../chat-service';
import { SseWriter } from '../sse';
import { parseChatInput } from '../validation';

/** What a client learns about an answer besides its text; `x-cache` says hit or miss too. */
function metadata(result: ChatResult) {
  return {
    model: result.answer.model,
    provider: result.answer.provider,
    cached: result.cached,
    failedOver: result.failedOver,
    usage: { inputTokens: result.inputTokens, outputTokens: result.outputTokens },
  };
}

/** `POST /chat`: JSON `{ answer, model, … }`, or server-sent events with `stream: true`. */
export function chatRoute(chat: ChatService): RequestHandler {
  return async (req, res) => {
    const input = parseChatInput(req.body);
    const signal = abortOnClose(res);
    if (!input.stream) {
      const result = await chat.answer(input, signal);
      res.set('X-Cache', result.cached ? 'hit' : 'miss').json({ answer: result.answer.text, ...metadata(result) });
      return;
    }
    const sse = new SseWriter(res);
    try {
      const result = await chat.stream(input, signal, {
        open: (cached) => sse.open({ 'X-Cache': cached ? 'hit' : 'miss' }),
        delta: (text) => sse.delta(text),
      });
      sse.event('done', metadata(result));
      sse.end();
    } catch (error) {
      // Before the stream opened, the error handler can still answer with a status code.
      if (!res.headersSent) throw error;
      sse.event('error', { error: 'The AI provider failed while answering' });
      sse.end();
    }
  };
}
