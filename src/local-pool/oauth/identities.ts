// The `identities` attribute Cognito keeps on users who signed in through an external provider: a
// JSON list, as AdminGetUser shows it; in ID tokens the same list with every value a string.
export interface ExternalIdentity {
  userId: string;
  providerName: string;
  providerType: string;
  issuer: string | null;
  primary: boolean;
  dateCreated: number;
}

export const IDENTITIES_ATTRIBUTE = 'identities';

export function readIdentities(attributes: Record<string, string>): ExternalIdentity[] {
  const text = attributes[IDENTITIES_ATTRIBUTE];
  if (!text) return [];
  try {
    const parsed: unknown = JSON.parse(text);
    return Array.isArray(parsed) ? (parsed as ExternalIdentity[]) : [];
  } catch {
    return [];
  }
}

/** The attributes with `identity` in the list (the first one is the primary identity). */
export function withIdentity(attributes: Record<string, string>, identity: Omit<ExternalIdentity, 'primary'>): Record<string, string> {
  const current = readIdentities(attributes);
  if (current.some((i) => i.providerName === identity.providerName && i.userId === identity.userId)) return attributes;
  const next = [...current, { ...identity, primary: current.length === 0 }];
  return { ...attributes, [IDENTITIES_ATTRIBUTE]: JSON.stringify(next) };
}

export function withoutIdentity(attributes: Record<string, string>, providerName: string, userId: string): Record<string, string> {
  const current = readIdentities(attributes);
  const next = current.filter((i) => !(i.providerName === providerName && i.userId === userId));
  if (next.length === current.length) return attributes;
  const { [IDENTITIES_ATTRIBUTE]: _dropped, ...rest } = attributes;
  if (next.length === 0) return rest;
  return { ...rest, [IDENTITIES_ATTRIBUTE]: JSON.stringify(next.map((i, index) => ({ ...i, primary: index === 0 }))) };
}

/** The ID token's identities claim: the list with its values as strings (issuer stays null), as Cognito signs it. */
export function identitiesClaim(text: string): Array<Record<string, string | null>> | undefined {
  const list = readIdentities({ [IDENTITIES_ATTRIBUTE]: text });
  if (list.length === 0) return undefined;
  return list.map((i) => ({
    dateCreated: String(i.dateCreated),
    userId: i.userId,
    providerName: i.providerName,
    providerType: i.providerType,
    issuer: i.issuer,
    primary: String(i.primary),
  }));
}
