import { Column, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import type { HostUser } from './host-user.entity';

/** A Google (or other outside) sign-in of a HostUser. */
@Entity({ name: 'host_identities' })
@Unique('UQ_host_identities_provider_subject', ['provider', 'subject'])
export class HostIdentity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @ManyToOne('HostUser', 'identities', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: HostUser;

  @Column({ type: 'text' })
  provider!: string;

  @Column({ type: 'text' })
  subject!: string;
}
