import { isObject, stableJson, textOf, type JsonObject } from '../json';

/**
 * The canonical text of a `generateContent` request in the order Gemini caches it
 * implicitly: tools, system instruction, then the turns. Parts other than text
 * (function calls and responses, inline data) count as their JSON.
 */
export function contentsPrompt(body: JsonObject): string {
  let text = Array.isArray(body.tools) && body.tools.length > 0 ? `<tools>${stableJson(body.tools)}</tools>\n` : '';
  if (body.systemInstruction !== undefined) text += `<system>${contentText(body.systemInstruction)}</system>\n`;
  for (const content of Array.isArray(body.contents) ? body.contents : []) {
    const role = isObject(content) && content.role === 'model' ? 'model' : 'user';
    text += `<start_of_turn>${role}\n${contentText(content)}<end_of_turn>\n`;
  }
  return `${text}<start_of_turn>model\n`;
}

/** The function the answer calls: none under mode `NONE`, else the first allowed (or first declared) function. */
export function contentsToolName(tools: unknown, toolConfig: unknown): string | undefined {
  const calling = isObject(toolConfig) && isObject(toolConfig.functionCallingConfig) ? toolConfig.functionCallingConfig : undefined;
  if (calling?.mode === 'NONE') return undefined;
  const allowed = Array.isArray(calling?.allowedFunctionNames) ? calling.allowedFunctionNames : undefined;
  if (typeof allowed?.[0] === 'string') return allowed[0];
  for (const tool of Array.isArray(tools) ? tools : []) {
    const declarations = isObject(tool) && Array.isArray(tool.functionDeclarations) ? tool.functionDeclarations : [];
    for (const declaration of declarations) if (isObject(declaration) && typeof declaration.name === 'string') return declaration.name;
  }
  return undefined;
}

/** The text of one `Content` (`{ role, parts: [{ text }…] }`). */
export function contentText(content: unknown): string {
  return textOf(isObject(content) && Array.isArray(content.parts) ? content.parts : content);
}
