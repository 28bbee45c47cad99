// The metadata-record / metadata-claims Lambda functions (test/integration/functions): the LambdaConfig that wires
// them into a pool, and what each trigger recorded of the ClientMetadata it was given (a JSON line per invocation, in
// a file of this process's own named by METADATA_RECORD).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const METADATA_FUNCTIONS = resolve(__dirname, '../integration/functions');

export interface TriggerRecord {
  readonly triggerSource: string;
  readonly userName: string;
  readonly clientMetadata: Record<string, string> | null;
  readonly validationData: Record<string, string> | null;
}

const arn = (name: string) => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;

/** Every trigger that takes ClientMetadata records it; PreTokenGeneration writes it into the ID token's client_metadata claim. */
export const METADATA_LAMBDA_CONFIG = {
  PreSignUp: arn('metadata-record'),
  CustomMessage: arn('metadata-record'),
  PostConfirmation: arn('metadata-record'),
  PreAuthentication: arn('metadata-record'),
  PostAuthentication: arn('metadata-record'),
  PreTokenGeneration: arn('metadata-claims'),
};

/** Points METADATA_RECORD at a fresh file; call before the pool starts its functions. */
export function triggerRecorder(): { records: () => TriggerRecord[]; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'authchart-metadata-'));
  const file = join(dir, 'triggers.jsonl');
  process.env['METADATA_RECORD'] = file;
  const records = (): TriggerRecord[] => {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      return []; // no trigger has run yet
    }
    return text
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as TriggerRecord);
  };
  return { records, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
