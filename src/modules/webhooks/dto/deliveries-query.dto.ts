import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsEnum, IsOptional } from 'class-validator';
import { PageQueryDto } from '../../../common/pagination/page-query.dto';
import { DeliveryStatus } from '../entities/webhook-delivery.entity';

/** `?page&limit`, and optionally only the deliveries in one status. */
export class DeliveriesQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: DeliveryStatus, enumName: 'WebhookDeliveryStatus' })
  @IsOptional()
  @IsEnum(DeliveryStatus)
  status?: DeliveryStatus;
}
