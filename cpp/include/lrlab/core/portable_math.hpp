#pragma once
// Elementary functions computed from +, −, ×, ÷ and exact bit operations
// only, so that they give the same bits natively (glibc) and in WebAssembly
// (musl). libm's log, sin and cos are accurate to about an ulp but not
// correctly rounded, and glibc and musl differ in the last bit for some
// arguments; where a result must agree bit for bit across the two builds
// (gradient noise, a rotated quadratic), these are used instead. IEEE-754
// makes the basic operations correctly rounded everywhere, and neither build
// contracts a·b + c into a fused multiply-add (no FMA on baseline x86-64 or in
// WebAssembly, and -std=c++20 turns GCC's contraction off).
//
// Accuracy: a few ulp, plenty for noise and for building matrices.
#include <cmath>
#include <numbers>

namespace lrlab {

// Natural logarithm of a finite x > 0. With x = m·2ᵉ and m in [√½, √2),
// log x = e·ln 2 + 2 atanh(s), s = (m − 1)/(m + 1), |s| ≤ 0.1716, and
// atanh(s) = s + s³/3 + s⁵/5 + … ; twelve terms leave a truncation below
// 1e-20 relative.
inline double PortableLog(double x) {
  int e = 0;
  double m = std::frexp(x, &e);  // m in [0.5, 1), exact
  if (m < std::numbers::sqrt2 / 2.0) {
    m *= 2.0;  // exact
    --e;
  }
  const double s = (m - 1.0) / (m + 1.0);
  const double s2 = s * s;
  double series = 0.0;
  for (int k = 11; k >= 0; --k) series = series * s2 + 1.0 / static_cast<double>(2 * k + 1);
  return static_cast<double>(e) * std::numbers::ln2 + 2.0 * s * series;
}

struct SinCos {
  double sin;
  double cos;
};

// sin and cos of an angle in degrees. Degrees allow an exact range
// reduction (fmod and the symmetries below are exact for angles up to 2⁵³),
// so the series only ever sees |r| ≤ π/4, and 90°, 180°, … give exact zeros
// and ones.
inline SinCos PortableSinCosDegrees(double degrees) {
  // sin is odd and cos even: reduce |degrees| and restore the sign at the end.
  const bool negative = degrees < 0.0;
  const double d = std::fmod(std::abs(degrees), 360.0);  // exact, in [0, 360)
  // Quadrant q: d = 90q + rest with rest in [−45, 45] (exact: d and 90q are
  // multiples of d's ulp).
  int quadrant = static_cast<int>(std::floor((d + 45.0) / 90.0));
  const double rest = d - 90.0 * quadrant;
  quadrant %= 4;
  const double r = rest * (std::numbers::pi / 180.0);
  const double r2 = r * r;
  // Horner forms of the Taylor series, sin r = r·(1 − r²/(2·3)·(1 − r²/(4·5)·(…)))
  // and cos r = 1 − r²/(1·2)·(1 − r²/(3·4)·(…)), to r¹⁷ and r¹⁶: the next terms
  // are below 1e-17 for |r| ≤ π/4. Each series variable holds its bracket − 1.
  double sinTail = 0.0, cosTail = 0.0;
  for (int k = 8; k >= 1; --k) {
    sinTail = -(sinTail + 1.0) * r2 / static_cast<double>((2 * k) * (2 * k + 1));
    cosTail = -(cosTail + 1.0) * r2 / static_cast<double>((2 * k - 1) * (2 * k));
  }
  const double s = r + r * sinTail;
  const double c = 1.0 + cosTail;
  SinCos out{};
  switch (quadrant) {
    case 0: out = {s, c}; break;
    case 1: out = {c, -s}; break;
    case 2: out = {-s, -c}; break;
    default: out = {-c, s}; break;
  }
  if (negative) out.sin = -out.sin;
  out.sin += 0.0;  // no −0
  out.cos += 0.0;
  return out;
}

}  // namespace lrlab
