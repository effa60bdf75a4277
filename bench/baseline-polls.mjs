// The polls benchmark's second baseline: the vote and results routes with nothing but node:http and
// the same SDK operations (bench/polls-operations.mjs), served behind the same HAProxy as the app.
// It measures what any HTTP service in front of DynamoDB costs here, so the Nest app's own cost is
// what remains: it validates its inputs by the app's rules (apps/polls/src/polls/dto/fields.ts, in
// the same library) as the likes baseline does, since any service must. Env: PORT,
// DYNAMODB_ENDPOINT, POLLS_TABLE, VOTES_TABLE. Not a product: no registration of its own.
import { createServer } from 'node:http';
import { documentClient, results, vote } from './polls-operations.mjs';
import { sendJson } from './send-json.mjs';
import { z } from 'zod';

const NOT_TEXT = /[\u0000-\u001f\u007f-\u009f]|[\uD800-\uDFFF]/u;
const unquote = (v) => (typeof v === 'string' ? v.replace(/^[\s"'“”‘’]+|[\s"'“”‘’]+$/g, '') : v);
const unquoteText = (v) => (typeof v === 'string' ? v.replace(/^[\s“”‘’]+|[\s“”‘’]+$/g, '') : v);
const text = (max) =>
  z
    .string()
    .transform((v) => v.normalize('NFC').trim())
    .pipe(
      z
        .string()
        .min(1)
        .max(max)
        .refine((v) => !NOT_TEXT.test(v)),
    );
const pollsId = z.preprocess(unquote, text(100));
const resultsInput = z.object({ polls_id: pollsId, choice: z.preprocess(unquoteText, text(100)).optional() });
const voteInput = z.object({
  polls_id: pollsId,
  username: z.preprocess(unquote, text(64)),
  choice: z.preprocess(unquoteText, text(100)),
});
const invalid = (res, result) =>
  sendJson(res, 400, {
    error: 'Bad Request',
    message: result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
  });

const db = documentClient(process.env.DYNAMODB_ENDPOINT);
const tables = { polls: process.env.POLLS_TABLE, votes: process.env.VOTES_TABLE };

async function route(req, res, body) {
  const [, polls, pollsId, action] = req.url.split('/');
  if (req.method === 'GET' && req.url === '/health-check') return sendJson(res, 200, { status: 'ok' });
  if (polls !== 'polls' || !pollsId) return sendJson(res, 404, { error: 'Not Found', message: req.url });
  if (req.method === 'GET' && action === 'results') {
    const input = resultsInput.safeParse({ polls_id: decodeURIComponent(pollsId) });
    if (!input.success) return invalid(res, input);
    const found = await results(db, tables, input.data.polls_id);
    return found ? sendJson(res, 200, found) : sendJson(res, 404, { error: 'Not Found', message: pollsId });
  }
  if (req.method === 'POST' && action === 'votes') {
    const input = voteInput.safeParse({ ...JSON.parse(body), polls_id: decodeURIComponent(pollsId) });
    if (!input.success) return invalid(res, input);
    await vote(db, tables, input.data);
    return sendJson(res, 201, input.data);
  }
  sendJson(res, 404, { error: 'Not Found', message: req.url });
}

createServer((req, res) => {
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (chunk) => (body += chunk));
  req.on('end', () =>
    route(req, res, body).catch((error) =>
      sendJson(res, error.name === 'TransactionCanceledException' ? 409 : 503, {
        error: error.name,
        message: error.message,
      }),
    ),
  );
}).listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGINT', () => process.exit(0));
process.on('SIGTERM', () => process.exit(0));
