import { isObject, stableJson, textOf, type JsonObject } from '../json';
import type { AnthropicCacheTtl, CacheBreakpoint } from '../prompt-cache';

/** A Messages prompt's canonical text and its `cache_control` breakpoints. */
export interface MessagesPrompt {
  text: string;
  breakpoints: CacheBreakpoint[];
}

/**
 * The canonical text of a Messages request in the order the API caches it: tools,
 * then system, then messages. Every block carrying `cache_control` ends a cacheable prefix.
 */
export function messagesPrompt(body: JsonObject): MessagesPrompt {
  let text = '';
  const breakpoints: CacheBreakpoint[] = [];
  const add = (piece: string, block: unknown): void => {
    text += piece;
    const ttl = cacheTtl(block);
    if (ttl) breakpoints.push({ charEnd: text.length, ttl });
  };
  for (const tool of Array.isArray(body.tools) ? body.tools : []) add(`<tool>${stableJson(tool)}</tool>\n`, tool);
  if (typeof body.system === 'string') {
    text += `<system>${body.system}</system>\n`;
  } else if (Array.isArray(body.system)) {
    for (const block of body.system) add(`<system>${blockText(block)}</system>\n`, block);
  }
  for (const message of Array.isArray(body.messages) ? body.messages : []) {
    const role = isObject(message) && message.role === 'assistant' ? 'Assistant' : 'Human';
    text += `\n\n${role}: `;
    const content = isObject(message) ? message.content : message;
    if (Array.isArray(content)) {
      for (const block of content) add(blockText(block), block);
    } else {
      text += textOf(content);
    }
  }
  return { text: `${text}\n\nAssistant:`, breakpoints };
}

/** The tool the answer calls: the named one for `{ type: 'tool' }`, none for `{ type: 'none' }`, else the first custom tool. */
export function messagesToolName(tools: unknown, toolChoice: unknown): string | undefined {
  if (!Array.isArray(tools) || tools.length === 0) return undefined;
  if (isObject(toolChoice) && toolChoice.type === 'none') return undefined;
  if (isObject(toolChoice) && toolChoice.type === 'tool' && typeof toolChoice.name === 'string') return toolChoice.name;
  for (const tool of tools) {
    // Server tools (web search, code execution…) have a versioned `type`; client tools have none or 'custom'.
    if (isObject(tool) && (tool.type === undefined || tool.type === 'custom') && typeof tool.name === 'string') return tool.name;
  }
  return undefined;
}

function blockText(block: unknown): string {
  if (!isObject(block)) return textOf(block);
  if (block.type === 'text' && typeof block.text === 'string') return block.text;
  if (block.type === 'tool_result') return textOf(block.content);
  return stableJson(block);
}

function cacheTtl(block: unknown): AnthropicCacheTtl | undefined {
  if (!isObject(block) || !isObject(block.cache_control)) return undefined;
  return block.cache_control.ttl === '1h' ? '1h' : '5m';
}
