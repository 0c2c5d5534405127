import { describe, expect, it } from 'vitest';
import { interleaved, pairedOverhead, warmUp } from './paired.js';

describe('paired measurements', () => {
  it('alternates which side goes first, pair after pair', async () => {
    const order: string[] = [];
    const samples = await interleaved(4, async (side) => {
      order.push(side);
      return order.length;
    });
    expect(order.join('')).toBe('ABBAABBA');
    expect(samples).toEqual({ A: [1, 4, 5, 8], B: [2, 3, 6, 7] });
  });

  it('takes the median of the paired ratios, so that a drift on both sides cancels', () => {
    // The machine slows down threefold over the run; B costs 20% more than A in every pair.
    const a = [10, 20, 30];
    expect(pairedOverhead(a, a.map((x) => x * 1.2))).toBeCloseTo(0.2, 10);
    expect(pairedOverhead([10, 0, 10], [12, 5, 11])).toBeCloseTo(0.15, 10);
    expect(pairedOverhead([], [])).toBeNull();
  });

  it('warms up for so many requests, or until the time is up, and always sends one', async () => {
    let sent = 0;
    const send = async () => {
      sent += 1;
    };
    expect(await warmUp(send, { requests: 5, seconds: 60 })).toBe(5);
    // A clock that moves 1 s per reading: a 3 s budget stops it after three requests.
    let clock = 0;
    const ticking = () => (clock += 1000);
    sent = 0;
    expect(await warmUp(send, { requests: 100, seconds: 3 }, ticking)).toBe(3);
    expect(sent).toBe(3);
    expect(await warmUp(send, { requests: 100, seconds: 0 }, ticking)).toBe(1);
  });
});
