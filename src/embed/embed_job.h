// `cinerec embed`: brings a model's stored vectors up to date with the catalog.
//
// Guarantees:
//  - Only movies without a vector for the embedder's model, or whose vector was made from a
//    different text (text hash), are embedded; `force` re-embeds everything. Vectors with an empty
//    text hash (imported from files, e.g. the seed) are of unknown text and are kept unless forced.
//  - Work is split into batches; up to `concurrency` batches are in flight at once, and each batch
//    is committed in its own transaction as soon as it comes back. A crash, kill or Ctrl-C loses at
//    most the batches in flight; a rerun embeds only what is still missing, so nothing is done twice.
//  - Store writes all happen on the calling thread; worker threads only call Embedder::embed, which
//    must therefore be safe to call concurrently when concurrency > 1 (remote providers are).
#pragma once

#include <atomic>
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "catalog/movie.h"
#include "common/result.h"
#include "embed/embedder.h"
#include "store/store.h"

namespace cinerec {

struct EmbedJobOptions {
  std::size_t batch_size = 64;   // movies per request and per commit
  std::size_t concurrency = 2;   // requests in flight
  bool force = false;            // re-embed movies whose vector is up to date
};

// Movies still to embed for one model, with the text each is embedded from and its hash.
struct EmbedPlan {
  std::string model;
  std::size_t catalog_size = 0;  // movies in the store
  std::size_t up_to_date = 0;    // movies skipped: vector present and made from the current text
  std::vector<MovieId> movies;
  std::vector<std::string> texts;
  std::vector<std::string> hashes;
};

Result<EmbedPlan> plan_embedding(Store& store, const std::string& model, bool force);

struct EmbedProgress {
  std::size_t done = 0;   // movies embedded and committed so far
  std::size_t total = 0;  // movies to embed in this run
};

struct EmbedJobSummary {
  std::string model;
  std::size_t catalog_size = 0;
  std::size_t up_to_date = 0;
  std::size_t embedded = 0;
  std::size_t batches = 0;
  bool stopped = false;  // `stop` was raised before every batch was sent
};

// Runs the plan. `on_progress` is called on the calling thread after each commit. When `stop`
// becomes true no new batch is sent; those in flight are still committed. On a provider or store
// error the remaining batches are not sent, the ones in flight are committed when they succeed, and
// the error says how many movies were saved.
Result<EmbedJobSummary> run_embed_job(Store& store, Embedder& embedder, const EmbedJobOptions& options,
                                      const std::function<void(const EmbedProgress&)>& on_progress = {},
                                      const std::atomic<bool>* stop = nullptr);

}  // namespace cinerec
