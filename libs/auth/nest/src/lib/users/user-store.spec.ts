import { cleanName, normaliseEmail } from './user-store';

describe('normaliseEmail', () => {
  it.each([
    ['Ada@Example.COM', 'ada@example.com'],
    ['  ada@example.com\t', 'ada@example.com'],
    ['ａｄａ@example.com', 'ada@example.com'],
    ['ＡＤＡ＠ＥＸＡＭＰＬＥ．ＣＯＭ', 'ada@example.com'],
    ['\u3000ada@example.com\u3000', 'ada@example.com'],
    // Compatibility forms: the ligature "ﬁ", the Kelvin sign, a circled letter, superscript two.
    ['ﬁ@example.com', 'fi@example.com'],
    ['\u212Aelvin@example.com', 'kelvin@example.com'],
    ['ⓐ@example.com', 'a@example.com'],
    ['x²@example.com', 'x2@example.com'],
    // Composed and decomposed spellings of é are one address.
    ['jose\u0301@example.com', 'jos\u00e9@example.com'],
  ])('%j → %j', (email, normalised) => {
    expect(normaliseEmail(email)).toBe(normalised);
  });

  it('is idempotent', () => {
    for (const email of ['ＡＤＡ＠ＥＸＡＭＰＬＥ．ＣＯＭ', 'İstanbul@example.com', '\u2126mega@example.com', 'ß@example.com']) {
      expect(normaliseEmail(normaliseEmail(email))).toBe(normaliseEmail(email));
    }
  });
});

describe('cleanName', () => {
  it.each([
    ['Ada Lovelace', 'Ada Lovelace'],
    ['  Ada  ', 'Ada'],
    ['\u202EAda\u202C', 'Ada'],
    ['A\u202Ad\u202Ba\u202D', 'Ada'],
    ['\u2066Ada\u2067 \u2068Lovelace\u2069', 'Ada Lovelace'],
    ['Ada\u200B \u200CLove\u200Dlace\u2060\uFEFF', 'Ada Lovelace'],
    ['Ada\u0000\u0007\u001F\u007F\u0085 Lovelace\n', 'Ada Lovelace'],
    ['Zoë 李 أحمد', 'Zoë 李 أحمد'],
  ])('%j → %j', (name, cleaned) => {
    expect(cleanName(name)).toBe(cleaned);
  });

  it.each([null, undefined, '', '   ', '\u200B', '\u200B\u200C\u200D\u2060\uFEFF', '\u202A\u202E \u2066\u2069', '\u0000\t\n'])('%j → no name', (name) => {
    expect(cleanName(name)).toBeNull();
  });
});
