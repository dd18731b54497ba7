import { DynamicModule, Global, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { AppConfig } from './app-config';

/**
 * Hands the configuration validated once by loadConfig() to the rest of the application:
 * typed as AppConfig, and through @nestjs/config's ConfigService for libraries that expect it.
 */
@Global()
@Module({})
export class KilnConfigModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: KilnConfigModule,
      imports: [
        ConfigModule.forRoot({
          ignoreEnvFile: true,
          ignoreEnvVars: true,
          load: [() => ({ ...config })],
        }),
      ],
      providers: [{ provide: AppConfig, useValue: config }],
      exports: [AppConfig, ConfigModule],
    };
  }
}
