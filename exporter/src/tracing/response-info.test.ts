import { describe, expect, it } from 'vitest';
import { finishReasonsOf, mergeResponseInfo, readResponseInfo, type ResponseInfo } from './response-info';

/** id, model and finish reasons as the span would carry them. */
function attributesOf(info: ResponseInfo | undefined) {
  return { id: info?.id, model: info?.model, finishReasons: finishReasonsOf(info) };
}

function fromChunks(chunks: readonly unknown[]) {
  let info: ResponseInfo | undefined;
  for (const chunk of chunks) info = mergeResponseInfo(info, chunk);
  return attributesOf(info);
}

describe('readResponseInfo (whole responses)', () => {
  it.each([
    [
      'OpenAI Chat Completions with two choices',
      { id: 'chatcmpl-1', object: 'chat.completion', model: 'gpt-4o-2024-08-06', choices: [{ index: 0, finish_reason: 'stop' }, { index: 1, finish_reason: 'length' }] },
      { id: 'chatcmpl-1', model: 'gpt-4o-2024-08-06', finishReasons: ['stop', 'length'] },
    ],
    [
      'OpenAI Responses API, completed',
      { id: 'resp_1', object: 'response', model: 'gpt-4.1-mini', status: 'completed', output: [] },
      { id: 'resp_1', model: 'gpt-4.1-mini', finishReasons: ['completed'] },
    ],
    [
      'OpenAI Responses API, incomplete for a reason',
      { id: 'resp_2', object: 'response', model: 'gpt-4.1-mini', status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } },
      { id: 'resp_2', model: 'gpt-4.1-mini', finishReasons: ['max_output_tokens'] },
    ],
    [
      'Anthropic Messages',
      { id: 'msg_1', type: 'message', model: 'claude-sonnet-4-5-20250929', stop_reason: 'tool_use', content: [] },
      { id: 'msg_1', model: 'claude-sonnet-4-5-20250929', finishReasons: ['tool_use'] },
    ],
    [
      'Gemini generateContent',
      { responseId: 'g-1', modelVersion: 'gemini-2.5-flash', candidates: [{ index: 0, finishReason: 'STOP' }] },
      { id: 'g-1', model: 'gemini-2.5-flash', finishReasons: ['STOP'] },
    ],
    [
      'a Vercel AI SDK generateText result',
      { text: 'hi', finishReason: 'stop', response: { id: 'aisdk-1', modelId: 'gpt-4o-mini' }, usage: {} },
      { id: 'aisdk-1', model: 'gpt-4o-mini', finishReasons: ['stop'] },
    ],
  ])('%s', (_, response, expected) => {
    expect(attributesOf(readResponseInfo(response))).toEqual(expected);
  });

  it.each([
    ['null', null],
    ['a string', 'answer'],
    ['a number', 42],
    ['an empty object', {}],
    ['wrongly typed fields', { id: 7, model: { name: 'x' }, choices: 'stop', stop_reason: 1, candidates: [null, 3] }],
    ['a Responses API status that is not terminal', { id: undefined, object: 'response', status: 'in_progress' }],
    ['a status on something that is not a Responses API response', { status: 'completed' }],
  ])('reads nothing from %s', (_, value) => {
    expect(attributesOf(readResponseInfo(value))).toEqual({ id: undefined, model: undefined, finishReasons: undefined });
  });

  it('never throws on a hostile object (throwing getters, a throwing Proxy)', () => {
    const throwing = Object.defineProperty({}, 'choices', {
      get() {
        throw new Error('getter');
      },
    });
    const proxy = new Proxy(
      {},
      {
        get() {
          throw new Error('proxy');
        },
      },
    );
    expect(readResponseInfo(throwing)).toBeUndefined();
    expect(readResponseInfo(proxy)).toBeUndefined();
    expect(mergeResponseInfo({ id: 'kept' }, proxy)).toEqual({ id: 'kept' });
  });

  it('ignores generation indexes that are not small non-negative integers (no huge sparse arrays)', () => {
    const info = readResponseInfo({ choices: [{ index: 1e9, finish_reason: 'stop' }, { index: -1, finish_reason: 'x' }, { index: 1.5, finish_reason: 'y' }, { index: 2, finish_reason: 'length' }] });
    expect(info?.finishReasons?.length).toBe(3);
    expect(finishReasonsOf(info)).toEqual(['length']);
  });
});

describe('mergeResponseInfo (stream chunks)', () => {
  it('OpenAI chat chunks: reasons by choice index, whichever chunk carries them', () => {
    expect(
      fromChunks([
        { id: 'c', model: 'gpt-4o', choices: [{ index: 0, delta: { content: 'a' }, finish_reason: null }] },
        { id: 'c', model: 'gpt-4o', choices: [{ index: 1, delta: {}, finish_reason: 'length' }] },
        { id: 'c', model: 'gpt-4o', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] },
        { id: 'c', model: 'gpt-4o', choices: [], usage: { prompt_tokens: 1, completion_tokens: 1 } },
      ]),
    ).toEqual({ id: 'c', model: 'gpt-4o', finishReasons: ['stop', 'length'] });
  });

  it('Anthropic events: message_start then message_delta', () => {
    expect(
      fromChunks([
        { type: 'message_start', message: { id: 'msg', model: 'claude-haiku-4-5', stop_reason: null } },
        { type: 'content_block_start', index: 0, content_block: { type: 'tool_use', id: 'toolu_1' } },
        { type: 'message_delta', delta: { stop_reason: 'max_tokens' }, usage: { output_tokens: 3 } },
      ]),
    ).toEqual({ id: 'msg', model: 'claude-haiku-4-5', finishReasons: ['max_tokens'] });
  });

  it('OpenAI Responses events: in_progress is not a finish reason, the completed response is', () => {
    const response = { id: 'resp', object: 'response', model: 'gpt-4.1' };
    const created = { type: 'response.created', response: { ...response, status: 'in_progress' } };
    expect(fromChunks([created, { type: 'response.output_item.added', item: { id: 'msg_x' } }])).toEqual({ id: 'resp', model: 'gpt-4.1', finishReasons: undefined });
    expect(fromChunks([created, { type: 'response.completed', response: { ...response, status: 'completed' } }])).toEqual({ id: 'resp', model: 'gpt-4.1', finishReasons: ['completed'] });
  });

  it('Gemini chunks: the finish reason on the last chunk', () => {
    expect(
      fromChunks([
        { responseId: 'g', modelVersion: 'gemini-2.5-flash', candidates: [{ index: 0, content: { parts: [{ text: 'a' }] } }] },
        { responseId: 'g', modelVersion: 'gemini-2.5-flash', candidates: [{ index: 0, finishReason: 'MAX_TOKENS' }] },
      ]),
    ).toEqual({ id: 'g', model: 'gemini-2.5-flash', finishReasons: ['MAX_TOKENS'] });
  });

  it('Vercel AI SDK stream parts: finish-step response and finish reason', () => {
    expect(
      fromChunks([
        { type: 'text-delta', text: 'a' },
        { type: 'finish-step', finishReason: 'stop', response: { id: 'r', modelId: 'claude-haiku-4-5' } },
        { type: 'finish', finishReason: 'stop', totalUsage: {} },
      ]),
    ).toEqual({ id: 'r', model: 'claude-haiku-4-5', finishReasons: ['stop'] });
  });
});
