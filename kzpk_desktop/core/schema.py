"""Tables, indexes, triggers and FTS5, as ``sqlite_utils.Migrations`` steps.

Each step is applied once, in order, inside a transaction together with its record in
``_sqlite_migrations``: a database is at the old schema or the new one, never half.
Never edit a released step; add a new one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._sqlite_utils import LazyMigrations
from .label_file import default_labels

if TYPE_CHECKING:
    from ._sqlite_utils import Database

MIGRATION_SET = "kzpk_desktop"
# sqlite-utils loads when a step is checked or applied, not with the schema (issue 20)
migrations = LazyMigrations(MIGRATION_SET)

# How the article index cuts text into words; search cuts the user's words with the same
# tokenizer (core/store/fts.py), so what is typed is what the index holds.
ARTICLE_TOKENIZE = "unicode61 remove_diacritics 2"
ANNOTATION_STATUSES = ("unreviewed", "accepted", "rejected", "needs_work")
ARTICLE_STATUSES = ("not_started", "in_progress", "annotated", "reviewed")


@migrations(name="m001_core_tables")
def m001_core_tables(db: Database) -> None:
    db.executescript(
        """
        CREATE TABLE articles (
            id INTEGER PRIMARY KEY,
            title TEXT NOT NULL,
            source TEXT,
            date TEXT,
            date_raw TEXT,
            date_precision TEXT,
            text TEXT NOT NULL,
            file_name TEXT,
            sha256 TEXT NOT NULL UNIQUE,
            encoding TEXT,
            imported_at TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'not_started',
            n_annotations INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE labels (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            color TEXT NOT NULL,
            shortcut TEXT,
            alt_shortcut TEXT,
            description TEXT NOT NULL DEFAULT '',
            position INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE annotations (
            id TEXT PRIMARY KEY,
            article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            label TEXT NOT NULL REFERENCES labels(id),
            text TEXT NOT NULL,
            note TEXT NOT NULL DEFAULT '',
            annotator TEXT NOT NULL DEFAULT '',
            status TEXT NOT NULL DEFAULT 'unreviewed',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            CHECK (start >= 0 AND "end" > start)
        );
        CREATE INDEX idx_annotations_article ON annotations(article_id, start);
        CREATE INDEX idx_annotations_label ON annotations(label);
        CREATE INDEX idx_annotations_status ON annotations(status);
        CREATE INDEX idx_articles_date ON articles(date);
        CREATE INDEX idx_articles_title ON articles(title);
        CREATE INDEX idx_articles_source ON articles(source);
        CREATE INDEX idx_articles_status ON articles(status);
        CREATE INDEX idx_articles_n ON articles(n_annotations);

        -- The offset invariant, enforced by the database itself: substr() counts
        -- code points, like Python, so text[start:end] == span text for every row.
        CREATE TRIGGER annotations_span_insert BEFORE INSERT ON annotations BEGIN
            SELECT RAISE(ABORT, 'span text does not match the article text at its offsets')
            WHERE (SELECT substr(a.text, NEW.start + 1, NEW."end" - NEW.start)
                   FROM articles a WHERE a.id = NEW.article_id) IS NOT NEW.text;
        END;
        CREATE TRIGGER annotations_span_update BEFORE UPDATE OF start, "end", text, article_id
            ON annotations BEGIN
            SELECT RAISE(ABORT, 'span text does not match the article text at its offsets')
            WHERE (SELECT substr(a.text, NEW.start + 1, NEW."end" - NEW.start)
                   FROM articles a WHERE a.id = NEW.article_id) IS NOT NEW.text;
        END;
        -- Article text is immutable once spans point into it.
        CREATE TRIGGER articles_text_frozen BEFORE UPDATE OF text ON articles
            WHEN NEW.text IS NOT OLD.text AND OLD.n_annotations > 0 BEGIN
            SELECT RAISE(ABORT, 'article text cannot change while annotations point into it');
        END;
        -- Denormalised counts and progress keep a 100k-row article list cheap to sort.
        CREATE TRIGGER annotations_count_insert AFTER INSERT ON annotations BEGIN
            UPDATE articles SET n_annotations = n_annotations + 1,
                status = CASE WHEN status = 'not_started' THEN 'in_progress' ELSE status END
            WHERE id = NEW.article_id;
        END;
        CREATE TRIGGER annotations_count_delete AFTER DELETE ON annotations BEGIN
            UPDATE articles SET n_annotations = n_annotations - 1 WHERE id = OLD.article_id;
        END;

        CREATE TABLE changes (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            who TEXT NOT NULL DEFAULT '',
            action TEXT NOT NULL,
            entity TEXT NOT NULL,
            entity_id TEXT NOT NULL,
            before TEXT,
            after TEXT
        );
        CREATE INDEX idx_changes_entity ON changes(entity, entity_id);
        CREATE TRIGGER changes_append_only_update BEFORE UPDATE ON changes BEGIN
            SELECT RAISE(ABORT, 'the change log is append-only');
        END;
        CREATE TRIGGER changes_append_only_delete BEFORE DELETE ON changes BEGIN
            SELECT RAISE(ABORT, 'the change log is append-only');
        END;
        CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT);
        """
    )
    db.table("labels").insert_all([lab.as_dict() for lab in default_labels()], pk="id")


@migrations(name="m002_fts")
def m002_fts(db: Database) -> None:
    db.table("articles").enable_fts(
        ["title", "text"], fts_version="FTS5", create_triggers=True, tokenize=ARTICLE_TOKENIZE
    )


@migrations(name="m003_fact_check_fields")
def m003_fact_check_fields(db: Database) -> None:
    """Fact-check attributes as first-class columns (not a JSON blob)."""
    for column in ("verdict", "evidence_url", "evidence_note", "reviewer", "reviewed_at"):
        db.table("annotations").add_column(column, str)
    db.table("annotations").create_index(["verdict"])


@migrations(name="m004_entities_relations")
def m004_entities_relations(db: Database) -> None:
    """Canonical actors/agreements, aliases, parties, span links and typed span relations."""
    db.executescript(
        """
        CREATE TABLE entities (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL CHECK (kind IN ('actor', 'agreement')),
            name TEXT NOT NULL,
            actor_type TEXT,          -- person / organisation / state
            country TEXT,
            role TEXT,
            agreement_type TEXT,      -- mou / action_plan / accord / treaty / ...
            agreement_status TEXT,    -- proposed / signed / in_force / ...
            date TEXT,                -- ISO at the precision found
            date_raw TEXT,
            date_precision TEXT,
            notes TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE UNIQUE INDEX idx_entities_kind_name ON entities(kind, name COLLATE NOCASE);
        CREATE TABLE entity_aliases (
            entity_id INTEGER NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
            alias TEXT NOT NULL,
            PRIMARY KEY (entity_id, alias)
        );
        CREATE INDEX idx_alias ON entity_aliases(alias COLLATE NOCASE);
        CREATE TABLE agreement_parties (
            agreement_id INTEGER NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
            actor_id INTEGER NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
            PRIMARY KEY (agreement_id, actor_id)
        );
        ALTER TABLE annotations ADD COLUMN entity_id INTEGER REFERENCES entities(id) ON DELETE SET NULL;
        ALTER TABLE annotations ADD COLUMN claim_type TEXT;
        CREATE INDEX idx_annotations_entity ON annotations(entity_id);
        CREATE TABLE relations (
            id TEXT PRIMARY KEY,
            type TEXT NOT NULL,
            source_id TEXT NOT NULL REFERENCES annotations(id) ON DELETE CASCADE,
            target_id TEXT NOT NULL REFERENCES annotations(id) ON DELETE CASCADE,
            annotator TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            UNIQUE (type, source_id, target_id),
            CHECK (source_id != target_id)
        );
        CREATE INDEX idx_relations_source ON relations(source_id);
        CREATE INDEX idx_relations_target ON relations(target_id);
        CREATE TABLE rejected_suggestions (
            entity_id INTEGER NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
            article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            PRIMARY KEY (entity_id, article_id, start, "end")
        );
        """
    )


@migrations(name="m005_review")
def m005_review(db: Database) -> None:
    """Fact-checking sessions, their decisions, and evidence items (several per claim)."""
    db.executescript(
        """
        ALTER TABLE annotations ADD COLUMN confidence TEXT;
        CREATE TABLE review_sessions (
            id INTEGER PRIMARY KEY,
            reviewer TEXT NOT NULL,
            started_at TEXT NOT NULL,
            ended_at TEXT,
            scope TEXT NOT NULL,          -- JSON: how the queue was chosen
            queue TEXT NOT NULL,          -- JSON list of annotation ids, fixed at the start
            position INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX idx_sessions_open ON review_sessions(reviewer, ended_at);
        CREATE TABLE review_decisions (
            id INTEGER PRIMARY KEY,
            session_id INTEGER REFERENCES review_sessions(id) ON DELETE SET NULL,
            annotation_id TEXT NOT NULL REFERENCES annotations(id) ON DELETE CASCADE,
            reviewer TEXT NOT NULL,
            decided_at TEXT NOT NULL,
            status TEXT NOT NULL,
            verdict TEXT,
            confidence TEXT
        );
        CREATE INDEX idx_decisions_session ON review_decisions(session_id);
        CREATE INDEX idx_decisions_annotation ON review_decisions(annotation_id);
        CREATE TABLE evidence (
            id INTEGER PRIMARY KEY,
            annotation_id TEXT NOT NULL REFERENCES annotations(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            url TEXT NOT NULL,
            quote TEXT NOT NULL DEFAULT '',
            stance TEXT NOT NULL CHECK (stance IN ('supports', 'refutes')),
            note TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX idx_evidence_annotation ON evidence(annotation_id, position);
        """
    )


@migrations(name="m006_fts_update_only_on_text")
def m006_fts_update_only_on_text(db: Database) -> None:
    """sqlite-utils' FTS trigger fires on any UPDATE of articles, so bumping a span count
    re-indexed the whole article text on every tag (measured: 3.6k spans/s). Only a change
    of title or text needs re-indexing."""
    db.executescript(
        """
        DROP TRIGGER IF EXISTS articles_au;
        CREATE TRIGGER articles_au AFTER UPDATE OF title, text ON articles BEGIN
          INSERT INTO articles_fts (articles_fts, rowid, title, text) VALUES('delete', old.rowid, old.title, old.text);
          INSERT INTO articles_fts (rowid, title, text) VALUES (new.rowid, new.title, new.text);
        END;
        """
    )


@migrations(name="m007_progress_table_and_cheap_span_checks")
def m007_progress_table_and_cheap_span_checks(db: Database) -> None:
    """Keep tagging fast in huge articles (measured on a 5 MB text, per tag):

    - bumping ``n_annotations`` in the article row rewrote the whole row, text included
      (14 ms): counts and progress now live in ``article_progress``;
    - the span-check triggers ran ``substr`` over the UTF-8 text (5–14 ms): the store's
      write gateway checks ``text[start:end]`` in Python instead (O(1) indexing), and a
      trigger now forbids changing a span's offsets or text after the fact.
    """
    db.executescript(
        """
        CREATE TABLE article_progress (
            article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
            n_annotations INTEGER NOT NULL DEFAULT 0,
            status TEXT NOT NULL DEFAULT 'not_started'
        );
        INSERT INTO article_progress (article_id, n_annotations, status)
            SELECT id, n_annotations, status FROM articles;
        CREATE INDEX idx_progress_n ON article_progress(n_annotations);
        CREATE INDEX idx_progress_status ON article_progress(status);
        DROP TRIGGER annotations_count_insert;
        DROP TRIGGER annotations_count_delete;
        DROP TRIGGER articles_text_frozen;
        DROP TRIGGER annotations_span_insert;
        DROP TRIGGER annotations_span_update;
        DROP INDEX idx_articles_status;
        DROP INDEX idx_articles_n;
        ALTER TABLE articles DROP COLUMN n_annotations;
        ALTER TABLE articles DROP COLUMN status;
        CREATE TRIGGER articles_progress_insert AFTER INSERT ON articles BEGIN
            INSERT INTO article_progress (article_id) VALUES (NEW.id);
        END;
        CREATE TRIGGER annotations_count_insert AFTER INSERT ON annotations BEGIN
            UPDATE article_progress SET n_annotations = n_annotations + 1,
                status = CASE WHEN status = 'not_started' THEN 'in_progress' ELSE status END
            WHERE article_id = NEW.article_id;
        END;
        CREATE TRIGGER annotations_count_delete AFTER DELETE ON annotations BEGIN
            UPDATE article_progress SET n_annotations = n_annotations - 1 WHERE article_id = OLD.article_id;
        END;
        CREATE TRIGGER articles_text_frozen BEFORE UPDATE OF text ON articles
            WHEN NEW.text IS NOT OLD.text AND EXISTS (SELECT 1 FROM annotations WHERE article_id = OLD.id) BEGIN
            SELECT RAISE(ABORT, 'article text cannot change while annotations point into it');
        END;
        CREATE TRIGGER annotations_span_frozen BEFORE UPDATE OF start, "end", text, article_id ON annotations
            WHEN NEW.start IS NOT OLD.start OR NEW."end" IS NOT OLD."end" OR NEW.text IS NOT OLD.text
                 OR NEW.article_id IS NOT OLD.article_id BEGIN
            SELECT RAISE(ABORT, 'a span''s offsets and text never change: delete it and tag again');
        END;
        """
    )


@migrations(name="m008_indexes_for_scale")
def m008_indexes_for_scale(db: Database) -> None:
    """Indexes the 100k/1M benchmark asked for: case-insensitive title/source order for the
    article list, and the export's span order, so exports stream without sorting a million
    rows in memory."""
    db.executescript(
        """
        CREATE INDEX idx_articles_title_nocase ON articles(title COLLATE NOCASE);
        CREATE INDEX idx_articles_source_nocase ON articles(source COLLATE NOCASE);
        DROP INDEX idx_articles_title;
        DROP INDEX idx_articles_source;
        CREATE INDEX idx_annotations_order ON annotations(article_id, start, "end");
        DROP INDEX idx_annotations_article;
        """
    )


@migrations(name="m009_application_id")
def m009_application_id(db: Database) -> None:
    """Mark the file as a kzpk database in the SQLite header (``PRAGMA application_id``,
    'KZPK'), so that ownership is decided by the file itself and another program's database
    (even another sqlite-utils program's, with its own ``_sqlite_migrations``) is refused."""
    from .store.connection import APPLICATION_ID

    db.execute(f"PRAGMA application_id = {APPLICATION_ID}")


@migrations(name="m010_name_keys")
def m010_name_keys(db: Database) -> None:
    """Entity names and aliases match by one key in every script (NFKC + casefold, see
    ``core/names.py``) instead of ``COLLATE NOCASE``, which folds ASCII only. Names that an
    older version let in twice under the new key keep a suffixed key; ``kzpk check`` names
    them so the researcher can merge them."""
    from .names import name_key

    db.execute("ALTER TABLE entities ADD COLUMN name_key TEXT")
    db.execute("ALTER TABLE entity_aliases ADD COLUMN alias_key TEXT")
    seen: set[tuple[str, str]] = set()
    for entity_id, kind, name in db.execute("SELECT id, kind, name FROM entities ORDER BY id").fetchall():
        key = name_key(name)
        if (kind, key) in seen:
            key = f"{key}#{entity_id}"
        seen.add((kind, key))
        db.execute("UPDATE entities SET name_key = ? WHERE id = ?", (key, entity_id))
    for rowid, alias in db.execute("SELECT rowid, alias FROM entity_aliases").fetchall():
        db.execute("UPDATE entity_aliases SET alias_key = ? WHERE rowid = ?", (name_key(alias), rowid))
    db.executescript(
        """
        DROP INDEX idx_entities_kind_name;
        CREATE UNIQUE INDEX idx_entities_kind_key ON entities(kind, name_key);
        DROP INDEX idx_alias;
        CREATE INDEX idx_alias_key ON entity_aliases(alias_key);
        """
    )


@migrations(name="m011_article_provenance")
def m011_article_provenance(db: Database) -> None:
    """Articles now come from HTML, PDF, DOCX, ODT and EPUB as well as plain text: keep where
    each came from (the original file's format and hash, the extractor and its version) and
    which evidence its title and date came from, plus the URL, language and author fields
    a researcher can correct. ``sha256`` stays the hash of the stored text (duplicates)."""
    db.executescript(
        """
        ALTER TABLE articles ADD COLUMN url TEXT;
        ALTER TABLE articles ADD COLUMN language TEXT;
        ALTER TABLE articles ADD COLUMN author TEXT;
        ALTER TABLE articles ADD COLUMN format TEXT;
        ALTER TABLE articles ADD COLUMN original_sha256 TEXT;
        ALTER TABLE articles ADD COLUMN extractor TEXT;
        ALTER TABLE articles ADD COLUMN extractor_version TEXT;
        ALTER TABLE articles ADD COLUMN title_source TEXT;
        ALTER TABLE articles ADD COLUMN date_source TEXT;
        """
    )


# A UUID4-shaped random id and a random revision token, computed inside SQLite so that every
# writer (the app, an undo, a plain sqlite3 shell) stamps new rows the same way.
_UUID_SQL = (
    "(SELECT substr(h, 1, 8) || '-' || substr(h, 9, 4) || '-4' || substr(h, 14, 3) || '-' || "
    "substr('89ab', 1 + (abs(random()) % 4), 1) || substr(h, 18, 3) || '-' || substr(h, 21, 12) "
    "FROM (SELECT lower(hex(randomblob(16))) AS h))"
)
_REV_SQL = "lower(hex(randomblob(16)))"
# kind -> (table, column holding the item's stable id)
TEAM_ITEMS = {
    "annotation": ("annotations", "id"),
    "relation": ("relations", "id"),
    "entity": ("entities", "uuid"),
    "evidence": ("evidence", "uuid"),
    "decision": ("review_decisions", "uuid"),
}


@migrations(name="m012_team")
def m012_team(db: Database) -> None:
    """Merging coders' copies needs ids that mean the same item in every copy, a revision per
    item (with the revisions it replaced) to tell "changed here" from "changed there", and
    tombstones so a deletion travels instead of the row coming back. Existing rows get fresh
    ids and revisions here (in Python: a constant subquery would give every row the same one)."""
    import uuid as _uuid

    db.executescript(
        """
        ALTER TABLE entities ADD COLUMN uuid TEXT;
        ALTER TABLE evidence ADD COLUMN uuid TEXT;
        ALTER TABLE evidence ADD COLUMN author TEXT;
        ALTER TABLE review_decisions ADD COLUMN uuid TEXT;
        ALTER TABLE annotations ADD COLUMN rev TEXT;
        ALTER TABLE relations ADD COLUMN rev TEXT;
        ALTER TABLE entities ADD COLUMN rev TEXT;
        ALTER TABLE evidence ADD COLUMN rev TEXT;
        ALTER TABLE review_decisions ADD COLUMN rev TEXT;
        -- the gold layer: a curated copy of a span, made by an adjudicator; originals stay
        ALTER TABLE annotations ADD COLUMN curated_by TEXT;
        ALTER TABLE annotations ADD COLUMN curated_at TEXT;
        ALTER TABLE annotations ADD COLUMN gold_of TEXT;
        CREATE INDEX idx_annotations_curated ON annotations(curated_by) WHERE curated_by IS NOT NULL;
        -- who coded which article (agreement, the annotator filter): read from the index alone
        CREATE INDEX idx_annotations_coder ON annotations(annotator, article_id, curated_by);
        CREATE TABLE item_revs (
            kind TEXT NOT NULL, uuid TEXT NOT NULL, rev TEXT NOT NULL,
            PRIMARY KEY (kind, uuid, rev)
        ) WITHOUT ROWID;
        CREATE TABLE tombstones (
            kind TEXT NOT NULL, uuid TEXT NOT NULL, rev TEXT, deleted_at TEXT NOT NULL,
            PRIMARY KEY (kind, uuid)
        ) WITHOUT ROWID;
        CREATE TABLE merge_peers (
            peer_uuid TEXT PRIMARY KEY, path TEXT NOT NULL, merged_at TEXT NOT NULL, who TEXT NOT NULL DEFAULT ''
        );
        CREATE TABLE entity_uuid_alias (
            uuid TEXT PRIMARY KEY, entity_uuid TEXT NOT NULL
        );
        CREATE TABLE merge_conflicts (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL,
            uuid TEXT NOT NULL,
            reason TEXT NOT NULL,
            peer_uuid TEXT NOT NULL,
            mine_rev TEXT,
            theirs_rev TEXT,
            mine TEXT,
            theirs TEXT,
            queued_at TEXT NOT NULL,
            resolved_at TEXT,
            resolved_by TEXT,
            resolution TEXT,
            UNIQUE (kind, uuid, mine_rev, theirs_rev)
        );
        """
    )
    for kind, (table, col) in TEAM_ITEMS.items():
        key = "id" if table != "annotations" and table != "relations" else col
        rows = [r[0] for r in db.execute(f"SELECT {key} FROM {table}").fetchall()]
        if col == "uuid":
            db.conn.executemany(
                f"UPDATE {table} SET uuid = ?, rev = ? WHERE id = ?",
                [(str(_uuid.uuid4()), _uuid.uuid4().hex, r) for r in rows],
            )
            db.execute(f"CREATE UNIQUE INDEX idx_{table}_uuid ON {table}(uuid)")
        else:
            db.conn.executemany(f"UPDATE {table} SET rev = ? WHERE id = ?", [(_uuid.uuid4().hex, r) for r in rows])
        stamp = "" if col != "uuid" else f"uuid = coalesce(NEW.uuid, {_UUID_SQL}), "
        author = (
            ""
            if table != "evidence"
            else "author = coalesce(NEW.author, (SELECT reviewer FROM annotations WHERE id = NEW.annotation_id)), "
        )
        db.executescript(f"""
            CREATE TRIGGER {table}_team_insert AFTER INSERT ON {table} BEGIN
                -- only rows that arrive without a revision: a row copied by a merge keeps its own
                -- (an UPDATE here would count as an edit and give it a new one)
                UPDATE {table} SET {stamp}{author}rev = {_REV_SQL} WHERE rowid = NEW.rowid AND NEW.rev IS NULL;
                INSERT OR IGNORE INTO item_revs (kind, uuid, rev)
                    SELECT kind, uuid, rev FROM tombstones
                    WHERE kind = '{kind}' AND uuid = (SELECT {col} FROM {table} WHERE rowid = NEW.rowid)
                          AND rev IS NOT NULL;
                DELETE FROM tombstones
                    WHERE kind = '{kind}' AND uuid = (SELECT {col} FROM {table} WHERE rowid = NEW.rowid);
            END;
            CREATE TRIGGER {table}_team_update AFTER UPDATE ON {table} WHEN NEW.rev IS OLD.rev BEGIN
                INSERT OR IGNORE INTO item_revs (kind, uuid, rev) VALUES ('{kind}', OLD.{col}, OLD.rev);
                UPDATE {table} SET rev = {_REV_SQL} WHERE rowid = NEW.rowid;
            END;
            CREATE TRIGGER {table}_team_delete AFTER DELETE ON {table} BEGIN
                INSERT OR REPLACE INTO tombstones (kind, uuid, rev, deleted_at)
                    VALUES ('{kind}', OLD.{col}, OLD.rev, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
            END;
        """)
    db.execute("INSERT OR IGNORE INTO settings (key, value) VALUES ('db_uuid', ?)", [str(_uuid.uuid4())])


@migrations(name="m013_prior_checks")
def m013_prior_checks(db: Database) -> None:
    """Earlier fact-checks (ClaimReview items) kept offline with a bm25 index over claim text and
    entity names, and where each evidence item came from and when (provenance for exports)."""
    db.executescript(
        """
        CREATE TABLE prior_checks (
            id INTEGER PRIMARY KEY,
            url TEXT NOT NULL DEFAULT '',
            claim TEXT NOT NULL,
            rating TEXT NOT NULL DEFAULT '',
            publisher TEXT NOT NULL DEFAULT '',
            date TEXT NOT NULL DEFAULT '',
            entities TEXT NOT NULL DEFAULT '',
            imported_at TEXT NOT NULL,
            UNIQUE (url, claim)
        );
        CREATE VIRTUAL TABLE prior_checks_fts USING fts5(
            claim, entities, content='prior_checks', content_rowid='id',
            tokenize='unicode61 remove_diacritics 2'
        );
        CREATE TRIGGER prior_checks_ai AFTER INSERT ON prior_checks BEGIN
            INSERT INTO prior_checks_fts (rowid, claim, entities) VALUES (new.id, new.claim, new.entities);
        END;
        CREATE TRIGGER prior_checks_ad AFTER DELETE ON prior_checks BEGIN
            INSERT INTO prior_checks_fts (prior_checks_fts, rowid, claim, entities)
                VALUES ('delete', old.id, old.claim, old.entities);
        END;
        ALTER TABLE evidence ADD COLUMN retrieved_at TEXT;
        ALTER TABLE evidence ADD COLUMN published_at TEXT;
        ALTER TABLE evidence ADD COLUMN archive_url TEXT;
        ALTER TABLE evidence ADD COLUMN archived_file TEXT;
        """
    )


@migrations(name="m014_resizable_spans")
def m014_resizable_spans(db: Database) -> None:
    """A span's boundaries can move (resize keeps its attributes, links and history), so the
    trigger that froze them gives way to one that keeps the text and offsets moving together:
    the store's gateway checks ``text[start:end]`` before every such update (O(1) in Python)."""
    db.executescript(
        """
        DROP TRIGGER annotations_span_frozen;
        CREATE TRIGGER annotations_span_moves_whole BEFORE UPDATE OF start, "end", text, article_id ON annotations
            WHEN NEW.article_id IS NOT OLD.article_id OR length(NEW.text) != NEW."end" - NEW.start BEGIN
            SELECT RAISE(ABORT, 'a span''s text and offsets change together, within its article');
        END;
        """
    )


@migrations(name="m015_article_index_without_positions")
def m015_article_index_without_positions(db: Database) -> None:
    """The article index keeps which articles, and which of their columns (title, text), hold
    a word, not where in them (FTS5 ``detail=column``). Search only asks which articles hold
    all the words typed (never a phrase; ranking is not by the index), and the positions cost
    most of the index: at 100,000 articles it shrank from 120 MB to 32 MB, and writing it
    takes a fifth less of an import's SQLite time. (``detail=none`` saves a little more, but
    reads a prefix such as "gwadar"*, the word being typed, twice as slowly: 13 ms against
    6 ms for the list's first page at 100,000 articles.) The triggers name the table, so they
    keep working unchanged. An upgraded file keeps its size: the old index's pages are free
    and later writes reuse them (a VACUUM cannot run inside this step's transaction)."""
    db.execute("DROP TABLE articles_fts")
    db.execute(
        f"CREATE VIRTUAL TABLE articles_fts USING FTS5 (title, text, tokenize='{ARTICLE_TOKENIZE}', "
        'content="articles", detail=column)'  # (quoted as m002 had it: sqlite-utils' detect_fts reads it)
    )
    db.execute("INSERT INTO articles_fts (articles_fts) VALUES ('rebuild')")


KNOWN_MIGRATIONS = tuple(m.name for m in migrations._migrations)
ACTOR_TYPES = ("person", "organisation", "state")
AGREEMENT_TYPES = ("mou", "action_plan", "accord", "treaty", "joint_statement", "other")
AGREEMENT_STATUSES = ("proposed", "under_negotiation", "signed", "in_force", "expired")
CLAIM_TYPES = ("statistic", "commitment", "event", "opinion", "other")
# relation type -> (source label, target label)
RELATION_TYPES = {"said_by": ("claim", "actor"), "party": ("agreement", "actor"), "about": ("claim", "agreement")}
