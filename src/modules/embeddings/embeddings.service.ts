import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager, Repository } from 'typeorm';
import { Actor } from '../../common/auth/authenticated-user';
import { assertCanRead, assertCanWrite } from '../../common/auth/ownership';
import { Page, pageOffset, PageQueryDto, toPage } from '../../common/pagination/page-query.dto';
import { FieldError, ValidationProblemException } from '../../common/problem/problem.exception';
import { EmbeddingsProvider } from '../../infra/providers/embeddings/embeddings-provider';
import { UsageMeter } from '../billing/usage-meter';
import { ProjectsService } from '../projects/projects.service';
import { ProviderKeysService } from '../provider-keys/provider-keys.service';
import { ProviderKind } from '../provider-keys/provider-kind';
import { CreateCollectionDto } from './dto/collection.dto';
import { DeleteDocumentsDto, DocumentInputDto, StoredDocumentDto } from './dto/documents.dto';
import { SearchDto, SearchHitDto } from './dto/search.dto';
import { Chunk } from './entities/chunk.entity';
import { Collection } from './entities/collection.entity';
import { EmbeddingDocument } from './entities/document.entity';
import { compileFilter } from './filter/compile-filter';
import { Filter } from './filter/filter';
import { FilterError } from './filter/filter-error';
import { parseFilter } from './filter/parse-filter';
import { metadataErrors } from './metadata';
import { chunkText, DEFAULT_CHUNK_OVERLAP, DEFAULT_CHUNK_SIZE } from './text/chunker';
import { unitVector } from './vector';
import { VectorSearch } from './vectors/vector-search';

type Caller = Pick<Actor, 'id' | 'role'>;

interface PreparedDocument {
  externalId: string;
  text: string;
  metadata: Record<string, unknown>;
  chunks: { text: string; embedding: number[] }[];
}

@Injectable()
export class EmbeddingsService {
  constructor(
    @InjectRepository(Collection) private readonly collections: Repository<Collection>,
    @InjectRepository(EmbeddingDocument) private readonly documents: Repository<EmbeddingDocument>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly provider: EmbeddingsProvider,
    private readonly projects: ProjectsService,
    private readonly providerKeys: ProviderKeysService,
    private readonly vectors: VectorSearch,
    private readonly usage: UsageMeter,
  ) {}

  async embed(
    caller: Caller,
    texts: string[],
  ): Promise<{ model: string; dimension: number; data: { index: number; embedding: number[] }[] }> {
    const vectors = await this.embedFor(caller.id, texts);
    return {
      model: this.provider.model,
      dimension: this.provider.dimension,
      data: vectors.map((embedding, index) => ({ index, embedding })),
    };
  }

  async createCollection(caller: Caller, input: CreateCollectionDto): Promise<Collection> {
    const chunkSize = input.chunkSize ?? DEFAULT_CHUNK_SIZE;
    const chunkOverlap =
      input.chunkOverlap ?? Math.min(DEFAULT_CHUNK_OVERLAP, Math.floor(chunkSize / 5));
    const errors = metadataErrors(input.metadata, 'metadata');
    if (chunkOverlap >= chunkSize)
      errors.push({ field: 'chunkOverlap', message: 'must be less than chunkSize' });
    if (errors.length) throw new ValidationProblemException(errors);
    if (input.projectId) await this.projects.assertCanAddTo(caller, input.projectId);
    return this.collections.save(
      this.collections.create({
        ownerId: caller.id,
        projectId: input.projectId ?? null,
        name: input.name,
        model: this.provider.model,
        dimension: this.provider.dimension,
        chunkSize,
        chunkOverlap,
        metadata: input.metadata ?? {},
      }),
    );
  }

  async listCollections(caller: Caller, query: PageQueryDto): Promise<Page<Collection>> {
    const [data, total] = await this.collections.findAndCount({
      where: { ownerId: caller.id },
      order: { createdAt: 'DESC', id: 'ASC' },
      skip: pageOffset(query),
      take: query.limit,
    });
    return toPage(data, total, query);
  }

  async getCollection(caller: Caller, id: string): Promise<Collection> {
    const collection = await this.find(id);
    assertCanRead(caller, collection.ownerId);
    return collection;
  }

  async removeCollection(caller: Caller, id: string): Promise<void> {
    const collection = await this.find(id);
    assertCanWrite(caller, collection.ownerId);
    await this.collections.delete({ id });
  }

  /**
   * Chunks and embeds the documents first (outside any transaction: embedding may call a remote
   * service), then replaces each document and its chunks in one transaction.
   */
  async upsertDocuments(
    caller: Caller,
    collectionId: string,
    inputs: DocumentInputDto[],
  ): Promise<StoredDocumentDto[]> {
    const collection = await this.find(collectionId);
    assertCanWrite(caller, collection.ownerId);
    // Over quota, refuse before paying for the embeddings; the count is taken with the write.
    await this.usage.assertRoom(collection.ownerId, 'embedding_documents', inputs.length);
    const prepared = await this.prepare(collection, inputs, caller.id);
    await this.dataSource.transaction(async (manager) => {
      await this.usage.reserve(manager, collection.ownerId, 'embedding_documents', prepared.length);
      for (const document of prepared) await this.replaceDocument(manager, collection.id, document);
      await this.recount(manager, collection.id);
    });
    return prepared.map((d) => ({ id: d.externalId, chunkCount: d.chunks.length }));
  }

  async listDocuments(
    caller: Caller,
    collectionId: string,
    query: PageQueryDto,
  ): Promise<Page<EmbeddingDocument>> {
    await this.getCollection(caller, collectionId);
    const [data, total] = await this.documents.findAndCount({
      where: { collectionId },
      order: { createdAt: 'ASC', externalId: 'ASC' },
      skip: pageOffset(query),
      take: query.limit,
    });
    return toPage(data, total, query);
  }

  async removeDocument(caller: Caller, collectionId: string, externalId: string): Promise<void> {
    const collection = await this.find(collectionId);
    assertCanWrite(caller, collection.ownerId);
    await this.dataSource.transaction(async (manager) => {
      const { affected } = await manager.delete(EmbeddingDocument, { collectionId, externalId });
      if (!affected) throw new NotFoundException('No such document in this collection.');
      await this.recount(manager, collectionId);
    });
  }

  /** Deletes by ids, by a metadata filter, or both (a document must match both). */
  async removeDocuments(
    caller: Caller,
    collectionId: string,
    input: DeleteDocumentsDto,
  ): Promise<{ deleted: number }> {
    const collection = await this.find(collectionId);
    assertCanWrite(caller, collection.ownerId);
    if (!input.ids && !input.filter) {
      throw new ValidationProblemException([
        { field: 'ids', message: 'give ids, a filter, or both' },
      ]);
    }
    const filter = input.filter ? this.parse(input.filter) : undefined;
    return this.dataSource.transaction(async (manager) => {
      const params: unknown[] = [collectionId];
      const conditions = ['collection_id = $1'];
      if (input.ids) {
        params.push(input.ids);
        conditions.push(`external_id = ANY($${params.length}::text[])`);
      }
      if (filter) conditions.push(compileFilter(filter, 'metadata', params));
      const [, deleted] = (await manager.query(
        `DELETE FROM embedding_documents WHERE ${conditions.join(' AND ')}`,
        params,
      )) as [unknown, number];
      await this.recount(manager, collectionId);
      return { deleted };
    });
  }

  /**
   * The collection's closest chunks that pass the filter, on this database's vector path
   * (VectorSearch). A text query is embedded on the key of `requesterId` (the caller unless said otherwise).
   */
  async search(
    caller: Caller,
    collectionId: string,
    input: SearchDto,
    requesterId = caller.id,
  ): Promise<SearchHitDto[]> {
    const collection = await this.getCollection(caller, collectionId);
    // null counts as absent: the validators let an explicit null through as "not given".
    if ((input.query == null) === (input.embedding == null)) {
      throw new ValidationProblemException([
        { field: 'query', message: 'give either query or embedding' },
      ]);
    }
    const filter = input.filter ? this.parse(input.filter) : undefined;
    const vector = input.embedding
      ? this.checkedVector(collection, input.embedding, 'embedding')
      : (await this.embedTexts(collection, [input.query!], requesterId))[0];
    const hits = await this.vectors.search({
      collectionId,
      dimension: collection.dimension,
      vector,
      topK: input.topK ?? 10,
      filter,
    });
    return hits.map((hit) => ({ ...hit, score: Math.round(hit.score * 1e6) / 1e6 }));
  }

  private async prepare(
    collection: Collection,
    inputs: DocumentInputDto[],
    requesterId: string,
  ): Promise<PreparedDocument[]> {
    const errors: FieldError[] = [];
    const seen = new Set<string>();
    const documents = inputs.map((input, i) => {
      errors.push(...metadataErrors(input.metadata, `documents.${i}.metadata`));
      const externalId = input.id ?? randomUUID();
      if (seen.has(externalId))
        errors.push({ field: `documents.${i}.id`, message: 'appears twice in this request' });
      seen.add(externalId);
      if (input.embedding && input.embedding.length !== collection.dimension) {
        errors.push({
          field: `documents.${i}.embedding`,
          message: `must have ${collection.dimension} numbers`,
        });
      }
      const pieces = input.embedding
        ? [input.text]
        : chunkText(input.text, {
            chunkSize: collection.chunkSize,
            chunkOverlap: collection.chunkOverlap,
          }).map((c) => c.text);
      return {
        externalId,
        text: input.text,
        metadata: input.metadata ?? {},
        pieces,
        embedding: input.embedding,
      };
    });
    if (errors.length) throw new ValidationProblemException(errors);

    const toEmbed = documents.filter((d) => !d.embedding).flatMap((d) => d.pieces);
    const vectors = toEmbed.length ? await this.embedTexts(collection, toEmbed, requesterId) : [];
    let next = 0;
    return documents.map((d) => ({
      externalId: d.externalId,
      text: d.text,
      metadata: d.metadata,
      chunks: d.embedding
        ? [{ text: d.text, embedding: unitVector(d.embedding) }]
        : d.pieces.map((text) => ({ text, embedding: vectors[next++] })),
    }));
  }

  /** Texts are embedded with the collection's model only: vectors of two models do not compare. */
  private async embedTexts(
    collection: Collection,
    texts: string[],
    requesterId: string,
  ): Promise<number[][]> {
    if (
      collection.model !== this.provider.model ||
      collection.dimension !== this.provider.dimension
    ) {
      throw new ConflictException(
        `This collection was built with ${collection.model}; the service now embeds with ${this.provider.model}. Send vectors instead.`,
      );
    }
    return (await this.embedFor(requesterId, texts)).map(unitVector);
  }

  /** The provider's vectors, on the user's own key when they stored one. */
  private async embedFor(userId: string, texts: string[]): Promise<number[][]> {
    const apiKey = await this.providerKeys.keyFor(userId, ProviderKind.Embeddings);
    return this.provider.embed(texts, { apiKey });
  }

  private checkedVector(collection: Collection, vector: number[], field: string): number[] {
    if (vector.length !== collection.dimension) {
      throw new ValidationProblemException([
        { field, message: `must have ${collection.dimension} numbers` },
      ]);
    }
    return unitVector(vector);
  }

  private parse(input: Record<string, unknown>): Filter {
    try {
      return parseFilter(input);
    } catch (error) {
      if (error instanceof FilterError) {
        throw new ValidationProblemException([{ field: error.path, message: error.reason }]);
      }
      throw error;
    }
  }

  private async replaceDocument(
    manager: EntityManager,
    collectionId: string,
    document: PreparedDocument,
  ): Promise<void> {
    const [{ id }] = (await manager.query(
      `INSERT INTO embedding_documents (collection_id, external_id, text, metadata, chunk_count)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (collection_id, external_id)
       DO UPDATE SET text = EXCLUDED.text, metadata = EXCLUDED.metadata,
                     chunk_count = EXCLUDED.chunk_count, updated_at = now()
       RETURNING id`,
      [collectionId, document.externalId, document.text, document.metadata, document.chunks.length],
    )) as { id: string }[];
    await manager.delete(Chunk, { documentId: id });
    if (document.chunks.length) {
      await manager.save(
        document.chunks.map((chunk, ordinal) =>
          manager.create(Chunk, {
            collectionId,
            documentId: id,
            ordinal,
            text: chunk.text,
            metadata: document.metadata,
            embedding: chunk.embedding,
          }),
        ),
        { chunk: 200 },
      );
    }
  }

  private async recount(manager: EntityManager, collectionId: string): Promise<void> {
    await manager.query(
      `UPDATE embedding_collections SET document_count =
         (SELECT count(*) FROM embedding_documents WHERE collection_id = $1), updated_at = now()
       WHERE id = $1`,
      [collectionId],
    );
  }

  private async find(id: string): Promise<Collection> {
    const collection = await this.collections.findOneBy({ id });
    if (!collection) throw new NotFoundException('No such collection.');
    return collection;
  }
}
