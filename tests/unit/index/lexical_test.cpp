#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "index/lexical.h"

namespace cinerec {
namespace {

using Terms = std::vector<std::string>;

std::vector<LexicalDocument> tiny_corpus() {
  return {
      {"El pianista", "Un pianista judío sobrevive a la guerra en Varsovia."},
      {"Guerra y paz", "Soldados en la guerra. Drama bélico."},
      {"Música", "Una pianista toca jazz."},
  };
}

// Values computed by hand with python3 from the BM25F formula (k1=1.2, b=0.75, title weight 2) over the
// analyzed terms, which the first assertions pin down:
//   idf(t) = ln(1 + (N - df + 0.5) / (df + 0.5));  tf~ = 2*tf_t/(1-b+b*lt/avg_t) + tf_b/(1-b+b*lb/avg_b)
//   score  = sum_t idf(t) * tf~ * (k1 + 1) / (k1 + tf~)
TEST(LexicalIndex, ScoresEqualHandComputedBm25F) {
  Analyzer a;
  ASSERT_EQ(a.terms("Un pianista judío sobrevive a la guerra en Varsovia."),
            (Terms{"pianist", "judi", "sobreviv", "guerr", "varsovi"}));
  ASSERT_EQ(a.terms("Guerra y paz"), (Terms{"guerr", "paz"}));
  ASSERT_EQ(a.terms("Soldados en la guerra. Drama bélico."), (Terms{"sold", "guerr", "dram", "belic"}));
  ASSERT_EQ(a.terms("Una pianista toca jazz."), (Terms{"pianist", "toc", "jazz"}));

  LexicalIndex index(tiny_corpus());
  auto hits = index.search("pianista en la guerra", 10);
  ASSERT_EQ(hits.size(), 3u);
  EXPECT_EQ(hits[0].row, 0u);
  EXPECT_NEAR(hits[0].score, 1.1848906538824644, 1e-5);
  EXPECT_EQ(hits[1].row, 1u);
  EXPECT_NEAR(hits[1].score, 0.6944829745571318, 1e-5);
  EXPECT_EQ(hits[2].row, 2u);
  EXPECT_NEAR(hits[2].score, 0.5235483465015789, 1e-5);
}

// Independent reference: BM25F computed directly from bags of terms, document by document, with no
// inverted index.
std::vector<double> reference_scores(const std::vector<LexicalDocument>& docs, const std::string& query,
                                     const Bm25Params& p) {
  Analyzer a;
  std::vector<Terms> titles, bodies;
  double sum_t = 0, sum_b = 0;
  for (const auto& d : docs) {
    titles.push_back(a.terms(d.title));
    bodies.push_back(a.terms(d.body));
    sum_t += titles.back().size();
    sum_b += bodies.back().size();
  }
  const double n = docs.size(), avg_t = sum_t / n, avg_b = sum_b / n;
  auto q = a.terms(query);
  std::set<std::string> unique(q.begin(), q.end());
  std::vector<double> scores(docs.size(), 0.0);
  for (const auto& term : unique) {
    double df = 0;
    for (std::size_t i = 0; i < docs.size(); ++i) {
      if (std::count(titles[i].begin(), titles[i].end(), term) + std::count(bodies[i].begin(), bodies[i].end(), term))
        df += 1;
    }
    if (df == 0) continue;
    double idf = std::log(1.0 + (n - df + 0.5) / (df + 0.5));
    for (std::size_t i = 0; i < docs.size(); ++i) {
      double tt = std::count(titles[i].begin(), titles[i].end(), term);
      double tb = std::count(bodies[i].begin(), bodies[i].end(), term);
      double nt = avg_t > 0 ? 1 - p.b + p.b * titles[i].size() / avg_t : 1.0;
      double nb = avg_b > 0 ? 1 - p.b + p.b * bodies[i].size() / avg_b : 1.0;
      double tf = (tt > 0 ? p.title_weight * tt / nt : 0.0) + (tb > 0 ? tb / nb : 0.0);  // absent: adds 0
      scores[i] += idf * tf * (p.k1 + 1) / (p.k1 + tf);
    }
  }
  return scores;
}

TEST(LexicalIndex, MatchesIndependentReferenceOnGeneratedCorpus) {
  const std::vector<std::string> vocab = {"guerra",  "pianista", "amor",   "espacio", "nave",   "mafia",
                                          "familia", "robot",    "océano", "niño",    "música", "venganza",
                                          "de",      "la",       "el",     "tiburón", "policía", "ladrón"};
  std::mt19937 rng(1234);
  std::uniform_int_distribution<std::size_t> word(0, vocab.size() - 1), title_len(0, 3), body_len(3, 25);
  std::vector<LexicalDocument> docs(40);
  for (auto& d : docs) {
    for (auto n = title_len(rng); n > 0; --n) d.title += vocab[word(rng)] + " ";
    for (auto n = body_len(rng); n > 0; --n) d.body += vocab[word(rng)] + ", ";
  }
  for (Bm25Params p : {Bm25Params{}, Bm25Params{1.5, 0.3, 3.0}, Bm25Params{0.9, 1.0, 1.0}}) {
    LexicalIndex index(docs, p);
    for (std::string q : {"guerra", "niño robot", "la música de la venganza", "policías ladrones tiburón amor"}) {
      auto expected = reference_scores(docs, q, p);
      auto hits = index.search(q, docs.size());
      std::vector<double> got(docs.size(), 0.0);
      for (const auto& h : hits) got[h.row] = h.score;
      for (std::size_t i = 0; i < docs.size(); ++i) {
        EXPECT_NEAR(got[i], expected[i], 1e-5 * std::max(1.0, expected[i])) << q << " doc " << i;
      }
      for (std::size_t i = 1; i < hits.size(); ++i) {
        EXPECT_TRUE(hits[i - 1].score > hits[i].score ||
                    (hits[i - 1].score == hits[i].score && hits[i - 1].row < hits[i].row));
      }
    }
  }
}

TEST(LexicalIndex, TitleMatchOutranksTheSameWordInTheBody) {
  std::vector<LexicalDocument> docs = {
      {"Playa", "una historia de un tiburón"},
      {"Tiburón", "una historia de una playa"},
  };
  LexicalIndex index(docs);
  auto hits = index.search("tiburón", 2);
  ASSERT_EQ(hits.size(), 2u);
  EXPECT_EQ(hits[0].row, 1u);
  EXPECT_GT(hits[0].score, hits[1].score);

  // With equal weights and equal field lengths the two documents are mirror images, so they tie.
  LexicalIndex flat(docs, Bm25Params{1.2, 0.75, 1.0});
  auto tied = flat.search("tiburón", 2);
  ASSERT_EQ(tied.size(), 2u);
  EXPECT_FLOAT_EQ(tied[0].score, tied[1].score);
}

TEST(LexicalIndex, TiesGoToTheLowerRow) {
  std::vector<LexicalDocument> docs(5, {"Gemelos", "dos hermanos idénticos"});
  LexicalIndex index(docs);
  auto hits = index.search("hermanos", 5);
  ASSERT_EQ(hits.size(), 5u);
  for (std::uint32_t i = 0; i < 5; ++i) EXPECT_EQ(hits[i].row, i);
  auto top2 = index.search("hermanos", 2);
  ASSERT_EQ(top2.size(), 2u);
  EXPECT_EQ(top2[0].row, 0u);
  EXPECT_EQ(top2[1].row, 1u);
}

TEST(LexicalIndex, ReturnsOnlyDocumentsSharingATermAndAtMostK) {
  LexicalIndex index(tiny_corpus());
  auto hits = index.search("jazz", 10);
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].row, 2u);
  EXPECT_EQ(index.search("pianista guerra", 1).size(), 1u);
  EXPECT_TRUE(index.search("pianista", 0).empty());
}

TEST(LexicalIndex, EmptyQueryAndStopWordOnlyQueryFindNothing) {
  LexicalIndex index(tiny_corpus());
  EXPECT_TRUE(index.search("", 10).empty());
  EXPECT_TRUE(index.search("   ¿?  ", 10).empty());
  EXPECT_TRUE(index.search("de la que el en y a los", 10).empty());
  EXPECT_TRUE(index.search("submarino", 10).empty());
}

TEST(LexicalIndex, RepeatedQueryWordsCountOnce) {
  LexicalIndex index(tiny_corpus());
  auto once = index.search("guerra", 3);
  auto thrice = index.search("guerra guerras GUERRA", 3);
  ASSERT_EQ(once.size(), thrice.size());
  for (std::size_t i = 0; i < once.size(); ++i) {
    EXPECT_EQ(once[i].row, thrice[i].row);
    EXPECT_FLOAT_EQ(once[i].score, thrice[i].score);
  }
}

TEST(LexicalIndex, MatchedTermsAreTheAnalyzedQueryTermsFoundInTheDocument) {
  LexicalIndex index(tiny_corpus());
  EXPECT_EQ(index.matched_terms("pianistas en la Guerra de Varsovia", 0),
            (Terms{"pianist", "guerr", "varsovi"}));
  EXPECT_EQ(index.matched_terms("pianistas en la Guerra de Varsovia", 1), (Terms{"guerr"}));
  EXPECT_EQ(index.matched_terms("pianista pianista", 2), (Terms{"pianist"}));
  EXPECT_TRUE(index.matched_terms("submarino", 0).empty());
  EXPECT_TRUE(index.matched_terms("", 0).empty());
  EXPECT_TRUE(index.matched_terms("pianista", 99).empty());
}

TEST(LexicalIndex, EmptyIndexAndMovedIndex) {
  LexicalIndex empty({});
  EXPECT_EQ(empty.size(), 0u);
  EXPECT_TRUE(empty.search("guerra", 5).empty());

  LexicalIndex index(tiny_corpus());
  EXPECT_EQ(index.size(), 3u);
  LexicalIndex moved(std::move(index));
  EXPECT_EQ(moved.size(), 3u);
  EXPECT_EQ(moved.search("jazz", 5).size(), 1u);
}

TEST(LexicalIndex, DocumentsWithEmptyTitlesStillScoreOnTheBody) {
  std::vector<LexicalDocument> docs = {{"", "guerra en el mar"}, {"", "amor en París"}};
  LexicalIndex index(docs);
  auto hits = index.search("guerra", 5);
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].row, 0u);
  EXPECT_GT(hits[0].score, 0.0f);
}

TEST(LexicalIndex, ConcurrentSearchesGiveTheSameResultsAsSequentialOnes) {
  LexicalIndex index(tiny_corpus());
  const std::vector<std::string> queries = {"pianista en la guerra", "jazz", "soldados", "paz y música"};
  std::vector<std::vector<ScoredRow>> expected;
  for (const auto& q : queries) expected.push_back(index.search(q, 3));
  std::vector<int> mismatches(4, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 500; ++i) {
        const auto& q = queries[(t + i) % queries.size()];
        auto got = index.search(q, 3);
        const auto& want = expected[(t + i) % queries.size()];
        bool same = got.size() == want.size();
        for (std::size_t j = 0; same && j < got.size(); ++j) same = got[j].row == want[j].row && got[j].score == want[j].score;
        if (!same) ++mismatches[t];
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int t = 0; t < 4; ++t) EXPECT_EQ(mismatches[t], 0) << "thread " << t;
}

}  // namespace
}  // namespace cinerec
