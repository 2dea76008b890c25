#include "index/synthetic.h"

#include <algorithm>
#include <cmath>
#include <thread>

namespace cinerec {
namespace {

// splitmix64: tiny, fast, and good enough to seed and drive synthetic data.
struct SplitMix {
  std::uint64_t s;
  std::uint64_t next() {
    std::uint64_t z = (s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  // Approximately standard normal (Irwin-Hall with 4 uniforms, rescaled): cheap, smooth enough.
  float normal() {
    const std::uint64_t a = next(), b = next();
    const float u = float(a & 0xffffffffu) + float(a >> 32) + float(b & 0xffffffffu) + float(b >> 32);
    return (u * (1.0f / 4294967296.0f) - 2.0f) * 1.7320508f;
  }
};

void normalize(float* v, std::size_t n) {
  double s = 0.0;
  for (std::size_t i = 0; i < n; ++i) s += double(v[i]) * v[i];
  const float inv = s > 0 ? float(1.0 / std::sqrt(s)) : 0.0f;
  for (std::size_t i = 0; i < n; ++i) v[i] *= inv;
}

}  // namespace

std::vector<float> synthetic_unit_vectors(const SyntheticSpec& spec, unsigned threads,
                                          std::vector<std::uint32_t>* cluster_of) {
  const std::size_t clusters = std::max<std::size_t>(1, spec.clusters);
  std::vector<float> centres(clusters * spec.dim);
  for (std::size_t c = 0; c < clusters; ++c) {
    SplitMix rng{spec.seed * 0x100000001b3ull + c};
    for (std::size_t d = 0; d < spec.dim; ++d) centres[c * spec.dim + d] = rng.normal();
    normalize(centres.data() + c * spec.dim, spec.dim);
  }
  std::vector<float> out(spec.rows * spec.dim);
  if (cluster_of) cluster_of->assign(spec.rows, 0);
  const float noise = spec.spread / std::sqrt(float(std::max<std::size_t>(1, spec.dim)));
  auto fill = [&](std::size_t begin, std::size_t end) {
    for (std::size_t r = begin; r < end; ++r) {
      SplitMix rng{(spec.seed + 0x5851f42d4c957f2dull) ^ ((spec.first_row + r) * 0xd6e8feb86659fd93ull)};
      const std::size_t c = rng.next() % clusters;
      if (cluster_of) (*cluster_of)[r] = static_cast<std::uint32_t>(c);
      float* v = out.data() + r * spec.dim;
      for (std::size_t d = 0; d < spec.dim; ++d) v[d] = centres[c * spec.dim + d] + noise * rng.normal();
      normalize(v, spec.dim);
    }
  };
  std::size_t n = threads ? threads : std::max(1u, std::thread::hardware_concurrency());
  n = std::max<std::size_t>(1, std::min(n, spec.rows / 1024 + 1));
  std::vector<std::thread> pool;
  for (std::size_t t = 1; t < n; ++t) pool.emplace_back(fill, spec.rows * t / n, spec.rows * (t + 1) / n);
  fill(0, spec.rows / n);
  for (auto& th : pool) th.join();
  return out;
}

}  // namespace cinerec
