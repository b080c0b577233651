"""Full-text search of published articles: SQLite FTS5 or PostgreSQL tsvector (GIN), never LIKE '%…%'.

Both index the folded text (lower case, no accents), so 'devolución', 'Devolucion' and 'DEVOLUCIÓN' all match.
The title weighs more than the body. Every query term matches as a prefix, for search as you type.
"""

from dataclasses import dataclass

from sqlalchemy import select, text

from ..extensions import db
from .models import Article, ArticleStatus
from .text import query_terms

FTS_TABLE = "kb_article_fts"  # SQLite only; created by the migration
# Words too common to suggest anything by themselves (English and Spanish, folded).
STOPWORDS = frozenset(
    [
        "the",
        "and",
        "for",
        "you",
        "your",
        "with",
        "from",
        "this",
        "that",
        "have",
        "has",
        "not",
        "but",
        "can",
        "how",
        "what",
        "when",
        "why",
        "who",
        "are",
        "was",
        "were",
        "will",
        "would",
        "que",
        "los",
        "las",
        "del",
        "por",
        "para",
        "con",
        "una",
        "uno",
        "unos",
        "unas",
        "como",
        "cuando",
        "donde",
        "porque",
        "esta",
        "este",
        "estos",
        "esto",
        "mis",
        "sus",
        "pero",
        "hay",
        "muy",
        "mas",
        "sin",
        "sobre",
        "ya",
        "yo",
        "mi",
        "me",
        "se",
        "le",
        "lo",
        "la",
        "el",
        "en",
        "de",
    ]
)


@dataclass
class Hit:
    article: Article
    terms: list[str]


def _sqlite_ids(terms: list[str], language: str, limit: int, match_all: bool) -> list[int]:
    match = (" " if match_all else " OR ").join(f'"{term}"*' for term in terms)  # terms are \w+ only: nothing to escape
    rows = db.session.execute(
        text(
            "SELECT a.id FROM kb_article_fts JOIN kb_article a ON a.id = kb_article_fts.rowid "
            "WHERE kb_article_fts MATCH :match AND a.status = :published "
            "ORDER BY (a.language = :language) DESC, bm25(kb_article_fts, 10.0, 1.0) LIMIT :limit"
        ),
        {"match": match, "published": ArticleStatus.PUBLISHED.value, "language": language, "limit": limit},
    )
    return [row[0] for row in rows]


def _postgres_ids(terms: list[str], language: str, limit: int, match_all: bool) -> list[int]:
    tsquery = (" & " if match_all else " | ").join(f"{term}:*" for term in terms)
    rows = db.session.execute(
        text(
            "SELECT id FROM kb_article, to_tsquery('simple', :q) AS q "
            "WHERE search_vector @@ q AND status = :published "
            "ORDER BY (language = :language) DESC, ts_rank(search_vector, q) DESC, id LIMIT :limit"
        ),
        {"q": tsquery, "published": ArticleStatus.PUBLISHED.value, "language": language, "limit": limit},
    )
    return [row[0] for row in rows]


def search(query: str, *, language: str, limit: int = 10, match_all: bool = True) -> list[Hit]:
    """Published articles matching the query, best first (the visitor's language before others).

    `match_all`: every word must match (a search box). Otherwise any meaningful word may (suggestions for a
    sentence like "I forgot my password"), and more matching words rank higher.
    """
    terms = query_terms(query)
    if not match_all:
        terms = [t for t in terms if len(t) > 2 and t not in STOPWORDS] or terms
    if not terms:
        return []
    find = _postgres_ids if db.engine.dialect.name == "postgresql" else _sqlite_ids
    ids = find(terms, language, limit, match_all)
    articles = {a.id: a for a in db.session.scalars(select(Article).where(Article.id.in_(ids)))} if ids else {}
    return [Hit(articles[i], terms) for i in ids if i in articles]


def reindex(article: Article) -> None:
    """Bring the search index up to date with the article (call after flush, inside the saving transaction)."""
    if db.engine.dialect.name == "postgresql":
        db.session.execute(
            text(
                "UPDATE kb_article SET search_vector = "
                "setweight(to_tsvector('simple', search_title), 'A') || setweight(to_tsvector('simple', search_body), 'B') "
                "WHERE id = :id"
            ),
            {"id": article.id},
        )
    else:
        db.session.execute(text("DELETE FROM kb_article_fts WHERE rowid = :id"), {"id": article.id})
        db.session.execute(
            text("INSERT INTO kb_article_fts (rowid, title, body) VALUES (:id, :title, :body)"),
            {"id": article.id, "title": article.search_title, "body": article.search_body},
        )
