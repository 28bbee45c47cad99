// Remembered devices' secrets, in the same storage as the tokens but outliving them: signing out clears the
// tokens, not the device, so the next sign-in of that user on this browser can skip MFA. Kept per canonical user
// name (USER_ID_FOR_SRP / the token's username), as Cognito's own clients do, so an alias sign-in finds it too.
// Never in the chart's context: the device password is a credential.
import type { NewDeviceMetadata } from '../cognito/port.js';
import type { DeviceSecret } from '../cognito/srp.js';
import type { KeyValueStorage } from './storage.js';

/** A device Cognito just issued (NewDeviceMetadata), waiting for ConfirmDevice; in memory only, for moments. */
export interface PendingDevice {
  readonly username: string;
  readonly loginId: string | undefined;
  readonly metadata: NewDeviceMetadata;
}

export class DeviceStore {
  private readonly prefix: string;
  private readonly aliasPrefix: string;
  private pending: PendingDevice | null = null;

  constructor(private readonly storage: KeyValueStorage, clientId: string) {
    this.prefix = `authchart.${clientId}.device.`;
    this.aliasPrefix = `authchart.${clientId}.deviceAlias.`;
  }

  /** Tokens came with NewDeviceMetadata: kept until the chart confirms the device (the newest sign-in wins). */
  offer(pending: PendingDevice): void {
    this.pending = pending;
  }

  takePending(): PendingDevice | null {
    const pending = this.pending;
    this.pending = null;
    return pending;
  }

  /**
   * The device for what the user typed: the canonical name itself, or the canonical name a sign-in with this login id
   * (an alias: e-mail, phone, preferred_username) confirmed the device under.
   */
  async loadFor(loginId: string): Promise<(DeviceSecret & { readonly username: string }) | null> {
    const direct = await this.load(loginId);
    if (direct) return { ...direct, username: loginId };
    const canonical = await this.storage.getItem(this.aliasPrefix + encodeURIComponent(loginId));
    if (!canonical || canonical === loginId) return null;
    const aliased = await this.load(canonical);
    return aliased ? { ...aliased, username: canonical } : null;
  }

  keyOf(username: string): string {
    return this.prefix + encodeURIComponent(username);
  }

  /** The device this user confirmed here, or null (unreadable entries count as none and are dropped). */
  async load(username: string): Promise<DeviceSecret | null> {
    const text = await this.storage.getItem(this.keyOf(username));
    if (!text) return null;
    try {
      const parsed = JSON.parse(text) as Partial<Record<keyof DeviceSecret, unknown>> | null;
      const { deviceKey, deviceGroupKey, devicePassword } = parsed ?? {};
      if (typeof deviceKey === 'string' && typeof deviceGroupKey === 'string' && typeof devicePassword === 'string' && deviceKey && deviceGroupKey && devicePassword) {
        return { deviceKey, deviceGroupKey, devicePassword };
      }
    } catch {
      // fall through
    }
    await this.storage.removeItem(this.keyOf(username));
    return null;
  }

  async save(username: string, secret: DeviceSecret, loginId?: string): Promise<void> {
    const { deviceKey, deviceGroupKey, devicePassword } = secret;
    await this.storage.setItem(this.keyOf(username), JSON.stringify({ deviceKey, deviceGroupKey, devicePassword }));
    if (loginId && loginId !== username) await this.storage.setItem(this.aliasPrefix + encodeURIComponent(loginId), username);
  }

  /** Drops it: Cognito forgot the device ("Device does not exist.") or the user did. */
  async forget(username: string, deviceKey?: string): Promise<void> {
    if (deviceKey !== undefined && (await this.load(username))?.deviceKey !== deviceKey) return;
    await this.storage.removeItem(this.keyOf(username));
  }
}
