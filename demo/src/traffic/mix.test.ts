import { describe, expect, it } from 'vitest';
import { COMMON_PROMPTS } from './prompts';
import { planRequest, REQUEST_MIX, type RequestKind } from './mix';
import { Random } from './random';

describe('planRequest', () => {
  const random = new Random(42);
  const plans = Array.from({ length: 20_000 }, () => planRequest(random));

  it('follows the mix: 70 % fast chat, 10 % premium, 10 % streams, 5 % embeddings, 5 % recommendations', () => {
    const counts = new Map<RequestKind, number>();
    for (const plan of plans) counts.set(plan.kind, (counts.get(plan.kind) ?? 0) + 1);
    for (const [kind, share] of REQUEST_MIX) expect((counts.get(kind) ?? 0) / plans.length).toBeCloseTo(share, 1);
  });

  it('repeats common questions about half the time, so the answer cache can hit', () => {
    const chats = plans.filter((plan) => plan.route === '/chat').map((plan) => (plan.body as { prompt: string }).prompt);
    const common = chats.filter((prompt) => COMMON_PROMPTS.includes(prompt)).length / chats.length;
    expect(common).toBeGreaterThan(0.45);
    expect(common).toBeLessThan(0.55);
  });

  it('uses the seeded users and the service’s route templates', () => {
    for (const plan of plans.slice(0, 500)) {
      expect(['/chat', '/embeddings', '/recommendations']).toContain(plan.route);
      if (plan.route === '/recommendations') expect(plan.path).toMatch(/^\/recommendations\?userId=user-(0\d\d|100)$/);
    }
  });

  it('sends the same sequence for the same seed', () => {
    const a = new Random(7);
    const b = new Random(7);
    expect(Array.from({ length: 50 }, () => planRequest(a))).toEqual(Array.from({ length: 50 }, () => planRequest(b)));
  });
});
