// The core layer's portable arithmetic: elementary functions and normal
// draws that must give the same bits natively and in WebAssembly. The pinned
// values below were computed natively; the WASM build of this suite checks
// the same literals, which is what makes them portable.
#include <catch2/catch.hpp>

#include <cmath>
#include <numbers>

#include "lrlab/core/portable_math.hpp"
#include "lrlab/core/rng.hpp"

using namespace lrlab;

TEST_CASE("portable log agrees with libm to a few ulp", "[core]") {
  for (double x = 1e-300; x < 1e300; x *= 1.37) {
    INFO("x = " << x);
    CHECK(std::abs(PortableLog(x) - std::log(x)) <= 4e-16 * std::abs(std::log(x)));
  }
  for (double x = 0.01; x < 3.0; x += 0.00737) {
    INFO("x = " << x);
    CHECK(std::abs(PortableLog(x) - std::log(x)) <= 1e-15);
  }
  CHECK(PortableLog(1.0) == 0.0);
  CHECK(PortableLog(2.0) == std::numbers::ln2);
}

TEST_CASE("portable sin and cos of degrees agree with libm and are exact at right angles", "[core]") {
  // The reference works in long double: converting large angles to radians
  // in double would itself cost a few 1e-16.
  const long double pi = 3.141592653589793238462643383279502884L;
  for (double d = -720.0; d <= 720.0; d += 0.173) {
    const SinCos sc = PortableSinCosDegrees(d);
    const long double r = static_cast<long double>(d) * pi / 180.0L;
    INFO("degrees = " << d);
    CHECK(std::abs(static_cast<long double>(sc.sin) - std::sin(r)) < 3e-16L);
    CHECK(std::abs(static_cast<long double>(sc.cos) - std::cos(r)) < 3e-16L);
  }
  // Exact periodicity (for shifts by 360 that are exact) and symmetry.
  for (double d = 0.0; d <= 400.0; d += 0.25) {
    CHECK(PortableSinCosDegrees(d + 360.0).sin == PortableSinCosDegrees(d).sin);
    CHECK(PortableSinCosDegrees(d + 360.0).cos == PortableSinCosDegrees(d).cos);
    CHECK(PortableSinCosDegrees(-d).sin == -PortableSinCosDegrees(d).sin + 0.0);
    CHECK(PortableSinCosDegrees(-d).cos == PortableSinCosDegrees(d).cos);
  }
  for (int quarter = -8; quarter <= 8; ++quarter) {
    const SinCos sc = PortableSinCosDegrees(90.0 * quarter);
    const int q = ((quarter % 4) + 4) % 4;
    CHECK(sc.sin == (q == 1 ? 1.0 : q == 3 ? -1.0 : 0.0));
    CHECK(sc.cos == (q == 0 ? 1.0 : q == 2 ? -1.0 : 0.0));
    if (sc.sin == 0.0) CHECK_FALSE(std::signbit(sc.sin));  // no -0
    if (sc.cos == 0.0) CHECK_FALSE(std::signbit(sc.cos));
  }
}

TEST_CASE("portable functions give the pinned bits on every platform", "[core]") {
  CHECK(PortableLog(0.3) == -0x1.34378fcbda72p+0);
  CHECK(PortableLog(1e-300) == -0x1.5963447f87fb5p+9);
  CHECK(PortableLog(7.5) == 0x1.01e85798eb9a3p+1);
  CHECK(PortableSinCosDegrees(30.0).sin == 0x1.fffffffffffffp-2);
  CHECK(PortableSinCosDegrees(30.0).cos == 0x1.bb67ae8584cabp-1);
  CHECK(PortableSinCosDegrees(-123.4).sin == -0x1.ab712ddbb4208p-1);
  CHECK(PortableSinCosDegrees(-123.4).cos == -0x1.19d89c8f7c61bp-1);
  Rng rng(42);
  const double expected[] = {-0x1.73d2feb0fb377p-1, -0x1.b088028693f9cp-3, 0x1.c5e21f7812a4ep-3,
                             0x1.0ba8bb0c5fa51p-1,  0x1.db514bfac5b4ep-2,  0x1.7b6195d5a3e23p-1};
  for (double e : expected) CHECK(rng.PortableNormal() == e);
}

TEST_CASE("portable normal draws have mean 0 and variance 1 and follow the seed", "[core]") {
  Rng rng(7);
  const int n = 200000;
  double sum = 0.0, squares = 0.0, beyond2 = 0.0;
  for (int i = 0; i < n; ++i) {
    const double z = rng.PortableNormal();
    sum += z;
    squares += z * z;
    beyond2 += std::abs(z) > 2.0;
  }
  const double mean = sum / n;
  CHECK(std::abs(mean) < 4.0 / std::sqrt(n));               // 4 standard errors
  CHECK(squares / n - mean * mean == Approx(1.0).margin(0.02));
  CHECK(beyond2 / n == Approx(0.0455).margin(0.003));        // P(|Z| > 2) of a normal

  Rng a(3), b(3), c(4);
  bool differ = false;
  for (int i = 0; i < 10; ++i) {
    const double x = a.PortableNormal();
    CHECK(x == b.PortableNormal());
    differ = differ || x != c.PortableNormal();
  }
  CHECK(differ);
  a.PortableNormal();  // the first of a pair: its partner is kept as the spare
  a.Seed(3);           // reseeding forgets the spare
  Rng fresh(3);
  CHECK(a.PortableNormal() == fresh.PortableNormal());
}
