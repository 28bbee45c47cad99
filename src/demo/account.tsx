// The signed-in user's account: attributes and their verification, two-step verification (the MFA
// preference), the password, passkeys, remembered devices, deleting the account. Each operation that ends without an
// error says so once (role="status"); an error is shown at its field.
import { useEffect, useState, type ReactNode } from 'react';
import type { AuthView, MfaType } from '../index.js';
import type { useAuth } from '../frameworks/react.js';
import { MFA_LABELS } from './copy.js';
import { CODE_INPUT, described, FieldError, NewPasswordInput, OneFieldForm, deliveryWords } from './forms.js';
import { PASSKEY_USER } from './tools.js';

type Commands = ReturnType<typeof useAuth>['commands'];
type SignedInView = Extract<AuthView, { route: 'signedIn' }>;
type Run = (done: string, action: () => void) => void;

const rememberPasskeyUser = (username: string | undefined) => {
  if (username) window.localStorage.setItem(PASSKEY_USER, username);
};

export function Account({ view, commands }: { view: SignedInView; commands: Commands }): ReactNode {
  const { error, busy } = view;
  const [pending, setPending] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  // One notice when an operation ends without an error.
  useEffect(() => {
    if (busy || !pending) return;
    setNotice(error ? null : pending);
    setPending(null);
  }, [busy, error]);
  const run: Run = (done, action) => {
    setNotice(null);
    setPending(done);
    action();
  };
  return (
    <section className="account" aria-label="account">
      <h3>Your account</h3>
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      <Attributes view={view} commands={commands} run={run} />
      <MfaSettings view={view} commands={commands} run={run} />
      <ChangePassword view={view} commands={commands} run={run} />
      <Passkeys view={view} commands={commands} run={run} />
      <Devices view={view} commands={commands} run={run} />
      <DeleteAccount view={view} commands={commands} />
    </section>
  );
}

interface PartProps {
  view: SignedInView;
  commands: Commands;
  run: Run;
}

function Attributes({ view, commands, run }: PartProps): ReactNode {
  const { error, busy, userAttributes, attributeDelivery } = view;
  const [update, setUpdate] = useState({ name: 'email', value: '' });
  const [verifyName, setVerifyName] = useState('email');
  return (
    <>
      <div className="subform">
        <h4>Your details</h4>
        <div className="row">
          <button type="button" className="secondary" disabled={busy} onClick={() => run('Your details are loaded.', commands.fetchUserAttributes)}>
            {userAttributes ? 'Reload my attributes' : 'Show my attributes'}
          </button>
        </div>
        {userAttributes && (
          <table data-testid="user-attributes">
            <tbody>
              {Object.entries(userAttributes).map(([name, value]) => (
                <tr key={name}>
                  <th scope="row">{name}</th>
                  <td>{value}</td>
                  <td>
                    {/* sub cannot go, and a verified flag goes with its address */}
                    {name !== 'sub' && !name.endsWith('_verified') && (
                      <button type="button" className="link" disabled={busy} aria-label={`Remove ${name}`} onClick={() => run(`Your ${name} is removed.`, () => commands.deleteUserAttributes([name]))}>
                        Remove
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>

      <form
        aria-label="update an attribute"
        onSubmit={(e) => {
          e.preventDefault();
          run(`Your ${update.name} is updated.`, () => commands.updateUserAttributes({ [update.name]: update.value }));
        }}
      >
        <h4>Update an attribute</h4>
        <div className="row">
          <label>
            Attribute
            <select name="attributeName" value={update.name} onChange={(e) => setUpdate({ ...update, name: e.target.value })}>
              <option value="email">email</option>
              <option value="name">name</option>
              <option value="nickname">nickname</option>
            </select>
          </label>
          <label className="grow">
            New value
            <input name="attributeValue" value={update.value} onChange={(e) => setUpdate({ ...update, value: e.target.value })} {...described(error, 'attributes', 'update-error')} />
          </label>
        </div>
        <FieldError error={error} field="attributes" id="update-error" />
        <button type="submit" disabled={busy}>
          Update
        </button>
      </form>

      <div className="subform">
        <h4>Verify an attribute</h4>
        <div className="row">
          <label>
            Attribute to verify
            <select name="verifyName" value={verifyName} onChange={(e) => setVerifyName(e.target.value)} {...described(error, 'attributeName', 'verify-name-error')}>
              <option value="email">email</option>
              <option value="phone_number">phone_number</option>
            </select>
          </label>
          <button type="button" className="secondary" disabled={busy} onClick={() => run(`A code for your ${verifyName} is on its way.`, () => commands.sendAttributeCode(verifyName))}>
            Send a verification code
          </button>
        </div>
        <FieldError error={error} field="attributeName" id="verify-name-error" />
        {attributeDelivery && (
          <OneFieldForm
            aria-label="verify an attribute"
            busy={busy}
            error={error}
            label="Verification code"
            input={{ ...CODE_INPUT, name: 'attributeCode' }}
            fields={['code']}
            errorId="verify-code-error"
            button="Verify"
            clearOnSubmit
            onSubmit={(code) => run(`Your ${attributeDelivery.attributeName} is verified.`, () => commands.verifyAttribute(attributeDelivery.attributeName, code))}
            before={
              <p>
                We sent a code for your <strong>{attributeDelivery.attributeName}</strong> by {deliveryWords(attributeDelivery.deliveryMedium)} to{' '}
                <span className="mono">{attributeDelivery.destination}</span> (see the outbox).
              </p>
            }
          />
        )}
      </div>
    </>
  );
}

const MFA_TYPES: readonly MfaType[] = ['TOTP', 'SMS', 'EMAIL'];

/** Two-step verification: which second steps are on, and which one sign-in asks for first. */
function MfaSettings({ view, commands, run }: PartProps): ReactNode {
  const { busy, error, mfaPreference } = view;
  const [enabled, setEnabled] = useState<readonly MfaType[]>([]);
  const [preferred, setPreferred] = useState<MfaType | null>(null);
  useEffect(() => {
    setEnabled(mfaPreference?.enabled ?? []);
    setPreferred(mfaPreference?.preferred ?? null);
  }, [mfaPreference]);
  const toggle = (type: MfaType, on: boolean) => {
    setEnabled(on ? [...enabled, type] : enabled.filter((t) => t !== type));
    if (!on && preferred === type) setPreferred(null);
  };
  const save = () => {
    // Only what changed: enabling SMS, say, for an account without a phone number would be refused.
    const update: Partial<Record<'sms' | 'totp' | 'email', 'PREFERRED' | 'NOT_PREFERRED' | 'DISABLED'>> = {};
    for (const type of MFA_TYPES) {
      const wasOn = mfaPreference?.enabled.includes(type) ?? false;
      const wasPreferred = mfaPreference?.preferred === type;
      const on = enabled.includes(type);
      if (on === wasOn && (preferred === type) === wasPreferred) continue;
      update[type.toLowerCase() as 'sms' | 'totp' | 'email'] = !on ? 'DISABLED' : preferred === type ? 'PREFERRED' : 'NOT_PREFERRED';
    }
    run('Your two-step verification settings are saved.', () => commands.updateMfaPreference(update));
  };
  return (
    <div className="subform" aria-labelledby="mfa-title" role="group">
      <h4 id="mfa-title">Two-step verification</h4>
      {!mfaPreference ? (
        <div className="row">
          <button type="button" className="secondary" disabled={busy} onClick={() => run('Your two-step verification settings are loaded.', commands.fetchMfaPreference)}>
            Show my two-step verification
          </button>
          <button type="button" className="secondary" disabled={busy} onClick={commands.setUpTotp}>
            Add an authenticator app
          </button>
        </div>
      ) : (
        <form
          aria-label="two-step verification"
          data-testid="mfa-settings"
          onSubmit={(e) => {
            e.preventDefault();
            save();
          }}
        >
          <p data-testid="mfa-summary">
            {mfaPreference.enabled.length === 0
              ? 'Off: signing in needs only your password.'
              : `On: ${mfaPreference.enabled.map((t) => MFA_LABELS[t]).join(', ')}${mfaPreference.preferred ? `; sign-in asks for ${MFA_LABELS[mfaPreference.preferred].toLowerCase()} first` : ''}.`}
          </p>
          <fieldset>
            <legend>Second steps that are on</legend>
            {MFA_TYPES.map((type) => (
              <label className="check" key={type}>
                <input type="checkbox" name={`mfa-${type}`} checked={enabled.includes(type)} onChange={(e) => toggle(type, e.target.checked)} />
                {MFA_LABELS[type]}
              </label>
            ))}
          </fieldset>
          <fieldset>
            <legend>Ask for this one first</legend>
            <label className="check">
              <input type="radio" name="mfa-preferred" checked={preferred === null} onChange={() => setPreferred(null)} />
              No preference (choose at sign-in)
            </label>
            {MFA_TYPES.filter((type) => enabled.includes(type)).map((type) => (
              <label className="check" key={type}>
                <input type="radio" name="mfa-preferred" checked={preferred === type} onChange={() => setPreferred(type)} />
                {MFA_LABELS[type]}
              </label>
            ))}
          </fieldset>
          <FieldError error={error} field="preference" id="mfa-error" />
          <div className="row">
            <button type="submit" disabled={busy}>
              Save
            </button>
            <button type="button" className="secondary" disabled={busy} onClick={commands.setUpTotp}>
              Add an authenticator app
            </button>
          </div>
        </form>
      )}
    </div>
  );
}

function ChangePassword({ view, commands, run }: PartProps): ReactNode {
  const { error, busy } = view;
  const [passwords, setPasswords] = useState({ old: '', new: '' });
  return (
    <form
      aria-label="change password"
      onSubmit={(e) => {
        e.preventDefault();
        run('Your password is changed.', () => commands.changePassword(passwords.old, passwords.new));
        setPasswords({ old: '', new: '' });
      }}
    >
      <h4>Change password</h4>
      <label>
        Current password
        <input
          name="oldPassword"
          type="password"
          autoComplete="current-password"
          value={passwords.old}
          onChange={(e) => setPasswords({ ...passwords, old: e.target.value })}
          {...described(error, 'oldPassword', 'old-password-error')}
        />
      </label>
      <FieldError error={error} field="oldPassword" id="old-password-error" />
      <NewPasswordInput value={passwords.new} onChange={(value) => setPasswords({ ...passwords, new: value })} error={error} errorId="new-password-error" rulesId="change-password-rules" />
      <button type="submit" disabled={busy}>
        Change password
      </button>
    </form>
  );
}

function Passkeys({ view, commands, run }: PartProps): ReactNode {
  const { busy } = view;
  return (
    <div className="subform" aria-label="passkeys" role="group">
      <h4>Passkeys</h4>
      <div className="row">
        <button
          type="button"
          disabled={busy}
          onClick={() => {
            rememberPasskeyUser(view.user?.signInDetails?.loginId ?? view.user?.username);
            run('Passkey added. Next time, sign in with it instead of a password.', commands.registerPasskey);
          }}
        >
          Add a passkey
        </button>
        <button type="button" className="secondary" disabled={busy} onClick={() => run('Your passkeys are loaded.', () => commands.listPasskeys())}>
          {view.passkeys ? 'Reload my passkeys' : 'Show my passkeys'}
        </button>
      </div>
      {view.passkeys && (
        <ul data-testid="passkeys">
          {view.passkeys.length === 0 && <li className="muted">No passkeys yet.</li>}
          {view.passkeys.map((passkey) => (
            <li key={passkey.credentialId}>
              <span>{passkey.friendlyName ?? 'Passkey'}</span> <span className="muted">added {new Date(passkey.createdAt).toLocaleString()}</span>{' '}
              <button type="button" className="secondary small" disabled={busy} onClick={() => run('Passkey removed.', () => commands.deletePasskey(passkey.credentialId))}>
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      {view.passkeysNextToken && (
        <button type="button" className="secondary" disabled={busy} onClick={() => commands.listPasskeys(view.passkeysNextToken ?? undefined)}>
          More passkeys
        </button>
      )}
    </div>
  );
}

const DEVICE_STATUS: Record<'remembered' | 'notRemembered', string> = {
  remembered: 'This browser is remembered: where the pool allows it, you sign in here without a code.',
  notRemembered: 'This browser is known to your account but not remembered: you are asked for a code each time.',
};

function Devices({ view, commands, run }: PartProps): ReactNode {
  const { busy, deviceStatus, devices, error } = view;
  return (
    <div className="subform" aria-label="devices" role="group">
      <h4>Devices</h4>
      <p data-testid="device-status">{deviceStatus ? DEVICE_STATUS[deviceStatus] : 'This browser is not one of your remembered devices.'}</p>
      <div className="row">
        {deviceStatus === 'notRemembered' && (
          <button type="button" disabled={busy} onClick={() => run('This browser is remembered now.', commands.rememberDevice)}>
            Remember this browser
          </button>
        )}
        {deviceStatus && (
          <button type="button" className="secondary" disabled={busy} onClick={() => run('This browser is forgotten.', () => commands.forgetDevice())}>
            Forget this browser
          </button>
        )}
        <button type="button" className="secondary" disabled={busy} onClick={() => run('Your devices are loaded.', () => commands.fetchDevices())}>
          {devices ? 'Reload my devices' : 'Show my devices'}
        </button>
      </div>
      <FieldError error={error} field={['device']} id="device-error" />
      {devices && (
        <ul data-testid="devices">
          {devices.length === 0 && <li className="muted">No devices.</li>}
          {devices.map((device) => (
            <li key={device.id}>
              <span>{device.name ?? 'Device'}</span>
              {device.current && <strong> (this browser)</strong>}{' '}
              <span className="muted">
                {device.attributes['dev:device_remembered_status'] === 'remembered' ? 'remembered' : 'not remembered'}
                {device.lastAuthenticatedAt ? `, last sign-in ${new Date(device.lastAuthenticatedAt).toLocaleString()}` : ''}
              </span>{' '}
              <button type="button" className="secondary small" disabled={busy} onClick={() => run('Device forgotten.', () => commands.forgetDevice(device.id))}>
                Forget
              </button>
            </li>
          ))}
        </ul>
      )}
      {view.devicesNextToken && (
        <button type="button" className="secondary" disabled={busy} onClick={() => commands.fetchDevices(view.devicesNextToken ?? undefined)}>
          More devices
        </button>
      )}
    </div>
  );
}

function DeleteAccount({ view, commands }: { view: SignedInView; commands: Commands }): ReactNode {
  const [confirmDelete, setConfirmDelete] = useState(false);
  return (
    <div className="subform">
      <h4>Delete account</h4>
      {confirmDelete ? (
        <div role="group" aria-label="confirm deletion">
          <p>
            This deletes <strong>{view.user?.username}</strong> and signs you out. It cannot be undone.
          </p>
          <div className="row">
            <button type="button" className="danger" disabled={view.busy} onClick={commands.deleteUser}>
              Yes, delete my account
            </button>
            <button type="button" className="secondary" onClick={() => setConfirmDelete(false)}>
              Keep my account
            </button>
          </div>
        </div>
      ) : (
        <button type="button" className="secondary" disabled={view.busy} onClick={() => setConfirmDelete(true)}>
          Delete my account…
        </button>
      )}
    </div>
  );
}
