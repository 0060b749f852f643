import { describe, expect, it } from 'vitest';
import { analyticsEventOf, forwardStatistics } from '../../../../src/services/statistics/session-statistics.js';
import type { AnalyticsEvent } from '../../../../src/clients/analytics-client.js';

const completed = {
  eventName: 'craft.session.completed',
  eventId: 'e-1',
  timestamp: '2026-12-03T10:00:00.000Z',
  sessionId: 's-1',
  gameServiceId: 'gs-1',
  recipeId: 'r-1',
  entityId: 'c-1',
  entityType: 'character',
  recipeCode: 'iron_sword',
  finalQuality: 0.765,
  outputItemIds: ['i-1'],
};

describe('statistics for the analytics service', () => {
  it('completedSession_becomesAnEventValuedAtItsQuality', () => {
    expect(analyticsEventOf(JSON.stringify(completed))).toEqual({
      serviceType: 'craft',
      serviceId: 'gs-1',
      eventType: 'craft.session.completed',
      entityId: 'c-1',
      entityType: 'character',
      timestamp: '2026-12-03T10:00:00.000Z',
      value: 0.765,
      metadata: { eventId: 'e-1', sessionId: 's-1', recipeId: 'r-1', recipeCode: 'iron_sword', outputItemIds: ['i-1'] },
    });
  });

  it('stepEventsAndMalformedPayloads_areNotForwarded', () => {
    expect(analyticsEventOf(JSON.stringify({ ...completed, eventName: 'craft.session.step-completed' }))).toBeNull();
    expect(analyticsEventOf('not json')).toBeNull();
    expect(analyticsEventOf(JSON.stringify({ eventName: 'craft.session.failed', gameServiceId: 'gs-1' }))).toBeNull();
  });

  it('aFailingAnalyticsService_isDropped_neverThrown', async () => {
    const sent: AnalyticsEvent[] = [];
    const logged: string[] = [];
    const forward = forwardStatistics(
      { ingest: async (e) => void sent.push(e) },
      { debug: (_o: unknown, m: string) => logged.push(m) } as never,
    );
    forward(JSON.stringify(completed));
    const failing = forwardStatistics({ ingest: () => Promise.reject(new Error('down')) }, { debug: (_o: unknown, m: string) => logged.push(m) } as never);
    expect(() => failing(JSON.stringify(completed))).not.toThrow();
    await new Promise((r) => setTimeout(r, 0));
    expect(sent).toHaveLength(1);
    expect(logged).toEqual(['analytics: statistic dropped']);
  });
});
