import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { createSecretKey, hkdfSync, KeyObject } from 'node:crypto';
import { AppConfig } from '../../config/app-config';
import { UsersModule } from '../users/users.module';
import { DashboardSessions } from './dashboard-sessions.service';
import { QueueDashboardSessionController } from './queue-dashboard-session.controller';

/** A key of the dashboard's own, derived from JWT_SECRET, so no new secret needs configuring. */
function dashboardSigningKey(jwtSecret: string): KeyObject {
  return createSecretKey(
    Buffer.from(hkdfSync('sha256', jwtSecret, '', 'kiln queue dashboard session', 32)),
  );
}

/**
 * Sign-in to the queue dashboard (Bull Board), which src/modules/queue-dashboard/queue-dashboard.ts
 * mounts beside the API in processes that serve it.
 */
@Module({
  imports: [
    JwtModule.registerAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        secret: dashboardSigningKey(config.auth.jwtSecret),
        signOptions: { algorithm: 'HS256' },
        verifyOptions: { algorithms: ['HS256'] },
      }),
    }),
    UsersModule,
  ],
  controllers: [QueueDashboardSessionController],
  providers: [DashboardSessions],
})
export class QueueDashboardModule {}
