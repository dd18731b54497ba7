import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { Actor } from '../../common/auth/authenticated-user';
import { AuditService } from '../audit/audit.service';
import { UpdatePlanDto } from './dto/plan.dto';
import { Plan } from './entities/plan.entity';
import { PlanTierCache } from './plan-tier-cache';

@Injectable()
export class PlansService {
  constructor(
    @InjectRepository(Plan) private readonly plans: Repository<Plan>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly tiers: PlanTierCache,
  ) {}

  /** Cheapest first. */
  list(): Promise<Plan[]> {
    return this.plans.find({ order: { priceCents: 'ASC', code: 'ASC' } });
  }

  async get(id: string): Promise<Plan> {
    const plan = await this.plans.findOneBy({ id });
    if (!plan) throw new NotFoundException('No such plan.');
    return plan;
  }

  /** Replaces a plan's terms (admins); audited with what they were. Its users feel it at once. */
  async update(actor: Actor, id: string, changes: UpdatePlanDto): Promise<Plan> {
    const updated = await this.dataSource.transaction(async (manager) => {
      const plan = await manager.findOne(Plan, {
        where: { id },
        lock: { mode: 'pessimistic_write' },
      });
      if (!plan) throw new NotFoundException('No such plan.');
      const before = this.terms(plan);
      Object.assign(plan, {
        name: changes.name,
        description: changes.description ?? null,
        priceCents: changes.priceCents,
        currency: changes.currency ?? plan.currency,
        limits: { ...changes.limits },
        overagePrices: { ...changes.overagePrices },
        rateLimitTier: changes.rateLimitTier,
      });
      await manager.save(plan);
      await this.audit.record(manager, actor, {
        action: 'plan.updated',
        targetType: 'plan',
        targetId: id,
        details: { from: before, to: this.terms(plan) },
      });
      return plan;
    });
    await this.tiers.invalidateAll();
    return updated;
  }

  private terms(plan: Plan) {
    const { name, description, priceCents, currency, limits, overagePrices, rateLimitTier } = plan;
    return { name, description, priceCents, currency, limits, overagePrices, rateLimitTier };
  }
}
