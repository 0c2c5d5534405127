import type { SubgraphName } from '@clinic/schema';

/**
 * What a peer gateway started in its own type-checked module needs and gives (see hive-gateway.ts):
 * kept apart from targets.ts so that neither module's types reach the other's program.
 */
export interface PeerSetup {
  subgraphUrls: Record<SubgraphName, string>;
  signingSecret: string;
}

export interface RunningPeer {
  url: string;
  stop(): Promise<void>;
}

export type StartPeer = (setup: PeerSetup) => Promise<RunningPeer>;
