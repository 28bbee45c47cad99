// The local pool's DER encoder against encodings written out by hand from X.690 (and the well-known
// bytes of common OIDs), then a certificate made with it read back by node's X509Certificate and by
// openssl (an independent parser).
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  derBitString,
  derBoolean,
  derExplicit,
  derGeneralizedTime,
  derInteger,
  derLength,
  derNull,
  derObjectIdentifier,
  derOctetString,
  derPrintableString,
  derSequence,
  derSet,
  derUnsignedInteger,
  derUtcTime,
  derUtf8String,
  derX509Time,
} from '../../src/local-pool/crypto/der.js';
import { selfSignedCertificate } from '../../src/local-pool/crypto/saml-certificate.js';

const hex = (b: Buffer) => b.toString('hex');

it('lengths: short form below 128, long form with the fewest bytes above', () => {
  expect(hex(derLength(0))).toBe('00');
  expect(hex(derLength(127))).toBe('7f');
  expect(hex(derLength(128))).toBe('8180');
  expect(hex(derLength(255))).toBe('81ff');
  expect(hex(derLength(256))).toBe('820100');
  expect(hex(derLength(65536))).toBe('83010000');
  expect(() => derLength(-1)).toThrow(RangeError);
  expect(hex(derOctetString(Buffer.alloc(200, 0xab))).slice(0, 8)).toBe('0481c8ab');
});

it('integers: minimal two’s complement, a 0x00 in front of a set top bit', () => {
  const cases: Array<[bigint | number, string]> = [
    [0, '020100'],
    [1, '020101'],
    [127, '02017f'],
    [128, '02020080'],
    [255, '020200ff'],
    [256, '02020100'],
    [-1, '0201ff'],
    [-128, '020180'],
    [-129, '0202ff7f'],
    [2n ** 64n, '0209010000000000000000'],
  ];
  for (const [value, encoding] of cases) expect([value, hex(derInteger(value))]).toEqual([value, encoding]);
  expect(hex(derUnsignedInteger(Buffer.from('00ff', 'hex')))).toBe('020200ff');
  expect(hex(derUnsignedInteger(Buffer.from('00007f', 'hex')))).toBe('02017f');
  expect(hex(derUnsignedInteger(Buffer.from('80', 'hex')))).toBe('02020080');
  expect(hex(derUnsignedInteger(Buffer.alloc(0)))).toBe('020100');
});

it('object identifiers: 40·a + b, then base-128 arcs', () => {
  expect(hex(derObjectIdentifier('1.2.840.113549.1.1.11'))).toBe('06092a864886f70d01010b');
  expect(hex(derObjectIdentifier('2.5.4.3'))).toBe('0603550403');
  expect(hex(derObjectIdentifier('2.999.3'))).toBe('0603883703'); // X.690's own example
  expect(hex(derObjectIdentifier('1.3.6.1.4.1.311.21.20'))).toBe('06092b0601040182371514');
  expect(() => derObjectIdentifier('1.40')).toThrow(RangeError);
  expect(() => derObjectIdentifier('3.1')).toThrow(RangeError);
  expect(() => derObjectIdentifier('1')).toThrow(RangeError);
});

it('null, boolean, strings, explicit tags, sequences; a SET OF is sorted', () => {
  expect(hex(derNull())).toBe('0500');
  expect(hex(derBoolean(true))).toBe('0101ff');
  expect(hex(derBoolean(false))).toBe('010100');
  expect(hex(derUtf8String('é'))).toBe('0c02c3a9');
  expect(hex(derPrintableString('Test CA'))).toBe('130754657374204341');
  expect(() => derPrintableString('a@b')).toThrow(RangeError);
  expect(hex(derExplicit(0, derInteger(2)))).toBe('a003020102');
  expect(hex(derSequence())).toBe('3000');
  expect(hex(derSequence(derInteger(1), derNull()))).toBe('30050201010500');
  expect(hex(derSet(derInteger(2), derInteger(1)))).toBe('3106020101020102');
});

it('bit strings: the unused-bit count first, and those bits zero', () => {
  expect(hex(derBitString(Buffer.from('abcd', 'hex')))).toBe('030300abcd');
  expect(hex(derBitString(Buffer.from([0x80]), 7))).toBe('03020780');
  expect(hex(derBitString(Buffer.alloc(0)))).toBe('030100');
  expect(() => derBitString(Buffer.from([0x81]), 7)).toThrow(RangeError);
  expect(() => derBitString(Buffer.from([0x80]), 8)).toThrow(RangeError);
});

it('times: UTCTime through 2049, GeneralizedTime from 2050 (RFC 5280)', () => {
  const t = new Date(Date.UTC(2019, 11, 15, 19, 2, 10));
  expect(derUtcTime(t).subarray(2).toString('ascii')).toBe('191215190210Z');
  expect(hex(derUtcTime(t).subarray(0, 2))).toBe('170d');
  expect(derGeneralizedTime(new Date(Date.UTC(2050, 0, 1))).toString('hex')).toBe('180f' + Buffer.from('20500101000000Z').toString('hex'));
  expect(derX509Time(new Date(Date.UTC(2049, 11, 31, 23, 59, 59)))[0]).toBe(0x17);
  expect(derX509Time(new Date(Date.UTC(2050, 0, 1)))[0]).toBe(0x18);
  expect(() => derUtcTime(new Date(Date.UTC(2050, 0, 1)))).toThrow(RangeError);
});

describe('a self-signed certificate', () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const notBefore = new Date(Date.UTC(2026, 0, 2, 3, 4, 5));
  const notAfter = new Date(Date.UTC(2056, 0, 2, 3, 4, 5)); // GeneralizedTime
  const der = selfSignedCertificate({ commonName: 'us-east-1_Example', notBefore, notAfter, serialNumber: Buffer.from('00c0ffee', 'hex'), privateKey });

  it('parses, carries what was asked for, and verifies with its own key', () => {
    const x509 = new X509Certificate(der);
    expect(x509.subject).toBe('CN=us-east-1_Example');
    expect(x509.issuer).toBe('CN=us-east-1_Example');
    expect(x509.serialNumber.toLowerCase()).toBe('c0ffee');
    expect(new Date(x509.validFrom).getTime()).toBe(notBefore.getTime());
    expect(new Date(x509.validTo).getTime()).toBe(notAfter.getTime());
    expect(x509.ca).toBe(false);
    expect(x509.publicKey.export({ format: 'jwk' })).toEqual(publicKey.export({ format: 'jwk' }));
    expect(x509.verify(x509.publicKey)).toBe(true);
    expect(x509.verify(generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey)).toBe(false);
  });

  it('openssl reads it as v3 with sha256WithRSAEncryption and a critical digitalSignature key usage', () => {
    const dir = mkdtempSync(join(tmpdir(), 'authchart-der-'));
    try {
      const file = join(dir, 'cert.der');
      writeFileSync(file, der);
      const text = execFileSync('openssl', ['x509', '-inform', 'DER', '-in', file, '-noout', '-text'], { encoding: 'utf8' });
      expect(text).toMatch(/Version: 3 \(0x2\)/);
      expect(text).toMatch(/Signature Algorithm: sha256WithRSAEncryption/);
      expect(text).toMatch(/Public-Key: \(2048 bit\)/);
      expect(text).toMatch(/X509v3 Key Usage: critical\s+Digital Signature\s/);
      expect(text).toMatch(/CA:FALSE/);
      execFileSync('openssl', ['verify', '-check_ss_sig', '-partial_chain', '-CAfile', writeCaPem(dir, der), writeCaPem(dir, der, 'leaf.pem')]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

function writeCaPem(dir: string, der: Buffer, name = 'ca.pem'): string {
  const path = join(dir, name);
  writeFileSync(path, new X509Certificate(der).toString());
  return path;
}
