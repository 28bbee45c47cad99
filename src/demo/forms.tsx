// The demo's forms, one per kind of answer. Each error the chart reports about a field of the form
// (`error.field`) is shown under that field, linked to it (aria-describedby, aria-invalid) and
// announced (role="alert"); the password rules are linked to every field that sets a password.
import { createContext, useContext, useEffect, useRef, useState, type FormEvent, type InputHTMLAttributes, type ReactNode } from 'react';
import type { AuthView, FirstFactor, ViewError } from '../index.js';
import { FACTOR_LABELS } from './copy.js';

/** The current pool's password rules in a sentence (App provides it). */
export const PasswordRules = createContext('');

/** The error fields each screen shows next to an input; any other error is shown above the form. */
export const INLINE_FIELDS: Partial<Record<AuthView['route'], readonly string[]>> = {
  signIn: ['username', 'password', 'credentials'],
  password: ['password', 'credentials'],
  customChallenge: ['answer'],
  newPassword: ['newPassword', 'password', 'attributes'],
  smsCode: ['code'],
  emailCode: ['code'],
  totpCode: ['code', 'totpCode'],
  totpSetup: ['code', 'totpCode'],
  emailMfaSetup: ['email'],
  signUp: ['username', 'password', 'attributes'],
  confirmSignUp: ['code'],
  resetPassword: ['code', 'password', 'newPassword'],
  signedIn: ['attributes', 'attributeName', 'code', 'oldPassword', 'password', 'newPassword', 'preference'],
};

const matches = (error: ViewError | null, field: string | readonly string[]): error is ViewError & { field: string } =>
  !!error?.field && (typeof field === 'string' ? [field] : field).includes(error.field);

/** The error's words under the input it is about, announced to screen readers. */
export function FieldError({ error, field, id }: { error: ViewError | null; field: string | readonly string[]; id: string }): ReactNode {
  if (!matches(error, field)) return null;
  return (
    <p className="field-error" id={id} role="alert">
      {error.message}
    </p>
  );
}

/** aria-invalid / aria-describedby for an input that FieldError (and a hint, e.g. the password rules) may describe. */
export function described(error: ViewError | null, field: string | readonly string[], errorId: string, hintId?: string) {
  const invalid = matches(error, field);
  const ids = [invalid ? errorId : '', hintId ?? ''].filter(Boolean).join(' ');
  return { ...(invalid ? { 'aria-invalid': true as const } : {}), ...(ids ? { 'aria-describedby': ids } : {}) };
}

/** The password rules, for aria-describedby of the password input. */
export function PasswordRulesHint({ id }: { id: string }): ReactNode {
  const rules = useContext(PasswordRules);
  return rules ? (
    <p className="hint" id={id} data-testid="password-rules">
      {rules}
    </p>
  ) : null;
}

/** "New password" (a first sign-in's, a reset's, a change's): the input, the pool's rules and the error about it. */
export function NewPasswordInput(props: { value: string; onChange: (value: string) => void; error: ViewError | null; errorId: string; rulesId: string }): ReactNode {
  const fields = ['newPassword', 'password'];
  return (
    <>
      <label>
        New password
        <input
          name="newPassword"
          type="password"
          autoComplete="new-password"
          value={props.value}
          onChange={(e) => props.onChange(e.target.value)}
          {...described(props.error, fields, props.errorId, props.rulesId)}
        />
      </label>
      <PasswordRulesHint id={props.rulesId} />
      <FieldError error={props.error} field={fields} id={props.errorId} />
    </>
  );
}

export type Flow = 'USER_SRP_AUTH' | 'USER_PASSWORD_AUTH' | 'USER_AUTH' | 'CUSTOM_WITHOUT_SRP' | 'CUSTOM_WITH_SRP';

export function CredentialsForm(props: {
  busy: boolean;
  error: ViewError | null;
  username: string | null;
  prefill: { username: string; password: string } | null;
  onSubmit: (u: string, p: string, flow: Flow, factor: FirstFactor | '') => void;
}): ReactNode {
  const [username, setUsername] = useState(props.username ?? '');
  const [password, setPassword] = useState('');
  const [flow, setFlow] = useState<Flow>('USER_SRP_AUTH');
  const [factor, setFactor] = useState<FirstFactor | ''>('');
  // A username the chart kept (after a sign-up or a failed attempt) wins over an earlier pick from the demo users.
  const mounted = useRef(false);
  useEffect(() => {
    const first = !mounted.current;
    mounted.current = true;
    if (first && props.username) return;
    if (props.prefill) {
      setUsername(props.prefill.username);
      setPassword(props.prefill.password);
    }
  }, [props.prefill]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    props.onSubmit(username, password, flow, factor);
    setPassword('');
  };
  const { error } = props;
  return (
    <form onSubmit={submit}>
      <label>
        Username
        <input name="username" autoComplete="username webauthn" value={username} onChange={(e) => setUsername(e.target.value)} {...(error?.field === 'credentials' ? described(error, 'credentials', 'password-error') : described(error, 'username', 'username-error'))} />
      </label>
      <FieldError error={error} field="username" id="username-error" />
      <label>
        Password
        <input
          name="password"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          {...described(error, ['password', 'credentials'], 'password-error')}
        />
      </label>
      {/* "Incorrect username or password" is about both fields: one message, under the second, describing both. */}
      <FieldError error={error} field={['password', 'credentials']} id="password-error" />
      <label>
        Sign-in flow
        <select name="flow" value={flow} onChange={(e) => setFlow(e.target.value as typeof flow)}>
          <option value="USER_SRP_AUTH">Password, proved with SRP (USER_SRP_AUTH, the default)</option>
          <option value="USER_PASSWORD_AUTH">Password, sent over TLS (USER_PASSWORD_AUTH)</option>
          <option value="USER_AUTH">Password, one-time code or passkey (USER_AUTH)</option>
          <option value="CUSTOM_WITHOUT_SRP">The pool&apos;s own challenge (CUSTOM_WITHOUT_SRP)</option>
          <option value="CUSTOM_WITH_SRP">Password, then the pool&apos;s challenge (CUSTOM_WITH_SRP)</option>
        </select>
      </label>
      {flow === 'USER_AUTH' && (
        <label>
          Preferred first factor
          <select name="factor" value={factor} onChange={(e) => setFactor(e.target.value as FirstFactor | '')}>
            <option value="">Let the pool offer a choice</option>
            {(Object.keys(FACTOR_LABELS) as FirstFactor[]).map((f) => (
              <option key={f} value={f}>
                {FACTOR_LABELS[f]} ({f})
              </option>
            ))}
          </select>
        </label>
      )}
      <button type="submit" disabled={props.busy}>
        {props.busy ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}

/**
 * A form of one input and its button, the shape of most answers (a password, a code, an e-mail address, a challenge
 * answer, a user name). The error about `fields` is shown under the input; with no `fields` errors are shown above.
 */
export function OneFieldForm(props: {
  busy: boolean;
  error: ViewError | null;
  label: ReactNode;
  input: Pick<InputHTMLAttributes<HTMLInputElement>, 'name' | 'type' | 'inputMode' | 'autoComplete'>;
  fields?: readonly string[];
  /** The id of the error's words (aria-describedby). */
  errorId?: string;
  /** Under the input, before the error: its id describes the input too. */
  hint?: { id: string; text: ReactNode; testId?: string };
  button: ReactNode;
  onSubmit: (value: string) => void;
  /** A code or an answer is single-use: the input empties once it is sent. */
  clearOnSubmit?: boolean;
  initial?: string;
  'aria-label'?: string;
  /** Above the input (what was sent where). */
  before?: ReactNode;
  /** Between the error and the button; `fill` puts a value in the input (the demo's TOTP helper). */
  helper?: (fill: (value: string) => void) => ReactNode;
  /** Beside the button (a way back). */
  aside?: ReactNode;
}): ReactNode {
  const [value, setValue] = useState(props.initial ?? '');
  const { error, fields, errorId = `${props.input.name}-error` } = props;
  const button = (
    <button type="submit" disabled={props.busy}>
      {props.button}
    </button>
  );
  return (
    <form
      aria-label={props['aria-label']}
      onSubmit={(e) => {
        e.preventDefault();
        props.onSubmit(value);
        if (props.clearOnSubmit) setValue('');
      }}
    >
      {props.before}
      <label>
        {props.label}
        <input {...props.input} value={value} onChange={(e) => setValue(e.target.value)} {...(fields ? described(error, fields, errorId, props.hint?.id) : {})} />
      </label>
      {props.hint && (
        <p className="hint" id={props.hint.id} data-testid={props.hint.testId}>
          {props.hint.text}
        </p>
      )}
      {fields && <FieldError error={error} field={fields} id={errorId} />}
      {props.helper?.(setValue)}
      {props.aside ? (
        <div className="row">
          {button}
          {props.aside}
        </div>
      ) : (
        button
      )}
    </form>
  );
}

/** A custom challenge round: the question the pool's function asks, or where its code went. */
export function CustomChallengeForm(props: { busy: boolean; error: ViewError | null; parameters: Readonly<Record<string, string>>; onSubmit: (answer: string) => void }): ReactNode {
  const { question, attemptsLeft, deliveryMedium, destination, ...rest } = props.parameters;
  const label = question ?? (deliveryMedium ? 'Code' : 'Answer');
  return (
    <OneFieldForm
      busy={props.busy}
      error={props.error}
      label={<span data-testid={question ? 'challenge-question' : undefined}>{label}</span>}
      input={{ name: 'answer', autoComplete: 'off' }}
      fields={['answer']}
      {...(attemptsLeft ? { hint: { id: 'attempts-left', testId: 'challenge-attemptsLeft', text: attemptsLeft === '1' ? 'Last attempt.' : `${attemptsLeft} attempts left.` } } : {})}
      button="Continue"
      clearOnSubmit
      onSubmit={props.onSubmit}
      before={
        <>
          {deliveryMedium && (
            <p>
              We sent a code by {deliveryMedium === 'EMAIL' ? 'e-mail' : deliveryMedium} to <span className="mono" data-testid="challenge-destination">{destination}</span>{' '}
              (see the outbox).
            </p>
          )}
          {Object.keys(rest).length > 0 && (
            <table>
              <tbody>
                {Object.entries(rest).map(([name, value]) => (
                  <tr key={name}>
                    <th scope="row">{name}</th>
                    <td data-testid={`challenge-${name}`}>{value}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      }
    />
  );
}

export function PasswordForm(props: { busy: boolean; error: ViewError | null; onSubmit: (password: string) => void }): ReactNode {
  return (
    <OneFieldForm
      {...props}
      label="Password"
      input={{ name: 'password', type: 'password', autoComplete: 'current-password' }}
      fields={['password', 'credentials']}
      button="Continue"
    />
  );
}

/** Words for the attributes a pool may require at the first sign-in. */
const ATTRIBUTE_LABELS: Readonly<Record<string, string>> = {
  name: 'Name',
  given_name: 'First name',
  family_name: 'Last name',
  email: 'E-mail',
  phone_number: 'Phone number',
  birthdate: 'Date of birth',
};

export function NewPasswordForm(props: { busy: boolean; error: ViewError | null; missing: readonly string[]; onSubmit: (password: string, attributes: Record<string, string>) => void }): ReactNode {
  const [password, setPassword] = useState('');
  const [attributes, setAttributes] = useState<Record<string, string>>({});
  const { error } = props;
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        props.onSubmit(password, attributes);
      }}
    >
      <NewPasswordInput value={password} onChange={setPassword} error={error} errorId="new-password-error" rulesId="new-password-rules" />
      {props.missing.length > 0 && <p>The pool also needs these details about you:</p>}
      {props.missing.map((name) => (
        <label key={name}>
          {ATTRIBUTE_LABELS[name] ?? name}
          <input name={`attribute-${name}`} value={attributes[name] ?? ''} onChange={(e) => setAttributes({ ...attributes, [name]: e.target.value })} {...described(error, 'attributes', 'new-attributes-error')} />
        </label>
      ))}
      <FieldError error={error} field="attributes" id="new-attributes-error" />
      <button type="submit" disabled={props.busy}>
        Set password
      </button>
    </form>
  );
}

export function CodeForm(props: {
  busy: boolean;
  label: string;
  error: ViewError | null;
  /** The error fields that are about this code. */
  fields?: readonly string[];
  onSubmit: (code: string) => void;
  /** Demo help under the input (the current TOTP code); `fill` puts a code in the input. */
  helper?: (fill: (code: string) => void) => ReactNode;
}): ReactNode {
  return <OneFieldForm {...props} input={CODE_INPUT} fields={props.fields ?? ['code']} button="Confirm" clearOnSubmit />;
}

/** A one-time code's input. */
export const CODE_INPUT = { name: 'code', inputMode: 'numeric', autoComplete: 'one-time-code' } as const;

export function EmailForm(props: { busy: boolean; error: ViewError | null; onSubmit: (email: string) => void }): ReactNode {
  return (
    <OneFieldForm {...props} label="E-mail address for sign-in codes" input={{ name: 'email', type: 'email', autoComplete: 'email' }} fields={['email']} button="Send code" />
  );
}

type ViewOf<R extends AuthView['route']> = Extract<AuthView, { route: R }>;

export function SignUpForm({ view, onSubmit }: { view: ViewOf<'signUp'>; onSubmit: (username: string, password: string, options: { attributes: Record<string, string>; autoSignIn: boolean }) => void }): ReactNode {
  const [values, setValues] = useState({ username: view.username ?? '', password: '', email: '', phone_number: '', name: '' });
  const [autoSignIn, setAutoSignIn] = useState(true);
  const set = (name: keyof typeof values) => (e: { target: { value: string } }) => setValues({ ...values, [name]: e.target.value });
  const { error } = view;
  return (
    <form
      aria-label="sign up"
      onSubmit={(e) => {
        e.preventDefault();
        const { username, password, ...rest } = values;
        const attributes = Object.fromEntries(Object.entries(rest).filter(([, v]) => v.trim() !== ''));
        onSubmit(username, password, { attributes, autoSignIn });
        setValues({ ...values, password: '' });
      }}
    >
      <label>
        Username
        <input name="username" autoComplete="username" value={values.username} onChange={set('username')} {...described(error, 'username', 'signup-username-error')} />
      </label>
      <FieldError error={error} field="username" id="signup-username-error" />
      <label>
        Password
        <input
          name="password"
          type="password"
          autoComplete="new-password"
          value={values.password}
          onChange={set('password')}
          {...described(error, 'password', 'signup-password-error', 'signup-password-rules')}
        />
      </label>
      <PasswordRulesHint id="signup-password-rules" />
      <FieldError error={error} field="password" id="signup-password-error" />
      <label>
        E-mail
        <input name="email" type="email" autoComplete="email" value={values.email} onChange={set('email')} {...described(error, 'attributes', 'signup-attributes-error')} />
      </label>
      <label>
        Phone number (optional, as +15551234567)
        <input name="phone_number" type="tel" autoComplete="tel" value={values.phone_number} onChange={set('phone_number')} />
      </label>
      <label>
        Name
        <input name="name" autoComplete="name" value={values.name} onChange={set('name')} {...described(error, 'attributes', 'signup-attributes-error')} />
      </label>
      <FieldError error={error} field="attributes" id="signup-attributes-error" />
      <label className="check">
        <input type="checkbox" name="autoSignIn" checked={autoSignIn} onChange={(e) => setAutoSignIn(e.target.checked)} />
        Sign me in once the account is confirmed
      </label>
      <button type="submit" disabled={view.busy}>
        {view.busy ? 'Creating…' : 'Create account'}
      </button>
    </form>
  );
}

export function ResetPasswordForm(props: {
  view: ViewOf<'resetPassword'>;
  onSubmit: (code: string, password: string, options: { signIn: boolean }) => void;
  onResend: () => void;
}): ReactNode {
  const { view } = props;
  const [code, setCode] = useState('');
  const [password, setPassword] = useState('');
  const [signIn, setSignIn] = useState(true);
  const { error, codeDelivery } = view;
  return (
    <>
      <p>
        {codeDelivery ? (
          <>
            We sent a code for <strong>{view.username}</strong> by {deliveryWords(codeDelivery.deliveryMedium)} to <span className="mono">{codeDelivery.destination}</span> (see the
            outbox).
          </>
        ) : view.busy ? (
          <>Sending a reset code for {view.username}…</>
        ) : (
          <>
            The password of <strong>{view.username}</strong> must be reset before you can sign in: ask for a code.
          </>
        )}
      </p>
      <form
        aria-label="reset password"
        onSubmit={(e) => {
          e.preventDefault();
          props.onSubmit(code, password, { signIn });
          setPassword('');
        }}
      >
        <label>
          Code
          <input name="code" inputMode="numeric" autoComplete="one-time-code" value={code} onChange={(e) => setCode(e.target.value)} {...described(error, 'code', 'reset-code-error')} />
        </label>
        <FieldError error={error} field="code" id="reset-code-error" />
        <NewPasswordInput value={password} onChange={setPassword} error={error} errorId="reset-password-error" rulesId="reset-password-rules" />
        <label className="check">
          <input type="checkbox" name="signIn" checked={signIn} onChange={(e) => setSignIn(e.target.checked)} />
          Sign me in afterwards
        </label>
        <button type="submit" disabled={view.busy}>
          Set new password
        </button>
      </form>
      {view.canResend && (
        <button type="button" className="secondary" disabled={view.busy} onClick={props.onResend}>
          {codeDelivery ? 'Send a new code' : 'Send me a code'}
        </button>
      )}
    </>
  );
}

/** "e-mail" / "text message", for Cognito's DeliveryMedium. */
export function deliveryWords(medium: string | undefined): string {
  return medium === 'SMS' ? 'text message' : medium === 'EMAIL' ? 'e-mail' : (medium ?? 'message');
}
