#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "index/duplicates.h"
#include "index/lexical.h"

namespace cinerec {
namespace {

TEST(FindDuplicates, TextCosineIsTfIdfByHand) {
  Analyzer a;
  ASSERT_EQ(a.terms("gato perro"), (std::vector<std::string>{"gat", "perr"}));
  ASSERT_EQ(a.terms("gato ratón"), (std::vector<std::string>{"gat", "raton"}));
  // No vectors, no years: the text-alone threshold applies; set it to 0 to see every pair's cosine.
  std::vector<DuplicateCandidate> items = {{nullptr, "gato perro", {}}, {nullptr, "gato ratón", {}}, {nullptr, "pez", {}}};
  DuplicateOptions o;
  o.min_text_cosine_alone = 0.0;
  auto pairs = find_duplicates(items, 0, o);
  ASSERT_EQ(pairs.size(), 3u);
  // doc0 = (ln 1.5, ln 3) on (gat, perr); doc1 = (ln 1.5, ln 3) on (gat, raton): cos = ln1.5^2 / (ln1.5^2 + ln3^2)
  double l15 = std::log(1.5), l3 = std::log(3.0);
  EXPECT_EQ(pairs[0].a, 0u);
  EXPECT_EQ(pairs[0].b, 1u);
  EXPECT_NEAR(pairs[0].text_cosine, l15 * l15 / (l15 * l15 + l3 * l3), 1e-12);
  EXPECT_NEAR(pairs[1].text_cosine, 0.0, 1e-12);
  EXPECT_EQ(pairs[0].vector_cosine, 0.0);
}

// Three signals must agree: the test varies one at a time around a true duplicate pair (rows 0, 1).
TEST(FindDuplicates, NeedsCloseVectorsSimilarTextAndTheSameYear) {
  const float v0[3] = {1.f, 0.f, 0.f};
  const float v1[3] = {0.95f, 0.31224990f, 0.f};  // cosine 0.95 with v0
  const float far[3] = {0.f, 1.f, 0.f};           // cosine 0 with v0, 0.31 with v1
  const std::string poets = "Un profesor de literatura inspira a sus alumnos de un colegio estricto con la poesía";
  const std::string poets2 = "Los alumnos de un colegio estricto descubren la poesía con su profesor de literatura";
  std::vector<DuplicateCandidate> items = {
      {v0, poets, 1989},
      {v1, poets2, 1989},
      {v1, poets2, 1991},                                             // sequel: another year
      {v1, "Un tiburón aterroriza una playa durante el verano", 1989},  // same year, other story
      {far, poets, 1989},                                             // same text, distant vector
  };
  // Unrelated films make the shared words of rows 0 and 1 rare enough to count, as in a real catalog.
  for (const char* other : {"Un capitán remonta un río en Vietnam", "Una niña poseída por un demonio",
                            "Dos sicarios y un boxeador en Los Ángeles", "Un rey tartamudo y su terapeuta",
                            "Astronautas viajan por un agujero de gusano", "Un general romano traicionado"}) {
    items.push_back({far, other, 1950});
  }
  auto pairs = find_duplicates(items, 3);
  ASSERT_EQ(pairs.size(), 1u);
  EXPECT_EQ(pairs[0].a, 0u);
  EXPECT_EQ(pairs[0].b, 1u);
  EXPECT_NEAR(pairs[0].vector_cosine, 0.95, 1e-6);
  EXPECT_GT(pairs[0].text_cosine, 0.3);

  DuplicateOptions loose;
  loose.max_year_gap = 2;
  auto with_gap = find_duplicates(items, 3, loose);
  ASSERT_EQ(with_gap.size(), 3u);  // now also (0, 2) and (1, 2), which share the same text
  EXPECT_EQ(with_gap[1].b, 2u);
  EXPECT_NEAR(with_gap[2].text_cosine, 1.0, 1e-9);
}

TEST(FindDuplicates, WithoutAVectorTheTextAloneMustBeVerySimilar) {
  const std::string text = "Dos magos rivales en el Londres victoriano compiten por el truco definitivo";
  std::vector<DuplicateCandidate> items = {{nullptr, text, 2006}, {nullptr, text, 2006}, {nullptr, "Un tiburón en la playa", 2006}};
  auto pairs = find_duplicates(items, 0);
  ASSERT_EQ(pairs.size(), 1u);
  EXPECT_NEAR(pairs[0].text_cosine, 1.0, 1e-9);
}

// Before vectors arrive (a catalog just imported), the same year lowers the text threshold: the pair
// "gato perro" / "gato ratón" has text cosine 0.12 (by hand above), between the two thresholds set here.
TEST(FindDuplicates, WithoutVectorsTheSameYearNeedsLessTextThanNoYear) {
  DuplicateOptions o;
  o.min_text_cosine_same_year = 0.1;
  o.min_text_cosine_alone = 0.2;
  auto count = [&](std::optional<int> y0, std::optional<int> y1) {
    std::vector<DuplicateCandidate> items = {{nullptr, "gato perro", y0}, {nullptr, "gato ratón", y1}, {nullptr, "pez", {}}};
    return find_duplicates(items, 0, o).size();
  };
  EXPECT_EQ(count(2006, 2006), 1u);
  EXPECT_EQ(count(2006, 2007), 0u);
  EXPECT_EQ(count(std::nullopt, std::nullopt), 0u);
  EXPECT_EQ(count(2006, std::nullopt), 0u);
  o.min_text_cosine_alone = 0.1;
  EXPECT_EQ(count(std::nullopt, std::nullopt), 1u);
}

// The text index must find exactly the pairs that checking every pair finds. Catalogs are drawn from
// small vocabularies (many shared words, so many pairs near every threshold), vectors from a few
// directions plus noise, with some rows missing their vector or their year, and year gaps 0 and 2.
TEST(FindDuplicates, TextIndexFindsExactlyThePairsOfCheckingEveryPair) {
  const std::vector<std::string> vocabulary = {"gato", "perro", "ratón", "barco", "isla", "pirata", "tesoro",
                                               "ciudad", "noche", "lluvia", "detective", "crimen", "amor",
                                               "guerra", "familia", "viaje", "tren", "montaña", "río", "rey"};
  std::mt19937 rng(11);
  for (int trial = 0; trial < 12; ++trial) {
    const std::size_t n = 150 + 40 * trial, dim = 8;
    const std::size_t words = 3 + trial % 5, vocab = 6 + trial % 14;
    std::vector<float> vectors(n * dim);
    std::vector<DuplicateCandidate> items(n);
    for (std::size_t i = 0; i < n; ++i) {
      float* v = vectors.data() + i * dim;
      const std::size_t axis = rng() % 3;
      double norm = 0;
      for (std::size_t d = 0; d < dim; ++d) {
        v[d] = (d == axis ? 1.0f : 0.0f) + std::normal_distribution<float>(0.0f, 0.25f)(rng);
        norm += double(v[d]) * v[d];
      }
      for (std::size_t d = 0; d < dim; ++d) v[d] = static_cast<float>(v[d] / std::sqrt(norm));
      for (std::size_t w = 0; w < words; ++w) items[i].text += vocabulary[rng() % vocab] + " ";
      items[i].vector = rng() % 5 ? v : nullptr;
      if (rng() % 6) items[i].year = 2000 + static_cast<int>(rng() % 4);
    }
    for (int gap : {0, 2}) {
      DuplicateOptions indexed;
      indexed.max_year_gap = gap;
      DuplicateOptions every = indexed;
      every.check_all_pairs = true;
      const auto want = find_duplicates(items, dim, every);
      const auto got = find_duplicates(items, dim, indexed);
      ASSERT_GT(want.size(), 0u) << "trial " << trial;
      ASSERT_EQ(got.size(), want.size()) << "trial " << trial << " gap " << gap;
      for (std::size_t i = 0; i < want.size(); ++i) {
        ASSERT_EQ(got[i].a, want[i].a) << "trial " << trial << " pair " << i;
        ASSERT_EQ(got[i].b, want[i].b) << "trial " << trial << " pair " << i;
        ASSERT_EQ(got[i].text_cosine, want[i].text_cosine);
        ASSERT_EQ(got[i].vector_cosine, want[i].vector_cosine);
      }
    }
  }
}

TEST(DuplicateRepresentatives, LowestRowOfEachConnectedGroup) {
  std::vector<DuplicatePair> pairs = {{3, 5, 0, 0}, {1, 5, 0, 0}, {2, 4, 0, 0}};
  EXPECT_EQ(duplicate_representatives(7, pairs), (std::vector<std::uint32_t>{0, 1, 2, 1, 2, 1, 6}));
  EXPECT_EQ(duplicate_representatives(2, {}), (std::vector<std::uint32_t>{0, 1}));
}

}  // namespace
}  // namespace cinerec
