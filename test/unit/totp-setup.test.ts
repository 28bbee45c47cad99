// The otpauth:// URI is written by hand (no otpauth library in browser bundles): it must be what otpauth writes.
import { Secret, TOTP } from 'otpauth';
import { totpSetupFor, totpSetupUri } from '../../src/session/totp.js';
import { totpQrCodeSvg } from '../../src/session/totp-qr.js';

const byOtpauth = (secretCode: string, issuer: string, accountName: string) =>
  new TOTP({ issuer, label: accountName, secret: Secret.fromBase32(secretCode), algorithm: 'SHA1', digits: 6, period: 30 }).toString();

describe('totpSetupUri', () => {
  const secret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

  it.each([
    ['AWSCognito', 'alice'],
    ['Example App', 'alice@example.com'],
    ['a:b & c', 'c:d/é?&=#+'],
    ['', 'no-issuer'],
  ])('issuer %j, account %j: the same URI as the otpauth library', (issuer, accountName) => {
    expect(totpSetupUri(secret, { issuer, accountName })).toBe(byOtpauth(secret, issuer, accountName));
  });

  it('random Cognito-sized secrets (32 base32 characters) give the same URI as otpauth', () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
    for (let i = 0; i < 50; i++) {
      const code = Array.from({ length: 32 }, () => alphabet[Math.floor(Math.random() * 32)]).join('');
      expect(totpSetupUri(code, { issuer: 'AWSCognito', accountName: `user${i}` })).toBe(byOtpauth(code, 'AWSCognito', `user${i}`));
    }
  });

  it('writes a lower-case or padded secret canonically, and refuses one that is not base32', () => {
    expect(totpSetupUri('jbswy3dpehpk3pxp====', { issuer: 'I', accountName: 'a' })).toBe(byOtpauth('JBSWY3DPEHPK3PXP', 'I', 'a'));
    expect(() => totpSetupUri('NOT-BASE32!', { issuer: 'I', accountName: 'a' })).toThrow(TypeError);
  });
});

describe('totpSetupFor', () => {
  it('loads the QR encoder on demand and returns the secret, the URI and its QR code', async () => {
    const setup = await totpSetupFor('JBSWY3DPEHPK3PXP', { issuer: 'AWSCognito', accountName: 'alice' });
    expect(setup.sharedSecret).toBe('JBSWY3DPEHPK3PXP');
    expect(setup.setupUri).toBe(byOtpauth('JBSWY3DPEHPK3PXP', 'AWSCognito', 'alice'));
    expect(setup.qrCodeSvg).toMatch(/^<svg[\s\S]*<\/svg>$/);
    expect(setup.qrCodeSvg).toBe(totpQrCodeSvg(setup.setupUri)); // the lazily loaded drawing is the public one
  });
});
