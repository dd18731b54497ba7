import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module';
import { ProjectsModule } from '../projects/projects.module';
import { User } from './entities/user.entity';
import { UsersController } from './users.controller';
import { IdentityCache } from './identity-cache';
import { UsersService } from './users.service';

@Module({
  imports: [TypeOrmModule.forFeature([User]), AuditModule, ProjectsModule],
  controllers: [UsersController],
  providers: [UsersService, IdentityCache],
  exports: [UsersService],
})
export class UsersModule {}
