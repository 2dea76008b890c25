#include "embed/local/encoder.h"

#include <cblas.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "embed/local/kernels.h"

namespace cinerec::local {

namespace {

// Splits [0, n) into `parts` ranges whose starts are multiples of `align` (BLAS kernels work in
// register blocks of 8-16 columns, so ragged splits waste a partial block per thread).
std::pair<std::size_t, std::size_t> split(std::size_t n, std::size_t parts, std::size_t part,
                                          std::size_t align) {
  const std::size_t blocks = (n + align - 1) / align;
  const std::size_t begin = std::min(n, blocks * part / parts * align);
  const std::size_t end = std::min(n, blocks * (part + 1) / parts * align);
  return {begin, end};
}

}  // namespace

Encoder::Encoder(EncoderConfig config, EncoderWeights weights, std::size_t threads, bool int8)
    : config_(config), weights_(std::move(weights)), pool_(std::make_unique<ThreadPool>(std::max<std::size_t>(1, threads))) {
  // The pool provides the parallelism; OpenBLAS threads on top would oversubscribe the cores.
  openblas_set_num_threads(1);
  if (!int8) return;
  const std::size_t h = hidden_size(), f = static_cast<std::size_t>(config_.intermediate_size);
  auto take = [](std::vector<float>& w, std::size_t rows, std::size_t cols) {
    Int8Matrix q = quantize_rows(w.data(), rows, cols);
    std::vector<float>().swap(w);
    return q;
  };
  for (LayerWeights& l : weights_.layers) {
    QuantizedLayer q;
    q.qkv = take(l.qkv_weight, 3 * h, h);
    q.attn_out = take(l.attn_out_weight, h, h);
    q.ffn_in = take(l.ffn_in_weight, f, h);
    q.ffn_out = take(l.ffn_out_weight, h, f);
    quantized_.push_back(std::move(q));
  }
}

void Encoder::linear(const float* in, std::size_t rows, std::size_t in_dim, const std::vector<float>& weight,
                     const Int8Matrix* quantized, std::size_t out_dim, float* out) {
  const std::size_t parts = pool_->size();
  if (quantized) {
    prepare_activations(rows, *quantized, xq_);
    pool_->parallel_for(parts, [&](std::size_t part) {
      const auto [begin, end] = split(rows, parts, part, 1);
      quantize_activation_rows(in, begin, end, *quantized, xq_);
    });
    pool_->parallel_for(parts, [&](std::size_t part) {
      const auto [begin, end] = split(out_dim, parts, part, 16);
      if (begin < end) int8_linear(xq_, *quantized, begin, end, out, out_dim);
    });
    return;
  }
  // Below this many rows OpenBLAS's per-call packing of the weights outweighs the arithmetic
  // (measured with bench/run_encoder.sh, batch 1 x 12 tokens).
  constexpr std::size_t kSmallRows = 24;
  const bool small = rows <= kSmallRows && detail::avx2_available();
  pool_->parallel_for(parts, [&](std::size_t part) {
    const auto [begin, end] = split(out_dim, parts, part, 16);
    if (begin == end) return;
    if (small) {
      detail::small_gemm_avx2(in, rows, in_dim, weight.data(), begin, end, out, out_dim);
      return;
    }
    // out[:, begin:end] = in · weight[begin:end, :]^T
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, static_cast<int>(rows), static_cast<int>(end - begin),
                static_cast<int>(in_dim), 1.0f, in, static_cast<int>(in_dim), weight.data() + begin * in_dim,
                static_cast<int>(in_dim), 0.0f, out + begin, static_cast<int>(out_dim));
  });
}

void Encoder::attention(const std::vector<std::size_t>& offsets, const std::vector<std::size_t>& lengths) {
  const std::size_t h = hidden_size();
  const std::size_t heads = static_cast<std::size_t>(config_.num_heads);
  const std::size_t dh = h / heads;
  const float scale = 1.0f / std::sqrt(static_cast<float>(dh));
  const int ld_qkv = static_cast<int>(3 * h);
  pool_->parallel_for(lengths.size() * heads, [&](std::size_t task) {
    const std::size_t seq = task / heads, head = task % heads;
    const std::size_t len = lengths[seq];
    const int n = static_cast<int>(len);
    thread_local std::vector<float> scores;
    scores.resize(len * len);
    const float* q = qkv_.data() + offsets[seq] * 3 * h + head * dh;
    const float* k = q + h;
    const float* v = q + 2 * h;
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, n, n, static_cast<int>(dh), scale, q, ld_qkv, k, ld_qkv,
                0.0f, scores.data(), n);
    for (std::size_t r = 0; r < len; ++r) softmax(scores.data() + r * len, len);
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, static_cast<int>(dh), n, 1.0f, scores.data(), n, v,
                ld_qkv, 0.0f, context_.data() + offsets[seq] * h + head * dh, static_cast<int>(h));
  });
}

Result<std::vector<float>> Encoder::hidden_states(const TokenBatch& batch) {
  const std::size_t h = hidden_size();
  const std::size_t f = static_cast<std::size_t>(config_.intermediate_size);
  const std::size_t max_tokens = static_cast<std::size_t>(config_.max_tokens());
  std::vector<std::size_t> offsets, lengths;
  std::size_t total = 0;
  for (std::size_t b = 0; b < batch.batch; ++b) {
    const std::size_t len = batch.lengths[b];
    if (len == 0) return Error{"local encoder: sequence " + std::to_string(b) + " is empty"};
    if (len > max_tokens)
      return Error{"local encoder: sequence of " + std::to_string(len) + " tokens exceeds the model's " +
                   std::to_string(max_tokens)};
    offsets.push_back(total);
    lengths.push_back(len);
    total += len;
  }

  std::vector<float> x(total * h);
  const int position_base = config_.architecture == Architecture::XlmRoberta ? config_.pad_token_id + 1 : 0;
  for (std::size_t b = 0; b < batch.batch; ++b) {
    for (std::size_t i = 0; i < lengths[b]; ++i) {
      const std::int32_t id = batch.ids[b * batch.width + i];
      if (id < 0 || id >= config_.vocab_size)
        return Error{"local encoder: token id " + std::to_string(id) + " outside the vocabulary of " +
                     std::to_string(config_.vocab_size)};
      const float* word = weights_.word_embeddings.data() + static_cast<std::size_t>(id) * h;
      const float* pos = weights_.position_embeddings.data() + (position_base + i) * h;
      const float* type = weights_.token_type_embedding.data();
      float* row = x.data() + (offsets[b] + i) * h;
      for (std::size_t j = 0; j < h; ++j) row[j] = word[j] + pos[j] + type[j];
    }
  }

  const std::size_t parts = pool_->size();
  // Runs fn(begin_row, end_row) over the token rows split across the threads.
  auto rows_parallel = [&](auto&& fn) {
    pool_->parallel_for(parts, [&](std::size_t part) {
      const auto [begin, end] = split(total, parts, part, 1);
      if (begin < end) fn(begin, end);
    });
  };
  const float eps = config_.layer_norm_eps;
  rows_parallel([&](std::size_t b, std::size_t e) {
    add_layer_norm(x.data() + b * h, nullptr, e - b, h, weights_.embed_norm_gamma.data(),
                   weights_.embed_norm_beta.data(), eps);
  });

  qkv_.resize(total * 3 * h);
  context_.resize(total * h);
  ffn_.resize(total * f);
  tmp_.resize(total * h);
  const bool tanh_gelu = config_.activation == Activation::GeluTanh;
  for (std::size_t li = 0; li < weights_.layers.size(); ++li) {
    const LayerWeights& l = weights_.layers[li];
    const QuantizedLayer* q = quantized_.empty() ? nullptr : &quantized_[li];
    linear(x.data(), total, h, l.qkv_weight, q ? &q->qkv : nullptr, 3 * h, qkv_.data());
    rows_parallel([&](std::size_t b, std::size_t e) { add_bias(qkv_.data() + b * 3 * h, e - b, 3 * h, l.qkv_bias.data()); });
    attention(offsets, lengths);

    linear(context_.data(), total, h, l.attn_out_weight, q ? &q->attn_out : nullptr, h, tmp_.data());
    rows_parallel([&](std::size_t b, std::size_t e) {
      add_bias(tmp_.data() + b * h, e - b, h, l.attn_out_bias.data());
      add_layer_norm(tmp_.data() + b * h, x.data() + b * h, e - b, h, l.attn_norm_gamma.data(),
                     l.attn_norm_beta.data(), eps);
    });
    std::swap(x, tmp_);

    linear(x.data(), total, h, l.ffn_in_weight, q ? &q->ffn_in : nullptr, f, ffn_.data());
    rows_parallel([&](std::size_t b, std::size_t e) {
      add_bias_gelu(ffn_.data() + b * f, e - b, f, l.ffn_in_bias.data(), tanh_gelu);
    });
    linear(ffn_.data(), total, f, l.ffn_out_weight, q ? &q->ffn_out : nullptr, h, tmp_.data());
    rows_parallel([&](std::size_t b, std::size_t e) {
      add_bias(tmp_.data() + b * h, e - b, h, l.ffn_out_bias.data());
      add_layer_norm(tmp_.data() + b * h, x.data() + b * h, e - b, h, l.ffn_norm_gamma.data(),
                     l.ffn_norm_beta.data(), eps);
    });
    std::swap(x, tmp_);
  }
  return x;
}

}  // namespace cinerec::local
