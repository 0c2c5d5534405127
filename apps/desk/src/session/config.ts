/** The desk's runtime settings, from config.json beside its files (the gateway writes it in demo mode). */
export interface DeskConfig {
  graphqlUrl: string;
  signIn: { mode: 'demo' } | { mode: 'oidc'; authority: string; clientId: string; scope?: string; mfaAcrValues?: string };
  /** The clinic's IANA time zone: days and times are the clinic's, whatever the browser's zone (absent: the browser's). */
  timeZone?: string;
}

export async function loadDeskConfig(): Promise<DeskConfig> {
  const response = await fetch(`${import.meta.env.BASE_URL}config.json`, { cache: 'no-store' });
  if (!response.ok) throw new Error(`config.json answered ${response.status}`);
  return (await response.json()) as DeskConfig;
}
