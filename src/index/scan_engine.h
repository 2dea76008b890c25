// Internal to src/index: the multithreaded, tiled top-k scan shared by the float32 and quantized
// searches. A Scorer knows the row encoding; the engine owns threading, tiling, filtering and top-k.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <thread>
#include <vector>

#include "index/block_kernels.h"
#include "index/top_k.h"

namespace cinerec::detail {

struct ScanPlan {
  std::size_t threads = 1;      // workers, each over one contiguous range of rows
  std::size_t tile_rows = 24;   // rows scored together (the tile stays in L2 while all queries pass over it)
  std::size_t query_chunk = 4;  // queries per pass over the matrix (they stay in L2 too)
};

// threads_requested: 0 = every hardware thread when the work is large enough to amortize starting
// threads (about a millisecond of scanning), else exactly that many (capped by the number of tiles).
inline ScanPlan plan_scan(std::size_t rows, std::size_t dim, std::size_t nq, std::size_t bytes_per_row,
                          unsigned threads_requested) {
  ScanPlan p;
  // Tiles of ~192 KB rounded to a multiple of 24 rows (the kernels' row blocks are 8 and 3 or 4 and 2).
  p.tile_rows = std::max<std::size_t>(24, (192 * 1024 / std::max<std::size_t>(1, bytes_per_row)) / 24 * 24);
  p.query_chunk = std::clamp<std::size_t>((384 * 1024 / std::max<std::size_t>(1, dim * 4)) / 4 * 4, 4, 64);
  const std::size_t tiles = (rows + p.tile_rows - 1) / p.tile_rows;
  std::size_t want = threads_requested;
  if (want == 0) {
    const double work = double(rows) * double(dim) * double(std::max<std::size_t>(nq, 1));
    want = work >= double(1 << 22) ? std::max(1u, std::thread::hardware_concurrency()) : 1;
  }
  p.threads = std::max<std::size_t>(1, std::min(want, tiles));
  return p;
}

// Scorer must provide:
//   struct Scratch;                         per-thread buffers
//   Scratch make_scratch(tile_rows, query_chunk) const;
//   void operator()(Scratch&, const std::uint32_t* row_ids, std::size_t n, std::size_t q0, std::size_t nq,
//                   float* out, std::size_t ld, Prefetch next) const;
//                                           out[q * ld + i] = score of (query q0+q, row_ids[i])
//   Prefetch region(std::size_t begin, std::size_t end) const;   memory of rows [begin, end), or {}
//                                           when they are not contiguous (passed as `next` for the
//                                           tile after the one being scored)
// Returns, per query, the best `keep` rows (best first, ties to lower row) among rows whose mask byte
// is non-zero (all rows when mask is null).
template <class Scorer>
std::vector<std::vector<ScoredRow>> scan_top_k(std::size_t rows, std::size_t nq, std::size_t keep,
                                               const std::uint8_t* mask, const ScanPlan& plan,
                                               const Scorer& scorer) {
  std::vector<std::vector<ScoredRow>> results(nq);
  if (nq == 0 || rows == 0 || keep == 0) return results;
  const std::size_t nthreads = plan.threads;
  // parts[t][q]: thread t's best rows for query q.
  std::vector<std::vector<std::vector<ScoredRow>>> parts(nthreads, std::vector<std::vector<ScoredRow>>(nq));

  auto work = [&](std::size_t t) {
    // Contiguous, tile-aligned row ranges: each thread streams its own part of the matrix.
    const std::size_t tiles = (rows + plan.tile_rows - 1) / plan.tile_rows;
    const std::size_t begin = std::min(rows, tiles * t / nthreads * plan.tile_rows);
    const std::size_t end = std::min(rows, tiles * (t + 1) / nthreads * plan.tile_rows);
    std::vector<TopK> heaps;
    heaps.reserve(nq);
    for (std::size_t q = 0; q < nq; ++q) heaps.emplace_back(keep);
    std::vector<std::uint32_t> ids(plan.tile_rows);
    std::vector<float> scores(plan.query_chunk * plan.tile_rows);
    auto scratch = scorer.make_scratch(plan.tile_rows, plan.query_chunk);

    for (std::size_t q0 = 0; q0 < nq; q0 += plan.query_chunk) {
      const std::size_t qn = std::min(plan.query_chunk, nq - q0);
      for (std::size_t r0 = begin; r0 < end; r0 += plan.tile_rows) {
        const std::size_t r1 = std::min(end, r0 + plan.tile_rows);
        std::size_t n = 0;
        for (std::size_t r = r0; r < r1; ++r) {
          ids[n] = static_cast<std::uint32_t>(r);
          n += mask ? (mask[r] != 0) : 1;
        }
        if (n == 0) continue;
        scorer(scratch, ids.data(), n, q0, qn, scores.data(), plan.tile_rows,
               scorer.region(r1, std::min(end, r1 + plan.tile_rows)));
        for (std::size_t q = 0; q < qn; ++q) {
          TopK& heap = heaps[q0 + q];
          const float* s = scores.data() + q * plan.tile_rows;
          for (std::size_t i = 0; i < n; ++i) heap.push(ids[i], s[i]);
        }
      }
    }
    for (std::size_t q = 0; q < nq; ++q) parts[t][q] = heaps[q].take_sorted();
  };

  if (nthreads == 1) {
    work(0);
  } else {
    std::vector<std::thread> pool;
    pool.reserve(nthreads - 1);
    for (std::size_t t = 1; t < nthreads; ++t) pool.emplace_back(work, t);
    work(0);
    for (auto& th : pool) th.join();
  }

  std::vector<std::vector<ScoredRow>> per_query(nthreads);
  for (std::size_t q = 0; q < nq; ++q) {
    for (std::size_t t = 0; t < nthreads; ++t) per_query[t] = std::move(parts[t][q]);
    results[q] = merge_top_k(per_query, keep);
  }
  return results;
}

}  // namespace cinerec::detail
