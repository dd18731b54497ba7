import { Injectable } from '@nestjs/common';
import { compare, hash } from 'bcrypt';
import { createHmac } from 'node:crypto';
import { AppConfig } from '../../config/app-config';

/**
 * bcrypt reads only the first 72 bytes of its input, so every password is first condensed with
 * HMAC-SHA256 (base64, 44 bytes): a 128-character password counts in full. The HMAC key is a
 * fixed label, not a secret; it keeps these digests apart from plain SHA-256 dumps.
 */
function condense(password: string): string {
  return createHmac('sha256', 'kiln-password-v1').update(password, 'utf8').digest('base64');
}

@Injectable()
export class PasswordHasher {
  // Compared against when the account does not exist, so a login takes as long either way.
  private readonly dummyHash: Promise<string>;

  constructor(private readonly config: AppConfig) {
    this.dummyHash = this.hash('kiln-dummy-password');
  }

  hash(password: string): Promise<string> {
    return hash(condense(password), this.config.auth.bcryptCost);
  }

  verify(password: string, passwordHash: string): Promise<boolean> {
    return compare(condense(password), passwordHash);
  }

  async verifyNothing(password: string): Promise<false> {
    await compare(condense(password), await this.dummyHash);
    return false;
  }
}
