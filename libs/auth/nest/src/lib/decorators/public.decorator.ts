import { SetMetadata } from '@nestjs/common';
import { IS_PUBLIC_KEY } from '../auth.constants';

/** Opens a route to callers without an access token (the guard is global). */
export const Public = () => SetMetadata(IS_PUBLIC_KEY, true);
