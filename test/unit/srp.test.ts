import vector from '../fixtures/srp-test-vector.json' with { type: 'json' };
import {
  CognitoSrpClient,
  CognitoSrpRoutines,
  N,
  bigIntEngine,
  cognitoHkdf,
  cognitoTimestamp,
  hexToBigInt,
  modPowTwo,
  modPowWindow,
  padHex,
  parseCognitoTimestamp,
  passwordClaimSignature,
} from '../../src/cognito/srp.js';
import { createOpenSslEngine } from '../../src/cognito/srp-node.js';

const engines = [bigIntEngine, createOpenSslEngine()];
const poolId = `us-east-1_${vector.poolName}`;
const a = hexToBigInt(vector.a);
const challenge = {
  userIdForSrp: vector.username,
  srpB: vector.SRP_B,
  salt: vector.SALT,
  secretBlock: vector.SECRET_BLOCK,
};
const at = new Date(Date.UTC(2024, 8, 3, 7, 5, 21));

describe('padHex (Java BigInteger byte layout)', () => {
  it.each([
    [0n, '00'],
    [1n, '01'],
    [2n, '02'],
    [0x7fn, '7f'],
    [0x80n, '0080'],
    [0xffn, '00ff'],
    [0x100n, '0100'],
    [0x7fffn, '7fff'],
    [0x8000n, '008000'],
  ])('padHex(%s) = %s', (n, hex) => expect(padHex(n)).toBe(hex));

  it('pads N to 385 bytes', () => expect(padHex(N)).toHaveLength(770));
  it('rejects negative numbers', () => expect(() => padHex(-1n)).toThrow(RangeError));
});

describe('modular exponentiation backends agree with a naive reference', () => {
  const naive = (b: bigint, e: bigint, m: bigint): bigint => {
    let r = 1n;
    b %= m;
    while (e > 0n) {
      if (e & 1n) r = (r * b) % m;
      b = (b * b) % m;
      e >>= 1n;
    }
    return r;
  };
  const samples = [0n, 1n, 2n, 31n, 32n, 0xdeadbeefn, hexToBigInt(vector.x), a];
  it.each(samples.map((e) => [e]))('2^%s', (e) => {
    const expected = naive(2n, e, N);
    expect(modPowTwo(e, N)).toBe(expected);
    for (const engine of engines) expect(engine.powG(e)).toBe(expected);
  });
  it('base^e for arbitrary bases', () => {
    const B = hexToBigInt(vector.SRP_B);
    for (const e of samples) {
      const expected = naive(B, e, N);
      expect(modPowWindow(B, e, N)).toBe(expected);
      for (const engine of engines) expect(engine.modPow(B, e)).toBe(expected);
    }
  });
});

describe.each(engines.map((e) => [e.name, e] as const))('Cognito SRP on the shared vector (%s)', (_name, engine) => {
  const routines = new CognitoSrpRoutines(engine);

  it('k', async () => expect((await routines.computeK()).toString(16)).toBe(vector.k));
  it('x', async () => {
    const x = await routines.computeX(vector.poolName + vector.username, hexToBigInt(vector.SALT), vector.password);
    expect(x.toString(16)).toBe(vector.x);
  });
  it('v', () => expect(routines.computeVerifier(hexToBigInt(vector.x)).toString(16)).toBe(vector.v));
  it('A', () => expect(new CognitoSrpClient(poolId, engine).createEphemeral(a).A.toString(16)).toBe(vector.SRP_A));
  it('u', async () => {
    const u = await routines.computeU(hexToBigInt(vector.SRP_A), hexToBigInt(vector.SRP_B));
    expect(u.toString(16)).toBe(vector.u);
  });
  it('S and the HKDF key', async () => {
    const S = routines.computeClientSessionKey(
      await routines.computeK(),
      hexToBigInt(vector.x),
      hexToBigInt(vector.u),
      a,
      hexToBigInt(vector.SRP_B),
    );
    expect(S.toString(16)).toBe(vector.S);
    const key = await cognitoHkdf(S, hexToBigInt(vector.u));
    expect(Buffer.from(key).toString('hex')).toBe(vector.hkdf_key);
  });
  it('PASSWORD_CLAIM_SIGNATURE, end to end', async () => {
    const client = new CognitoSrpClient(poolId, engine);
    const claim = await client.passwordClaim(client.createEphemeral(a), challenge, vector.password, at);
    expect(claim).toEqual({ signature: vector.PASSWORD_CLAIM_SIGNATURE, timestamp: vector.TIMESTAMP });
  });
});

describe('SRP against wrong inputs', () => {
  const client = new CognitoSrpClient(poolId);
  const eph = client.createEphemeral(a);
  const sign = (over: Partial<typeof challenge>, password = vector.password) =>
    client.passwordClaim(eph, { ...challenge, ...over }, password, at).then((c) => c.signature);

  it('a wrong password gives a different signature', async () => {
    expect(await sign({}, 'Passw0rd?')).not.toBe(vector.PASSWORD_CLAIM_SIGNATURE);
  });
  it('a different user id gives a different signature', async () => {
    expect(await sign({ userIdForSrp: 'bob' })).not.toBe(vector.PASSWORD_CLAIM_SIGNATURE);
  });
  it('a different salt gives a different signature', async () => {
    expect(await sign({ salt: vector.SALT.replace('a1', 'a2') })).not.toBe(vector.PASSWORD_CLAIM_SIGNATURE);
  });
  it('a different secret block gives a different signature', async () => {
    expect(await sign({ secretBlock: Buffer.from('other').toString('base64') })).not.toBe(
      vector.PASSWORD_CLAIM_SIGNATURE,
    );
  });
  it('B = 0 mod N is refused', async () => {
    await expect(sign({ srpB: '0' })).rejects.toThrow(/B must not be 0/);
    await expect(sign({ srpB: N.toString(16) })).rejects.toThrow(/B must not be 0/);
  });
  it('non-hex B or salt is refused', async () => {
    await expect(sign({ srpB: 'xyz' })).rejects.toThrow(RangeError);
    await expect(sign({ salt: 'not hex' })).rejects.toThrow(RangeError);
  });
  it('a fresh random ephemeral signs differently but A is never 0', async () => {
    const other = client.createEphemeral();
    expect(other.A % N).not.toBe(0n);
    expect(other.a).not.toBe(a);
  });
  it('prepared ephemerals are distinct and ready ahead of time', async () => {
    client.prepare();
    const first = await client.takeEphemeral();
    const second = await client.takeEphemeral();
    expect(first.a).not.toBe(second.a);
  });
  it('signature helper matches the vector directly', async () => {
    const key = Buffer.from(vector.hkdf_key, 'hex');
    expect(
      await passwordClaimSignature(key, vector.poolName, vector.username, vector.SECRET_BLOCK, vector.TIMESTAMP),
    ).toBe(vector.PASSWORD_CLAIM_SIGNATURE);
  });
});

describe('Cognito TIMESTAMP', () => {
  it.each([
    [Date.UTC(2024, 8, 3, 7, 5, 21), 'Tue Sep 3 07:05:21 UTC 2024'],
    [Date.UTC(2000, 1, 1, 3, 4, 5), 'Tue Feb 1 03:04:05 UTC 2000'],
    [Date.UTC(2018, 1, 4, 11, 8, 36), 'Sun Feb 4 11:08:36 UTC 2018'],
    [Date.UTC(2026, 10, 26, 23, 59, 59), 'Thu Nov 26 23:59:59 UTC 2026'],
  ])('formats %s as %s', (ms, text) => {
    expect(cognitoTimestamp(new Date(ms))).toBe(text);
    expect(parseCognitoTimestamp(text)?.getTime()).toBe(ms);
  });
  it.each([
    'Tue Sep 03 07:05:21 UTC 2024', // zero-padded day
    'Wed Sep 3 07:05:21 UTC 2024', // wrong weekday
    'Tue Sep 3 7:05:21 UTC 2024',
    'Tue Sep 3 07:05:21 GMT 2024',
    '2024-09-03T07:05:21Z',
    '',
  ])('refuses %j', (text) => expect(parseCognitoTimestamp(text)).toBeUndefined());
});
