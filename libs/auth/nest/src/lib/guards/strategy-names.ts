
/**
 * passport keeps strategies in one process-wide registry. Each AuthModule
 * instance registers its own under unique names, so two apps in one process
 * (tests, several instances) never use each other's keys or revocations.
 */
export interface StrategyNames {
  readonly google: string;
}

let instances = 0;

export function nextStrategyNames(): StrategyNames {
  instances += 1;
  return { google: `latchkey-google-${instances}` };
}
