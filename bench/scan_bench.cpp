// cinerec_bench scan: exact float32, fp16 and int8 scans against the plain AVX2 bandwidth scan, on
// synthetic clustered unit vectors. Methods run in interleaved rounds so machine noise (other jobs on
// the 2 cores) hits all of them alike. Writes the dataset for the Python references (numpy, FAISS)
// and a JSON result file; bench/run.sh drives it and bench/report.py makes the table.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <iostream>
#include <string>
#include <vector>

#include "args.h"
#include "bench_common.h"
#include "index/dot_kernels.h"
#include "index/exact.h"
#include "index/quantized.h"
#include "index/synthetic.h"
#include "plain_scan.h"

namespace cinerec::bench {
namespace {

struct Method {
  std::string name;
  std::size_t batch;
  std::function<void(std::size_t first_query)> run;  // runs `batch` queries starting at first_query
  std::vector<double> samples = {};
};

}  // namespace

int run_scan(const Args& a) {
  nlohmann::json result;
  result["machine"] = machine_info();
  result["rows"] = a.rows;
  result["dim"] = a.dim;
  result["k"] = a.k;
  std::cerr << "scan bench: " << a.rows << " x " << a.dim << "\n";

  double t0 = now_s();
  auto data = synthetic_unit_vectors({.rows = a.rows, .dim = a.dim, .clusters = 256, .spread = 0.6f, .seed = 7});
  auto qdata = synthetic_unit_vectors(
      {.rows = a.queries, .dim = a.dim, .clusters = 256, .spread = 0.6f, .seed = 7, .first_row = 1u << 30});
  result["generate_s"] = now_s() - t0;
  const MatrixView m{data.data(), a.rows, a.dim};
  const MatrixView queries{qdata.data(), a.queries, a.dim};
  ScanOptions scan_opts{.threads = a.threads};

  auto truth = cosine_top_k_batch(m, queries, a.k, nullptr, scan_opts);
  if (!a.data_dir.empty()) write_dataset(a.data_dir, data, qdata, truth);

  nlohmann::json encodings = nlohmann::json::array();
  std::vector<QuantizedMatrix> compact;
  for (VectorEncoding e : {VectorEncoding::kFloat16, VectorEncoding::kInt8}) {
    t0 = now_s();
    compact.push_back(QuantizedMatrix::encode(m, e, scan_opts));
    encodings.push_back({{"encoding", encoding_name(e)},
                         {"build_s", now_s() - t0},
                         {"bytes_per_vector", compact.back().bytes_per_vector()}});
  }
  encodings.push_back({{"encoding", "fp32"}, {"build_s", 0.0}, {"bytes_per_vector", a.dim * 4}});
  result["encodings"] = encodings;

  const unsigned hw = a.threads ? a.threads : std::max(1u, std::thread::hardware_concurrency());
  std::vector<float> plain_out(a.rows);
  QuantizedScanOptions qopts;
  qopts.scan = scan_opts;
  std::vector<Method> methods;
  const bool avx2 = detail::cpu_has_avx2_fma();
  if (avx2) {
    methods.push_back({"plain-avx2-scan (no top-k)", 1, [&](std::size_t q) {
                         plain_scan(data.data(), a.rows, a.dim, queries.row(q), plain_out.data(), hw);
                       }});
  }
  for (std::size_t b : {std::size_t{1}, a.batch}) {
    methods.push_back({"cinerec exact fp32", b, [&, b](std::size_t q) {
                         auto r = cosine_top_k_batch(m, {queries.row(q), b, a.dim}, a.k, nullptr, scan_opts);
                       }});
    for (std::size_t e = 0; e < compact.size(); ++e) {
      methods.push_back({std::string("cinerec ") + encoding_name(compact[e].encoding()) + " + fp32 rescore", b,
                         [&, b, e](std::size_t q) {
                           auto r = quantized_top_k_batch(compact[e], m, {queries.row(q), b, a.dim}, a.k, nullptr, qopts);
                         }});
    }
  }

  // Interleaved rounds: each round runs a slice of the queries through every method.
  for (std::size_t round = 0; round < a.rounds; ++round) {
    for (auto& method : methods) {
      const std::size_t per_round = std::max<std::size_t>(1, a.queries / a.rounds / method.batch);
      for (std::size_t i = 0; i < per_round; ++i) {
        const std::size_t first = ((round * per_round + i) * method.batch) % (a.queries - method.batch + 1);
        const double s = now_s();
        method.run(first);
        method.samples.push_back(now_s() - s);
      }
    }
  }

  nlohmann::json rows = nlohmann::json::array();
  double plain_p50 = 0;
  for (auto& method : methods) {
    nlohmann::json row = summarize(method.name, method.batch, method.samples);
    if (method.name.rfind("plain", 0) == 0) {
      plain_p50 = percentile(method.samples, 0.5);
      row["bandwidth_gb_s"] = double(a.rows * a.dim * 4) / plain_p50 / 1e9;
    }
    rows.push_back(row);
  }
  // Recall of each method against exact float32 (exact itself is 1 by construction).
  auto fp16 = quantized_top_k_batch(compact[0], m, queries, a.k, nullptr, qopts);
  auto int8 = quantized_top_k_batch(compact[1], m, queries, a.k, nullptr, qopts);
  for (auto& row : rows) {
    const std::string name = row["method"];
    if (name.find("fp16") != std::string::npos) row["recall_at_10"] = recall(fp16, truth);
    else if (name.find("int8") != std::string::npos) row["recall_at_10"] = recall(int8, truth);
    else if (name.find("exact") != std::string::npos) row["recall_at_10"] = 1.0;
    // Share of the plain scan's speed, per query: for batch 1 this is the fraction of the measured
    // memory bandwidth the method achieves on float32-sized data.
    if (plain_p50 > 0 && name.rfind("plain", 0) != 0) {
      const double per_query = double(row["p50_ms"]) / 1e3 / double(row["batch"]);
      row["pct_of_plain_scan"] = 100.0 * plain_p50 / per_query;
    }
  }
  result["results"] = rows;
  const std::string text = result.dump(2);
  if (a.out.empty()) {
    std::cout << text << "\n";
  } else {
    std::ofstream(a.out) << text << "\n";
  }
  return 0;
}

}  // namespace cinerec::bench
