// Test support: the small random-weight models and PyTorch / SentencePiece references that
// tests/local_encoder/make_models.py generates, built once per content of the scripts and shared by
// the test processes (ctest runs each test in its own process).
#pragma once

#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

namespace cinerec::local::testing {

// Directory holding bert/, xlmr/, xlmr-f16/, bert-cased/, unigram-bytes/. Aborts the test binary
// (gtest fatal failure in the caller) if the generator fails; the returned path is then empty.
std::filesystem::path reference_models_dir();

// model_dir/file parsed; an empty object when the file is missing or not JSON.
nlohmann::json read_reference(const std::filesystem::path& model_dir, const std::string& file = "reference.json");

}  // namespace cinerec::local::testing
