#include "index/hnsw.h"

#include <hnswlib/hnswlib.h>

#include <algorithm>
#include <atomic>
#include <cassert>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <filesystem>
#include <fstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "index/block_kernels.h"
#include "index/dot_kernels.h"
#include "index/scan_engine.h"
#include "index/top_k.h"

namespace cinerec {
namespace {

namespace fs = std::filesystem;
constexpr const char* kFormat = "cinerec-hnsw";
constexpr int kVersion = 1;

// Inner-product space using cinerec's dispatched kernel (hnswlib's own picks its SIMD at compile
// time, and this project compiles for baseline x86-64).
class IpSpace : public hnswlib::SpaceInterface<float> {
 public:
  explicit IpSpace(std::size_t dim) : dim_(dim) {}
  size_t get_data_size() override { return dim_ * sizeof(float); }
  hnswlib::DISTFUNC<float> get_dist_func() override {
    return detail::cpu_has_avx2_fma() ? &detail::ip_distance_avx2 : &detail::ip_distance_portable;
  }
  void* get_dist_func_param() override { return &dim_; }

 private:
  std::size_t dim_;
};

unsigned resolve_threads(unsigned t) { return t ? t : std::max(1u, std::thread::hardware_concurrency()); }

// Scores rows by number through the pointer table (vectors live inside the graph's storage).
struct PtrScorer {
  const detail::BlockKernels& kernels;
  const std::vector<const float*>& row_ptr;
  const float* query;
  std::size_t dim;
  struct Scratch {
    std::vector<const float*> rows;
  };
  Scratch make_scratch(std::size_t tile_rows, std::size_t) const { return Scratch{std::vector<const float*>(tile_rows)}; }
  void operator()(Scratch& s, const std::uint32_t* ids, std::size_t n, std::size_t, std::size_t, float* out,
                  std::size_t ld, detail::Prefetch) const {
    for (std::size_t i = 0; i < n; ++i) s.rows[i] = row_ptr[ids[i]];
    kernels.f32(s.rows.data(), n, query, 1, dim, out, ld, {});
  }
  detail::Prefetch region(std::size_t, std::size_t) const { return {}; }  // rows are scattered in the graph
};

using Graph = hnswlib::HierarchicalNSW<float>;

// The graph file is hnswlib's own format (HierarchicalNSW::saveIndex), so hnswlib reads cinerec's
// files and the reverse: 13 header fields, the level-0 block (count x size_data_per_element bytes:
// links, vector, label per element), then per element a uint32 byte count and its upper-level link
// lists. hnswlib's loadIndex reads it element by element through an ifstream, twice (a size check,
// then the data), and trusts every neighbor id it reads; this reads it in three large reads and
// checks it (1M x 384, 1.68 GB: 0.93-0.98 s here, hnswlib's loadIndex 1.31-1.35 s).
struct GraphHeader {
  std::size_t offset_level0, max_elements, count, size_data_per_element, label_offset, offset_data;
  int max_level;
  hnswlib::tableint entry;
  std::size_t max_m, max_m0, m;
  double mult;
  std::size_t ef_construction;
};

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};
using File = std::unique_ptr<std::FILE, FileCloser>;

// Reads exactly `bytes` bytes into `dst`; false on a short read.
bool read_exact(std::FILE* f, void* dst, std::size_t bytes) { return std::fread(dst, 1, bytes, f) == bytes; }

template <typename T>
bool read_pod(std::FILE* f, T& v) {
  return read_exact(f, &v, sizeof v);
}

// Calls field(v) on each header field in file order (saveIndex's order) while it returns true.
template <typename Header, typename Field>
bool each_header_field(Header& h, Field&& field) {
  return field(h.offset_level0) && field(h.max_elements) && field(h.count) && field(h.size_data_per_element) &&
         field(h.label_offset) && field(h.offset_data) && field(h.max_level) && field(h.entry) && field(h.max_m) &&
         field(h.max_m0) && field(h.m) && field(h.mult) && field(h.ef_construction);
}

bool read_header(std::FILE* f, GraphHeader& h) {
  return each_header_field(h, [f](auto& v) { return read_pod(f, v); });
}

constexpr std::size_t kHeaderBytes = 6 * sizeof(std::size_t) + sizeof(int) + sizeof(hnswlib::tableint) +
                                     3 * sizeof(std::size_t) + sizeof(double) + sizeof(std::size_t);

// Checks one link list (a count in the low 16 bits, then the ids): at most `max_links`, each < count.
bool links_valid(const char* list, std::size_t max_links, std::size_t count) {
  hnswlib::linklistsizeint head;
  std::memcpy(&head, list, sizeof head);
  const std::size_t n = head & 0xFFFFu;
  if (n > max_links) return false;
  for (std::size_t j = 0; j < n; ++j) {
    hnswlib::tableint id;
    std::memcpy(&id, list + sizeof head + j * sizeof id, sizeof id);
    if (id >= count) return false;
  }
  return true;
}

// Reads a graph file written by write_graph or hnswlib; `file_bytes` is its size. On success the
// graph is exactly what hnswlib's loadIndex would build, every link pointing at a stored element.
Result<std::unique_ptr<Graph>> read_graph(const std::string& path, IpSpace& space, std::uint64_t seed,
                                          std::size_t file_bytes) {
  const std::string where = "hnsw load " + path + ": ";
  File f(std::fopen(path.c_str(), "rb"));
  if (!f) return Error{where + std::strerror(errno)};
  GraphHeader h{};
  if (!read_header(f.get(), h)) return Error{where + "file ends inside its header"};
  if (h.m < 2 || h.m > 10000 || h.count > h.max_elements ||
      h.count > (file_bytes - std::min(file_bytes, kHeaderBytes)) / std::max<std::size_t>(1, h.size_data_per_element))
    return Error{where + "header holds impossible sizes (M " + std::to_string(h.m) + ", " + std::to_string(h.count) +
                 " elements of " + std::to_string(h.size_data_per_element) + " bytes)"};
  std::unique_ptr<Graph> g;
  try {
    // Capacity = the stored count (add() grows it), not the saved capacity a damaged header could inflate.
    g = std::make_unique<Graph>(&space, std::max<std::size_t>(1, h.count), h.m, h.ef_construction, seed);
  } catch (const std::exception& e) {
    return Error{where + e.what()};
  }
  if (g->offsetLevel0_ != h.offset_level0 || g->size_data_per_element_ != h.size_data_per_element ||
      g->label_offset_ != h.label_offset || g->offsetData_ != h.offset_data || g->maxM_ != h.max_m ||
      g->maxM0_ != h.max_m0)
    return Error{where + "element layout differs from an index of M " + std::to_string(h.m) + " over " +
                 std::to_string(space.get_data_size() / sizeof(float)) + "-d vectors"};
  if (!read_exact(f.get(), g->data_level0_memory_, h.count * h.size_data_per_element))
    return Error{where + "file ends inside the level-0 block"};
  std::vector<char> rest(file_bytes - kHeaderBytes - h.count * h.size_data_per_element);
  if (!read_exact(f.get(), rest.data(), rest.size()) || std::fgetc(f.get()) != EOF)
    return Error{where + "file size changed while it was read"};

  std::size_t pos = 0;
  for (std::size_t i = 0; i < h.count; ++i) {
    hnswlib::linklistsizeint bytes;
    if (rest.size() - pos < sizeof bytes) return Error{where + "file ends before the links of element " + std::to_string(i)};
    std::memcpy(&bytes, rest.data() + pos, sizeof bytes);
    pos += sizeof bytes;
    if (bytes % g->size_links_per_element_ != 0 || bytes > rest.size() - pos)
      return Error{where + "element " + std::to_string(i) + " has " + std::to_string(bytes) +
                   " bytes of upper-level links, not a whole number of lists inside the file"};
    const std::size_t levels = bytes / g->size_links_per_element_;
    g->linkLists_[i] = nullptr;
    g->element_levels_[i] = static_cast<int>(levels);
    if (levels > 0) {
      g->linkLists_[i] = static_cast<char*>(std::malloc(bytes));
      if (!g->linkLists_[i]) {
        g->element_levels_[i] = 0;
        return Error{where + "out of memory"};
      }
      std::memcpy(g->linkLists_[i], rest.data() + pos, bytes);
      pos += bytes;
    }
    g->cur_element_count = i + 1;  // the destructor frees the lists of elements below this
  }
  if (pos != rest.size()) return Error{where + std::to_string(rest.size() - pos) + " bytes follow the last element"};

  g->label_lookup_.reserve(h.count);
  for (std::size_t i = 0; i < h.count; ++i) {
    const auto id = static_cast<hnswlib::tableint>(i);
    bool ok = links_valid(reinterpret_cast<const char*>(g->get_linklist0(id)), g->maxM0_, h.count);
    for (int level = 1; ok && level <= g->element_levels_[i]; ++level)
      ok = links_valid(reinterpret_cast<const char*>(g->get_linklist(id, level)), g->maxM_, h.count);
    if (!ok)
      return Error{where + "element " + std::to_string(i) + " links to a neighbor outside the graph (damaged file)"};
    g->label_lookup_[g->getExternalLabel(id)] = id;
    if (g->isMarkedDeleted(id)) ++g->num_deleted_;
  }
  if (h.count > 0 && (h.entry >= h.count || h.max_level != g->element_levels_[h.entry]))
    return Error{where + "entry point " + std::to_string(h.entry) + " is not a top-level element"};
  g->maxlevel_ = h.count > 0 ? h.max_level : -1;
  g->enterpoint_node_ = h.count > 0 ? h.entry : static_cast<hnswlib::tableint>(-1);
  g->mult_ = h.mult;
  g->revSize_ = 1.0 / h.mult;
  return g;
}

// Writes `g` in hnswlib's format (see read_graph), in large writes; hnswlib's saveIndex makes two
// small writes per element through an ofstream.
Status write_graph(const Graph& g, const std::string& path) {
  const std::string where = "hnsw save " + path + ": ";
  File f(std::fopen(path.c_str(), "wb"));
  if (!f) return Error{where + std::strerror(errno)};
  std::vector<char> buf;
  auto put = [&](const void* p, std::size_t n) {
    const char* c = static_cast<const char*>(p);
    buf.insert(buf.end(), c, c + n);
  };
  const std::size_t count = g.cur_element_count;
  GraphHeader h{g.offsetLevel0_, g.max_elements_, count, g.size_data_per_element_, g.label_offset_, g.offsetData_,
                g.maxlevel_,     g.enterpoint_node_, g.maxM_, g.maxM0_, g.M_, g.mult_, g.ef_construction_};
  each_header_field(h, [&](const auto& v) {
    put(&v, sizeof v);
    return true;
  });
  bool ok = std::fwrite(buf.data(), 1, buf.size(), f.get()) == buf.size();
  ok = ok && std::fwrite(g.data_level0_memory_, 1, count * g.size_data_per_element_, f.get()) ==
                 count * g.size_data_per_element_;
  buf.clear();
  for (std::size_t i = 0; ok && i < count; ++i) {
    const hnswlib::linklistsizeint bytes =
        g.element_levels_[i] > 0 ? static_cast<hnswlib::linklistsizeint>(g.size_links_per_element_ * g.element_levels_[i]) : 0;
    put(&bytes, sizeof bytes);
    if (bytes) put(g.linkLists_[i], bytes);
    if (buf.size() >= (1u << 20) || i + 1 == count) {
      ok = std::fwrite(buf.data(), 1, buf.size(), f.get()) == buf.size();
      buf.clear();
    }
  }
  ok = ok && std::fflush(f.get()) == 0;
  if (std::fclose(f.release()) != 0) ok = false;
  if (!ok) return Error{where + "write failed: " + std::strerror(errno)};
  return Status::Ok();
}

}  // namespace

struct HnswIndex::Impl {
  std::size_t dim = 0;
  HnswParams params;
  std::unique_ptr<IpSpace> space;  // must outlive graph, which keeps a pointer into it
  std::unique_ptr<hnswlib::HierarchicalNSW<float>> graph;
  std::vector<const float*> row_ptr;  // row number -> its vector inside the graph

  void refresh_row_ptrs() {
    const std::size_t n = graph->cur_element_count;
    row_ptr.assign(n, nullptr);
    for (std::size_t i = 0; i < n; ++i) {
      const auto label = graph->getExternalLabel(static_cast<hnswlib::tableint>(i));
      if (label < n) row_ptr[label] = reinterpret_cast<const float*>(graph->getDataByInternalId(static_cast<hnswlib::tableint>(i)));
    }
  }

  // Inserts rows with labels first_label.. using `threads` workers (hnswlib locks per node).
  void insert(const MatrixView& rows, std::size_t first_label, unsigned threads) {
    std::size_t start = 0;
    if (graph->cur_element_count == 0 && rows.rows > 0) {  // the entry point must exist before parallel inserts
      graph->addPoint(rows.row(0), first_label);
      start = 1;
    }
    std::atomic<std::size_t> next{start};
    auto work = [&] {
      for (std::size_t i = next++; i < rows.rows; i = next++) graph->addPoint(rows.row(i), first_label + i);
    };
    const unsigned n = std::max(1u, std::min<unsigned>(threads, static_cast<unsigned>(rows.rows / 64 + 1)));
    std::vector<std::thread> pool;
    for (unsigned t = 1; t < n; ++t) pool.emplace_back(work);
    work();
    for (auto& th : pool) th.join();
  }
};

HnswIndex::HnswIndex() : impl_(std::make_unique<Impl>()) {}
HnswIndex::HnswIndex(HnswIndex&&) noexcept = default;
HnswIndex& HnswIndex::operator=(HnswIndex&&) noexcept = default;
HnswIndex::~HnswIndex() = default;

std::size_t HnswIndex::size() const { return impl_->graph ? impl_->graph->cur_element_count : 0; }
std::size_t HnswIndex::dim() const { return impl_->dim; }
const HnswParams& HnswIndex::params() const { return impl_->params; }

std::vector<std::uint32_t> HnswIndex::changed_rows(const MatrixView& m) const {
  const Impl& impl = *impl_;
  assert(m.dim == impl.dim && m.rows >= size());
  std::vector<std::uint32_t> changed;
  for (std::size_t r = 0; r < size(); ++r)
    if (std::memcmp(impl.row_ptr[r], m.row(r), impl.dim * sizeof(float)) != 0) changed.push_back(static_cast<std::uint32_t>(r));
  return changed;
}

Status HnswIndex::update(const MatrixView& m, const std::vector<std::uint32_t>& rows) {
  Impl& impl = *impl_;
  if (!impl.graph) return Error{"hnsw update: index was not built or loaded"};
  if (m.dim != impl.dim)
    return Error{"hnsw update: vectors have dimension " + std::to_string(m.dim) + ", index has " + std::to_string(impl.dim)};
  for (std::uint32_t r : rows)
    if (r >= size() || r >= m.rows)
      return Error{"hnsw update: row " + std::to_string(r) + " is not in the index (" + std::to_string(size()) + " rows)"};
  try {
    // addPoint of a label the graph holds is hnswlib's in-place update (updatePoint, every neighbour
    // repaired). One thread: updatePoint draws from a random generator shared without a lock.
    for (std::uint32_t r : rows) impl.graph->addPoint(m.row(r), r);
  } catch (const std::exception& e) {
    return Error{std::string("hnsw update: ") + e.what()};
  }
  return Status::Ok();
}

std::size_t HnswIndex::memory_bytes() const {
  const auto* g = impl_->graph.get();
  if (!g) return 0;
  std::size_t bytes = g->max_elements_ * g->size_data_per_element_;
  for (std::size_t i = 0; i < g->cur_element_count; ++i)
    bytes += static_cast<std::size_t>(g->element_levels_[i]) * g->size_links_per_element_;
  return bytes + g->cur_element_count * (sizeof(void*) + sizeof(int));
}

Result<HnswIndex> HnswIndex::build(const MatrixView& m, const HnswParams& params) {
  if (m.dim == 0) return Error{"hnsw build: vectors have dimension 0"};
  if (params.M < 2) return Error{"hnsw build: M must be at least 2, got " + std::to_string(params.M)};
  HnswIndex index;
  Impl& impl = *index.impl_;
  impl.dim = m.dim;
  impl.params = params;
  impl.space = std::make_unique<IpSpace>(m.dim);
  try {
    impl.graph = std::make_unique<hnswlib::HierarchicalNSW<float>>(impl.space.get(), std::max<std::size_t>(1, m.rows),
                                                                    params.M, params.ef_construction, params.seed);
    impl.graph->setEf(1);  // search() passes max(ef, k) as the result size, which is what hnswlib explores
    impl.insert(m, 0, resolve_threads(params.threads));
  } catch (const std::exception& e) {
    return Error{std::string("hnsw build: ") + e.what()};
  }
  impl.refresh_row_ptrs();
  return index;
}

Status HnswIndex::add(const MatrixView& rows, unsigned threads) {
  Impl& impl = *impl_;
  if (!impl.graph) return Error{"hnsw add: index was not built or loaded"};
  if (rows.dim != impl.dim)
    return Error{"hnsw add: vectors have dimension " + std::to_string(rows.dim) + ", index has " + std::to_string(impl.dim)};
  try {
    const std::size_t n = size();
    if (n + rows.rows > impl.graph->max_elements_)
      impl.graph->resizeIndex(std::max(n + rows.rows, impl.graph->max_elements_ * 3 / 2));
    impl.insert(rows, n, resolve_threads(threads));
  } catch (const std::exception& e) {
    return Error{std::string("hnsw add: ") + e.what()};
  }
  impl.refresh_row_ptrs();
  return Status::Ok();
}

Status HnswIndex::save(const std::string& path, const std::string& tag) const {
  const Impl& impl = *impl_;
  if (!impl.graph) return Error{"hnsw save " + path + ": index was not built or loaded"};
  const std::string tmp = path + ".tmp";
  if (auto st = write_graph(*impl.graph, tmp); !st.ok()) return st;
  std::error_code ec;
  const auto bytes = fs::file_size(tmp, ec);
  if (ec || bytes == 0) return Error{"hnsw save " + path + ": could not write " + tmp};
  nlohmann::json meta = {{"format", kFormat},
                         {"version", kVersion},
                         {"metric", "inner_product"},
                         {"dim", impl.dim},
                         {"rows", size()},
                         {"M", impl.params.M},
                         {"ef_construction", impl.params.ef_construction},
                         {"seed", impl.params.seed},
                         {"graph_bytes", bytes},
                         {"tag", tag}};
  {
    std::ofstream out(path + ".json.tmp");
    out << meta.dump(2) << "\n";
    out.close();
    if (!out) return Error{"hnsw save " + path + ": could not write " + path + ".json.tmp"};
  }
  fs::rename(tmp, path, ec);
  if (!ec) fs::rename(path + ".json.tmp", path + ".json", ec);
  if (ec) return Error{"hnsw save " + path + ": " + ec.message()};
  return Status::Ok();
}

namespace {
Result<nlohmann::json> read_meta(const std::string& path) {
  std::ifstream in(path + ".json");
  if (!in) return Error{"hnsw load " + path + ": missing description file " + path + ".json"};
  nlohmann::json meta = nlohmann::json::parse(in, nullptr, false);
  if (meta.is_discarded() || !meta.is_object() || meta.value("format", "") != kFormat)
    return Error{"hnsw load " + path + ".json: not a cinerec HNSW description"};
  if (meta.value("version", nlohmann::json()) != nlohmann::json(kVersion))
    return Error{"hnsw load " + path + ".json: unsupported version " + meta.value("version", nlohmann::json()).dump()};
  for (const char* key : {"dim", "rows", "M", "ef_construction", "graph_bytes"})
    if (!meta.contains(key) || !meta[key].is_number_unsigned())
      return Error{"hnsw load " + path + ".json: field '" + key + "' missing or not a non-negative integer"};
  return meta;
}
}  // namespace

Result<std::string> HnswIndex::load_tag(const std::string& path) {
  auto meta = read_meta(path);
  if (!meta) return meta.error();
  return meta->value("tag", std::string());
}

Result<HnswParams> HnswIndex::load_params(const std::string& path) {
  auto meta = read_meta(path);
  if (!meta) return meta.error();
  HnswParams params;
  params.M = (*meta)["M"];
  params.ef_construction = (*meta)["ef_construction"];
  params.seed = meta->value("seed", std::uint64_t{100});
  return params;
}

Result<HnswIndex> HnswIndex::load(const std::string& path, std::size_t expected_dim) {
  auto meta_r = read_meta(path);
  if (!meta_r) return meta_r.error();
  const nlohmann::json& meta = *meta_r;
  const std::size_t dim = meta["dim"], rows = meta["rows"], graph_bytes = meta["graph_bytes"];
  if (expected_dim && dim != expected_dim)
    return Error{"hnsw load " + path + ": index has dimension " + std::to_string(dim) + ", expected " +
                 std::to_string(expected_dim)};
  std::error_code ec;
  const auto bytes = fs::file_size(path, ec);
  if (ec) return Error{"hnsw load " + path + ": " + ec.message()};
  if (bytes != graph_bytes)
    return Error{"hnsw load " + path + ": file has " + std::to_string(bytes) + " bytes, its description says " +
                 std::to_string(graph_bytes) + " (truncated or replaced)"};
  HnswIndex index;
  Impl& impl = *index.impl_;
  impl.dim = dim;
  impl.params.M = meta["M"];
  impl.params.ef_construction = meta["ef_construction"];
  impl.params.seed = meta.value("seed", std::uint64_t{100});
  impl.space = std::make_unique<IpSpace>(dim);
  auto graph = read_graph(path, *impl.space, impl.params.seed, bytes);
  if (!graph) return graph.error();
  impl.graph = std::move(graph).value();
  if (impl.graph->cur_element_count != rows || impl.graph->data_size_ != dim * sizeof(float))
    return Error{"hnsw load " + path + ": graph holds " + std::to_string(impl.graph->cur_element_count) +
                 " vectors of " + std::to_string(impl.graph->data_size_ / sizeof(float)) +
                 " floats, description says " + std::to_string(rows) + " of " + std::to_string(dim)};
  impl.graph->setEf(1);
  impl.refresh_row_ptrs();
  for (const float* p : impl.row_ptr)
    if (!p) return Error{"hnsw load " + path + ": row numbers in the graph are not 0.." + std::to_string(rows - 1)};
  return index;
}

std::vector<ScoredRow> HnswIndex::search(const float* query, std::size_t k, std::size_t ef,
                                         const std::vector<std::uint8_t>* allowed, HnswSearchInfo* info) const {
  const Impl& impl = *impl_;
  HnswSearchInfo local;
  HnswSearchInfo& inf = info ? *info : local;
  inf = {"hnsw", 0};
  const std::size_t n = size();
  if (n == 0 || k == 0) return {};
  const detail::BlockKernels& kernels = detail::chosen_block_kernels();

  // Rows a graph search found, rescored exactly, keeping allowed ones; best first.
  auto graph_search = [&](std::size_t want) {
    inf.candidates = std::max(inf.candidates, want);
    auto pq = impl.graph->searchKnn(query, want);
    std::vector<ScoredRow> found;
    std::vector<const float*> ptrs;
    found.reserve(pq.size());
    while (!pq.empty()) {
      const auto label = static_cast<std::uint32_t>(pq.top().second);
      pq.pop();
      if (allowed && (label >= allowed->size() || !(*allowed)[label])) continue;
      found.push_back({label, 0.0f});
      ptrs.push_back(impl.row_ptr[label]);
    }
    std::vector<float> scores(found.size());
    kernels.f32(ptrs.data(), ptrs.size(), query, 1, impl.dim, scores.data(), scores.size(), {});
    for (std::size_t i = 0; i < found.size(); ++i) found[i].score = scores[i];
    std::sort(found.begin(), found.end(), detail::better);
    return found;
  };

  if (!allowed) {
    auto found = graph_search(std::max(ef, std::min(k, n)));
    if (found.size() > k) found.resize(k);
    return found;
  }

  const std::size_t limit = std::min(n, allowed->size());
  std::size_t passing = 0;
  for (std::size_t r = 0; r < limit; ++r) passing += (*allowed)[r] != 0;
  if (passing == 0) return {};
  k = std::min(k, passing);

  auto exact = [&] {
    inf.method = "exact";
    const auto plan = detail::plan_scan(limit, impl.dim, 1, impl.dim * sizeof(float), 0);
    auto res = detail::scan_top_k(limit, 1, k, allowed->data(), plan, PtrScorer{kernels, impl.row_ptr, query, impl.dim});
    return std::move(res[0]);
  };
  // Expect passing/n of the candidates to pass; ask for twice what that needs, widen 4x on a shortfall.
  std::size_t want = std::max(ef, (k * n / passing) * 2);
  // Few passing rows: scanning just those is cheaper than a graph search wide enough to meet k of them.
  // A search of width `want` computes roughly 8 * want distances (measured: k = 256 among 8 % of
  // 100,000 rows took 40 ms through the graph, 2 ms as a scan of the passing rows).
  if (passing <= std::max<std::size_t>(2048, n / 32) || passing <= 8 * want) return exact();

  inf.method = "hnsw+filter";
  while (want <= n / 4) {
    auto found = graph_search(want);
    if (found.size() >= k) {
      found.resize(k);
      return found;
    }
    want *= 4;
  }
  return exact();
}

}  // namespace cinerec
