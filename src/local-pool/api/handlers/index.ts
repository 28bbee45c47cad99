// Every Cognito operation the local pool answers, by X-Amz-Target operation name. New
// operations (sign-up, MFA, passkeys ...) are added as further registries here.
import type { HandlerRegistry } from '../../context.js';
import { accountHandlers } from './accounts.js';
import { adminAuthHandlers } from './admin-auth.js';
import { adminUserHandlers } from './admin-users.js';
import { authHandlers } from './auth.js';
import { clientSecretHandlers } from './client-secrets.js';
import { deviceHandlers } from './devices.js';
import { groupHandlers } from './groups.js';
import { importJobHandlers } from './import-jobs.js';
import { managedLoginHandlers } from './managed-login.js';
import { mfaHandlers } from './mfa.js';
import { oauthHandlers } from '../../oauth/handlers.js';
import { passkeyHandlers } from './passkeys.js';
import { poolConfigHandlers } from './pool-config.js';
import { poolHandlers } from './pools.js';
import { replicaLimitHandlers } from './replicas-limits.js';
import { schemaTagHandlers } from './schema-tags.js';
import { sessionHandlers } from './sessions.js';
import { userHandlers } from './user.js';

export const operations: HandlerRegistry = {
  ...authHandlers,
  ...adminAuthHandlers,
  ...accountHandlers,
  ...userHandlers,
  ...poolHandlers,
  ...schemaTagHandlers,
  ...poolConfigHandlers,
  ...managedLoginHandlers,
  ...importJobHandlers,
  ...adminUserHandlers,
  ...mfaHandlers,
  ...passkeyHandlers,
  ...deviceHandlers,
  ...groupHandlers,
  ...sessionHandlers,
  ...oauthHandlers,
  ...clientSecretHandlers,
  ...replicaLimitHandlers,
};
