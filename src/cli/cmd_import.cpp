// cinerec import FILE / cinerec add-embeddings FILE
#include <filesystem>
#include <iostream>
#include <map>
#include <optional>
#include <set>
#include <unordered_set>

#include "catalog/embeddings_file.h"
#include "catalog/import.h"
#include "catalog/npy.h"
#include "catalog/title_index.h"
#include "cli/commands.h"
#include "common/text.h"
#include "recommend/catalog_duplicates.h"

namespace cinerec::cli {
namespace {

struct ImportArgs {
  std::string file;
  std::string posters_dir;
  std::string source;
  std::vector<std::string> columns;  // field=header
  bool quiet = false;
  std::string vectors;  // .npy whose row i is the vector of record i
  std::string model = "text-embedding-3-small";
  std::size_t batch = 8192;
};

// Records per transaction (--batch, default 8192): a batch of movies, then their vectors. Large
// enough that commits cost little next to the writes, small enough that memory stays bounded
// (8192 x 1536 floats = 50 MB).

// Stores the next rows of the .npy as the vectors of `ids` (one row per id, in order), in one transaction.
Status store_npy_rows(Store& store, NpyReader& npy, const std::vector<MovieId>& ids, const std::string& model,
                      std::size_t first_row) {
  std::vector<float> block;
  auto n = npy.read(ids.size(), block);
  if (!n.ok()) return n.error();
  const std::string rows = "rows " + std::to_string(first_row + 1) + "-" + std::to_string(first_row + ids.size());
  if (*n != ids.size()) return Error{rows + ": the file ended early"};
  std::vector<VectorWrite> writes(ids.size());
  for (std::size_t i = 0; i < ids.size(); ++i) {
    writes[i].movie = ids[i];
    writes[i].values.assign(block.begin() + static_cast<std::ptrdiff_t>(i * npy.dim()),
                            block.begin() + static_cast<std::ptrdiff_t>((i + 1) * npy.dim()));
  }
  if (auto st = store.put_vectors(model, writes); !st.ok()) return Error{rows + ": " + st.error().message};
  return Status::Ok();
}

// Warns about near-duplicate films involving a movie of this file, against the whole catalog. They are
// kept (two titles of one film are both legitimate entries); recommendations show one of them.
void warn_duplicates(Store& store, const std::unordered_set<MovieId>& imported) {
  auto pairs = catalog_duplicates(store);
  if (!pairs.ok()) {
    std::cerr << "warning: could not look for duplicate films: " << pairs.error().message << "\n";
    return;
  }
  // A screenful at most: a large catalog can hold thousands, and `cinerec duplicates` lists them all.
  constexpr std::size_t kShown = 20;
  std::size_t found = 0;
  for (const auto& p : *pairs) {
    if (!imported.count(p.a.id) && !imported.count(p.b.id)) continue;
    if (++found > kShown) continue;
    std::cerr << "warning: possible duplicate: " << describe_duplicate(p)
              << "; both kept (cinerec duplicates lists them, recommendations show one)\n";
  }
  if (found > kShown)
    std::cerr << "warning: and " << found - kShown << " more possible duplicates (" << found
              << " in all); cinerec duplicates lists them\n";
}

// Stores the vectors read from a keyed file (read_embeddings_file) in one transaction: each goes to the
// movie of its title, else of its source id. Unknown keys are listed on stderr; unless skip_unknown
// they refuse the whole file. Prints what was stored.
Status store_keyed_vectors(Store& store, std::vector<TitledVector> vectors, const std::string& file,
                           const std::string& model, bool skip_unknown) {
  auto movies = store.movies();
  if (!movies.ok()) return movies.error();
  auto titles = TitleIndex::of(*movies);
  std::unordered_map<std::string, MovieId> by_source_id;
  for (const auto& m : *movies)
    if (!m.source_id.empty()) by_source_id.emplace(m.source_id, m.id);
  const std::size_t dim = vectors.front().values.size();
  std::vector<VectorWrite> writes;
  std::size_t unknown = 0;
  std::map<MovieId, std::string> seen;
  for (auto& v : vectors) {
    std::optional<MovieId> id;
    std::string why;
    if (!v.title.empty()) {
      auto position = titles.find(v.title);
      if (position.ok()) id = (*movies)[*position].id;
      else why = position.error().message;
    }
    if (!id && !v.source_id.empty()) {
      auto it = by_source_id.find(v.source_id);
      if (it != by_source_id.end()) id = it->second;
      else why += (why.empty() ? "" : "; ") + std::string("no movie has id ") + quote_for_message(v.source_id);
    }
    if (!id) {
      ++unknown;
      std::cerr << (skip_unknown ? "warning: " : "error: ") << v.location << ": " << why << "\n";
      continue;
    }
    if (auto [it, inserted] = seen.emplace(*id, v.location); !inserted)
      return Error{v.location + ": second vector for " + v.label() + " (first at " + it->second + ")"};
    writes.push_back({*id, std::move(v.values), ""});
  }
  if (unknown > 0 && !skip_unknown)
    return Error{file + ": " + std::to_string(unknown) +
                 " vectors name movies not in the catalog; nothing stored (import the catalog first, or pass --skip-unknown)"};
  if (auto written = store.put_vectors(model, writes); !written.ok())
    return Error{file + ": nothing stored: " + written.error().message};
  std::cout << "stored " << writes.size() << " vectors of model " << model << " (" << dim << " dimensions) in "
            << store.describe();
  if (unknown) std::cout << "; skipped " << unknown << " vectors of unknown movies";
  std::cout << "\n";
  return Status::Ok();
}

int run_import(const GlobalOptions& global, const ImportArgs& args) {
  ImportOptions options;
  options.source = args.source;
  options.posters_dir = args.posters_dir;
  if (options.posters_dir.empty()) {
    // The seed keeps posters beside its JSON files.
    auto beside = std::filesystem::path(args.file).parent_path() / "posters";
    std::error_code ec;
    if (std::filesystem::is_directory(beside, ec)) options.posters_dir = beside.string();
  }
  for (const auto& mapping : args.columns) {
    auto eq = mapping.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == mapping.size())
      return fail(Error{"--column expects FIELD=HEADER, got \"" + mapping + "\""});
    options.columns[mapping.substr(0, eq)] = mapping.substr(eq + 1);
  }
  // First pass: the whole file is checked before anything is written.
  auto catalog = CatalogStream::open(args.file, options);
  if (!catalog.ok()) return fail(catalog.error());
  std::optional<NpyReader> npy;
  std::optional<std::vector<TitledVector>> keyed;  // a .json / .jsonl vectors file, read and checked up front
  if (!args.vectors.empty() && std::filesystem::path(args.vectors).extension() != ".npy") {
    auto read = read_embeddings_file(args.vectors);
    if (!read.ok()) return fail(Error{read.error().message + " (nothing imported)"});
    keyed.emplace(std::move(read).value());
  } else if (!args.vectors.empty()) {
    auto opened = NpyReader::open(args.vectors);
    if (!opened.ok()) return fail(opened.error());
    if (opened->rows() != catalog->size())
      return fail(Error{args.vectors + ": " + std::to_string(opened->rows()) + " vectors for " +
                        std::to_string(catalog->size()) + " movies in " + args.file + "; nothing imported"});
    npy.emplace(std::move(opened).value());
  }
  auto store = open_db(global, OpenMode::CreateIfMissing);
  if (!store.ok()) return fail(store.error());

  // Second pass: a batch of movies per transaction, then the batch's vectors. Upserts are idempotent, so
  // after an interruption the same command resumes: committed batches come back unchanged.
  UpsertSummary total;
  std::size_t done = 0, warnings = 0;
  bool has_embeddings = false;
  std::unordered_set<MovieId> imported;
  for (;;) {
    auto batch = catalog->next(args.batch);
    auto interrupted = [&](const std::string& what) {
      std::string kept = done == 0 ? "nothing imported"
                                   : "records 1-" + std::to_string(done) + " are imported; run the same command again "
                                     "after fixing this to resume";
      return fail(Error{what + " (" + kept + ")"});
    };
    if (!batch.ok()) return interrupted(batch.error().message);
    if (batch->records.empty()) break;
    auto summary = (*store)->upsert_movies(batch->records);
    if (!summary.ok())
      return interrupted(args.file + ": records " + std::to_string(done + 1) + "-" +
                         std::to_string(done + batch->records.size()) + " not imported: " + summary.error().message);
    if (npy) {
      if (auto st = store_npy_rows(**store, *npy, summary->ids, args.model, done); !st.ok())
        return interrupted(args.vectors + ": " + st.error().message);
    }
    total.added += summary->added;
    total.updated += summary->updated;
    total.unchanged += summary->unchanged;
    imported.insert(summary->ids.begin(), summary->ids.end());
    warnings += batch->warnings.size();
    if (!args.quiet)
      for (const auto& w : batch->warnings) std::cerr << "warning: " << w.location << ": " << w.message << "\n";
    for (const auto& e : batch->embeddings) has_embeddings |= e.has_value();
    done += batch->records.size();
  }
  std::cout << "imported " << args.file << " into " << (*store)->describe() << ": " << done << " movies ("
            << total.added << " added, " << total.updated << " updated, " << total.unchanged << " unchanged), "
            << warnings << " warnings\n";
  if (npy) std::cout << "stored " << done << " vectors of model " << args.model << " (" << npy->dim() << " dimensions)\n";
  if (keyed) {
    if (auto st = store_keyed_vectors(**store, std::move(*keyed), args.vectors, args.model, /*skip_unknown=*/false); !st.ok())
      return fail(Error{st.error().message + " (the movies are imported; store the vectors with cinerec add-embeddings)"});
  }
  if (!args.quiet) warn_duplicates(**store, imported);
  if (has_embeddings) std::cout << "the file also holds embedding vectors; load them with: cinerec add-embeddings " << args.file << "\n";
  if (total.added + total.updated == 0 && !npy && !keyed) return 0;
  store->reset();
  return refresh_vector_index(global);
}

struct AddEmbeddingsArgs {
  std::string file;
  std::string model = "text-embedding-3-small";
  bool skip_unknown = false;
};

int run_add_embeddings(const GlobalOptions& global, const AddEmbeddingsArgs& args) {
  auto store = open_db(global, OpenMode::ReadWrite);
  if (!store.ok()) return fail(store.error());
  auto vectors = read_embeddings_file(args.file);
  if (!vectors.ok()) return fail(vectors.error());
  if (auto st = store_keyed_vectors(**store, std::move(vectors).value(), args.file, args.model, args.skip_unknown); !st.ok())
    return fail(st.error());
  store->reset();
  return refresh_vector_index(global);
}

}  // namespace

void register_import_commands(CLI::App& app, GlobalOptions& global) {
  auto import_args = std::make_shared<ImportArgs>();
  auto* import = app.add_subcommand("import", "import a catalog file (.json, .jsonl or .csv) into the database");
  import->add_option("file", import_args->file, "catalog file")->required();
  import->add_option("--posters", import_args->posters_dir,
                     "directory of m_<title>.png posters (default: posters/ beside the file)");
  import->add_option("--source", import_args->source, "name of the source, stored with each movie")->default_val("file");
  import->add_option("--column", import_args->columns, "CSV column for a field, e.g. --column title=original_title");
  import->add_flag("--quiet", import_args->quiet, "do not print warnings");
  import->add_option("--vectors", import_args->vectors,
                     "vectors of the movies: a .npy whose row i is record i's, or a .json / .jsonl of "
                     "{\"title\" or \"id\", \"embedding\"} records");
  import->add_option("--model", import_args->model, "model that made the --vectors")->capture_default_str();
  import->add_option("--batch", import_args->batch,
                     "records per transaction; an interrupted import keeps its whole batches and the same command resumes it")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1} << 24))
      ->capture_default_str();
  import->callback([&global, import_args] { global.run = [&global, import_args] { return run_import(global, *import_args); }; });

  auto add_args = std::make_shared<AddEmbeddingsArgs>();
  auto* add = app.add_subcommand("add-embeddings",
                                 "store precomputed vectors keyed by title (.json, .jsonl, or the original app's .sqlite3)");
  add->add_option("file", add_args->file, "vectors file")->required();
  add->add_option("--model", add_args->model, "model that made the vectors")->capture_default_str();
  add->add_flag("--skip-unknown", add_args->skip_unknown, "store the known titles' vectors even if some titles are unknown");
  add->callback([&global, add_args] { global.run = [&global, add_args] { return run_add_embeddings(global, *add_args); }; });
}

}  // namespace cinerec::cli
