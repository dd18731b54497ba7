import { Global, Module } from '@nestjs/common';
import { AppConfig } from '../../../config/app-config';
import { ChatProvider } from './chat-provider';
import { ExtractiveResponder } from './extractive-responder';
import { OpenAiCompatibleChat } from './openai-compatible.chat';

/** The configured chat provider: the OpenAI-compatible service, or the extractive responder. */
@Global()
@Module({
  providers: [
    {
      provide: ChatProvider,
      inject: [AppConfig],
      useFactory: (config: AppConfig): ChatProvider =>
        config.chat.http
          ? new OpenAiCompatibleChat({ ...config.chat.http, maxRetries: 2 })
          : new ExtractiveResponder(),
    },
  ],
  exports: [ChatProvider],
})
export class ChatProviderModule {}
