/**
 * Which game services a caller may touch: the tenancy argument of every service operation.
 *
 * The HTTP layer builds one from the caller's token (`gameServices` claim) and passes it to
 * the service; the service passes it on to every repository read and every call to another
 * service, where it becomes a `gameServiceId` condition. A resource outside the scope behaves
 * exactly like one that does not exist (docs/adr/0008-tenancy-in-the-data-layer.md).
 * Background work (recovery, the contract callback, event consumers) acts for the system and
 * uses `Scope.all`.
 */
export class Scope {
  /** Every game service: system work and callers whose token says `"*"`. */
  static readonly all = new Scope(null);

  private constructor(private readonly ids: ReadonlySet<string> | null) {}

  /** The given game services only (an empty list allows none). */
  static of(gameServiceIds: Iterable<string>): Scope {
    return new Scope(new Set([...gameServiceIds].map((id) => id.toLowerCase())));
  }

  get unrestricted(): boolean {
    return this.ids === null;
  }

  allows(gameServiceId: string | null | undefined): boolean {
    if (this.ids === null) return true;
    return typeof gameServiceId === 'string' && this.ids.has(gameServiceId);
  }

  /** The game services as a list for query conditions; null = no condition (every game service). */
  get gameServiceIds(): string[] | null {
    return this.ids === null ? null : [...this.ids];
  }

  /**
   * The game services a query may read when it names `gameServiceId` (or none): the named one
   * when in scope (an empty list when not), else every game service of the scope (null = all).
   */
  narrow(gameServiceId: string | null | undefined): string[] | null {
    if (gameServiceId) return this.allows(gameServiceId) ? [gameServiceId] : [];
    return this.gameServiceIds;
  }
}
