import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { readmeTableNames, TestStack } from '../support';
import { likesEnv } from '../../apps/likes/src/likes.config';
import { pollsEnv } from '../../apps/polls/src/polls.config';
import { registryEnv } from '../../apps/registry/src/registry.config';

const run = promisify(execFile);

// Each of some forty httpie runs starts a Python interpreter: about 20 s on an idle machine, past a
// minute on a busy one.
jest.setTimeout(180_000);

/** Every httpie line of the README's shell blocks, in order (including `ID=$(http ...)`). */
function readmeCommands(): string[] {
  const blocks = [...readFileSync('README.md', 'utf8').matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]);
  return blocks.flatMap((block) => block.split('\n')).filter((line) => /^(\w+=\$\()?http /.test(line.trim()));
}

describe("README's Configuration table", () => {
  it('lists every setting the apps read', () => {
    const documented = new Set(readmeTableNames('Configuration'));
    const read = new Set([likesEnv, pollsEnv, registryEnv].flatMap((schema) => Object.keys(schema.shape)));
    expect(read.size).toBeGreaterThan(20);
    expect([...read].filter((name) => !documented.has(name)).sort()).toEqual([]);
  });
});

describe('README', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await TestStack.start({ likes: 2, polls: 2 });
  });
  afterAll(() => stack?.stop());

  it('every httpie example works as written against a running stack', async () => {
    const commands = readmeCommands();
    expect(commands.length).toBeGreaterThanOrEqual(35);
    const ports: Record<string, number> = {
      '5100': stack.haproxy.likes,
      '5400': stack.haproxy.polls,
      '5500': stack.haproxy.registry,
    };
    // One shell, so `ID=$(...)` carries over; each command reports its exit status
    // (--check-status: 3xx/4xx/5xx answers are failures). Only HAProxy's ports are rewritten.
    const script = commands
      .map((command, i) => {
        const local = command
          .replace(/(^|\$\()http /g, '$1http --ignore-stdin --check-status --timeout 20 ')
          .replace(
            /(localhost)?:(5100|5400|5500)\b/g,
            (_m, host: string | undefined, port: string) => `${host ?? ''}:${ports[port]}`,
          );
        // The command on a line of its own: a trailing `# comment` must not swallow the report.
        return `{\n${local}\n} >/dev/null 2>/tmp/chirp-readme-$$.err; echo "#${i} $? $(head -c 300 /tmp/chirp-readme-$$.err | tr '\\n' ' ')"`;
      })
      .join('\n');
    const { stdout } = await run('bash', ['-c', script], { maxBuffer: 10 * 1024 * 1024, timeout: 240_000 });
    const failures = stdout
      .split('\n')
      .filter((line) => /^#\d+ /.test(line))
      .map((line) => line.match(/^#(\d+) (\d+) ?(.*)$/)!)
      .filter(([, , status]) => status !== '0')
      .map(([, i, status, err]) => `${commands[Number(i)]}  => exit ${status} ${err}`);
    expect(failures).toEqual([]);
    expect(stdout.match(/^#\d+ /gm)).toHaveLength(commands.length);
  });
});
