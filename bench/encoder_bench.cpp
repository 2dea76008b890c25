// Times the local encoder (text in, normalized sentence vector out: tokenization included) on the
// cells the encoder benchmark asks for. Prints one JSON object per cell on stdout.
//   cinerec_encoder_bench --model-dir DIR --texts FILE --threads N [--batches 1,32] [--seconds S] [--serve]
// FILE: {"<tokens>": ["text", ...], ...}, texts of about <tokens> tokens each.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "embed/local/local_embedder.h"

int main(int argc, char** argv) {
  CLI::App app{"local encoder benchmark"};
  std::string model_dir, texts_file;
  std::size_t threads = 1;
  std::vector<std::size_t> batches{1, 32};
  double seconds = 1.5;
  bool serve = false;
  bool int8 = false;
  std::string embed_out;
  app.add_option("--model-dir", model_dir)->required();
  app.add_option("--texts", texts_file)->required();
  app.add_option("--threads", threads);
  app.add_option("--batches", batches)->delimiter(',');
  app.add_option("--seconds", seconds);
  app.add_flag("--int8", int8, "int8-quantized linear layers");
  app.add_option("--embed-out", embed_out, "write the vectors of every text as JSON {tokens: [[...]]} and exit");
  app.add_flag("--serve", serve, "read cells \"<batch> <tokens> <seconds>\" from stdin");
  CLI11_PARSE(app, argc, argv);

  cinerec::LocalEmbedderOptions options;
  options.model_dir = model_dir;
  options.threads = threads;
  options.batch_size = *std::max_element(batches.begin(), batches.end());
  options.int8 = int8;
  auto embedder = cinerec::LocalEmbedder::open(options);
  if (!embedder.ok()) {
    std::cerr << embedder.error().message << "\n";
    return 1;
  }
  std::ifstream in(texts_file);
  const auto texts = nlohmann::json::parse(in);

  if (!embed_out.empty()) {
    nlohmann::json out = nlohmann::json::object();
    for (auto it = texts.begin(); it != texts.end(); ++it) {
      auto v = (*embedder)->embed(it.value().get<std::vector<std::string>>(), cinerec::EmbedPurpose::Document);
      if (!v.ok()) {
        std::cerr << v.error().message << "\n";
        return 1;
      }
      out[it.key()] = *v;
    }
    std::ofstream(embed_out) << out.dump();
    return 0;
  }

  using clock = std::chrono::steady_clock;
  // Times one cell: batches of `batch` texts of about `tokens` tokens, for `secs` seconds (at
  // least two calls) after one warm-up call.
  auto run_cell = [&](std::size_t batch, const std::string& tokens, double secs) -> bool {
    if (!texts.contains(tokens)) return false;
    const auto pool = texts[tokens].get<std::vector<std::string>>();
    std::vector<std::string> inputs;
    std::size_t next = 0;
    auto fill = [&] {
      inputs.clear();
      for (std::size_t i = 0; i < batch; ++i) inputs.push_back(pool[next++ % pool.size()]);
    };
    fill();
    if (!(*embedder)->embed(inputs, cinerec::EmbedPurpose::Document).ok()) return false;
    std::vector<double> ms;
    const auto start = clock::now();
    while (ms.size() < 2 || std::chrono::duration<double>(clock::now() - start).count() < secs) {
      fill();
      const auto t0 = clock::now();
      auto v = (*embedder)->embed(inputs, cinerec::EmbedPurpose::Document);
      const auto t1 = clock::now();
      if (!v.ok()) {
        std::cerr << v.error().message << "\n";
        return false;
      }
      ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
    }
    std::sort(ms.begin(), ms.end());
    nlohmann::json out{{"engine", int8 ? "cinerec-int8" : "cinerec"}, {"threads", threads}, {"batch", batch},
                       {"tokens", std::stoi(tokens)}, {"calls", ms.size()},
                       {"p50_ms", ms[ms.size() / 2]}, {"p90_ms", ms[ms.size() * 9 / 10]},
                       {"sentences_per_s", 1000.0 * static_cast<double>(batch) / ms[ms.size() / 2]}};
    std::cout << out.dump() << std::endl;
    return true;
  };

  if (serve) {
    // One cell per input line "<batch> <tokens> <seconds>", so a driver can interleave engines.
    std::size_t batch;
    std::string tokens;
    double secs;
    while (std::cin >> batch >> tokens >> secs)
      if (!run_cell(batch, tokens, secs)) return 1;
    return 0;
  }
  for (auto it = texts.begin(); it != texts.end(); ++it)
    for (const std::size_t batch : batches)
      if (!run_cell(batch, it.key(), seconds)) return 1;
  return 0;
}
