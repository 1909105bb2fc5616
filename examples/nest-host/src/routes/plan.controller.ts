import { Controller, Get, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { AuthenticatedCaller, CurrentUser, NoStore } from '@latchkey/auth-nest';
import { Repository } from 'typeorm';
import { HostUser } from '../users/host-user.entity';

@Controller('me')
export class PlanController {
  constructor(@InjectRepository(HostUser) private readonly users: Repository<HostUser>) {}

  /** Guarded by Latchkey's global guard (access cookie or Bearer token). */
  @NoStore()
  @Get('plan')
  async plan(@CurrentUser() caller: AuthenticatedCaller): Promise<{ email: string; plan: string }> {
    const user = await this.users.findOneBy({ id: caller.userId });
    if (!user) throw new NotFoundException('No such user');
    return { email: user.email, plan: user.plan };
  }
}
