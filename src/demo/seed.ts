// What the demo page reads from the seed it is written for (seeds/demo.json): the pools with an app
// client, their demo users, and each pool's password policy (shown where a password is chosen).
import seed from '../../seeds/demo.json' with { type: 'json' };
import { describePasswordPolicy, type PasswordPolicy } from './copy.js';

export interface SeedUser {
  username: string;
  password?: string;
  temporaryPassword?: string;
  description?: string;
  totpSecret?: string;
}

export interface SeedPool {
  id: string;
  name: string;
  clients?: Array<{ id: string; name: string }>;
  users?: SeedUser[];
  settings?: { Policies?: { PasswordPolicy?: PasswordPolicy } };
  /** The hosted UI's domain prefix, and the external providers it offers. */
  domain?: string;
  identityProviders?: Array<{ name: string; standIn?: { name: string } }>;
}

/** The pools the page can sign in to (an app client each). */
export const pools: readonly SeedPool[] = (seed as { pools: SeedPool[] }).pools.filter((p) => p.clients?.length);

/**
 * The password rules in a sentence. From the seed rather than DescribeUserPool: that is an admin
 * operation, which a real app's page cannot call, and the seed is what the demo pools were made from.
 */
export function passwordRules(pool: SeedPool): string {
  return describePasswordPolicy(pool.settings?.Policies?.PasswordPolicy ?? COGNITO_DEFAULT_POLICY);
}

/** A pool created without a PasswordPolicy gets Cognito's default. */
const COGNITO_DEFAULT_POLICY: PasswordPolicy = { MinimumLength: 8, RequireUppercase: true, RequireLowercase: true, RequireNumbers: true, RequireSymbols: true };
