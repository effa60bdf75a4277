import { BadRequestException } from '@nestjs/common';
import { z } from 'zod';
import { InputValidationPipe } from './input-validation.pipe';

describe(InputValidationPipe.name, () => {
  const pipe = new InputValidationPipe({ validateCustomDecorators: true });
  const loose = z.looseObject({ name: z.string() });
  const custom = (schema: z.ZodType) => ({ type: 'custom' as const, schema });

  it('answers without a promise when the schema does, with what transform gives', async () => {
    const schema = z.object({ n: z.coerce.number() });
    const now = pipe.validateNow({ n: '7', extra: 'x' }, custom(schema));
    expect(now).not.toBeInstanceOf(Promise);
    expect(now).toEqual({ n: 7 });
    expect(now).toEqual(await pipe.transform({ n: '7', extra: 'x' }, custom(schema)));
  });

  it("throws transform's 400 naming the field, synchronously", () => {
    expect(() => pipe.validateNow({ name: 3 }, custom(loose))).toThrow(BadRequestException);
  });

  it('waits for a schema that answers with a promise', async () => {
    const slow = z.object({ name: z.string().refine(async (name) => Promise.resolve(name !== 'x')) });
    const pending = pipe.validateNow({ name: 'ok' }, custom(slow));
    expect(pending).toBeInstanceOf(Promise);
    await expect(pending).resolves.toEqual({ name: 'ok' });
    await expect(pipe.validateNow({ name: 'x' }, custom(slow))).rejects.toThrow(BadRequestException);
  });

  it('strips prototype keys from a flat input, as Nest does', () => {
    const input = JSON.parse('{"name":"a","__proto__":{"polluted":true},"constructor":"c","prototype":"p"}');
    expect(pipe.validateNow({ ...input }, custom(loose))).toEqual({ name: 'a' });
    const flat = JSON.parse('{"name":"a","constructor":"c","prototype":"p"}') as object;
    expect(pipe.validateNow(flat, custom(loose))).toEqual({ name: 'a' });
    expect(Object.keys(flat)).toEqual(['name']);
  });

  it('strips a prototype key whose value is text, which keeps the input flat', () => {
    const input = JSON.parse('{"name":"a","__proto__":"x"}') as object;
    expect(Object.hasOwn(input, '__proto__')).toBe(true);
    expect(pipe.validateNow(input, custom(loose))).toEqual({ name: 'a' });
    expect(Object.hasOwn(input, '__proto__')).toBe(false);
  });

  it('strips them at any depth from a nested input', () => {
    const nested = JSON.parse('{"name":"a","meta":{"__proto__":{"x":1},"constructor":"c","k":"v"}}');
    const out = pipe.validateNow(nested, custom(loose)) as { meta: object };
    expect(out.meta).toEqual({ k: 'v' });
    expect(Object.hasOwn(out.meta, '__proto__')).toBe(false);
    expect(({} as { x?: number }).x).toBeUndefined();
  });

  it('validates no custom decorator unless told to (validateCustomDecorators), as transform does', () => {
    const value = { name: 3 };
    expect(new InputValidationPipe().validateNow(value, custom(loose))).toBe(value);
  });
});
