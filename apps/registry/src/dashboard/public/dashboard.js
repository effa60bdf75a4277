// The registry's dashboard: follows GET /ui/state, a blocking query on the change index, and redraws.
// A change answers at once; otherwise the query comes back after WAIT, which refreshes HAProxy's
// counters (sessions, rate), which move without changing the registry. Reads only, never writes.
'use strict';

const WAIT = '3s';
const SPARK = { width: 120, height: 28 };

/** Creates an element with a class and children (strings become text: nothing is parsed as HTML). */
function el(tag, className, ...children) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  for (const child of children) if (child !== null && child !== undefined) node.append(child);
  return node;
}

function field(label, ...value) {
  return fieldOf('', label, ...value);
}

function fieldOf(className, label, ...value) {
  return el('div', `field ${className}`, el('span', 'label', label), el('span', 'value', ...value));
}

/** Instances, critical ones and disagreements, counted for the header. */
function summary(state) {
  const instances = state.services.flatMap((service) => service.instances);
  const critical = instances.filter((i) => i.status !== 'passing').length;
  const disagreements = [...instances, ...state.haproxy_only].filter((i) => i.disagreement).length;
  return `${instances.length} instances · ${critical} critical · ${disagreements} disagreement(s)`;
}

function badge(text) {
  return el('span', `badge ${text}`, text);
}

function ago(iso) {
  const seconds = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
  return seconds < 90 ? `${seconds}s ago` : `${Math.round(seconds / 60)} min ago`;
}

/** A small line of the latest checks' latencies, failed checks marked in red. */
function sparkline(history) {
  const latencies = history.map((check) => check.latency_ms);
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('class', 'spark');
  svg.setAttribute('viewBox', `0 0 ${SPARK.width} ${SPARK.height}`);
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', `latency history: ${latencies.join(', ')} ms`);
  if (latencies.length === 0) return svg;
  const max = Math.max(...latencies, 1);
  const step = latencies.length > 1 ? SPARK.width / (latencies.length - 1) : 0;
  const points = latencies.map((ms, i) => [i * step, SPARK.height - 2 - (ms / max) * (SPARK.height - 4)]);
  const line = document.createElementNS(ns, 'polyline');
  line.setAttribute('points', points.map((p) => p.join(',')).join(' '));
  svg.append(line);
  points.forEach(([x, y], i) => {
    if (history[i].passed) return;
    const dot = document.createElementNS(ns, 'circle');
    dot.setAttribute('class', 'failed');
    dot.setAttribute('cx', x);
    dot.setAttribute('cy', y);
    dot.setAttribute('r', 2.5);
    svg.append(dot);
  });
  return svg;
}

function haproxyFields(server, reachable) {
  if (!reachable) return [field('HAProxy', el('span', 'empty', 'not read'))];
  if (!server) return [field('HAProxy', el('span', 'empty', 'not routed')), field('sessions · req/s', '–')];
  return [
    field('HAProxy', badge(server.status), ` ${server.server}`),
    field('sessions · req/s', `${server.sessions} · ${server.rate}`),
  ];
}

/** How the instance is checked: `http`, `tcp 5s`, `ttl 30s` (an interval of its own, or a TTL). */
function checkOf(check) {
  const ms = check.ttl_ms ?? check.interval_ms;
  return ms === null ? check.type : `${check.type} ${ms % 1000 ? `${ms}ms` : `${ms / 1000}s`}`;
}

function instanceCard(instance, reachable) {
  const check = instance.last_check;
  const card = el(
    'li',
    `instance ${instance.status}${instance.maintenance ? ' maintenance' : ''}${instance.disagreement ? ' disagrees' : ''}`,
    el('div', 'id', instance.id, el('span', 'url', instance.url)),
    field(
      'registry',
      badge(instance.status),
      instance.consecutive_failures ? ` ${instance.consecutive_failures} failed` : null,
      ` · ${checkOf(instance.check)} · weight ${instance.weight}`,
      instance.maintenance ? el('br') : null,
      instance.maintenance ? badge('maintenance') : null,
      instance.maintenance ? el('span', 'reason', ` ${instance.maintenance.reason}`) : null,
    ),
    ...haproxyFields(instance.haproxy, reachable),
    fieldOf(
      'check',
      'last check',
      check
        ? `${check.status_code ?? check.error ?? 'no answer'} in ${check.latency_ms} ms, ${ago(check.checked_at)}`
        : el('span', 'empty', 'not checked yet'),
      el('br'),
      sparkline(instance.history),
    ),
    instance.disagreement ? el('div', 'disagreement', instance.disagreement) : null,
  );
  card.dataset.instance = instance.id;
  card.dataset.status = instance.status;
  return card;
}

function renderServices(state) {
  const section = document.getElementById('services');
  const blocks = state.services.map((service) =>
    el(
      'div',
      'service',
      el('h2', null, service.name, el('span', 'count', ` · ${service.instances.length} instance(s)`)),
      el('ul', 'cards', ...service.instances.map((i) => instanceCard(i, state.haproxy_reachable))),
    ),
  );
  section.replaceChildren(...(blocks.length ? blocks : [el('p', 'empty', 'No instance is registered.')]));
}

function renderHaproxyOnly(state) {
  const list = document.getElementById('haproxy-only-list');
  list.replaceChildren(
    ...state.haproxy_only.map((server) =>
      el(
        'li',
        `instance ${server.disagreement ? 'disagrees' : ''}`,
        el('div', 'id', server.addr, el('span', 'url', server.backend)),
        field('registry', el('span', 'empty', 'no record')),
        ...haproxyFields(server, true),
        server.disagreement ? el('div', 'disagreement', server.disagreement) : null,
      ),
    ),
  );
  document.getElementById('haproxy-only').hidden = state.haproxy_only.length === 0;
}

function renderRounds(state) {
  const timeout = state.check_timeout_ms;
  document.getElementById('rounds-note').textContent =
    `Every ${state.check_interval_ms / 1000} s; each check is bounded by ${timeout} ms (the bar's full width).`;
  const rows = state.rounds.map((round) => {
    const duration = round.duration_ms;
    // A round writes its counts when it finishes: a running one has none yet.
    const count = (n) => (duration === null ? '…' : String(n));
    const bar = el('span', `bar${duration !== null && duration > timeout ? ' over' : ''}`, el('span'));
    bar.firstChild.style.width = `${Math.min(100, ((duration ?? 0) / timeout) * 100)}%`;
    return el(
      'tr',
      null,
      el('td', null, ago(round.started_at)),
      el('td', null, bar, duration === null ? 'running' : `${duration} ms`),
      el('td', null, count(round.checked)),
      el('td', null, count(round.failed)),
      el('td', null, count(round.pruned)),
      el('td', 'optional', count(round.unrouted)),
    );
  });
  document.getElementById('rounds').replaceChildren(...rows);
}

function renderHaproxies(state) {
  const rows = state.haproxies.map((target) =>
    el(
      'tr',
      target.reachable ? null : 'unreachable',
      el('td', null, target.address, target.reachable ? null : badge('unreachable')),
      el('td', null, target.applied_index === null ? '—' : String(target.applied_index)),
      el('td', null, target.lag_ms === 0 ? 'current' : `${(target.lag_ms / 1000).toFixed(1)} s`),
      el('td', 'optional', target.last_error ?? ''),
    ),
  );
  document.getElementById('haproxies').replaceChildren(...rows);
  document.getElementById('haproxies-section').hidden = state.haproxies.length === 0;
}

function render(state, index) {
  renderServices(state);
  renderHaproxyOnly(state);
  renderHaproxies(state);
  renderRounds(state);
  document.getElementById('haproxy-banner').hidden = state.haproxy_reachable;
  document.getElementById('summary').textContent = summary(state);
  const live = document.getElementById('live');
  live.dataset.state = 'live';
  live.dataset.index = index;
  live.textContent = `live · index ${index} · updated ${new Date().toLocaleTimeString()}`;
}

async function follow() {
  let index = 0;
  let retryMs = 500;
  for (;;) {
    try {
      const response = await fetch(`/ui/state?index=${index}&wait=${WAIT}`, { cache: 'no-store' });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const state = await response.json();
      // An index that went backwards (a restored database) starts the watch over, as Consul's do.
      index = Number(response.headers.get('X-Registry-Index')) || 0;
      render(state, index);
      retryMs = 500;
    } catch (error) {
      const live = document.getElementById('live');
      live.dataset.state = 'retrying';
      live.textContent = `registry unreachable (${error.message}); retrying`;
      await new Promise((resolve) => setTimeout(resolve, retryMs));
      retryMs = Math.min(retryMs * 2, 5000);
    }
  }
}

void follow();
