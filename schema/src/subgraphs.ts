import { fileURLToPath } from 'node:url';

/** The three subgraphs of the clinic: the single place that names them and their default ports. */
export interface SubgraphInfo {
  name: 'patient' | 'employee' | 'billing';
  defaultPort: number;
  /** The subgraph's SDL, kept beside its resolvers. */
  sdlPath: string;
}

const sdlOf = (name: string) => fileURLToPath(new URL(`../../services/${name}/src/schema.graphql`, import.meta.url));

export const SUBGRAPHS: readonly SubgraphInfo[] = [
  { name: 'patient', defaultPort: 4001, sdlPath: sdlOf('patient') },
  { name: 'employee', defaultPort: 4002, sdlPath: sdlOf('employee') },
  { name: 'billing', defaultPort: 4003, sdlPath: sdlOf('billing') },
];

export const GATEWAY_DEFAULT_PORT = 4000;

export type SubgraphName = SubgraphInfo['name'];

export function subgraphInfo(name: SubgraphName): SubgraphInfo {
  const info = SUBGRAPHS.find((s) => s.name === name);
  if (!info) throw new Error(`schema: unknown subgraph ${name}`);
  return info;
}
