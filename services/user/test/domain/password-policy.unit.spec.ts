import { MAX_PASSWORD_LENGTH, passwordViolations } from '../../src/domain/password-policy.js';

const email = 'kim.minji@example.com';

describe('Password policy', () => {
  it('given a long passphrase without digits or symbols, when checked, then it is accepted', () => {
    expect(passwordViolations('correct horse battery staple', email)).toEqual([]);
  });

  it('given exactly twelve characters, when checked, then the length is enough', () => {
    expect(passwordViolations('k7#pQ2!vL9xZ', email)).toEqual([]);
  });

  it('given eleven characters counted as code points, when checked, then it is too short', () => {
    expect(passwordViolations('🔒🔒abcdefgh1', email)).toEqual(['TOO_SHORT']);
  });

  it('given more than the maximum length, when checked, then it is too long', () => {
    expect(passwordViolations('ab'.repeat(MAX_PASSWORD_LENGTH), email)).toEqual(['TOO_LONG']);
  });

  it('given the email name part, when checked, then it is refused as the email', () => {
    expect(passwordViolations('minji.kim.1990', 'Minji.Kim.1990@example.com')).toEqual(['SAME_AS_EMAIL']);
  });

  it('given a blocklisted password in another case, when checked, then it is common', () => {
    expect(passwordViolations('QwertyUiop12', email)).toEqual(['COMMON_PASSWORD']);
  });

  it('given one character repeated, when checked, then it is refused', () => {
    expect(passwordViolations('zzzzzzzzzzzzzz', email)).toEqual(['ONE_REPEATED_CHARACTER']);
  });

  it('given a short blank password, when checked, then every violation is reported at once', () => {
    expect(passwordViolations('   ', email)).toEqual(['TOO_SHORT', 'ONE_REPEATED_CHARACTER']);
  });
});
