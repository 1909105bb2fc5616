import { Column, CreateDateColumn, Entity, OneToMany, PrimaryGeneratedColumn } from 'typeorm';
import { HostIdentity } from './host-identity.entity';

/** This app's own users: Latchkey reads and writes them only through HostUserStore. */
@Entity({ name: 'host_users' })
export class HostUser {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** Stored normalised (normaliseEmail): NFKC, lower case. */
  @Column({ type: 'text', unique: true })
  email!: string;

  @Column({ type: 'text', nullable: true })
  name!: string | null;

  @Column({ type: 'text', nullable: true })
  picture!: string | null;

  @Column({ name: 'password_hash', type: 'text', nullable: true })
  passwordHash!: string | null;

  @Column({ name: 'email_verified', type: 'boolean', default: false })
  emailVerified!: boolean;

  /** Host-only data Latchkey knows nothing about. */
  @Column({ type: 'text', default: 'free' })
  plan!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @OneToMany(() => HostIdentity, (identity) => identity.user)
  identities?: HostIdentity[];
}
