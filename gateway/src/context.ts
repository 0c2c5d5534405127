/** What the gateway knows about one request; resolved once, read-only afterwards. */
export interface GatewayContext {
  requestId: string;
}
