import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { Actor } from '../../common/auth/authenticated-user';
import { assertCanRead, assertCanWrite } from '../../common/auth/ownership';
import { UserRole } from '../../common/auth/role';
import { containsPattern } from '../../common/pagination/like-pattern';
import { Page, pageOffset, toPage } from '../../common/pagination/page-query.dto';
import { CreateProjectDto, UpdateProjectDto } from './dto/project.dto';
import {
  emptyProjectStats,
  ProjectStatsContributor,
  ProjectStatsDto,
} from './dto/project-stats.dto';
import { ListProjectsQuery } from './dto/list-projects.query';
import { Project, ProjectStatus } from './entities/project.entity';

type Caller = Pick<Actor, 'id' | 'role'>;

@Injectable()
export class ProjectsService {
  private readonly statsContributors: ProjectStatsContributor[] = [];

  constructor(@InjectRepository(Project) private readonly projects: Repository<Project>) {}

  contributeStats(contributor: ProjectStatsContributor): void {
    this.statsContributors.push(contributor);
  }

  create(caller: Caller, input: CreateProjectDto): Promise<Project> {
    return this.projects.save(
      this.projects.create({
        ...input,
        description: input.description ?? null,
        ownerId: caller.id,
      }),
    );
  }

  /** Everyone lists their own projects; operators and admins may ask for another owner's. */
  async list(caller: Caller, query: ListProjectsQuery): Promise<Page<Project>> {
    const ownerId = query.ownerId && caller.role !== UserRole.User ? query.ownerId : caller.id;
    return this.listOwnedBy(ownerId, query);
  }

  async listOwnedBy(ownerId: string, query: ListProjectsQuery): Promise<Page<Project>> {
    const qb = this.projects.createQueryBuilder('p').where('p.ownerId = :ownerId', { ownerId });
    if (query.search)
      qb.andWhere('p.name ILIKE :search', { search: containsPattern(query.search) });
    if (query.status) qb.andWhere('p.status = :status', { status: query.status });
    const descending = query.sort.startsWith('-');
    const field = query.sort.replace(/^-/, '');
    // Names sort as people read them, whatever the database collation does with case.
    const orderBy = field === 'name' ? 'LOWER(p.name)' : `p.${field}`;
    const [data, total] = await qb
      .orderBy(orderBy, descending ? 'DESC' : 'ASC')
      .addOrderBy('p.id', 'ASC')
      .skip(pageOffset(query))
      .take(query.limit)
      .getManyAndCount();
    return toPage(data, total, query);
  }

  async get(caller: Caller, id: string): Promise<Project> {
    const project = await this.find(id);
    assertCanRead(caller, project.ownerId);
    return project;
  }

  async update(caller: Caller, id: string, changes: UpdateProjectDto): Promise<Project> {
    const project = await this.find(id);
    assertCanWrite(caller, project.ownerId);
    Object.assign(project, changes);
    return this.projects.save(project);
  }

  async remove(caller: Caller, id: string): Promise<void> {
    const project = await this.find(id);
    assertCanWrite(caller, project.ownerId);
    await this.projects.softRemove(project);
  }

  async stats(caller: Caller, id: string): Promise<ProjectStatsDto> {
    const project = await this.get(caller, id);
    const stats = emptyProjectStats(project.id);
    for (const part of await Promise.all(this.statsContributors.map((c) => c(project.id)))) {
      Object.assign(stats, part);
    }
    return stats;
  }

  /**
   * For modules that put work into a project: it must exist (404), be the caller's or the
   * caller an admin (403), and be active (409).
   */
  async assertCanAddTo(caller: Caller, id: string): Promise<Project> {
    const project = await this.find(id);
    assertCanWrite(caller, project.ownerId);
    if (project.status !== ProjectStatus.Active) {
      throw new ConflictException('The project is archived; unarchive it to add work to it.');
    }
    return project;
  }

  private async find(id: string): Promise<Project> {
    const project = await this.projects.findOneBy({ id });
    if (!project) throw new NotFoundException('No such project.');
    return project;
  }
}
