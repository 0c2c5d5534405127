import { describe, expect, it } from 'vitest';
import { checkedJustification } from './justification.js';

const refused = (text: string) => expect(checkedJustification(text).ok, JSON.stringify(text)).toBe(false);

describe('an emergency-access justification counts what a reader can see', () => {
  it('accepts a real reason of 20 letters or digits and keeps it as written (trimmed)', () => {
    expect(checkedJustification('  Unconscious on arrival, allergies unknown  ')).toEqual({ ok: true, text: 'Unconscious on arrival, allergies unknown' });
    expect(checkedJustification('Anaphylaxie à l’arrivée, code 99')).toMatchObject({ ok: true });
  });

  it('refuses invisible characters, whatever their number', () => {
    refused('\u200b'.repeat(20));
    refused('\u2060'.repeat(40));
    refused('\u200b\u2060'.repeat(30));
    refused(`${'\u200b'.repeat(30)}help`);
  });

  it('refuses spaces and punctuation standing in for words', () => {
    refused(' '.repeat(30));
    refused('.'.repeat(30));
    refused('- - - - - - - - - - - - - - - - -');
    refused('help me now !!!!!!!!!!!!!!!!!!!!!');
  });

  it('refuses one repeated character, in either case or split by spaces', () => {
    refused('a'.repeat(25));
    refused('aAaAaAaAaAaAaAaAaAaAaA');
    refused('x x x x x x x x x x x x x x x x x x x x x');
    refused('1'.repeat(30));
  });

  it('refuses control characters and text over 4000 characters', () => {
    refused(`Patient unconscious, no ID\u0000 found on arrival`);
    refused('Patient unconscious '.repeat(250));
  });
});
