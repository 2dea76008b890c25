"""Cross-cutting limits and injection checks on the CLI:
- prompts that are not UTF-8 or longer than the limit, and k out of range, are refused with a one-line
  error and a non-zero exit, the database untouched;
- SQL metacharacters in titles, descriptions and prompts are data: stored and found verbatim, never
  executed (the database digest is unchanged by every read command);
- no SQL text in src/ is assembled by concatenating strings (only numbers via std::to_string, or a
  line marked `sql-concat-ok: <why>`), so a search term cannot reach SQL unparameterized."""
import hashlib
import json
import re
import sqlite3
from pathlib import Path

from cinerec_test import SOURCE_DIR, CinerecTestCase, main, run

INJECTIONS = [
    "Robert'); DROP TABLE movies;--",
    "\" OR 1=1 --",
    "x' UNION SELECT title, description FROM movies --",
    "100% _wild_ [cards] \\ backslash",
]


def digest(db):
    with sqlite3.connect(db) as conn:
        return hashlib.sha256("\n".join(conn.iterdump()).encode()).hexdigest()


class Limits(CinerecTestCase):
    def setUp(self):
        super().setUp()
        self.db = self.tmp / "catalog.db"
        movies = [{"title": t, "description": f"Una película sobre {t} y sus consecuencias.",
                   "genre": "Drama", "year": str(1990 + i)} for i, t in enumerate(INJECTIONS)]
        movies.append({"title": "El pianista", "description": "Un pianista sobrevive a la guerra en Varsovia.",
                       "genre": "Drama", "year": "2002"})
        catalog = self.tmp / "catalog.json"
        catalog.write_text(json.dumps(movies, ensure_ascii=False), encoding="utf-8")
        run("import", catalog, db=self.db)
        self.before = digest(self.db)

    def tearDown(self):
        self.assertEqual(digest(self.db), self.before, "a read command changed the database")
        super().tearDown()

    def assertRefused(self, proc, fragment):
        self.assertNotEqual(proc.returncode, 0, proc.stdout)
        self.assertNotIn("AddressSanitizer", proc.stderr)
        lines = proc.stderr.strip().splitlines()
        self.assertEqual(len(lines), 1, proc.stderr)
        self.assertIn(fragment, lines[0])

    def test_invalid_utf8_prompt_refused(self):
        for bad in (b"pel\xc3cula", b"\xff\xfe", b"guerra \xed\xa0\x80 mundial", b"\xc0\xaf"):  # overlong, surrogate
            proc = run("recommend", bad.decode("utf-8", "surrogateescape"), db=self.db, check=False)
            self.assertRefused(proc, "not valid UTF-8")

    def test_oversized_prompt_refused(self):
        proc = run("recommend", "guerra " * 2000, db=self.db, check=False)
        self.assertRefused(proc, "limit")
        # Just under the limit is answered.
        run("recommend", ("guerra " * 600)[:4000], db=self.db)

    def test_k_out_of_range_refused(self):
        for k in ("0", "-3", "100000", "abc"):
            proc = run("recommend", "pianista", "-k", k, db=self.db, check=False)
            self.assertNotEqual(proc.returncode, 0, k)

    def test_invalid_utf8_title_refused(self):
        proc = run("similar", b"El pian\xffista".decode("utf-8", "surrogateescape"), db=self.db, check=False)
        self.assertNotEqual(proc.returncode, 0)
        self.assertEqual(len(proc.stderr.strip().splitlines()), 1, proc.stderr)

    def test_sql_metacharacters_are_data(self):
        with sqlite3.connect(self.db) as conn:
            titles = {row[0] for row in conn.execute("SELECT title FROM movies")}
        self.assertTrue(set(INJECTIONS) <= titles, titles)
        for title in INJECTIONS:
            # Exact lookups of each title by `similar` find the movie itself (no vectors: a clean error
            # that names the title, not a SQL error), and prompts made of SQL are just words.
            proc = run("similar", title, db=self.db, check=False)
            self.assertNotIn("SQL", proc.stderr)
            self.assertNotIn("syntax", proc.stderr)
            self.assertNotIn("no movie titled", proc.stderr, title)
            proc = run("recommend", title, "--json", db=self.db, check=False)
            self.assertEqual(proc.returncode, 0, proc.stderr)
            json.loads(proc.stdout)
        with sqlite3.connect(self.db) as conn:
            self.assertEqual(conn.execute("SELECT count(*) FROM movies").fetchone()[0], len(INJECTIONS) + 1)


SQL = r"\b(?:SELECT|INSERT\s+INTO|UPDATE|DELETE\s+FROM|WHERE|VALUES|PRAGMA|CREATE\s+TABLE|ORDER\s+BY|LIMIT|SET)\b"
LITERAL = r'"(?:[^"\\\n]|\\.)*' + SQL + r'(?:[^"\\\n]|\\.)*"'
# A SQL literal followed or preceded by '+', unless what is added is std::to_string(…) (a number).
CONCAT = re.compile(r"(?:" + LITERAL + r"\s*\+(?!\s*std::to_string\())|(?:\+\s*" + LITERAL + r")")


class SqlSource(CinerecTestCase):
    def test_no_sql_built_by_string_concatenation(self):
        offenders = []
        for path in sorted((Path(SOURCE_DIR) / "src").rglob("*")):
            if path.suffix not in (".cpp", ".h"):
                continue
            text = path.read_text(encoding="utf-8", errors="replace")
            for m in CONCAT.finditer(text):
                line_no = text.count("\n", 0, m.start()) + 1
                line = text.splitlines()[line_no - 1]
                if "sql-concat-ok:" not in line:
                    offenders.append(f"{path.relative_to(SOURCE_DIR)}:{line_no}: {line.strip()}")
        self.assertEqual(offenders, [], "SQL assembled from strings (bind parameters instead, or mark the line "
                                       "'// sql-concat-ok: <why it cannot carry input>'):\n" + "\n".join(offenders))

    def test_the_scan_catches_concatenation(self):
        """The scan itself: it must flag a search term spliced into SQL, and accept numbers."""
        self.assertTrue(CONCAT.search('exec("SELECT * FROM movies WHERE title = \'" + term + "\'");'))
        self.assertTrue(CONCAT.search('std::string q = "SELECT id FROM movies " + where_clause;'))
        self.assertTrue(CONCAT.search('q = "DELETE FROM vectors WHERE model = \'" + model;'))
        self.assertIsNone(CONCAT.search('exec(("PRAGMA user_version = " + std::to_string(n)).c_str());'))
        self.assertIsNone(CONCAT.search('Statement q(db_, "SELECT id FROM movies WHERE id = ?1");'))


if __name__ == "__main__":
    main()
