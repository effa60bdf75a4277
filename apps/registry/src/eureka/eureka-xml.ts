import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';

// Eureka's XML and its JSON name things alike: attributes as `@name`, an element's text beside them
// as `$` (`<port enabled="true">8080</port>` is `{"$": 8080, "@enabled": "true"}`). One mapping both ways.
const OPTIONS = { ignoreAttributes: false, attributeNamePrefix: '@', textNodeName: '$' } as const;
const parser = new XMLParser({
  ...OPTIONS,
  parseTagValue: false,
  parseAttributeValue: false,
  ignoreDeclaration: true,
});
// suppressBooleanAttributes off: `enabled="true"` must stay written out (Go's XML decoder needs the value).
const builder = new XMLBuilder({ ...OPTIONS, suppressEmptyNode: false, suppressBooleanAttributes: false });

/** An XML body as the JSON Eureka's codec would read; a 400 naming the problem when it is not XML. */
export function parseEurekaXml(text: string): unknown {
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    const { msg, line, col } = valid.err;
    throw Object.assign(new Error(`The XML body is malformed: ${msg} (line ${line}, column ${col})`), {
      statusCode: 400,
    });
  }
  return parser.parse(text) as unknown;
}

/** An answer in XML, as Eureka writes it. */
export function toEurekaXml(body: object): string {
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>${builder.build(body)}`;
}

/**
 * Whether a reader asked for JSON. Eureka answers XML unless asked otherwise (Jersey's first media
 * type), and Prometheus's `eureka_sd` sends no Accept at all and reads XML.
 */
export const wantsJson = (accept: string | undefined): boolean => /\bjson\b/i.test(accept ?? '');
