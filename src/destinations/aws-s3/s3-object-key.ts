/** The S3 object key of an event: the key template over `{data, metadata, time}`, time being the event time. */
import type { StringMap } from '../../domain/types.js';
import { evaluateTemplate } from '../jmespath-template.js';
import type { DeliveryEvent } from '../types.js';

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** RFC 3339 with only the fractional digits needed (none for whole seconds): `2024-05-01T10:00:00.5Z`. */
export function formatRfc3339Nano(time: Date): string {
  const iso = time.toISOString();
  const fraction = iso.slice(19, 23).replace(/\.?0+$/, '');
  return `${iso.slice(0, 19)}${fraction}Z`;
}

/** The `time` input of key templates: UTC parts as zero-padded strings, plus whole formats. */
export function templateTime(time: Date) {
  return {
    year: pad(time.getUTCFullYear(), 4),
    month: pad(time.getUTCMonth() + 1),
    day: pad(time.getUTCDate()),
    hour: pad(time.getUTCHours()),
    minute: pad(time.getUTCMinutes()),
    second: pad(time.getUTCSeconds()),
    date: time.toISOString().slice(0, 10),
    datetime: time.toISOString().slice(0, 19),
    unix: String(Math.floor(time.getTime() / 1000)),
    rfc3339: `${time.toISOString().slice(0, 19)}Z`,
    rfc3339_nano: formatRfc3339Nano(time),
  };
}

/** Thrown when the key template yields no key for an event (null, empty, or a type error). */
export class ObjectKeyError extends Error {
  override readonly name = 'ObjectKeyError';
}

/** @throws ObjectKeyError */
export function objectKey(template: string, event: DeliveryEvent, metadata: StringMap): string {
  let key: string | undefined;
  try {
    key = evaluateTemplate(template, { data: event.data, metadata, time: templateTime(event.time) });
  } catch (error) {
    throw new ObjectKeyError('the key template could not be evaluated', { cause: error });
  }
  if (key === undefined) throw new ObjectKeyError('the key template produced an empty key');
  return key;
}
