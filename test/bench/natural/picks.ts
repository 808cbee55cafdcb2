// Seeded hand-label picks: per class, round(fraction · class size) images (at least 1), taken from
// one seeded permutation per class — so the 1 % picks are inside the 5 % picks, which are inside the
// 10 % ones, and a row's labels never depend on which other rows ran.
import { seededRng, shuffleInPlace } from '../../../main/engine/base/prng';

export function stratifiedPicks(labels: ArrayLike<number>, classes: number, fraction: number, seed: number): Set<number> {
  if (!(fraction > 0 && fraction <= 1)) throw new Error(`fraction must be in (0, 1], got ${fraction}`);
  const byClass: number[][] = Array.from({ length: classes }, () => []);
  for (let i = 0; i < labels.length; i++) byClass[labels[i]!]?.push(i);
  const picks = new Set<number>();
  byClass.forEach((members, c) => {
    if (!members.length) return;
    shuffleInPlace(members, seededRng(seed * 1000 + c));
    const count = Math.min(members.length, Math.max(1, Math.round(fraction * members.length)));
    for (const i of members.slice(0, count)) picks.add(i);
  });
  return picks;
}
