// A minimal instance for registry and proxy tests: answers every request with its own port and
// how many requests it has served (health checks left out: HAProxy's, every second, and the
// registry's would land between any two requests a test counts); `?status=NNN` answers with that status.
// HANG=1 makes /health-check never answer (a hung instance); DROP=1 makes every other request end
// with the connection closed and no answer (an instance that dies mid-request), counted in `dropped`
// of its /health-check answer. `checks` counts the health checks it answered (HAProxy's and the registry's).
import { createServer } from 'node:http';

const port = Number(process.env.PORT);
let served = 0;
let dropped = 0;
let checks = 0;
createServer((request, response) => {
  if (process.env.HANG === '1' && request.url === '/health-check') return; // never answers
  if (process.env.DROP === '1' && request.url !== '/health-check') {
    dropped++;
    return request.socket.destroy();
  }
  response.statusCode = Number(new URL(request.url, 'http://echo').searchParams.get('status') ?? 200);
  response.setHeader('content-type', 'application/json');
  if (request.url !== '/health-check') served++;
  else checks++;
  response.end(JSON.stringify({ port, url: request.url, served, dropped, checks }));
}).listen(port, '127.0.0.1');
