// The polls benchmark's second baseline: the vote and results routes with nothing but node:http and
// the same SDK operations (bench/polls-operations.mjs), served behind the same HAProxy as the app.
// It measures what any HTTP service in front of DynamoDB costs here, so the Nest app's own cost is
// what remains. Env: PORT, DYNAMODB_ENDPOINT, POLLS_TABLE, VOTES_TABLE. Not a product: no
// validation beyond the route's shape, no registration of its own.
import { createServer } from 'node:http';
import { documentClient, results, vote } from './polls-operations.mjs';
import { sendJson } from './send-json.mjs';

const db = documentClient(process.env.DYNAMODB_ENDPOINT);
const tables = { polls: process.env.POLLS_TABLE, votes: process.env.VOTES_TABLE };

async function route(req, res, body) {
  const [, polls, pollsId, action] = req.url.split('/');
  if (req.method === 'GET' && req.url === '/health-check') return sendJson(res, 200, { status: 'ok' });
  if (polls !== 'polls' || !pollsId) return sendJson(res, 404, { error: 'Not Found', message: req.url });
  if (req.method === 'GET' && action === 'results') {
    const found = await results(db, tables, pollsId);
    return found ? sendJson(res, 200, found) : sendJson(res, 404, { error: 'Not Found', message: pollsId });
  }
  if (req.method === 'POST' && action === 'votes') {
    const { username, choice } = JSON.parse(body);
    await vote(db, tables, { polls_id: pollsId, username, choice });
    return sendJson(res, 201, { polls_id: pollsId, username, choice });
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
