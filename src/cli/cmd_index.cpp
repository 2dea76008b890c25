// cinerec index: builds the HNSW graph of the catalog's vectors and saves it beside the store, where
// similar / recommend / serve find it (recommend/vector_search.h). Also what import, add-embeddings and
// embed call to keep an existing index in step with the vectors.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>

#include "cli/commands.h"
#include "index/hnsw.h"

namespace cinerec::cli {
namespace {

struct IndexArgs {
  std::string model;
  HnswParams params;
};

// The catalog's vectors as the recommender sees them (exact mode: an existing index is not opened).
Result<Recommender> load_vectors(const GlobalOptions& global, const std::string& model) {
  auto store = open_db(global, OpenMode::ReadOnly);
  if (!store.ok()) return store.error();
  RecommenderOptions options;
  options.model = model;
  options.vector_search.mode = VectorSearchMode::Exact;
  auto recommender = Recommender::load(**store, options);
  if (!recommender.ok()) return recommender.error();
  if (recommender->model().empty()) return Error{"the catalog has no vectors to index; run cinerec embed first"};
  return recommender;
}

// "<what> N vectors of model X (M m, ef_construction e) in S s: PATH (B MiB)"
void report(std::ostream& out, const char* what, const HnswIndex& graph, const Recommender& recommender,
            const std::chrono::steady_clock::time_point& start, const std::string& path) {
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  char line[512];
  std::snprintf(line, sizeof line, "%s %zu vectors of model %s (M %zu, ef_construction %zu) in %.1f s: %s (%.1f MiB)\n",
                what, graph.size(), recommender.model().c_str(), graph.params().M, graph.params().ef_construction,
                seconds, path.c_str(), static_cast<double>(graph.memory_bytes()) / (1024.0 * 1024.0));
  out << line;
}

// Builds the graph of all the recommender's vectors and saves it to `path`, tagged with their fingerprint.
Status build_and_save(const Recommender& recommender, const HnswParams& params, const std::string& path,
                      std::ostream& out) {
  const auto start = std::chrono::steady_clock::now();
  auto graph = HnswIndex::build(recommender.vectors(), params);
  if (!graph.ok()) return graph.error();
  CINEREC_TRY(graph->save(path, recommender.vectors_fingerprint()));
  report(out, "indexed", *graph, recommender, start, path);
  return Status::Ok();
}

Status build_index(const GlobalOptions& global, const IndexArgs& args, std::ostream& out) {
  const std::string path = vector_index_path(global);
  if (path.empty())
    return Error{"no index file for a PostgreSQL catalog; name one with --vector-index PATH (or CINEREC_VECTOR_INDEX)"};
  auto recommender = load_vectors(global, args.model);
  if (!recommender.ok()) return recommender.error();
  return build_and_save(*recommender, args.params, path, out);
}

// Brings the index at `path` in step with the catalog's vectors. While the graph holds the catalog's
// rows (same model and dimension, no movie gone), rows whose vector changed are updated in place and
// new rows are inserted. A graph more than a quarter of whose rows changed, or of another model or
// dimension, is rebuilt with the parameters it was built with, which its description records: past
// that point a fresh graph costs about as much and links better.
Status update_index(const GlobalOptions& global, const std::string& path, std::ostream& out) {
  auto recommender = load_vectors(global, "");
  if (!recommender.ok()) return recommender.error();
  const MatrixView& vectors = recommender->vectors();
  const auto start = std::chrono::steady_clock::now();
  auto graph = HnswIndex::load(path, vectors.dim);
  if (graph.ok() && vectors.rows >= graph->size()) {  // load() refused another dimension
    const auto changed = graph->changed_rows(vectors);
    if (changed.size() * 4 <= graph->size()) {
      const std::size_t added = vectors.rows - graph->size();
      if (!changed.empty()) CINEREC_TRY(graph->update(vectors, changed));
      if (added > 0) CINEREC_TRY(graph->add({vectors.row(graph->size()), added, vectors.dim}));
      const std::string fingerprint = recommender->vectors_fingerprint();
      auto tag = HnswIndex::load_tag(path);
      if (added > 0 || !changed.empty() || !tag.ok() || *tag != fingerprint) CINEREC_TRY(graph->save(path, fingerprint));
      const std::string updated = "updated " + std::to_string(changed.size());
      const std::string appended = "added " + std::to_string(added) + " to the index:";
      std::string what = "index unchanged:";
      if (!changed.empty() && added > 0) what = updated + " and " + appended;
      else if (!changed.empty()) what = updated + " in the index:";
      else if (added > 0) what = appended;
      report(out, what.c_str(), *graph, *recommender, start, path);
      return Status::Ok();
    }
  }
  HnswParams params;
  if (auto stored = HnswIndex::load_params(path); stored.ok()) params = *stored;
  return build_and_save(*recommender, params, path, out);
}

}  // namespace

int refresh_vector_index(const GlobalOptions& global) {
  const std::string path = vector_index_path(global);
  std::error_code ec;
  if (path.empty() || !std::filesystem::exists(path, ec)) return 0;
  auto updated = update_index(global, path, std::cout);
  if (!updated.ok()) return fail(Error{"the HNSW index " + path + " is out of date and could not be updated: " +
                                       updated.error().message});
  return 0;
}

void register_index_commands(CLI::App& app, GlobalOptions& global) {
  auto args = std::make_shared<IndexArgs>();
  auto* index = app.add_subcommand(
      "index", "build the HNSW index of the catalog's vectors (used by similar / recommend / serve on large catalogs)");
  index->add_option("--model", args->model, "index this model's vectors (default: the model with the most vectors)");
  index->add_option("--M", args->params.M, "graph degree")->capture_default_str()->check(CLI::Range(2, 128));
  index->add_option("--ef-construction", args->params.ef_construction, "candidates while inserting")
      ->capture_default_str()
      ->check(CLI::Range(8, 4096));
  index->add_option("--threads", args->params.threads, "build threads (0: all)")->capture_default_str();
  index->callback([&global, args] {
    global.run = [&global, args] {
      auto built = build_index(global, *args, std::cout);
      return built.ok() ? 0 : fail(built.error());
    };
  });
}

}  // namespace cinerec::cli
