// cinerec_bench hnsw: cinerec's HnswIndex against raw hnswlib at equal M / ef_construction / ef on the
// same synthetic clustered vectors: build time, memory, save/load time, and per ef the latency
// (p50/p99), queries/s and recall@10 against the exact float32 top 10. Also a filtered search (10 %
// of rows pass) against the exact filtered scan. Methods run in interleaved rounds.
#include <filesystem>
#include <functional>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "args.h"
#include "bench_common.h"
#include "index/exact.h"
#include "index/hnsw.h"
#include "index/synthetic.h"
#include "raw_hnswlib.h"

namespace cinerec::bench {

int run_hnsw(const Args& a) {
  nlohmann::json result;
  result["machine"] = machine_info();
  result["rows"] = a.rows;
  result["dim"] = a.dim;
  result["k"] = a.k;
  result["M"] = a.M;
  result["ef_construction"] = a.ef_construction;
  const unsigned threads = a.threads ? a.threads : std::max(1u, std::thread::hardware_concurrency());
  result["build_threads"] = threads;
  std::cerr << "hnsw bench: " << a.rows << " x " << a.dim << "\n";

  auto data = synthetic_unit_vectors({.rows = a.rows, .dim = a.dim, .clusters = 256, .spread = 0.6f, .seed = 7});
  auto qdata = synthetic_unit_vectors(
      {.rows = a.queries, .dim = a.dim, .clusters = 256, .spread = 0.6f, .seed = 7, .first_row = 1u << 30});
  const MatrixView m{data.data(), a.rows, a.dim};
  const MatrixView queries{qdata.data(), a.queries, a.dim};
  auto truth = cosine_top_k_batch(m, queries, a.k);
  std::vector<std::uint8_t> allowed(a.rows);
  for (std::size_t r = 0; r < a.rows; ++r) allowed[r] = (r * 2654435761u) % 10 == 0;
  auto truth_filtered = cosine_top_k_batch(m, queries, a.k, &allowed);
  if (!a.data_dir.empty()) write_dataset(a.data_dir, data, qdata, truth);  // for bench/usearch

  nlohmann::json builds = nlohmann::json::array();
  double t0 = now_s();
  auto built = HnswIndex::build(m, {.M = a.M, .ef_construction = a.ef_construction, .threads = threads});
  if (!built) {
    std::cerr << built.error().message << "\n";
    return 1;
  }
  HnswIndex ours = std::move(built).value();
  const double ours_build = now_s() - t0;
  const std::string dir = a.data_dir.empty() ? std::filesystem::temp_directory_path().string() : a.data_dir;
  const std::string path = dir + "/bench.hnsw";
  t0 = now_s();
  if (auto st = ours.save(path); !st.ok()) {
    std::cerr << st.error().message << "\n";
    return 1;
  }
  const double save_s = now_s() - t0;
  t0 = now_s();
  auto loaded = HnswIndex::load(path, a.dim);
  const double load_s = now_s() - t0;
  if (!loaded) {
    std::cerr << loaded.error().message << "\n";
    return 1;
  }
  // Once more into memory the process has used before: on this VM the first touch of fresh memory
  // costs more than reading the file (1M x 384: 3.9 s first, 0.95 s again), and a server's start
  // pays whichever its memory gives it.
  t0 = now_s();
  const bool reloaded = HnswIndex::load(path, a.dim).ok();
  const double load_again_s = reloaded ? now_s() - t0 : -1.0;
  const auto file_bytes = std::filesystem::file_size(path);
  std::filesystem::remove(path);
  std::filesystem::remove(path + ".json");
  builds.push_back({{"method", "cinerec hnsw"}, {"build_s", ours_build}, {"memory_bytes", ours.memory_bytes()},
                    {"save_s", save_s}, {"load_s", load_s}, {"load_again_s", load_again_s},
                    {"file_bytes", file_bytes}});

  t0 = now_s();
  RawHnsw raw(data.data(), a.rows, a.dim, a.M, a.ef_construction, threads);
  builds.push_back({{"method", "raw hnswlib"}, {"build_s", now_s() - t0}, {"memory_bytes", raw.memory_bytes()}});
  result["builds"] = builds;

  struct Run {
    std::string method;
    std::size_t ef;
    std::function<std::vector<std::uint32_t>(std::size_t q)> search;
    const std::vector<std::vector<ScoredRow>>* truth;
    std::vector<double> samples = {};
    std::vector<std::vector<std::uint32_t>> got = {};
  };
  std::vector<Run> runs;
  auto rows_of = [](const std::vector<ScoredRow>& v) {
    std::vector<std::uint32_t> r;
    for (auto& s : v) r.push_back(s.row);
    return r;
  };
  runs.push_back({"cinerec exact fp32", 0, [&](std::size_t q) { return rows_of(cosine_top_k(m, queries.row(q), a.k)); }, &truth});
  for (std::size_t ef : a.efs) {
    runs.push_back({"cinerec hnsw", ef, [&, ef](std::size_t q) { return rows_of(loaded->search(queries.row(q), a.k, ef)); }, &truth});
    runs.push_back({"raw hnswlib", ef, [&, ef](std::size_t q) { return raw.search(queries.row(q), a.k, ef); }, &truth});
  }
  runs.push_back({"cinerec exact fp32, 10 % filter", 0,
                  [&](std::size_t q) { return rows_of(cosine_top_k(m, queries.row(q), a.k, &allowed)); }, &truth_filtered});
  runs.push_back({"cinerec hnsw, 10 % filter", 64,
                  [&](std::size_t q) { return rows_of(loaded->search(queries.row(q), a.k, 64, &allowed)); }, &truth_filtered});

  for (auto& run : runs) run.got.resize(a.queries);
  for (std::size_t round = 0; round < a.rounds; ++round) {
    for (auto& run : runs) {
      for (std::size_t q = round; q < a.queries; q += a.rounds) {
        const double s = now_s();
        run.got[q] = run.search(q);
        run.samples.push_back(now_s() - s);
      }
    }
  }
  nlohmann::json rows = nlohmann::json::array();
  for (auto& run : runs) {
    nlohmann::json row = summarize(run.method, 1, run.samples);
    row["ef"] = run.ef;
    double sum = 0;
    for (std::size_t q = 0; q < a.queries; ++q) {
      std::size_t hit = 0;
      for (auto r : run.got[q])
        for (auto& t : (*run.truth)[q]) hit += t.row == r;
      sum += (*run.truth)[q].empty() ? 1.0 : double(hit) / double((*run.truth)[q].size());
    }
    row["recall_at_10"] = sum / double(a.queries);
    rows.push_back(row);
  }
  result["results"] = rows;
  const std::string text = result.dump(2);
  if (a.out.empty()) std::cout << text << "\n";
  else std::ofstream(a.out) << text << "\n";
  return 0;
}

}  // namespace cinerec::bench
