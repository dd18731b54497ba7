import { UserRole, UserStatus } from './role';

export type Credential = { kind: 'jwt'; sessionId: string } | { kind: 'api-key'; apiKeyId: string };

/** The caller of a request, as the authentication guard found it (one lookup per request). */
export interface AuthenticatedUser {
  id: string;
  email: string;
  name: string | null;
  role: UserRole;
  status: UserStatus;
  createdAt: Date;
  updatedAt: Date;
  credential: Credential;
}

/** What services need to know about whoever asks them to act: for rules and for the audit log. */
export interface Actor {
  id: string;
  role: UserRole;
  ip: string | null;
}
