import { describe, expect, it } from 'vitest';
import { maskCredentials, maskValue } from './credentials-mask.js';
import type { DestinationSchemaField } from './types.js';

const field = (key: string, sensitive: boolean): DestinationSchemaField => ({ key, type: 'text', label: key, description: '', required: false, sensitive });

describe('credential masking', () => {
  it.each([
    ['', '****'],
    ['short', '****'],
    ['123456789', '****'],
    ['1234567890', '1234******'],
    ['AKIAABCDEFGHIJKL', 'AKIA************'],
  ])('when masking "%s", then it shows "%s"', (value, masked) => {
    expect(maskValue(value)).toBe(masked);
  });

  it('when fields are declared, then only sensitive and undeclared keys are masked', () => {
    const fields = [field('key', false), field('secret', true)];

    const masked = maskCredentials({ key: 'AKIAEXAMPLEKEY', secret: 'supersecretvalue', unknown: 'tokentokentoken' }, fields);

    expect(masked).toEqual({ key: 'AKIAEXAMPLEKEY', secret: 'supe************', unknown: 'toke***********' });
  });
});
