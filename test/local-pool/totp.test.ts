// The local pool's TOTP helper against RFC 6238 Appendix B and RFC 4226 Appendix D,
// plus the window and secret rules the pool relies on.
import { isBase32Secret, matchTotp, newTotpSecret, totpCode, totpCodeAtStep, totpSecondsLeft, totpStep } from '../../src/local-pool/crypto/totp.js';

const ascii = (text: string) => new TextEncoder().encode(text);
const SEED = {
  SHA1: ascii('12345678901234567890'),
  SHA256: ascii('12345678901234567890123456789012'),
  SHA512: ascii('1234567890123456789012345678901234567890123456789012345678901234'),
};

// RFC 6238 Appendix B: T (seconds) -> 8-digit TOTP, X = 30, T0 = 0.
const RFC6238: Array<[number, string, string, string]> = [
  [59, '94287082', '46119246', '90693936'],
  [1111111109, '07081804', '68084774', '25091201'],
  [1111111111, '14050471', '67062674', '99943326'],
  [1234567890, '89005924', '91819424', '93441116'],
  [2000000000, '69279037', '90698825', '38618901'],
  [20000000000, '65353130', '77737706', '47863826'],
];

describe('RFC 6238 Appendix B', () => {
  it.each(RFC6238)('T=%d: SHA1 %s, SHA256 %s, SHA512 %s', (seconds, sha1, sha256, sha512) => {
    const at = seconds * 1000;
    expect(totpCode(SEED.SHA1, at, { digits: 8 })).toBe(sha1);
    expect(totpCode(SEED.SHA256, at, { digits: 8, algorithm: 'SHA256' })).toBe(sha256);
    expect(totpCode(SEED.SHA512, at, { digits: 8, algorithm: 'SHA512' })).toBe(sha512);
    // Cognito's 6 digits are the last six of the same value.
    expect(totpCode(SEED.SHA1, at)).toBe(sha1.slice(-6));
  });

  it('takes the base32 form of the secret (what AssociateSoftwareToken returns)', () => {
    // base32("12345678901234567890")
    expect(totpCode('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', 59_000, { digits: 8 })).toBe('94287082');
    expect(totpCode('gezd gnbv gy3t qojq gezd gnbv gy3t qojq', 59_000)).toBe('287082');
  });
});

describe('RFC 4226 Appendix D (HOTP, counters 0-9)', () => {
  it('matches', () => {
    const expected = ['755224', '287082', '359152', '969429', '338314', '254676', '287922', '162583', '399871', '520489'];
    expect(expected.map((_, counter) => totpCodeAtStep(SEED.SHA1, counter))).toEqual(expected);
  });
});

describe('checking a code', () => {
  const secret = SEED.SHA1;
  const now = 1_111_111_111_000;

  it('finds the step within one step either side, not further', () => {
    const step = totpStep(now);
    expect(matchTotp(secret, totpCode(secret, now), now)).toBe(step);
    expect(matchTotp(secret, totpCode(secret, now - 30_000), now)).toBe(step - 1);
    expect(matchTotp(secret, totpCode(secret, now + 30_000), now)).toBe(step + 1);
    expect(matchTotp(secret, totpCode(secret, now - 60_000), now)).toBeNull();
    expect(matchTotp(secret, totpCode(secret, now + 60_000), now)).toBeNull();
    expect(matchTotp(secret, 'abcdef', now)).toBeNull();
    expect(matchTotp(secret, '1234567', now)).toBeNull();
  });

  it('steps are 30 s; seconds left count down to the next code', () => {
    expect(totpStep(59_000)).toBe(1);
    expect(totpStep(60_000)).toBe(2);
    expect(totpSecondsLeft(60_000)).toBe(30);
    expect(totpSecondsLeft(89_000)).toBe(1);
  });
});

describe('secrets', () => {
  it('new secrets are 32 base32 characters (160 bits) and differ', () => {
    const a = newTotpSecret();
    expect(a).toMatch(/^[A-Z2-7]{32}$/);
    expect(newTotpSecret()).not.toBe(a);
    expect(isBase32Secret(a)).toBe(true);
    expect(isBase32Secret('TOO SHORT')).toBe(false);
    expect(isBase32Secret('0189018901890189')).toBe(false);
  });
});
