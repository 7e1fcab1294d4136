// Number formatting shared by figures, readouts and text alternatives.

// Compact, human-readable: 0.3, 0.0012, 1.5e-7, 2.4e+12.
export function formatNumber(value, digits = 3) {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '−∞';
  if (value === 0) return '0';
  const abs = Math.abs(value);
  const text = abs >= 1e-3 && abs < 1e5 ? String(Number(value.toPrecision(digits))) : value.toExponential(digits - 1);
  return text.replace('-', '−');
}
