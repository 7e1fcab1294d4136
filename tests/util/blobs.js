// A CSV file for the lab's data import, in the Node and browser tests.

// Two noisy classes in 20 dimensions, 1000 rows, a header and a text label;
// the class shifts the first three features by different amounts.
export function blobs(rows = 1000, cols = 20) {
  let s = 12345;
  const uniform = () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
  const normal = () => Math.sqrt(-2 * Math.log(uniform() + 1e-12)) * Math.cos(2 * Math.PI * uniform());
  const header = [...Array.from({ length: cols }, (_, j) => `x${j + 1}`), 'kind'];
  const lines = [header.join(',')];
  for (let i = 0; i < rows; i++) {
    const cls = i % 2;
    const row = Array.from({ length: cols }, (_, j) => (10 * j + normal() + (j < 3 ? cls * (j + 1) * 1.5 : 0)).toFixed(6));
    lines.push([...row, cls ? 'spam' : 'ham'].join(','));
  }
  return lines.join('\r\n') + '\r\n';
}

