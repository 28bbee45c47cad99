// decodeClaims replaced jose's decodeJwt in the client: the same claims for real JWTs, and refusals for non-JWTs.
import { SignJWT, decodeJwt, generateKeyPair } from 'jose';
import { decodeClaims } from '../../src/session/tokens.js';

describe('decodeClaims', () => {
  it('reads what jose reads from signed tokens (unicode, nested, arrays; base64url without padding)', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    for (const extra of [{}, { name: 'Zoë Ünïcödé ✓ 🎉' }, { 'cognito:groups': ['a', 'b'], nested: { x: 1 } }, { pad: 'x' }, { pad: 'xy' }]) {
      const token = await new SignJWT({ token_use: 'access', ...extra }).setProtectedHeader({ alg: 'RS256' }).setSubject('sub-1').setIssuedAt().setExpirationTime('1h').sign(privateKey);
      expect(decodeClaims(token)).toEqual(decodeJwt(token));
    }
  });

  it.each([
    ['two parts', 'a.b'],
    ['not base64url JSON', 'a.!!!.c'],
    ['JSON that is not an object', `a.${Buffer.from('[1,2]').toString('base64url')}.c`],
    ['a string payload', `a.${Buffer.from('"x"').toString('base64url')}.c`],
  ])('refuses %s', (_label, token) => {
    expect(() => decodeClaims(token)).toThrow(TypeError);
  });
});
