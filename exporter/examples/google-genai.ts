import { createServer } from 'node:http';
import { GoogleGenAI } from '@google/genai';
import { createModelwatch, instrumentGoogleGenAI } from '@modelwatch/exporter';

const mw = createModelwatch();

// new GoogleGenAI({}) reads GEMINI_API_KEY and GOOGLE_GEMINI_BASE_URL (Vertex AI with vertexai: true,
// recorded as provider gcp.vertex_ai). Only this client is patched; its methods return what they did.
const ai = instrumentGoogleGenAI(new GoogleGenAI({}), mw);

const reply = await ai.models.generateContent({
  model: 'gemini-2.5-flash',
  contents: 'Suggest a name for a lighthouse cat.',
});
console.log(reply.text);

const stream = await ai.models.generateContentStream({
  model: 'gemini-2.5-flash',
  contents: 'Write a haiku about fog.',
});
for await (const chunk of stream) process.stdout.write(chunk.text ?? '');
console.log();

createServer(mw.metricsHandler).listen(Number(process.env.PORT ?? 9464), '127.0.0.1');
