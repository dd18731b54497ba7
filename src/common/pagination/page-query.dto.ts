import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';
import { ValidationProblemException } from '../problem/problem.exception';

/** `?page=1&limit=20`, limit 1..100; list queries extend this with their filters. */
export class PageQueryDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, default: 1 })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  page: number = 1;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 100, default: 20 })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit: number = 20;
}

export interface PageMeta {
  page: number;
  limit: number;
  total: number;
  totalPages: number;
}

export interface Page<T> {
  data: T[];
  meta: PageMeta;
}

export function toPage<T>(data: T[], total: number, query: PageQueryDto): Page<T> {
  return {
    data,
    meta: {
      page: query.page,
      limit: query.limit,
      total,
      totalPages: Math.ceil(total / query.limit),
    },
  };
}

/**
 * How many rows come before the page. IsInt lets 1e300 through, and an offset past the safe
 * integers is no longer written as an integer in SQL: such a page is refused, not a 500.
 */
export function pageOffset(query: PageQueryDto): number {
  const offset = (query.page - 1) * query.limit;
  if (!Number.isSafeInteger(offset)) {
    throw new ValidationProblemException([{ field: 'page', message: 'page is too large' }]);
  }
  return offset;
}
