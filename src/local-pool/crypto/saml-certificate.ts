// The self-signed X.509 certificate a pool signs SAML requests with (GetSigningCertificate):
// an RSA-2048 key, sha256WithRSAEncryption, subject = issuer = CN=<pool id>, ten years valid.
import { createPublicKey, generateKeyPair, randomBytes, sign, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import {
  derBitString,
  derBoolean,
  derExplicit,
  derInteger,
  derNull,
  derObjectIdentifier,
  derOctetString,
  derSequence,
  derSet,
  derUnsignedInteger,
  derUtf8String,
  derX509Time,
} from './der.js';

const OID = {
  sha256WithRsa: '1.2.840.113549.1.1.11',
  commonName: '2.5.4.3',
  keyUsage: '2.5.29.15',
  basicConstraints: '2.5.29.19',
} as const;

export const CERTIFICATE_VALIDITY_YEARS = 10;

export interface CertificateRequest {
  /** CN of the subject (and issuer: the certificate is self-signed). */
  commonName: string;
  notBefore: Date;
  notAfter: Date;
  /** Positive, at most 20 bytes (RFC 5280 4.1.2.2). */
  serialNumber: Buffer;
  privateKey: KeyObject;
}

const sha256WithRsa = () => derSequence(derObjectIdentifier(OID.sha256WithRsa), derNull());

const name = (commonName: string) => derSequence(derSet(derSequence(derObjectIdentifier(OID.commonName), derUtf8String(commonName))));

/** keyUsage (critical): digitalSignature only; basicConstraints: not a CA. */
const extensions = () =>
  derExplicit(
    3,
    derSequence(
      derSequence(derObjectIdentifier(OID.keyUsage), derBoolean(true), derOctetString(derBitString(Buffer.from([0b1000_0000]), 7))),
      derSequence(derObjectIdentifier(OID.basicConstraints), derOctetString(derSequence())),
    ),
  );

/** The DER of a v3 certificate signed by its own key. */
export function selfSignedCertificate(request: CertificateRequest): Buffer {
  const publicKeyInfo = createPublicKey(request.privateKey).export({ type: 'spki', format: 'der' });
  const tbs = derSequence(
    derExplicit(0, derInteger(2)), // v3
    derUnsignedInteger(request.serialNumber),
    sha256WithRsa(),
    name(request.commonName),
    derSequence(derX509Time(request.notBefore), derX509Time(request.notAfter)),
    name(request.commonName),
    publicKeyInfo,
    extensions(),
  );
  return derSequence(tbs, sha256WithRsa(), derBitString(sign('sha256', tbs, request.privateKey)));
}

export interface SigningCertificate {
  privateKeyPem: string;
  certificateDer: Buffer;
}

const generateRsaKeyPair = promisify(generateKeyPair);

/** A new key and the certificate for it, valid from `now` (whole seconds) for ten years. */
export async function newSamlSigningCertificate(commonName: string, now: number): Promise<SigningCertificate> {
  const { privateKey } = await generateRsaKeyPair('rsa', { modulusLength: 2048 });
  const notBefore = new Date(Math.floor(now / 1000) * 1000);
  const notAfter = new Date(notBefore);
  notAfter.setUTCFullYear(notAfter.getUTCFullYear() + CERTIFICATE_VALIDITY_YEARS);
  // 16 random bytes with the top bit clear: positive, and 16 bytes long in DER.
  const serialNumber = randomBytes(16);
  serialNumber[0] = (serialNumber[0]! & 0x7f) | 0x01;
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    certificateDer: selfSignedCertificate({ commonName, notBefore, notAfter, serialNumber, privateKey }),
  };
}
