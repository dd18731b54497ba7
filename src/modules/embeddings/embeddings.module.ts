import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { EmbeddingsProviderModule } from '../../infra/providers/embeddings/embeddings-provider.module';
import { ProjectsModule } from '../projects/projects.module';
import { EmbeddingsController } from './embeddings.controller';
import { EmbeddingsService } from './embeddings.service';
import { Chunk } from './entities/chunk.entity';
import { Collection } from './entities/collection.entity';
import { EmbeddingDocument } from './entities/document.entity';

@Module({
  imports: [
    TypeOrmModule.forFeature([Collection, EmbeddingDocument, Chunk]),
    ProjectsModule,
    EmbeddingsProviderModule,
  ],
  controllers: [EmbeddingsController],
  providers: [EmbeddingsService],
  exports: [EmbeddingsService],
})
export class EmbeddingsModule {}
