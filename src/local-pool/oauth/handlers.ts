// The Cognito operations of the hosted UI's configuration: domains, identity providers, links.
import type { HandlerRegistry } from '../context.js';
import { domainHandlers } from './domains.js';
import { identityProviderHandlers } from './identity-providers.js';
import { linkHandlers } from './links.js';
import { resourceServerHandlers } from './resource-servers.js';

export const oauthHandlers: HandlerRegistry = {
  ...domainHandlers,
  ...identityProviderHandlers,
  ...linkHandlers,
  ...resourceServerHandlers,
};
