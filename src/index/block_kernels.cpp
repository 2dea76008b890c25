#include "index/block_kernels.h"

#include <cstring>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

#include "index/dot_kernels.h"

namespace cinerec::detail {

std::uint16_t f32_to_f16(float f) {
  std::uint32_t x;
  std::memcpy(&x, &f, 4);
  const std::uint32_t sign = (x >> 16) & 0x8000u;
  const std::uint32_t abs = x & 0x7fffffffu;
  if (abs >= 0x7f800000u) {  // Inf or NaN (keep NaN quiet and non-zero)
    return static_cast<std::uint16_t>(sign | 0x7c00u | (abs > 0x7f800000u ? 0x200u | ((abs >> 13) & 0x3ffu) : 0u));
  }
  if (abs >= 0x477ff000u) return static_cast<std::uint16_t>(sign | 0x7c00u);  // rounds to >= 65520: Inf
  if (abs < 0x38800000u) {
    // Result is subnormal (or zero): shift the full mantissa into place with round-to-nearest-even.
    if (abs < 0x33000000u) return static_cast<std::uint16_t>(sign);  // < 2^-25 rounds to 0
    const std::uint32_t exp = abs >> 23;
    const std::uint32_t mant = (abs & 0x7fffffu) | 0x800000u;
    const std::uint32_t shift = 126 - exp;  // 14..24
    std::uint32_t h = mant >> shift;
    const std::uint32_t rem = mant & ((1u << shift) - 1);
    const std::uint32_t half = 1u << (shift - 1);
    if (rem > half || (rem == half && (h & 1u))) ++h;
    return static_cast<std::uint16_t>(sign | h);
  }
  // Normal: rebias exponent (127 -> 15) and round the 13 dropped mantissa bits to nearest even; a
  // carry out of the mantissa correctly bumps the exponent.
  std::uint32_t h = (abs - 0x38000000u) >> 13;
  const std::uint32_t rem = abs & 0x1fffu;
  if (rem > 0x1000u || (rem == 0x1000u && (h & 1u))) ++h;
  return static_cast<std::uint16_t>(sign | h);
}

float f16_to_f32(std::uint16_t h) {
  const std::uint32_t sign = (std::uint32_t(h) & 0x8000u) << 16;
  const std::uint32_t exp = (h >> 10) & 0x1fu;
  std::uint32_t mant = h & 0x3ffu;
  std::uint32_t x;
  if (exp == 0x1f) {
    x = sign | 0x7f800000u | (mant << 13);
  } else if (exp != 0) {
    x = sign | ((exp + 112) << 23) | (mant << 13);
  } else if (mant == 0) {
    x = sign;
  } else {
    // Subnormal half: normalize into a float.
    std::uint32_t e = 113;
    while (!(mant & 0x400u)) {
      mant <<= 1;
      --e;
    }
    x = sign | (e << 23) | ((mant & 0x3ffu) << 13);
  }
  float f;
  std::memcpy(&f, &x, 4);
  return f;
}

namespace {

void f32_portable(const float* const* rows, std::size_t nrows, const float* queries, std::size_t nq,
                  std::size_t dim, float* out, std::size_t ld, Prefetch) {
  for (std::size_t q = 0; q < nq; ++q)
    for (std::size_t r = 0; r < nrows; ++r) out[q * ld + r] = dot_portable(queries + q * dim, rows[r], dim);
}

void f16_portable(const std::uint16_t* const* rows, std::size_t nrows, const float* queries, std::size_t nq,
                  std::size_t dim, float* out, std::size_t ld, Prefetch) {
  for (std::size_t q = 0; q < nq; ++q) {
    const float* qv = queries + q * dim;
    for (std::size_t r = 0; r < nrows; ++r) {
      float s0 = 0.0f, s1 = 0.0f;
      std::size_t i = 0;
      for (; i + 2 <= dim; i += 2) {
        s0 += qv[i] * f16_to_f32(rows[r][i]);
        s1 += qv[i + 1] * f16_to_f32(rows[r][i + 1]);
      }
      if (i < dim) s0 += qv[i] * f16_to_f32(rows[r][i]);
      out[q * ld + r] = s0 + s1;
    }
  }
}

void i8_portable(const std::int8_t* const* rows, std::size_t nrows, const std::int8_t* queries, std::size_t nq,
                 std::size_t dim, std::int32_t* out, std::size_t ld, Prefetch) {
  for (std::size_t q = 0; q < nq; ++q) {
    const std::int8_t* qv = queries + q * dim;
    for (std::size_t r = 0; r < nrows; ++r) {
      std::int32_t s = 0;
      for (std::size_t i = 0; i < dim; ++i) s += std::int32_t(qv[i]) * std::int32_t(rows[r][i]);
      out[q * ld + r] = s;
    }
  }
}

void to_f16_portable(const float* in, std::uint16_t* out, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) out[i] = f32_to_f16(in[i]);
}

}  // namespace

const BlockKernels& portable_block_kernels() {
  static const BlockKernels k{"portable", &f32_portable, &f16_portable, &i8_portable, &to_f16_portable};
  return k;
}

#if defined(__x86_64__) || defined(__i386__)
// CPUID leaf 1, ECX bit 29. Read directly: clang 14's __builtin_cpu_supports does not know "f16c".
static bool cpu_has_f16c() {
  unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
  return __get_cpuid(1, &eax, &ebx, &ecx, &edx) && (ecx & bit_F16C) != 0;
}
#endif

const BlockKernels& chosen_block_kernels() {
  static const BlockKernels& k = [&]() -> const BlockKernels& {
#if defined(__x86_64__) || defined(__i386__)
    if (cpu_has_avx2_fma() && cpu_has_f16c()) return avx2_block_kernels();
#endif
    return portable_block_kernels();
  }();
  return k;
}

}  // namespace cinerec::detail
