"""cinerec eval: figures on the shipped dev sets (a regression below the documented figures fails), and
its errors on bad files."""
# cinerec-test: both-stores
import os

from cinerec_test import CinerecTestCase, SOURCE_DIR, main, run, run_json

# English prompts are translated with Debian's dict-freedict-eng-spa (installed by scripts/install-deps.sh);
# without it they are not translated (a notice, by design) and the English floors do not apply.
HAVE_DICTIONARY = os.path.exists("/usr/share/dictd/freedict-eng-spa.index")

# The offline default's documented figures (docs/RETRIEVAL.md), rounded down: the test fails if a
# change makes retrieval worse than what the docs claim.
FLOORS = {
    "dev-es.tsv": {"hit@1": 0.98, "hit@10": 1.0, "mrr": 0.98, "ndcg@10": 0.97},
    "dev-en.tsv": {"hit@1": 0.88, "hit@10": 1.0, "mrr": 0.90, "ndcg@10": 0.89},
}


class EvalTest(CinerecTestCase):
    def test_offline_default_reaches_documented_figures(self):
        db = self.seeded_db()
        for name, floors in FLOORS.items():
            if name == "dev-en.tsv" and not HAVE_DICTIONARY:
                continue
            result = run_json("eval", SOURCE_DIR / "tests" / "data" / name, db=db)
            self.assertEqual(result["provider"], "offline")
            for metric, floor in floors.items():
                self.assertGreaterEqual(result[metric], floor, f"{name} {metric}")
            missed = sum(1 for _ in result["missed"])
            self.assertAlmostEqual(1.0 - missed / result["cases"], result["hit@10"], places=9)

    def test_genre_and_era_cues_rank_even_without_matching_words(self):
        db = self.seeded_db()
        result = run_json("recommend", "películas de los 80", "-k", "5", db=db)
        self.assertEqual(len(result["results"]), 5)
        for movie in result["results"]:
            self.assertTrue(1980 <= movie["year"] <= 1989, movie)
        western = run_json("recommend", "una de vaqueros", "-k", "2", db=db)
        self.assertEqual({m["title"] for m in western["results"]}, {"El bueno, el malo y el feo", "Django desencadenado"})

    def test_human_output_lists_figures_and_missed_prompts(self):
        db = self.seeded_db()
        out = run("eval", SOURCE_DIR / "tests" / "data" / "dev-es.tsv", db=db).stdout
        self.assertIn("hit@1 ", out)
        self.assertIn("MRR ", out)
        self.assertIn("nDCG@10 ", out)

    def test_unknown_title_in_the_file_is_refused_with_its_line(self):
        db = self.seeded_db()
        tsv = self.tmp / "bad.tsv"
        tsv.write_text("# comment\nun pianista\tEl pianista\nmafia\tEl padrinno\n", encoding="utf-8")
        self.assertFails(run("eval", tsv, db=db, check=False), f"{tsv}:3:", "El padrinno")

    def test_titles_shared_by_several_films_and_overlong_prompts(self):
        # A movie database with two films called "The Host": the importer keeps both as "The Host (year)".
        db = self.new_db("shared_titles")
        catalog = self.tmp / "catalog.csv"
        catalog.write_text("id,title,overview,genres,release_date\n"
                           "1,The Host,A monster rises from the river and takes a girl,Horror,2006-07-27\n"
                           "2,The Host,Aliens take over human bodies and a girl resists,Science Fiction,2013-03-22\n"
                           "3,Up,An old man flies his house away with balloons,Animation,2009-05-28\n", encoding="utf-8")
        run("import", catalog, "--quiet", db=db)
        tsv = self.tmp / "judged.tsv"
        long_prompt = "monster in the river " + "ñandú " * 1000 + "balloons"  # 6,000+ bytes, 2-byte characters
        tsv.write_text(f"river monster takes a girl\tThe Host\nballoons house\tUp\n{long_prompt}\tUp\n", encoding="utf-8")
        result = run_json("eval", tsv, db=db)
        self.assertEqual(result["cases"], 3)
        self.assertAlmostEqual(result["hit@10"], 1.0 - len(result["missed"]) / 3, places=9)
        # "The Host" is found under its stored title, and the cut prompt (still valid UTF-8) was ranked.
        self.assertNotIn(1, [m["line"] for m in result["missed"]])
        self.assertEqual(result["notices"], [
            '1 judged titles name several films of the catalog (stored as "Title (year)" or "Title [id]"); '
            "any of them counts as the answer",
            "1 prompts longer than 4096 bytes were cut at that limit"])
        human = run("eval", tsv, "--quiet", db=db).stdout
        self.assertIn("note: 1 prompts longer than 4096 bytes were cut at that limit", human)
        # A title that is neither a catalog title nor the base of renamed ones is still refused.
        tsv.write_text("river monster\tThe Hostess\n", encoding="utf-8")
        self.assertFails(run("eval", tsv, db=db, check=False), f"{tsv}:1:", "The Hostess")

    def test_malformed_and_missing_files(self):
        db = self.seeded_db()
        tsv = self.tmp / "notab.tsv"
        tsv.write_text("no tab here\n", encoding="utf-8")
        self.assertFails(run("eval", tsv, db=db, check=False), f"{tsv}:1:", "no tab")
        self.assertFails(run("eval", self.tmp / "missing.tsv", db=db, check=False), "missing.tsv")
        empty = self.tmp / "empty.tsv"
        empty.write_text("# nothing\n", encoding="utf-8")
        self.assertFails(run("eval", empty, db=db, check=False), "no prompts")


if __name__ == "__main__":
    main()
