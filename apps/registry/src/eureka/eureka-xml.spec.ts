import { parseEurekaXml, toEurekaXml, wantsJson } from './eureka-xml';

describe('Eureka XML', () => {
  it("reads an InstanceInfo as Eureka's JSON names it: attributes as @, text beside them as $", () => {
    const xml =
      '<instance><app>LIKES</app><port enabled="true">7400</port><metadata><v>1</v></metadata></instance>';
    expect(parseEurekaXml(xml)).toEqual({
      instance: { app: 'LIKES', port: { $: '7400', '@enabled': 'true' }, metadata: { v: '1' } },
    });
  });

  it('refuses malformed XML with a 400 naming the problem and where', () => {
    let thrown: unknown;
    try {
      parseEurekaXml('<instance><app>LIKES</instance>');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ statusCode: 400 });
    expect((thrown as Error).message).toMatch(/^The XML body is malformed: .+ \(line 1, column \d+\)$/);
  });

  it('writes answers the way it reads them', () => {
    const body = {
      instance: { app: 'LIKES', port: { $: 7400, '@enabled': 'true' }, metadata: { '@class': 'x' } },
    };
    const xml = toEurekaXml(body);
    expect(xml).toContain('<port enabled="true">7400</port>');
    expect(xml).toContain('<metadata class="x"></metadata>');
    expect(parseEurekaXml(xml)).toEqual({
      instance: { app: 'LIKES', port: { $: '7400', '@enabled': 'true' }, metadata: { '@class': 'x' } },
    });
  });

  it('answers XML unless JSON is asked for, as Eureka does', () => {
    expect(wantsJson(undefined)).toBe(false);
    expect(wantsJson('*/*')).toBe(false);
    expect(wantsJson('application/json')).toBe(true);
  });
});
