// A deterministic OpenAI-compatible "model" behind the test servers: the reply is "echo: " plus the
// last user message, token counts are word counts, ids and timestamps are derived from the input.
// Same input, same bytes out, so a test can compare a paid answer with the free baseline.
import { createHash } from 'node:crypto';

const CREATED = 1_700_000_000;
export const MODELS = ['llama-3.3-70b-versatile', 'grok-3-mini', 'gpt-4o-mini', 'openai/gpt-4o-mini'];

const words = (s) => (s.match(/\S+/g) ?? []).length;
const digest = (s) => createHash('sha256').update(s).digest('hex').slice(0, 24);

function textOf(content) {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.filter((p) => p?.type === 'text').map((p) => p.text).join(' ');
  return '';
}

/** Validates an OpenAI chat request; returns an error message or null. */
export function chatRequestError(body) {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return 'request body must be a JSON object';
  if (!Array.isArray(body.messages) || body.messages.length === 0) return "'messages' must be a non-empty array";
  if (body.messages.some((m) => typeof m?.role !== 'string')) return "every message needs a 'role'";
  return null;
}

export function errorResponse(status, message, type = 'invalid_request_error') {
  return Response.json({ error: { message, type, code: null } }, { status });
}

/** The completion for `body` (already validated) as a JSON or SSE Response. */
export function chatCompletion(body) {
  const last = [...body.messages].reverse().find((m) => m.role === 'user');
  const content = `echo: ${textOf(last?.content)}`;
  const model = typeof body.model === 'string' ? body.model : MODELS[0];
  const id = `chatcmpl-${digest(JSON.stringify(body.messages))}`;
  const promptTokens = body.messages.reduce((n, m) => n + words(textOf(m.content)), 0);
  const usage = { prompt_tokens: promptTokens, completion_tokens: words(content), total_tokens: promptTokens + words(content) };
  if (body.stream === true) return streamed({ id, model, content, usage, includeUsage: body.stream_options?.include_usage === true });
  return Response.json({
    id, object: 'chat.completion', created: CREATED, model,
    choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
    usage,
  });
}

// One SSE event per word (keeping the spaces), the way real providers send deltas.
function streamed({ id, model, content, usage, includeUsage }) {
  const chunk = (choices, extra = {}) => `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created: CREATED, model, choices, ...extra })}\n\n`;
  const events = [chunk([{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }])];
  for (const piece of content.match(/\S+\s*/g) ?? []) events.push(chunk([{ index: 0, delta: { content: piece }, finish_reason: null }]));
  events.push(chunk([{ index: 0, delta: {}, finish_reason: 'stop' }]));
  if (includeUsage) events.push(chunk([], { usage }));
  events.push('data: [DONE]\n\n');
  const encoder = new TextEncoder();
  const stream = new ReadableStream({
    start(controller) {
      for (const e of events) controller.enqueue(encoder.encode(e));
      controller.close();
    },
  });
  return new Response(stream, { headers: { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' } });
}

export function modelList() {
  return Response.json({ object: 'list', data: MODELS.map((id) => ({ id, object: 'model', created: CREATED, owned_by: id.split(/[/-]/)[0] })) });
}
