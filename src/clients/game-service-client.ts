/** game-service: `/game-service/services/get {serviceId?, stubName?}`. */
export interface GameServiceInfo {
  serviceId: string;
  stubName: string;
  displayName: string;
  isActive: boolean;
  createdAt: string;
}

export interface GameServiceClient {
  /** Null when no such game service exists. */
  get(query: { serviceId?: string; stubName?: string }): Promise<GameServiceInfo | null>;
}

/** Standalone mode only: registering game services lives in the game-service service otherwise. */
export interface GameServiceRegistry extends GameServiceClient {
  register(input: { stubName: string; displayName: string }): Promise<GameServiceInfo>;
  list(): Promise<GameServiceInfo[]>;
}
