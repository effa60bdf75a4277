// A client of the seed's routes, typed by openapi-typescript from the apps' own documents and run with
// openapi-fetch: proof that the documents are enough for a client. Run with the three front doors:
//   node test/client/seed-client.mts http://localhost:5100 http://localhost:5400 http://localhost:5500
import createClient from 'openapi-fetch';
import type { paths as LikesApi } from './generated/likes.ts';
import type { paths as PollsApi } from './generated/polls.ts';
import type { paths as RegistryApi } from './generated/registry.ts';

const [likesUrl, pollsUrl, registryUrl] = process.argv.slice(2);
const likes = createClient<LikesApi>({ baseUrl: likesUrl });
const polls = createClient<PollsApi>({ baseUrl: pollsUrl });
const registry = createClient<RegistryApi>({ baseUrl: registryUrl });

/** The answer's body, or the error's message as a thrown Error. */
function body<T>(answer: { data?: T; error?: { message: string } }, what: string): T {
  if (answer.data === undefined) throw new Error(`${what}: ${answer.error?.message ?? 'no answer'}`);
  return answer.data;
}

const like = body(await likes.POST('/new/likes', { body: { username: 'typed', posts_id: 3 } }), 'like');
const count = body(await likes.GET('/likes', { params: { query: { posts_id: 3 } } }), 'count');
const mine = body(await likes.GET('/user/likes', { params: { query: { username: 'typed' } } }), 'user likes');
const top = body(await likes.GET('/top/likes', { params: { query: { limit: 3 } } }), 'top');

const poll = body(
  await polls.POST('/create/poll', {
    body: { polls_title: 'Typed?', username: 'typed', responses: ['yes', 'no'] },
  }),
  'create poll',
);
const vote = body(
  await polls.POST('/poll/vote', { body: { username: 'typed', polls_id: poll.polls_id, choice: 'yes' } }),
  'vote',
);
const results = body(
  await polls.GET('/vote/results', { params: { query: { polls_id: poll.polls_id } } }),
  'results',
);

const registered = body(
  await registry.POST('/new/service', {
    body: { service_name: 'typed', url: 'http://127.0.0.1:9/', http: 'GET' },
  }),
  'register',
);
const services = body(await registry.GET('/services'), 'services');

// Each value read through the generated types: a field the documents do not promise would not compile.
console.log(
  JSON.stringify({
    liked_at: like.liked_at,
    likes: count.likes,
    my_likes: mine.likes.map((l) => l.posts_id),
    top: top.posts.map((p) => p.posts_id),
    voted: vote.choice,
    total_votes: 'results' in results ? results.total_votes : null,
    registered: registered.id,
    services: services.services.map((s) => `${s.service_name}/${s.status}`),
  }),
);
