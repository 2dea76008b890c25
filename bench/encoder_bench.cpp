// Times the local encoder (text in, normalized sentence vector out: tokenization included) on the
// cells the encoder benchmark asks for. Prints one JSON object per cell on stdout.
//   cinerec_encoder_bench --model-dir DIR --texts FILE --threads N [--batches 1,32] [--seconds S]
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
  app.add_option("--model-dir", model_dir)->required();
  app.add_option("--texts", texts_file)->required();
  app.add_option("--threads", threads);
  app.add_option("--batches", batches)->delimiter(',');
  app.add_option("--seconds", seconds);
  CLI11_PARSE(app, argc, argv);

  cinerec::LocalEmbedderOptions options;
  options.model_dir = model_dir;
  options.threads = threads;
  options.batch_size = *std::max_element(batches.begin(), batches.end());
  auto embedder = cinerec::LocalEmbedder::open(options);
  if (!embedder.ok()) {
    std::cerr << embedder.error().message << "\n";
    return 1;
  }
  std::ifstream in(texts_file);
  const auto texts = nlohmann::json::parse(in);

  using clock = std::chrono::steady_clock;
  for (auto it = texts.begin(); it != texts.end(); ++it) {
    const auto pool = it.value().get<std::vector<std::string>>();
    for (const std::size_t batch : batches) {
      std::vector<std::string> inputs;
      std::size_t next = 0;
      auto fill = [&] {
        inputs.clear();
        for (std::size_t i = 0; i < batch; ++i) inputs.push_back(pool[next++ % pool.size()]);
      };
      fill();
      if (!(*embedder)->embed(inputs, cinerec::EmbedPurpose::Document).ok()) return 1;  // warm-up
      std::vector<double> ms;
      const auto start = clock::now();
      while (ms.size() < 3 || std::chrono::duration<double>(clock::now() - start).count() < seconds) {
        fill();
        const auto t0 = clock::now();
        auto v = (*embedder)->embed(inputs, cinerec::EmbedPurpose::Document);
        const auto t1 = clock::now();
        if (!v.ok()) {
          std::cerr << v.error().message << "\n";
          return 1;
        }
        ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
      }
      std::sort(ms.begin(), ms.end());
      nlohmann::json out{{"engine", "cinerec"}, {"threads", threads}, {"batch", batch},
                         {"tokens", std::stoi(it.key())}, {"calls", ms.size()},
                         {"p50_ms", ms[ms.size() / 2]}, {"p90_ms", ms[ms.size() * 9 / 10]},
                         {"sentences_per_s", 1000.0 * static_cast<double>(batch) / ms[ms.size() / 2]}};
      std::cout << out.dump() << std::endl;
    }
  }
  return 0;
}
