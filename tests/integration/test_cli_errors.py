"""Bad input gets a one-line error naming what and where, a non-zero exit code, and an unchanged database."""
# cinerec-test: both-stores
import json
import os
import stat

from cinerec_test import SEED_DIR, STORE, CinerecTestCase, digest, main, pg_server, run, run_json


GOOD = {"title": "Película buena", "description": "Una historia de prueba.", "genre": "Drama.", "year": "2001"}


class BadInput(CinerecTestCase):
    def setUp(self):
        super().setUp()
        self.db = self.seeded_db()
        self.before = digest(self.db)

    def tearDown(self):
        self.assertEqual(digest(self.db), self.before, "the database changed after a refused command")
        super().tearDown()

    def write(self, name, content):
        path = self.tmp / name
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
        return path

    def test_malformed_json_names_line_and_column(self):
        path = self.write("bad.json", '[\n  {"title": "A", "description": "x"},\n  {"title": "B" "description": "y"}\n]\n')
        self.assertFails(run("import", path, db=self.db, check=False), "bad.json:3:", "malformed JSON")

    def test_missing_field(self):
        path = self.write("missing.json", json.dumps([GOOD, {"title": "Sin descripción"}], indent=1))
        self.assertFails(run("import", path, db=self.db, check=False), "missing.json:", "(record 2)",
                         'missing field "description"')

    def test_wrong_type(self):
        path = self.write("type.json", json.dumps([GOOD, {"title": 12, "description": "x"}], indent=1))
        self.assertFails(run("import", path, db=self.db, check=False), "(record 2)", 'field "title" must be a string')

    def test_duplicate_titles_in_one_file(self):
        dup = dict(GOOD, title="PELÍCULA BUENA")
        path = self.write("dup.json", json.dumps([GOOD, dup], indent=1))
        self.assertFails(run("import", path, db=self.db, check=False), "(record 2)", "duplicate title")

    def test_bad_utf8(self):
        path = self.write("latin1.json", b'[{"title": "Pel\xedcula", "description": "x"}]')
        self.assertFails(run("import", path, db=self.db, check=False), "latin1.json:1:", "invalid UTF-8")

    def test_malformed_csv(self):
        path = self.write("bad.csv", 'title,description\n"Uno","ok"\n"Dos,"sin cerrar\n')
        self.assertFails(run("import", path, db=self.db, check=False), "bad.csv", "line 3")

    def test_csv_without_title_column(self):
        path = self.write("cols.csv", "name_es,overview\nA,b\n")
        self.assertFails(run("import", path, db=self.db, check=False), "cols.csv:1:", "no title column", "--column")

    def test_csv_ragged_row(self):
        path = self.write("ragged.csv", "title,description,year\nA,b,2000\nB,c\n")
        self.assertFails(run("import", path, db=self.db, check=False), "ragged.csv:3", "2 fields")

    def test_wrong_dimension(self):
        vectors = json.load(open(SEED_DIR / "movie_descriptions_embeddings.json", encoding="utf-8"))[:3]
        vectors[2]["embedding"] = vectors[2]["embedding"][:100]
        path = self.write("dims.json", json.dumps(vectors, indent=1))
        self.assertFails(run("add-embeddings", path, db=self.db, check=False), "(record 3)", "100 dimensions",
                         "expected 1536")

    def test_dimension_differs_from_stored_model(self):
        path = self.write("small.json", json.dumps([{"title": "Matrix", "embedding": [0.1, 0.2, 0.3]}]))
        self.assertFails(run("add-embeddings", path, db=self.db, check=False), "1536-dimensional", "3-dimensional")

    def test_nan_and_zero_vectors(self):
        path = self.write("nan.json", '[{"title": "Matrix", "embedding": [0.1, NaN, 0.3]}]')
        self.assertFails(run("add-embeddings", path, db=self.db, check=False), "nan.json:1:", "malformed JSON")
        zero = self.write("zero.json", json.dumps([{"title": "Matrix", "embedding": [0.0] * 1536}]))
        self.assertFails(run("add-embeddings", zero, db=self.db, check=False), "zero vector")
        huge = self.write("inf.json", '[{"title": "Matrix", "embedding": [1e39, 0.5]}]')
        self.assertFails(run("add-embeddings", huge, db=self.db, check=False), "infinite")

    def test_keyed_json_lines_vectors_name_the_bad_line(self):
        vectors = json.load(open(SEED_DIR / "movie_descriptions_embeddings.json", encoding="utf-8"))[:4]
        lines = [json.dumps(v) for v in vectors]
        path = self.write("syntax.jsonl", "\n".join(lines[:2] + ['{"title": "Matrix" "embedding": [1]}'] + lines[3:]))
        self.assertFails(run("add-embeddings", path, db=self.db, check=False), "syntax.jsonl:3:", "malformed JSON")
        short = dict(vectors[3], embedding=vectors[3]["embedding"][:10])
        path = self.write("dims.jsonl", "\n".join(lines[:3] + ["", json.dumps(short)]) + "\n")
        self.assertFails(run("add-embeddings", path, db=self.db, check=False), "dims.jsonl:5 (record 4)", "10 dimensions",
                         "expected 1536")
        path = self.write("utf8.jsonl", b"\n".join([lines[0].encode(), b'{"title": "Am\xe9lie", "embedding": [1]}']))
        self.assertFails(run("add-embeddings", path, db=self.db, check=False), "utf8.jsonl:2:14:", "invalid UTF-8")

    def test_unknown_title_in_embeddings(self):
        path = self.write("unknown.json", json.dumps([{"title": "Matriz", "embedding": [0.1] * 1536}]))
        self.assertFails(run("add-embeddings", path, db=self.db, check=False), "not in the catalog")

    def test_empty_prompt(self):
        self.assertFails(run("recommend", "   ", db=self.db, check=False), "empty prompt")

    def test_unknown_title_suggests(self):
        self.assertFails(run("similar", "El padrno", db=self.db, check=False), 'no movie titled "El padrno"',
                         'did you mean "El padrino"')

    def test_bad_k(self):
        p = run("similar", "Matrix", "-k", "0", db=self.db, check=False)
        self.assertNotEqual(p.returncode, 0)

    def test_missing_database(self):
        if STORE == "postgres":
            server = pg_server()
            url = server.url("nope")
            self.assertFails(run("recommend", "drama", db=url, check=False), "/nope", 'database "nope" does not exist')
            self.assertFails(run("import", SEED_DIR / "movie_descriptions.json", db=url, check=False),
                             'database "nope" does not exist', "createdb")
            self.assertEqual(server.psql("SELECT count(*) FROM pg_database WHERE datname = 'nope'"), "0\n")
            # A database without the cinerec tables is not a catalog to read from (import creates them).
            empty = server.url(server.create_database("empty"))
            self.assertFails(run("similar", "Matrix", db=empty, check=False), "no cinerec catalog", "cinerec import")
            return
        missing = self.tmp / "nope.db"
        self.assertFails(run("recommend", "drama", db=missing, check=False), "nope.db", "does not exist")
        self.assertFalse(missing.exists())

    def test_read_only_database(self):
        if STORE == "postgres":
            # A role that may only read: reads work, writes fail with the server's reason, nothing changes.
            server = pg_server()
            database = self.db.rsplit("/", 1)[1]
            server.psql("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'reader') THEN "
                        "CREATE ROLE reader LOGIN PASSWORD 'reader-pw'; END IF; END $$")
            server.psql("GRANT SELECT ON ALL TABLES IN SCHEMA public TO reader", database)
            reader = server.url(database, user="reader", password="reader-pw")
            self.assertEqual(run_json("similar", "Matrix", db=reader), run_json("similar", "Matrix", db=self.db))
            self.assertFails(run("import", SEED_DIR / "movie_descriptions.json", db=reader, check=False),
                             "permission denied")
            return
        if os.geteuid() == 0:
            # root ignores file permissions, so a read-only file cannot be made here; check instead
            # that a file that is not a database is refused and left as it was.
            junk = self.write("junk.db", "this is not a database\n")
            self.assertFails(run("import", SEED_DIR / "movie_descriptions.json", db=junk, check=False), "junk.db")
            self.assertEqual(junk.read_text(), "this is not a database\n")
            return
        ro = self.tmp / "ro.db"
        ro.write_bytes(self.db.read_bytes())
        os.chmod(ro, stat.S_IRUSR)
        self.assertFails(run("import", SEED_DIR / "movie_descriptions.json", db=ro, check=False), "ro.db")


if __name__ == "__main__":
    main()
