# Sourced by the bin/ scripts: the project's Node.js comes first on PATH, so `node`, `npm` and `npx`
# (and every child they start) run on it, and node-gyp builds native modules against its headers.
chirp_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export PATH="$chirp_root/node_modules/.bin:$PATH"
# The node-linux-<arch> package ships include/node beside bin/node (npm's nodedir may name the machine's).
if [ -x "$chirp_root/node_modules/.bin/node" ]; then
  npm_config_nodedir=$(dirname "$(dirname "$(readlink -f "$chirp_root/node_modules/.bin/node")")")
  export npm_config_nodedir
fi
