import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ChatProviderModule } from '../../infra/providers/chat/chat-provider.module';
import { EmbeddingsModule } from '../embeddings/embeddings.module';
import { IdempotencyModule } from '../idempotency/idempotency.module';
import { ProjectsModule } from '../projects/projects.module';
import { ProviderKeysModule } from '../provider-keys/provider-keys.module';
import { ConversationsController } from './conversations.controller';
import { ConversationsService } from './conversations.service';
import { Conversation } from './entities/conversation.entity';
import { Feedback } from './entities/feedback.entity';
import { Message } from './entities/message.entity';
import { MessagesService } from './messages.service';
import { ReplyStream } from './reply-stream';

@Module({
  imports: [
    TypeOrmModule.forFeature([Conversation, Message, Feedback]),
    ProjectsModule,
    EmbeddingsModule,
    IdempotencyModule,
    ProviderKeysModule,
    ChatProviderModule,
  ],
  controllers: [ConversationsController],
  providers: [ConversationsService, MessagesService, ReplyStream],
})
export class ConversationsModule {}
