// Jain's fairness index: (sum x)^2 / (n * sum x^2); 1 = perfectly even, 1/n = one gets everything.

export function jainIndex(values: readonly number[]): number {
  let sum = 0;
  let sumSq = 0;
  for (const v of values) {
    sum += v;
    sumSq += v * v;
  }
  return values.length === 0 || sumSq === 0 ? 1 : (sum * sum) / (values.length * sumSq);
}
