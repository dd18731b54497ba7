import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { TypeOrmModule } from '@nestjs/typeorm';
import { EmbeddingsProviderModule } from '../../infra/providers/embeddings/embeddings-provider.module';
import { ProjectsModule } from '../projects/projects.module';
import { ProviderKeysModule } from '../provider-keys/provider-keys.module';
import { EmbeddingsController } from './embeddings.controller';
import { EmbeddingsService } from './embeddings.service';
import { Chunk } from './entities/chunk.entity';
import { Collection } from './entities/collection.entity';
import { EmbeddingDocument } from './entities/document.entity';
import { VectorReadiness } from './vectors/vector-readiness';
import { vectorSearchProvider } from './vectors/vector-search.provider';

@Module({
  imports: [
    TypeOrmModule.forFeature([Collection, EmbeddingDocument, Chunk]),
    ProjectsModule,
    ProviderKeysModule,
    EmbeddingsProviderModule,
    TerminusModule,
  ],
  controllers: [EmbeddingsController],
  providers: [EmbeddingsService, vectorSearchProvider, VectorReadiness],
  exports: [EmbeddingsService],
})
export class EmbeddingsModule {}
