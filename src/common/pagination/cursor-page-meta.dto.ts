import { ApiProperty } from '@nestjs/swagger';

/** The `meta` of a cursor page (message history), where offset pages have `page`/`total`. */
export class CursorPageMetaDto {
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as `cursor` for the next page; null on the last page',
  })
  nextCursor: string | null;
}
