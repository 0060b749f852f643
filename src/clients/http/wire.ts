/**
 * The wire between lib-craft's HTTP clients and the services they call (and the stub server,
 * which serves the in-process stubs with exactly these shapes):
 *
 * - every call is `POST <path>` with a JSON body and `authorization: Bearer <token>`;
 * - a mutating call carries its idempotency key in the body, `idempotencyKey` (as the
 *   currency service's real API does), so a retried call applies its effect once. lib-craft
 *   relies on it everywhere, not only in the transport's retries: its recovery pass replays a
 *   session's effects with the same keys. A neighbour that does not deduplicate by key needs
 *   an adapter in front of it that does (the stub server does, `stub_idempotency`);
 * - success is 200 with the result as JSON (`{}` for calls that return nothing; lists are
 *   wrapped in an object, see the comments);
 * - a refusal is a 4xx with `{code, message}`: 400 `invalid`, 404 `not_found`, 409
 *   `conflict`, 422 `insufficient_funds`; a lookup of something unknown is 404 (the client
 *   returns null). An empty error body (that platform's convention) is read by its status; a
 *   404 with another code (`no_route`: no such route) is a broken address, never "not found";
 *   503 `unavailable` when the service cannot serve.
 */
export const WIRE = {
  gameService: {
    get: '/game-service/services/get', // {serviceId?, stubName?} -> GameServiceInfo | 404
    create: '/game-service/services/create', // {stubName, displayName} -> GameServiceInfo
    list: '/game-service/services/list', // {} -> {services: GameServiceInfo[]}
  },
  item: {
    getTemplate: '/item/template/get', // {gameId, templateId?, code?} -> ItemTemplate | 404
    createTemplate: '/item/template/create', // createTemplate's input -> ItemTemplate
    listTemplates: '/item/template/list', // {gameServiceId} -> {templates: ItemTemplate[]}
    createInstance: '/item/instance/create', // input + idempotencyKey -> ItemInstance
    getInstance: '/item/instance/get', // {instanceId, gameServiceId} -> ItemInstance | 404
    batchGetInstances: '/item/instance/batch-get', // {instanceIds, gameServiceId} -> {items, notFound}
    modifyInstance: '/item/instance/modify', // input + idempotencyKey -> ItemInstance
    destroyInstance: '/item/instance/destroy', // input + idempotencyKey -> {}
  },
  inventory: {
    getContainer: '/inventory/container/get', // {containerId, includeContents, gameServiceId} -> Container | 404
    listContainers: '/inventory/container/list', // query -> {containers: Container[]}
    createContainer: '/inventory/container/create', // input + idempotencyKey -> Container
    add: '/inventory/add', // input + idempotencyKey -> {}
    remove: '/inventory/remove', // input + idempotencyKey -> {}
    transfer: '/inventory/transfer', // input + idempotencyKey -> {instanceId}
    has: '/inventory/has', // input -> {hasAll, missing}
    count: '/inventory/count', // input -> {count}
  },
  currency: {
    getOrCreateWallet: '/currency/wallet/get-or-create', // {ownerId, ownerType, gameServiceId} -> Wallet
    getWallet: '/currency/wallet/get', // query -> Wallet | 404
    credit: '/currency/balance/credit', // input + idempotencyKey -> Wallet
    createHold: '/currency/hold/create', // input + idempotencyKey -> CurrencyHold
    getHold: '/currency/hold/get', // {holdId, gameServiceId} -> CurrencyHold | 404
    captureHold: '/currency/hold/capture', // input + idempotencyKey -> CurrencyHold
    releaseHold: '/currency/hold/release', // input + idempotencyKey -> CurrencyHold
  },
  contract: {
    /** {gameServiceId, code, minParties, milestones: [{code, name, onComplete?: {path, body}}]} + idempotencyKey -> ContractTemplate */
    createTemplate: '/contract/template/create',
    /** {templateId, gameServiceId, parties} + idempotencyKey -> ContractInstance (Proposed) */
    createInstance: '/contract/instance/create',
    /** {contractId, gameServiceId} + idempotencyKey -> ContractInstance */
    propose: '/contract/instance/propose',
    /** {contractId, gameServiceId, entityId, entityType} + idempotencyKey -> ContractInstance (Active once every party consented) */
    consent: '/contract/instance/consent',
    getInstance: '/contract/instance/get', // {contractId, gameServiceId} -> ContractInstance | 404
    completeMilestone: '/contract/milestone/complete', // input + idempotencyKey -> ContractInstance
    terminate: '/contract/instance/terminate', // input + idempotencyKey -> ContractInstance
  },
  affix: {
    getItem: '/affix/item/get', // {itemInstanceId} -> ItemAffixState
    getDefinition: '/affix/definition/get', // {definitionId} | {gameServiceId, code} -> AffixDefinition | 404
    generatePool: '/affix/generate/pool', // input -> {entries: AffixPoolEntry[]}
    apply: '/affix/apply', // input + idempotencyKey -> ItemAffixState
    remove: '/affix/remove',
    rerollValues: '/affix/reroll-values',
    setState: '/affix/state/set',
    createDefinition: '/affix/definition/create', // admin: input -> AffixDefinition
    setItemState: '/affix/item/state/admin-set', // admin: input + idempotencyKey -> ItemAffixState
  },
  seed: {
    registerType: '/seed/type/register', // input -> SeedType
    create: '/seed/create', // input + idempotencyKey -> SeedInfo
    getByOwner: '/seed/get-by-owner', // query -> {seeds: SeedInfo[]}
    recordGrowth: '/seed/growth/record', // input + idempotencyKey -> SeedInfo & {previousPhase}
    getPhase: '/seed/growth/get-phase', // {seedId} -> SeedPhaseInfo
  },
  location: {
    exists: '/location/exists', // {locationId} -> {exists}
    getEntityLocation: '/location/get-entity-location', // {entityType, entityId} -> {locationId: string | null}
    create: '/location/create', // admin (stub server): {locationId?, name} -> {locationId, name}
    setEntityLocation: '/location/entity/set', // admin (stub server): {entityType, entityId, locationId|null} -> {}
  },
  analytics: {
    ingest: '/analytics/event/ingest', // AnalyticsEvent -> {}
    list: '/analytics/event/list', // stub server only: {serviceId?, eventType?, limit?} -> {events}
  },
} as const;

/** HTTP status of each refusal kind, both ways. */
export const STATUS_OF_KIND = {
  invalid: 400,
  not_found: 404,
  conflict: 409,
  insufficient_funds: 422,
  unavailable: 503,
} as const;

export type Neighbour = keyof typeof WIRE;

/** A read-only call per neighbour, sent with `{}` to check it answers (readiness). */
export const PROBE_PATHS: Record<Neighbour, string> = {
  gameService: WIRE.gameService.get,
  item: WIRE.item.getTemplate,
  inventory: WIRE.inventory.getContainer,
  contract: WIRE.contract.getInstance,
  currency: WIRE.currency.getWallet,
  affix: WIRE.affix.getDefinition,
  seed: WIRE.seed.getPhase,
  location: WIRE.location.exists,
  analytics: WIRE.analytics.list,
};
