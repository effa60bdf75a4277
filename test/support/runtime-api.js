// @ts-check
// HAProxy's Runtime API as the tests and the benchmarks read it (CommonJS with JSDoc types, shared
// like processes.js): one command, and `show stat` as rows keyed by its header's column names.
const { connect } = require('node:net');

/**
 * One command on the Runtime API at loopback `port`; its whole answer.
 * @param {number} port
 * @param {string} command
 * @returns {Promise<string>}
 */
function runtimeCommand(port, command) {
  return new Promise((resolve, reject) => {
    let answer = '';
    const socket = connect({ host: '127.0.0.1', port }, () => socket.end(`${command}\n`));
    socket.on('data', (chunk) => (answer += chunk.toString()));
    socket.on('error', reject);
    socket.on('close', () => resolve(answer));
  });
}

/**
 * The servers of `backend` from `show stat` (pxname, svname, addr, status, stot, connect, reuse, ...
 * as HAProxy names its columns), in slot order.
 * @param {number} port
 * @param {string} backend
 * @returns {Promise<Record<string, string>[]>}
 */
async function serverStats(port, backend) {
  const [header, ...rows] = (await runtimeCommand(port, 'show stat -1 4 -1')).split('\n');
  const columns = header.replace(/^# /, '').split(',');
  return rows
    .map((row) => Object.fromEntries(row.split(',').map((value, i) => [columns[i], value])))
    .filter((server) => server.pxname === backend && server.svname);
}

module.exports = { runtimeCommand, serverStats };
