import { isObject, stableJson, textOf, type JsonObject } from '../json';

/**
 * The canonical text of a chat completion prompt: tool definitions first, then each
 * message in a ChatML-like frame. Token counts and cache prefixes are taken from it.
 */
export function chatPrompt(body: JsonObject): string {
  let text = toolsText(body.tools);
  for (const message of Array.isArray(body.messages) ? body.messages : []) {
    if (!isObject(message)) {
      text += frame('user', stableJson(message));
      continue;
    }
    let content = textOf(message.content);
    if (message.tool_calls !== undefined) content += stableJson(message.tool_calls);
    text += frame(typeof message.role === 'string' ? message.role : 'user', content);
  }
  return `${text}<|im_start|>assistant\n`;
}

/** The canonical text of a Responses API prompt: tools, instructions, then the input items. */
export function responsesPrompt(body: JsonObject): string {
  let text = toolsText(body.tools);
  if (typeof body.instructions === 'string') text += frame('system', body.instructions);
  const input = body.input;
  if (typeof input === 'string') {
    text += frame('user', input);
  } else if (Array.isArray(input)) {
    for (const item of input) {
      if (isObject(item) && (item.type === undefined || item.type === 'message')) {
        text += frame(typeof item.role === 'string' ? item.role : 'user', textOf(item.content));
      } else {
        text += frame('item', stableJson(item));
      }
    }
  }
  return `${text}<|im_start|>assistant\n`;
}

/**
 * The function the answer calls: the named one when `tool_choice` names it, none for
 * `'none'`, else the first function tool. Chat tools are `{ type: 'function', function: { name } }`.
 */
export function chatToolName(tools: unknown, toolChoice: unknown): string | undefined {
  if (!Array.isArray(tools) || tools.length === 0 || toolChoice === 'none') return undefined;
  if (isObject(toolChoice) && isObject(toolChoice.function) && typeof toolChoice.function.name === 'string') return toolChoice.function.name;
  for (const tool of tools) {
    if (isObject(tool) && tool.type === 'function' && isObject(tool.function) && typeof tool.function.name === 'string') return tool.function.name;
  }
  return undefined;
}

/** The same for the Responses API, whose function tools are flat: `{ type: 'function', name }`. */
export function responsesToolName(tools: unknown, toolChoice: unknown): string | undefined {
  if (!Array.isArray(tools) || tools.length === 0 || toolChoice === 'none') return undefined;
  if (isObject(toolChoice) && toolChoice.type === 'function' && typeof toolChoice.name === 'string') return toolChoice.name;
  for (const tool of tools) {
    if (isObject(tool) && tool.type === 'function' && typeof tool.name === 'string') return tool.name;
  }
  return undefined;
}

function toolsText(tools: unknown): string {
  return Array.isArray(tools) && tools.length > 0 ? frame('tools', stableJson(tools)) : '';
}

function frame(role: string, content: string): string {
  return `<|im_start|>${role}\n${content}<|im_end|>\n`;
}
