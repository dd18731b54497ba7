import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { IsUUID, Length } from 'class-validator';
import { AuthenticatedUser } from '../../common/auth/authenticated-user';
import { CurrentUser } from '../../common/auth/current-user.decorator';
import { UuidParam } from '../../common/http/uuid-param';
import { ApiPageResponse } from '../../common/pagination/api-page-response';
import { Page, PageQueryDto } from '../../common/pagination/page-query.dto';
import { ApiQuotaExceededResponse } from '../billing/api-quota-exceeded-response';
import { CollectionDto, CreateCollectionDto } from './dto/collection.dto';
import {
  DeletedDocumentsDto,
  DeleteDocumentsDto,
  DocumentDto,
  StoredDocumentsDto,
  UpsertDocumentsDto,
} from './dto/documents.dto';
import { EmbedDto, EmbedResponseDto, SearchDto, SearchResultDto } from './dto/search.dto';
import { EmbeddingsService } from './embeddings.service';

/** `:id` is the collection's (a UUID); `:documentId` is the client's own id for the document. */
class DocumentParams {
  @IsUUID()
  id: string;

  @Length(1, 200)
  documentId: string;
}

@ApiTags('embeddings')
@Controller('embeddings')
export class EmbeddingsController {
  constructor(private readonly embeddings: EmbeddingsService) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({ summary: 'Embed one text or several, with the configured model' })
  @ApiOkResponse({ type: EmbedResponseDto })
  embed(
    @CurrentUser() caller: AuthenticatedUser,
    @Body() body: EmbedDto,
  ): Promise<EmbedResponseDto> {
    return this.embeddings.embed(caller, body.input);
  }

  @Post('collections')
  @ApiOperation({ summary: 'Create a collection; it records the model and dimension in use' })
  @ApiCreatedResponse({ type: CollectionDto })
  async createCollection(
    @CurrentUser() caller: AuthenticatedUser,
    @Body() body: CreateCollectionDto,
  ): Promise<CollectionDto> {
    return CollectionDto.from(await this.embeddings.createCollection(caller, body));
  }

  @Get('collections')
  @ApiOperation({ summary: 'The caller’s collections' })
  @ApiPageResponse(CollectionDto)
  async listCollections(
    @CurrentUser() caller: AuthenticatedUser,
    @Query() query: PageQueryDto,
  ): Promise<Page<CollectionDto>> {
    const page = await this.embeddings.listCollections(caller, query);
    return { ...page, data: page.data.map(CollectionDto.from) };
  }

  @Get('collections/:id')
  @ApiOperation({ summary: 'One collection' })
  @ApiOkResponse({ type: CollectionDto })
  async getCollection(
    @CurrentUser() caller: AuthenticatedUser,
    @UuidParam() id: string,
  ): Promise<CollectionDto> {
    return CollectionDto.from(await this.embeddings.getCollection(caller, id));
  }

  @Delete('collections/:id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a collection with its documents' })
  @ApiNoContentResponse()
  async removeCollection(
    @CurrentUser() caller: AuthenticatedUser,
    @UuidParam() id: string,
  ): Promise<void> {
    await this.embeddings.removeCollection(caller, id);
  }

  @Post('collections/:id/documents')
  @ApiOperation({
    summary: 'Add documents: chunked and embedded; the same id again replaces a document',
  })
  @ApiCreatedResponse({ type: StoredDocumentsDto })
  @ApiQuotaExceededResponse()
  async upsertDocuments(
    @CurrentUser() caller: AuthenticatedUser,
    @UuidParam() id: string,
    @Body() body: UpsertDocumentsDto,
  ): Promise<StoredDocumentsDto> {
    return { data: await this.embeddings.upsertDocuments(caller, id, body.documents) };
  }

  @Get('collections/:id/documents')
  @ApiOperation({ summary: 'The documents of a collection' })
  @ApiPageResponse(DocumentDto)
  async listDocuments(
    @CurrentUser() caller: AuthenticatedUser,
    @UuidParam() id: string,
    @Query() query: PageQueryDto,
  ): Promise<Page<DocumentDto>> {
    const page = await this.embeddings.listDocuments(caller, id, query);
    return { ...page, data: page.data.map(DocumentDto.from) };
  }

  @Post('collections/:id/documents/delete')
  @HttpCode(200)
  @ApiOperation({ summary: 'Delete documents by ids, by a metadata filter, or both' })
  @ApiOkResponse({ type: DeletedDocumentsDto })
  removeDocuments(
    @CurrentUser() caller: AuthenticatedUser,
    @UuidParam() id: string,
    @Body() body: DeleteDocumentsDto,
  ): Promise<DeletedDocumentsDto> {
    return this.embeddings.removeDocuments(caller, id, body);
  }

  @Delete('collections/:id/documents/:documentId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete one document' })
  @ApiNoContentResponse()
  async removeDocument(
    @CurrentUser() caller: AuthenticatedUser,
    @Param() params: DocumentParams,
  ): Promise<void> {
    await this.embeddings.removeDocument(caller, params.id, params.documentId);
  }

  @Post('collections/:id/search')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Search by text or by vector, best first, with an optional metadata filter',
  })
  @ApiOkResponse({ type: SearchResultDto })
  async search(
    @CurrentUser() caller: AuthenticatedUser,
    @UuidParam() id: string,
    @Body() body: SearchDto,
  ): Promise<SearchResultDto> {
    return { data: await this.embeddings.search(caller, id, body) };
  }
}
