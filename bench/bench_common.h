// Timing and reporting helpers shared by the benchmark programs.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstddef>
#include <fstream>
#include <iostream>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "index/exact.h"

namespace cinerec::bench {

inline double now_s() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

inline double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0.0;
  std::sort(v.begin(), v.end());
  const double pos = p * double(v.size() - 1);
  const std::size_t lo = static_cast<std::size_t>(pos);
  const std::size_t hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (v[hi] - v[lo]) * (pos - double(lo));
}

// Mean recall@k of `got` against `truth`, query by query.
inline double recall(const std::vector<std::vector<ScoredRow>>& got, const std::vector<std::vector<ScoredRow>>& truth) {
  double sum = 0;
  for (std::size_t i = 0; i < truth.size(); ++i) {
    std::set<std::uint32_t> t;
    for (auto& s : truth[i]) t.insert(s.row);
    std::size_t hit = 0;
    for (auto& s : got[i]) hit += t.count(s.row);
    sum += truth[i].empty() ? 1.0 : double(hit) / double(truth[i].size());
  }
  return truth.empty() ? 1.0 : sum / double(truth.size());
}

// Latency samples (seconds) of one method at one batch size -> the JSON row the report reads.
inline nlohmann::json summarize(const std::string& method, std::size_t batch, const std::vector<double>& samples) {
  const double p50 = percentile(samples, 0.5);
  return {{"method", method},
          {"batch", batch},
          {"samples", samples.size()},
          {"p50_ms", p50 * 1e3},
          {"p99_ms", percentile(samples, 0.99) * 1e3},
          {"min_ms", percentile(samples, 0.0) * 1e3},
          {"qps", p50 > 0 ? double(batch) / p50 : 0.0}};
}

// Writes the dataset for the out-of-process references (bench/reference.py, bench/usearch): DIR/data.f32
// and DIR/queries.f32 (raw little-endian float32, row after row) and DIR/truth.json (exact top-k rows
// per query). Exits with a message when a file cannot be written: a benchmark without its
// references is worthless.
inline void write_dataset(const std::string& dir, const std::vector<float>& data, const std::vector<float>& queries,
                          const std::vector<std::vector<ScoredRow>>& truth) {
  auto write_f32 = [](const std::string& path, const std::vector<float>& v) {
    std::ofstream f(path, std::ios::binary);
    f.write(reinterpret_cast<const char*>(v.data()), static_cast<std::streamsize>(v.size() * sizeof(float)));
    if (!f) {
      std::cerr << "cannot write " << path << "\n";
      std::exit(1);
    }
  };
  write_f32(dir + "/data.f32", data);
  write_f32(dir + "/queries.f32", queries);
  nlohmann::json tj = nlohmann::json::array();
  for (auto& t : truth) {
    nlohmann::json rows = nlohmann::json::array();
    for (auto& s : t) rows.push_back(s.row);
    tj.push_back(rows);
  }
  std::ofstream(dir + "/truth.json") << tj;
}

inline nlohmann::json machine_info() {
  nlohmann::json m;
  std::ifstream cpu("/proc/cpuinfo");
  std::string line;
  while (std::getline(cpu, line))
    if (line.rfind("model name", 0) == 0) {
      m["cpu"] = line.substr(line.find(':') + 2);
      break;
    }
  m["hardware_threads"] = std::thread::hardware_concurrency();
  std::ifstream mem("/proc/meminfo");
  while (std::getline(mem, line))
    if (line.rfind("MemTotal", 0) == 0) m["mem_total"] = line.substr(line.find(':') + 1);
  std::ifstream load("/proc/loadavg");
  std::getline(load, line);
  m["loadavg_at_start"] = line;
  m["dot_kernel"] = dot_kernel_name();
  return m;
}

}  // namespace cinerec::bench
