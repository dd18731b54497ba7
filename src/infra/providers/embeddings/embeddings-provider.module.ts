import { Global, Module } from '@nestjs/common';
import { AppConfig } from '../../../config/app-config';
import { EmbeddingsProvider } from './embeddings-provider';
import { LocalHashingEmbedder } from './local-hashing.embedder';
import { OpenAiCompatibleEmbeddings } from './openai-compatible.provider';

/** The configured embeddings provider: the OpenAI-compatible service, or the local embedder. */
@Global()
@Module({
  providers: [
    {
      provide: EmbeddingsProvider,
      inject: [AppConfig],
      useFactory: (config: AppConfig): EmbeddingsProvider => {
        const { dimension, http } = config.embeddings;
        return http
          ? new OpenAiCompatibleEmbeddings({ ...http, dimension })
          : new LocalHashingEmbedder({ dimension });
      },
    },
  ],
  exports: [EmbeddingsProvider],
})
export class EmbeddingsProviderModule {}
