import { SegmentedMessage } from 'sms-segments-calculator';

/**
 * The most segments one text may take. Carriers bill and deliver each segment on its own, and a long
 * concatenated text arrives out of order or in pieces on some handsets; three segments (459 GSM-7 or
 * 201 UCS-2 characters) fits every template with room for long names and ids.
 */
export const MAX_SMS_SEGMENTS = 3;

/** How a body travels as SMS: its encoding and the segments it takes. */
export interface SmsLength {
  readonly encoding: 'GSM-7' | 'UCS-2';
  readonly segments: number;
  readonly characters: number;
}

/**
 * Counts `body`'s segments as the provider would: GSM-7 when every character is in the GSM 03.38
 * alphabet (extension characters such as `€` take two septets), UCS-2 otherwise, with the
 * concatenation header's share of each segment taken once a body needs more than one.
 */
export function smsLength(body: string): SmsLength {
  const message = new SegmentedMessage(body, 'auto');
  return { encoding: message.encodingName, segments: message.segmentsCount, characters: message.numberOfCharacters };
}
