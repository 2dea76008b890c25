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
  for (const auto& p : *pairs) {
    if (!imported.count(p.a.id) && !imported.count(p.b.id)) continue;
    std::cerr << "warning: possible duplicate: " << describe_duplicate(p)
              << "; both kept (cinerec duplicates lists them, recommendations show one)\n";
  }
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
  if (!args.vectors.empty()) {
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
  if (!args.quiet) warn_duplicates(**store, imported);
  if (has_embeddings) std::cout << "the file also holds embedding vectors; load them with: cinerec add-embeddings " << args.file << "\n";
  if (total.added + total.updated == 0 && !npy) return 0;
  store->reset();
  return refresh_vector_index(global);
}

struct AddEmbeddingsArgs {
  std::string file;
  std::string model = "text-embedding-3-small";
  bool skip_unknown = false;
};

int run_add_embeddings(const GlobalOptions& global, const AddEmbeddingsArgs& args) {
  auto vectors = read_embeddings_file(args.file);
  if (!vectors.ok()) return fail(vectors.error());
  auto store = open_db(global, OpenMode::ReadWrite);
  if (!store.ok()) return fail(store.error());
  auto movies = (*store)->movies();
  if (!movies.ok()) return fail(movies.error());
  auto titles = TitleIndex::of(*movies);
  const std::size_t dim = vectors->front().values.size();
  std::vector<VectorWrite> writes;
  std::size_t unknown = 0;
  std::map<MovieId, std::string> seen;
  for (auto& v : *vectors) {
    auto position = titles.find(v.title);
    if (!position.ok()) {
      ++unknown;
      std::cerr << (args.skip_unknown ? "warning: " : "error: ") << v.location << ": " << position.error().message << "\n";
      continue;
    }
    MovieId id = (*movies)[*position].id;
    if (auto [it, inserted] = seen.emplace(id, v.location); !inserted)
      return fail(Error{v.location + ": second vector for \"" + v.title + "\" (first at " + it->second + ")"});
    writes.push_back({id, std::move(v.values), ""});
  }
  if (unknown > 0 && !args.skip_unknown)
    return fail(Error{args.file + ": " + std::to_string(unknown) +
                      " titles are not in the catalog; nothing stored (import the catalog first, or pass --skip-unknown)"});
  if (auto written = (*store)->put_vectors(args.model, writes); !written.ok())
    return fail(Error{args.file + ": nothing stored: " + written.error().message});
  std::cout << "stored " << writes.size() << " vectors of model " << args.model << " ("
            << dim << " dimensions) in " << (*store)->describe();
  if (unknown) std::cout << "; skipped " << unknown << " unknown titles";
  std::cout << "\n";
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
  import->add_option("--vectors", import_args->vectors, ".npy file whose row i is the vector of record i");
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
