// Schema of the local pool's SQLite file. Each entry runs once, in order; PRAGMA user_version
// records how many have run. Append new migrations, never edit a shipped one.
import type { Database } from 'better-sqlite3';

export const migrations: ReadonlyArray<(db: Database) => void> = [
  (db) =>
    db.exec(`
      CREATE TABLE settings (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );

      CREATE TABLE user_pools (
        id         TEXT PRIMARY KEY,
        name       TEXT NOT NULL,
        config     TEXT NOT NULL,          -- JSON, Cognito's DescribeUserPool member names
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );

      CREATE TABLE app_clients (
        id         TEXT PRIMARY KEY,
        pool_id    TEXT NOT NULL REFERENCES user_pools(id) ON DELETE CASCADE,
        name       TEXT NOT NULL,
        secret     TEXT,                   -- kept readable: SECRET_HASH is an HMAC keyed with it
        config     TEXT NOT NULL,          -- JSON, Cognito's DescribeUserPoolClient member names
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE INDEX app_clients_by_pool ON app_clients(pool_id);

      CREATE TABLE users (
        pool_id         TEXT NOT NULL REFERENCES user_pools(id) ON DELETE CASCADE,
        sub             TEXT NOT NULL,
        username        TEXT NOT NULL,
        username_key    TEXT NOT NULL,     -- lower case: look-ups are case-insensitive
        status          TEXT NOT NULL,
        enabled         INTEGER NOT NULL,
        attributes      TEXT NOT NULL,     -- JSON object, attribute name -> string value
        srp_salt        TEXT,              -- hex
        srp_verifier    TEXT,              -- hex of g^x mod N
        password_hash   TEXT,              -- scrypt, for USER_PASSWORD_AUTH
        password_set_at INTEGER,
        failed_attempts INTEGER NOT NULL DEFAULT 0,
        last_failure_at INTEGER,
        locked_until    INTEGER,
        created_at      INTEGER NOT NULL,
        updated_at      INTEGER NOT NULL,
        PRIMARY KEY (pool_id, sub),
        UNIQUE (pool_id, username_key)
      );

      CREATE TABLE signing_keys (
        kid         TEXT PRIMARY KEY,
        pool_id     TEXT NOT NULL REFERENCES user_pools(id) ON DELETE CASCADE,
        token_use   TEXT NOT NULL,         -- 'id' | 'access'
        private_pem TEXT NOT NULL,
        public_jwk  TEXT NOT NULL,
        created_at  INTEGER NOT NULL
      );
      CREATE INDEX signing_keys_by_pool ON signing_keys(pool_id);

      CREATE TABLE auth_sessions (
        id         TEXT PRIMARY KEY,       -- SHA-256 of the Session string; the string itself is not kept
        pool_id    TEXT NOT NULL REFERENCES user_pools(id) ON DELETE CASCADE,
        client_id  TEXT NOT NULL,
        user_sub   TEXT,                   -- NULL for the simulated challenge of an unknown user
        username   TEXT NOT NULL,          -- canonical name (USER_ID_FOR_SRP)
        challenge  TEXT NOT NULL,
        state      TEXT NOT NULL,          -- JSON, challenge specific
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        used_at    INTEGER
      );
      CREATE INDEX auth_sessions_by_expiry ON auth_sessions(expires_at);

      -- One family per sign-in: the refresh token(s) and every token minted from them share its
      -- origin_jti, so revoking the family revokes all of them.
      CREATE TABLE token_families (
        origin_jti TEXT PRIMARY KEY,
        pool_id    TEXT NOT NULL REFERENCES user_pools(id) ON DELETE CASCADE,
        client_id  TEXT NOT NULL,
        user_sub   TEXT NOT NULL,
        auth_time  INTEGER NOT NULL,       -- seconds, kept across refreshes
        created_at INTEGER NOT NULL,
        revoked_at INTEGER
      );
      CREATE INDEX token_families_by_user ON token_families(pool_id, user_sub);

      CREATE TABLE refresh_tokens (
        token_hash    TEXT PRIMARY KEY,    -- SHA-256 of the token; the token itself is not kept
        origin_jti    TEXT NOT NULL REFERENCES token_families(origin_jti) ON DELETE CASCADE,
        created_at    INTEGER NOT NULL,
        expires_at    INTEGER NOT NULL,
        superseded_at INTEGER              -- set when rotation replaced it
      );
      CREATE INDEX refresh_tokens_by_family ON refresh_tokens(origin_jti);
    `),

  // 2: MFA. Per-user MFA settings and TOTP secrets, sign-in attempts spanning several Sessions
  // (with a wrong-code counter per Session), the outbox, and the MFA members of pool settings.
  (db) =>
    db.exec(`
      ALTER TABLE users ADD COLUMN mfa_enabled TEXT NOT NULL DEFAULT '[]';  -- JSON list, UserMFASettingList
      ALTER TABLE users ADD COLUMN mfa_preferred TEXT;                      -- PreferredMfaSetting
      ALTER TABLE users ADD COLUMN totp_secret TEXT;                        -- base32, verified authenticator
      ALTER TABLE users ADD COLUMN totp_device_name TEXT;
      ALTER TABLE users ADD COLUMN totp_last_step INTEGER;                  -- replay guard
      ALTER TABLE users ADD COLUMN totp_pending_secret TEXT;                -- associated, not yet verified

      ALTER TABLE auth_sessions ADD COLUMN attempt_id TEXT;
      ALTER TABLE auth_sessions ADD COLUMN failed_attempts INTEGER NOT NULL DEFAULT 0;
      CREATE INDEX auth_sessions_by_attempt ON auth_sessions(attempt_id);

      -- Every SMS and e-mail the pool would have sent. Kept when the pool or user goes away.
      CREATE TABLE outbox (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        pool_id     TEXT NOT NULL,
        username    TEXT NOT NULL,
        medium      TEXT NOT NULL,         -- 'SMS' | 'EMAIL'
        destination TEXT NOT NULL,         -- unmasked phone number / address
        subject     TEXT,
        message     TEXT NOT NULL,
        code        TEXT,
        purpose     TEXT NOT NULL,
        created_at  INTEGER NOT NULL
      );
      CREATE INDEX outbox_by_time ON outbox(created_at);

      UPDATE user_pools SET config = json_set(config, '$.SoftwareTokenMfaConfiguration', json('{"Enabled":false}'));
      -- CreateUserPool's MfaConfiguration ON/OPTIONAL has always meant SMS MFA.
      UPDATE user_pools SET config = json_set(config, '$.SmsMfaConfiguration', json('{}'))
        WHERE json_extract(config, '$.MfaConfiguration') <> 'OFF';
    `),

  // 3: accounts. Confirmation codes (sign-up, forgot password, attribute verification) with their
  // wrong-code counters, a log of code sends for the resend limit, attribute values pending
  // verification, and the case sensitivity pools had before it was a setting (always insensitive).
  (db) =>
    db.exec(`
      ALTER TABLE users ADD COLUMN pending_attributes TEXT NOT NULL DEFAULT '{}';  -- JSON, email / phone_number awaiting verification

      CREATE TABLE confirmation_codes (
        pool_id         TEXT NOT NULL,
        user_sub        TEXT NOT NULL,
        kind            TEXT NOT NULL,     -- SIGN_UP | FORGOT_PASSWORD | VERIFY:email | VERIFY:phone_number
        attribute       TEXT NOT NULL,     -- the attribute the code went to
        destination     TEXT NOT NULL,     -- its unmasked value
        code_hash       TEXT NOT NULL,     -- SHA-256; the code itself is only in the outbox
        created_at      INTEGER NOT NULL,
        expires_at      INTEGER NOT NULL,
        failed_attempts INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (pool_id, user_sub, kind),
        FOREIGN KEY (pool_id, user_sub) REFERENCES users(pool_id, sub) ON DELETE CASCADE
      );

      CREATE TABLE code_sends (
        pool_id  TEXT NOT NULL,
        user_sub TEXT NOT NULL,
        family   TEXT NOT NULL,            -- SIGN_UP | FORGOT_PASSWORD | VERIFY
        sent_at  INTEGER NOT NULL,
        FOREIGN KEY (pool_id, user_sub) REFERENCES users(pool_id, sub) ON DELETE CASCADE
      );
      CREATE INDEX code_sends_by_user ON code_sends(pool_id, user_sub, family, sent_at);

      UPDATE user_pools SET config = json_set(config, '$.UsernameConfiguration', json('{"CaseSensitive":false}'))
        WHERE json_extract(config, '$.UsernameConfiguration') IS NULL;
    `),

  // 4: passwordless sign-in. Passkeys (credentials with their sign counters) and pending passkey
  // registrations; the feature plan becomes a setting the pool acts on (it was only kept), and pools
  // stored before get the sign-in policy they always had (password only).
  (db) =>
    db.exec(`
      CREATE TABLE webauthn_credentials (
        pool_id          TEXT NOT NULL,
        user_sub         TEXT NOT NULL,
        credential_id    TEXT NOT NULL,    -- base64url
        public_key       TEXT NOT NULL,    -- COSE key, base64url
        sign_count       INTEGER NOT NULL,
        transports       TEXT NOT NULL,    -- JSON list
        attachment       TEXT,             -- platform | cross-platform
        friendly_name    TEXT NOT NULL,
        relying_party_id TEXT NOT NULL,
        created_at       INTEGER NOT NULL,
        PRIMARY KEY (pool_id, credential_id),
        FOREIGN KEY (pool_id, user_sub) REFERENCES users(pool_id, sub) ON DELETE CASCADE
      );
      CREATE INDEX webauthn_credentials_by_user ON webauthn_credentials(pool_id, user_sub, created_at, credential_id);

      CREATE TABLE webauthn_registrations (
        pool_id           TEXT NOT NULL,
        user_sub          TEXT NOT NULL,
        client_id         TEXT,            -- the app client of the access token that started it
        challenge         TEXT NOT NULL,   -- base64url
        relying_party_id  TEXT NOT NULL,
        user_verification TEXT NOT NULL,
        created_at        INTEGER NOT NULL,
        expires_at        INTEGER NOT NULL,
        PRIMARY KEY (pool_id, user_sub),
        FOREIGN KEY (pool_id, user_sub) REFERENCES users(pool_id, sub) ON DELETE CASCADE
      );

      UPDATE user_pools SET config = json_set(config, '$.UserPoolTier',
        coalesce(json_extract(config, '$.Stored.UserPoolTier'), 'ESSENTIALS'));
      UPDATE user_pools SET config = json_remove(config, '$.Stored.UserPoolTier');
      UPDATE user_pools SET config = json_set(config, '$.Policies.SignInPolicy', json('{"AllowedFirstAuthFactors":["PASSWORD"]}'))
        WHERE json_extract(config, '$.Policies.SignInPolicy') IS NULL;
    `),

  // 5: speed. Plain passwords are checked against the SRP verifier, so the scrypt hash goes (every
  // row that had one has the verifier of the same password). Indexes for the look-ups that scanned:
  // sign-in names held in attributes (email, phone_number, preferred_username; matched in lower case,
  // exact case is then checked by the store), users in creation order (ListUsers, the seed), and a
  // user's challenge sessions (AdminDeleteUser).
  (db) =>
    db.exec(`
      ALTER TABLE users DROP COLUMN password_hash;
      CREATE INDEX users_by_email ON users(pool_id, lower(json_extract(attributes, '$.email')), created_at);
      CREATE INDEX users_by_phone_number ON users(pool_id, lower(json_extract(attributes, '$.phone_number')), created_at);
      CREATE INDEX users_by_preferred_username ON users(pool_id, lower(json_extract(attributes, '$.preferred_username')), created_at);
      CREATE INDEX users_by_creation ON users(pool_id, created_at, username_key);
      CREATE INDEX auth_sessions_by_user ON auth_sessions(pool_id, user_sub);
    `),

  // 6: remembered devices. Confirmed devices with their SRP verifiers (ConfirmDevice), the device a
  // token family belongs to (the access token's device_key; a refresh names it again), and the
  // DEVICE_KEY a sign-in attempt presented, for the steps after the one that carried it.
  (db) =>
    db.exec(`
      CREATE TABLE devices (
        pool_id               TEXT NOT NULL,
        user_sub              TEXT NOT NULL,
        device_key            TEXT NOT NULL,   -- <region>_<uuid>
        group_key             TEXT NOT NULL,   -- DeviceGroupKey: the SRP "pool name" of the device
        name                  TEXT,
        salt                  TEXT NOT NULL,   -- hex of the Salt bytes, sent as SALT
        verifier              TEXT NOT NULL,   -- hex of the PasswordVerifier bytes
        remembered            INTEGER NOT NULL,
        created_at            INTEGER NOT NULL,
        updated_at            INTEGER NOT NULL,
        last_authenticated_at INTEGER NOT NULL,
        PRIMARY KEY (pool_id, device_key),
        FOREIGN KEY (pool_id, user_sub) REFERENCES users(pool_id, sub) ON DELETE CASCADE
      );
      CREATE INDEX devices_by_user ON devices(pool_id, user_sub, created_at, device_key);

      ALTER TABLE token_families ADD COLUMN device_key TEXT;
      ALTER TABLE token_families ADD COLUMN device_group_key TEXT;

      CREATE TABLE attempt_devices (
        attempt_id TEXT PRIMARY KEY,
        device_key TEXT NOT NULL,
        created_at INTEGER NOT NULL
      );
      CREATE INDEX attempt_devices_by_time ON attempt_devices(created_at);
    `),

  // 7: the hosted UI, OAuth 2.0 endpoints and federation (oauth/, hosted-ui/). Domains, identity
  // providers, links of external identities to users, authorization codes (hashes only, single use),
  // hosted-UI sessions (the cookie's hash), upstream sign-ins in flight (the state's hash), and the
  // OAuth scopes a token family was granted (none: an API sign-in, aws.cognito.signin.user.admin).
  (db) =>
    db.exec(`
      CREATE TABLE user_pool_domains (
        domain                TEXT PRIMARY KEY,  -- a prefix (myapp) or a custom domain (auth.example.test)
        pool_id               TEXT NOT NULL REFERENCES user_pools(id) ON DELETE CASCADE,
        custom                INTEGER NOT NULL,
        managed_login_version INTEGER NOT NULL,
        created_at            INTEGER NOT NULL
      );
      CREATE INDEX user_pool_domains_by_pool ON user_pool_domains(pool_id);

      CREATE TABLE identity_providers (
        pool_id           TEXT NOT NULL REFERENCES user_pools(id) ON DELETE CASCADE,
        name              TEXT NOT NULL,
        name_key          TEXT NOT NULL,     -- lower case: names are unique regardless of case
        type              TEXT NOT NULL,
        details           TEXT NOT NULL,     -- JSON ProviderDetails, as described
        attribute_mapping TEXT NOT NULL,     -- JSON, user pool attribute -> provider claim
        idp_identifiers   TEXT NOT NULL,     -- JSON list
        created_at        INTEGER NOT NULL,
        updated_at        INTEGER NOT NULL,
        PRIMARY KEY (pool_id, name),
        UNIQUE (pool_id, name_key)
      );

      CREATE TABLE provider_links (
        pool_id         TEXT NOT NULL,
        provider_name   TEXT NOT NULL,
        attribute_name  TEXT NOT NULL,       -- Cognito_Subject, or a mapped user pool attribute
        attribute_value TEXT NOT NULL,
        user_sub        TEXT NOT NULL,
        created_at      INTEGER NOT NULL,
        PRIMARY KEY (pool_id, provider_name, attribute_name, attribute_value),
        FOREIGN KEY (pool_id, user_sub) REFERENCES users(pool_id, sub) ON DELETE CASCADE
      );
      CREATE INDEX provider_links_by_user ON provider_links(pool_id, user_sub);

      CREATE TABLE oauth_codes (
        code_hash      TEXT PRIMARY KEY,     -- SHA-256 of the code; the code itself is not kept
        pool_id        TEXT NOT NULL,
        client_id      TEXT NOT NULL,
        user_sub       TEXT NOT NULL,
        redirect_uri   TEXT NOT NULL,
        scopes         TEXT NOT NULL,        -- JSON list
        code_challenge TEXT,                 -- S256
        nonce          TEXT,
        auth_time      INTEGER NOT NULL,     -- seconds
        created_at     INTEGER NOT NULL,
        expires_at     INTEGER NOT NULL,
        used_at        INTEGER,
        origin_jti     TEXT,                 -- the family its redemption started (revoked if the code is replayed)
        FOREIGN KEY (pool_id, user_sub) REFERENCES users(pool_id, sub) ON DELETE CASCADE
      );
      CREATE INDEX oauth_codes_by_expiry ON oauth_codes(expires_at);

      CREATE TABLE hosted_sessions (
        id         TEXT PRIMARY KEY,         -- SHA-256 of the cookie value
        pool_id    TEXT NOT NULL,
        user_sub   TEXT NOT NULL,
        auth_time  INTEGER NOT NULL,         -- seconds
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        ended_at   INTEGER,
        FOREIGN KEY (pool_id, user_sub) REFERENCES users(pool_id, sub) ON DELETE CASCADE
      );
      CREATE INDEX hosted_sessions_by_expiry ON hosted_sessions(expires_at);

      CREATE TABLE federation_requests (
        state_hash    TEXT PRIMARY KEY,      -- SHA-256 of the state sent upstream
        pool_id       TEXT NOT NULL REFERENCES user_pools(id) ON DELETE CASCADE,
        provider_name TEXT NOT NULL,
        request       TEXT NOT NULL,         -- JSON: the authorize request to finish, nonce, redirect_uri sent upstream
        created_at    INTEGER NOT NULL,
        expires_at    INTEGER NOT NULL,
        used_at       INTEGER
      );
      CREATE INDEX federation_requests_by_expiry ON federation_requests(expires_at);

      CREATE TABLE oauth_grants (
        origin_jti TEXT PRIMARY KEY REFERENCES token_families(origin_jti) ON DELETE CASCADE,
        scopes     TEXT NOT NULL             -- JSON list
      );
    `),

  // 8: user pool groups (pools/groups-store.ts). Names are unique per pool as given (case matters);
  // memberships go with their group, their user and their pool.
  (db) =>
    db.exec(`
      CREATE TABLE user_groups (
        pool_id     TEXT NOT NULL REFERENCES user_pools(id) ON DELETE CASCADE,
        name        TEXT NOT NULL,
        description TEXT,
        role_arn    TEXT,
        precedence  INTEGER,                 -- NULL: below every number
        created_at  INTEGER NOT NULL,
        updated_at  INTEGER NOT NULL,
        PRIMARY KEY (pool_id, name)
      );
      CREATE INDEX user_groups_by_creation ON user_groups(pool_id, created_at, name);

      CREATE TABLE group_members (
        pool_id    TEXT NOT NULL,
        group_name TEXT NOT NULL,
        user_sub   TEXT NOT NULL,
        added_at   INTEGER NOT NULL,
        PRIMARY KEY (pool_id, group_name, user_sub),
        FOREIGN KEY (pool_id, group_name) REFERENCES user_groups(pool_id, name) ON DELETE CASCADE ON UPDATE CASCADE,
        FOREIGN KEY (pool_id, user_sub) REFERENCES users(pool_id, sub) ON DELETE CASCADE
      );
      CREATE INDEX group_members_by_user ON group_members(pool_id, user_sub);
    `),

  // 9: a wrong password for a name that is no user writes a row too (store.recordUnknownFailure), as a real
  // account's failure count is written, so the answer takes as long. 64 rows a pool at most: one per bucket of names.
  (db) =>
    db.exec(`
      CREATE TABLE unknown_sign_in_failures (
        pool_id  TEXT NOT NULL REFERENCES user_pools(id) ON DELETE CASCADE,
        bucket   INTEGER NOT NULL,
        failures INTEGER NOT NULL,
        last_at  INTEGER NOT NULL,
        PRIMARY KEY (pool_id, bucket)
      );
    `),

  // 10: resource servers (oauth/resource-server-store.ts): custom scopes `<identifier>/<scope>` for app clients.
  // The scopes are a JSON list on their server, so a change is one statement; they go with their pool.
  (db) =>
    db.exec(`
      CREATE TABLE resource_servers (
        pool_id    TEXT NOT NULL REFERENCES user_pools(id) ON DELETE CASCADE,
        identifier TEXT NOT NULL,
        name       TEXT NOT NULL,
        scopes     TEXT NOT NULL,            -- JSON list of {ScopeName, ScopeDescription}, as given
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (pool_id, identifier)
      );
      CREATE INDEX resource_servers_by_creation ON resource_servers(pool_id, created_at, identifier);
    `),

  // 11: user sessions (pools/user-sessions.ts). A token session is a token family: last_active_at is its latest
  // refresh (NULL: none yet). The session configurations are the pool's and the client's; absent rows are the defaults.
  (db) =>
    db.exec(`
      ALTER TABLE token_families ADD COLUMN last_active_at INTEGER;

      CREATE TABLE pool_session_configurations (
        pool_id      TEXT PRIMARY KEY REFERENCES user_pools(id) ON DELETE CASCADE,
        tracking     TEXT NOT NULL,          -- ENABLED | DISABLED
        max_per_user INTEGER NOT NULL
      );

      CREATE TABLE client_session_configurations (
        client_id            TEXT PRIMARY KEY REFERENCES app_clients(id) ON DELETE CASCADE,
        max_validity_minutes INTEGER NOT NULL
      );
    `),
  // 12: the hosted UI's branding, risk configuration, log delivery and auth events (pools/pool-config-store.ts).
  // client_id 'ALL' is the pool-wide row. Auth events are written only while the pool's threat protection is on.
  (db) =>
    db.exec(`
      CREATE TABLE ui_customizations (
        pool_id     TEXT NOT NULL REFERENCES user_pools(id) ON DELETE CASCADE,
        client_id   TEXT NOT NULL,           -- ALL, or an app client of the pool
        css         TEXT,
        css_version TEXT,
        image       BLOB,                    -- the logo's bytes, as uploaded
        image_type  TEXT,                    -- image/png | image/jpeg
        created_at  INTEGER NOT NULL,
        updated_at  INTEGER NOT NULL,
        PRIMARY KEY (pool_id, client_id)
      );

      CREATE TABLE risk_configurations (
        pool_id    TEXT NOT NULL REFERENCES user_pools(id) ON DELETE CASCADE,
        client_id  TEXT NOT NULL,            -- ALL, or an app client of the pool
        config     TEXT NOT NULL,            -- JSON, Cognito's RiskConfigurationType members as given
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (pool_id, client_id)
      );

      CREATE TABLE log_delivery_configurations (
        pool_id        TEXT PRIMARY KEY REFERENCES user_pools(id) ON DELETE CASCADE,
        configurations TEXT NOT NULL,        -- JSON list of LogConfigurationType
        updated_at     INTEGER NOT NULL
      );

      CREATE TABLE auth_events (
        pool_id             TEXT NOT NULL,
        user_sub            TEXT NOT NULL,
        event_id            TEXT NOT NULL,
        event_type          TEXT NOT NULL,   -- SignIn
        event_response      TEXT NOT NULL,   -- Pass | Fail
        created_at          INTEGER NOT NULL,
        feedback_token_hash TEXT NOT NULL,   -- SHA-256 of the feedback token
        feedback_value      TEXT,            -- Valid | Invalid
        feedback_provider   TEXT,            -- Admin | User
        feedback_at         INTEGER,
        PRIMARY KEY (pool_id, event_id),
        FOREIGN KEY (pool_id, user_sub) REFERENCES users(pool_id, sub) ON DELETE CASCADE
      );
      CREATE INDEX auth_events_by_user ON auth_events(pool_id, user_sub, created_at);
    `),

  // 13: user import jobs (pools/import-job-store.ts). The uploaded CSV is kept on its job until the job
  // ends; jobs go with their pool. Counts and status change in the statement (or transaction) that
  // writes a chunk of users, so a reader never sees counts that disagree with the users written.
  (db) =>
    db.exec(`
      CREATE TABLE user_import_jobs (
        job_id             TEXT PRIMARY KEY,
        pool_id            TEXT NOT NULL REFERENCES user_pools(id) ON DELETE CASCADE,
        job_name           TEXT NOT NULL,
        role_arn           TEXT NOT NULL,
        upload_token       TEXT NOT NULL,    -- the PreSignedUrl's token (returned by Describe, as Cognito returns its URL)
        status             TEXT NOT NULL,
        csv                BLOB,             -- the uploaded file; NULL before the upload and once the job has ended
        created_at         INTEGER NOT NULL,
        started_at         INTEGER,
        completed_at       INTEGER,
        imported           INTEGER NOT NULL DEFAULT 0,
        skipped            INTEGER NOT NULL DEFAULT 0,
        failed             INTEGER NOT NULL DEFAULT 0,
        completion_message TEXT
      );
      CREATE INDEX user_import_jobs_by_creation ON user_import_jobs(pool_id, created_at, job_id);
    `),

  // 14: client secret rotation (pools/client-secrets.ts). The active secrets of a confidential client as a
  // JSON list [{id, secret, createdAt}], oldest first; `secret` stays the oldest of them. Ids: <client id>--<ms>.
  (db) =>
    db.exec(`
      ALTER TABLE app_clients ADD COLUMN secrets TEXT;       -- NULL for a public client
      UPDATE app_clients
         SET secrets = json_array(json_object('id', id || '--' || created_at, 'secret', secret, 'createdAt', created_at))
       WHERE secret IS NOT NULL;
    `),

  // 15: managed login branding styles, their assets, and terms documents (pools/managed-login-store.ts).
  // UNIQUE (client_id) is "one style per client"; UNIQUE (client_id, terms_name) one document of a name per client.
  (db) =>
    db.exec(`
      CREATE TABLE managed_login_brandings (
        branding_id        TEXT PRIMARY KEY,
        pool_id            TEXT NOT NULL REFERENCES user_pools(id) ON DELETE CASCADE,
        client_id          TEXT NOT NULL UNIQUE REFERENCES app_clients(id) ON DELETE CASCADE,
        use_cognito_values INTEGER NOT NULL,  -- 1: UseCognitoProvidedValues (no settings, no assets)
        settings           TEXT,              -- JSON document, as given
        created_at         INTEGER NOT NULL,
        updated_at         INTEGER NOT NULL
      );

      CREATE TABLE managed_login_assets (
        branding_id TEXT NOT NULL REFERENCES managed_login_brandings(branding_id) ON DELETE CASCADE,
        category    TEXT NOT NULL,
        color_mode  TEXT NOT NULL,
        extension   TEXT NOT NULL,
        bytes       BLOB NOT NULL,
        resource_id TEXT,
        PRIMARY KEY (branding_id, category, color_mode)
      );

      CREATE TABLE terms_documents (
        terms_id     TEXT PRIMARY KEY,
        pool_id      TEXT NOT NULL REFERENCES user_pools(id) ON DELETE CASCADE,
        client_id    TEXT NOT NULL REFERENCES app_clients(id) ON DELETE CASCADE,
        terms_name   TEXT NOT NULL,
        terms_source TEXT NOT NULL,           -- LINK
        enforcement  TEXT NOT NULL,           -- NONE
        links        TEXT NOT NULL,           -- JSON map, cognito:<language> -> URL
        created_at   INTEGER NOT NULL,
        updated_at   INTEGER NOT NULL,
        UNIQUE (client_id, terms_name)
      );
      CREATE INDEX terms_documents_by_pool ON terms_documents(pool_id, created_at, terms_id);
    `),

  // 16: the pool's SAML signing certificate (GetSigningCertificate: made once, with its key), its multi-Region
  // replica records, and the account's provisioned API rate limits (pools/replicas-limits-store.ts). Limits
  // belong to the account, not to a pool, so they stay when pools go.
  (db) =>
    db.exec(`
      CREATE TABLE saml_signing_certificates (
        pool_id     TEXT PRIMARY KEY REFERENCES user_pools(id) ON DELETE CASCADE,
        private_pem TEXT NOT NULL,           -- PKCS#8, as signing_keys keeps token keys
        certificate BLOB NOT NULL,           -- DER
        created_at  INTEGER NOT NULL
      );

      CREATE TABLE user_pool_replicas (
        pool_id    TEXT NOT NULL REFERENCES user_pools(id) ON DELETE CASCADE,
        region     TEXT NOT NULL,
        status     TEXT NOT NULL,            -- ACTIVE | INACTIVE (CREATING is read from created_at)
        tags       TEXT NOT NULL,            -- JSON map, the UserPoolTags given at creation
        created_at INTEGER NOT NULL,
        PRIMARY KEY (pool_id, region)
      );
      CREATE INDEX user_pool_replicas_by_creation ON user_pool_replicas(pool_id, created_at);

      CREATE TABLE provisioned_limits (
        limit_class TEXT NOT NULL,           -- API_CATEGORY
        category    TEXT NOT NULL,
        value       INTEGER NOT NULL,        -- requests per second
        updated_at  INTEGER NOT NULL,
        PRIMARY KEY (limit_class, category)
      );
    `),

  // 17: a deleted app client's own UI customization and risk configuration go with it, in the DELETE's
  // statement (their client_id may also be ALL, so it cannot be a foreign key).
  (db) =>
    db.exec(`
      CREATE TRIGGER app_client_settings_go_with_it AFTER DELETE ON app_clients BEGIN
        DELETE FROM ui_customizations WHERE pool_id = OLD.pool_id AND client_id = OLD.id;
        DELETE FROM risk_configurations WHERE pool_id = OLD.pool_id AND client_id = OLD.id;
      END;
    `),
];

export function migrate(db: Database): void {
  const applied = db.pragma('user_version', { simple: true }) as number;
  if (applied > migrations.length) {
    throw new Error(`pool database schema version ${applied} is newer than this authchart (${migrations.length})`);
  }
  for (let version = applied; version < migrations.length; version++) {
    db.transaction(() => {
      migrations[version]!(db);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
}
