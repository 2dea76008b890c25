#include "embed/embed_job.h"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

#include "embed/document_text.h"
#include "embed/text_hash.h"

namespace cinerec {

Result<EmbedPlan> plan_embedding(Store& store, const std::string& model, bool force) {
  auto movies = store.movies();
  if (!movies.ok()) return movies.error();
  auto stored = store.vectors(model);
  if (!stored.ok()) return stored.error();
  std::map<MovieId, std::string> hash_of;
  for (const auto& v : *stored) hash_of[v.movie] = v.text_hash;

  EmbedPlan plan;
  plan.model = model;
  plan.catalog_size = movies->size();
  for (const auto& m : *movies) {
    std::string text = document_text(m);
    std::string hash = text_hash(text);
    if (!force) {
      auto it = hash_of.find(m.id);
      if (it != hash_of.end() && (it->second.empty() || it->second == hash)) {
        ++plan.up_to_date;
        continue;
      }
    }
    plan.movies.push_back(m.id);
    plan.texts.push_back(std::move(text));
    plan.hashes.push_back(std::move(hash));
  }
  return plan;
}

namespace {

struct Finished {
  std::size_t batch = 0;
  Result<std::vector<std::vector<float>>> vectors;
};

}  // namespace

Result<EmbedJobSummary> run_embed_job(Store& store, Embedder& embedder, const EmbedJobOptions& options,
                                      const std::function<void(const EmbedProgress&)>& on_progress,
                                      const std::atomic<bool>* stop) {
  const std::string model = embedder.model();
  auto plan = plan_embedding(store, model, options.force);
  if (!plan.ok()) return plan.error();

  EmbedJobSummary summary;
  summary.model = model;
  summary.catalog_size = plan->catalog_size;
  summary.up_to_date = plan->up_to_date;
  const std::size_t total = plan->movies.size();
  const std::size_t batch_size = std::max<std::size_t>(options.batch_size, 1);
  const std::size_t batches = (total + batch_size - 1) / batch_size;
  if (on_progress) on_progress({0, total});
  if (batches == 0) return summary;

  std::mutex mutex;
  std::condition_variable cv;
  std::deque<Finished> finished;
  std::size_t next_batch = 0;  // guarded by mutex
  bool halt = false;           // guarded by mutex: an error happened, send nothing more
  std::size_t in_flight = 0;   // guarded by mutex

  // Hands out the next batch index, or nothing when done, halted or stopped.
  const auto take = [&]() -> std::optional<std::size_t> {
    std::lock_guard lock(mutex);
    if (halt || next_batch >= batches || (stop && stop->load())) return std::nullopt;
    ++in_flight;
    return next_batch++;
  };
  const auto worker = [&] {
    while (auto b = take()) {
      const std::size_t begin = *b * batch_size;
      const std::size_t end = std::min(total, begin + batch_size);
      std::vector<std::string> texts(plan->texts.begin() + begin, plan->texts.begin() + end);
      auto vectors = embedder.embed(texts, EmbedPurpose::Document);
      std::lock_guard lock(mutex);
      if (!vectors.ok()) halt = true;  // send nothing more; the main loop reports the error
      finished.push_back({*b, std::move(vectors)});
      cv.notify_all();
    }
    // The loop below may be waiting for a stop request, which only workers notice.
    std::lock_guard lock(mutex);
    cv.notify_all();
  };
  const std::size_t threads = std::clamp<std::size_t>(options.concurrency, 1, batches);
  std::vector<std::thread> pool;
  for (std::size_t i = 0; i < threads; ++i) pool.emplace_back(worker);

  std::optional<Error> first_error;
  for (;;) {
    std::unique_lock lock(mutex);
    cv.wait(lock, [&] {
      const bool nothing_left = halt || next_batch >= batches || (stop && stop->load());
      return !finished.empty() || (in_flight == 0 && nothing_left);
    });
    if (finished.empty()) break;
    Finished f = std::move(finished.front());
    finished.pop_front();
    lock.unlock();

    Status committed = Status::Ok();
    if (!f.vectors.ok()) {
      committed = Status(f.vectors.error());
    } else {
      const std::size_t begin = f.batch * batch_size;
      std::vector<VectorWrite> writes;
      writes.reserve(f.vectors->size());
      for (std::size_t k = 0; k < f.vectors->size(); ++k) {
        writes.push_back({plan->movies[begin + k], std::move((*f.vectors)[k]), plan->hashes[begin + k]});
      }
      committed = store.put_vectors(model, writes);
      if (committed.ok()) {
        summary.embedded += writes.size();
        ++summary.batches;
        if (on_progress) on_progress({summary.embedded, total});
      }
    }
    lock.lock();
    --in_flight;
    if (!committed.ok()) {
      halt = true;
      if (!first_error) first_error = committed.error();
    }
    cv.notify_all();
  }
  for (auto& t : pool) t.join();

  if (first_error) {
    return Error{first_error->message + " (" + std::to_string(summary.embedded) + " of " +
                 std::to_string(total) + " movies were embedded and saved; rerun `cinerec embed` to continue)"};
  }
  summary.stopped = summary.embedded < total;
  return summary;
}

}  // namespace cinerec
