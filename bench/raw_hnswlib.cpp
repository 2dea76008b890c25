#include "raw_hnswlib.h"

// hnswlib 0.6 defines non-inline globals in its headers, and cinerec_core (index/hnsw.cpp) includes
// them too, compiled for baseline x86-64: renaming the namespace keeps the two copies apart.
#define hnswlib raw_hnswlib
#define cpuid raw_hnswlib_cpuid
#define xgetbv raw_hnswlib_xgetbv
#define AVXCapable raw_hnswlib_AVXCapable
#define AVX512Capable raw_hnswlib_AVX512Capable
#include <hnswlib/hnswlib.h>

#include <algorithm>
#include <atomic>
#include <thread>

namespace cinerec::bench {

struct RawHnsw::Impl {
  hnswlib::InnerProductSpace space;
  hnswlib::HierarchicalNSW<float> graph;
  Impl(std::size_t dim, std::size_t rows, std::size_t M, std::size_t efc) : space(dim), graph(&space, rows, M, efc, 100) {}
};

RawHnsw::RawHnsw(const float* data, std::size_t rows, std::size_t dim, std::size_t M, std::size_t ef_construction,
                 unsigned threads)
    : impl_(std::make_unique<Impl>(dim, rows, M, ef_construction)) {
  impl_->graph.addPoint(data, 0);
  std::atomic<std::size_t> next{1};
  auto work = [&] {
    for (std::size_t i = next++; i < rows; i = next++) impl_->graph.addPoint(data + i * dim, i);
  };
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (auto& th : pool) th.join();
}

RawHnsw::~RawHnsw() = default;

std::vector<std::uint32_t> RawHnsw::search(const float* query, std::size_t k, std::size_t ef) {
  impl_->graph.setEf(ef);
  auto pq = impl_->graph.searchKnn(query, k);
  std::vector<std::uint32_t> out(pq.size());
  for (std::size_t i = pq.size(); i-- > 0;) {
    out[i] = static_cast<std::uint32_t>(pq.top().second);
    pq.pop();
  }
  return out;
}

std::size_t RawHnsw::memory_bytes() const {
  const auto& g = impl_->graph;
  std::size_t bytes = g.max_elements_ * g.size_data_per_element_;
  for (std::size_t i = 0; i < g.cur_element_count; ++i)
    bytes += static_cast<std::size_t>(g.element_levels_[i]) * g.size_links_per_element_;
  return bytes + g.cur_element_count * (sizeof(void*) + sizeof(int));
}

}  // namespace cinerec::bench
