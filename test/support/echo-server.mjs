// A minimal instance for registry and proxy tests: answers every request with its own port and
// how many requests it has served; `?status=NNN` answers with that status.
// HANG=1 makes /health-check never answer (a hung instance).
import { createServer } from 'node:http';

const port = Number(process.env.PORT);
let served = 0;
createServer((request, response) => {
  if (process.env.HANG === '1' && request.url === '/health-check') return; // never answers
  response.statusCode = Number(new URL(request.url, 'http://echo').searchParams.get('status') ?? 200);
  response.setHeader('content-type', 'application/json');
  response.end(JSON.stringify({ port, url: request.url, served: ++served }));
}).listen(port, '127.0.0.1');
