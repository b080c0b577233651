"""Full-text search of published articles: SQLite FTS5 or PostgreSQL tsvector (GIN), never LIKE '%…%'.

Both index the folded text (lower case, no accents), so 'devolución', 'Devolucion' and 'DEVOLUCIÓN' all match.
The title weighs more than the body. Every query term matches as a prefix, for search as you type.
"""

import math
import re
from dataclasses import dataclass

from sqlalchemy import select, text
from sqlalchemy.orm import selectinload

from ..core.extensions import db
from .models import Article, ArticleStatus
from .queries import in_language
from .text import query_terms

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
        "had",
        "not",
        "but",
        "can",
        "cannot",
        "cant",
        "dont",
        "doesnt",
        "didnt",
        "isnt",
        "wont",
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
        "been",
        "does",
        "did",
        "into",
        "its",
        "our",
        "they",
        "them",
        "their",
        "there",
        "then",
        "than",
        "also",
        "only",
        "just",
        "some",
        "any",
        "all",
        "out",
        "about",
        "still",
        "yet",
        "get",
        "got",
        "want",
        "need",
        "please",
        "help",
        "hello",
        "thanks",
        "thank",
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
        "porque",
        "esta",
        "este",
        "estos",
        "esto",
        "estas",
        "mis",
        "sus",
        "pero",
        "hay",
        "muy",
        "mas",
        "sin",
        "sobre",
        "nos",
        "les",
        "todo",
        "todos",
        "tengo",
        "tiene",
        "tienen",
        "puedo",
        "puede",
        "quiero",
        "necesito",
        "hola",
        "gracias",
        "favor",
        "ayuda",
        "todavia",
        "aun",
        "nada",
        "algo",
        "hace",
        "desde",
        "hasta",
        "estoy",
        "han",
        "fue",
        "ser",
        "son",
        "era",
        "cual",
        "quien",
        "cuanto",
        "cuanta",
        "cuantos",
        "otra",
        "otro",
        "bien",
        "solo",
        "tambien",
        "entre",
    ]
)
CANDIDATES = 50  # articles a suggestion is chosen from: enough to see which words are common
RELATIVE_SCORE = 0.5  # a suggestion scores more than half of the best one (a title match beats a mention)
_TITLE_WEIGHT = 2


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


def meaningful_terms(terms: list[str]) -> list[str]:
    """The words of a sentence that say what it is about (no stop words, nothing under three letters)."""
    return [t for t in terms if len(t) > 2 and t not in STOPWORDS]


def _matches(terms: list[str], title: str, body: str) -> dict[str, int]:
    """Which terms start a word of the (folded) title or body: weight 2 in the title, 1 in the body only."""
    found = {}
    for term in terms:
        word = re.compile(r"(?<!\w)" + re.escape(term))
        if word.search(title):
            found[term] = _TITLE_WEIGHT
        elif word.search(body):
            found[term] = 1
    return found


def relevant(documents: list[tuple[str, str]], terms: list[str]) -> list[int]:
    """Indexes of the (folded title, folded body) documents that really match a sentence, in their given order.

    A word found in most candidates says little, a rare one a lot (inverse document frequency), and a word in the
    title counts twice. A document is kept when it scores more than half of the best one and, when the best covers
    two or more of the words, it does too:
    "No me llega el reembolso" wants the refund article, not every article that mentions "llega".
    """
    if not documents or not terms:
        return []
    matches = [_matches(terms, title, body) for title, body in documents]
    frequency = {t: sum(t in m for m in matches) for t in terms}
    weight = {t: math.log(1 + len(documents) / frequency[t]) for t in terms if frequency[t]}
    scores = [sum(weight[t] * w for t, w in m.items()) for m in matches]
    best_score = max(scores)
    needed = 2 if max(len(m) for m in matches) >= 2 else 1
    return [i for i, (m, score) in enumerate(zip(matches, scores, strict=True)) if score > RELATIVE_SCORE * best_score and len(m) >= needed]


def search(query: str, *, language: str, limit: int = 10, match_all: bool = True, translate: bool = True) -> list[Hit]:
    """Published articles matching the query, best first (the visitor's language before others).

    `match_all`: every word must match (a search box). Otherwise the query is a sentence (the subject of a request)
    and only the articles that really match its meaningful words come back (see `relevant`).
    `translate`: an article in the other language gives way to its published translation in `language`.
    """
    terms = query_terms(query)
    if not match_all:
        terms = meaningful_terms(terms)
    if not terms:
        return []
    find = _postgres_ids if db.engine.dialect.name == "postgresql" else _sqlite_ids
    ids = find(terms, language, CANDIDATES if not match_all else limit * 2, match_all)
    if not ids:
        return []
    loaded = {a.id: a for a in db.session.scalars(select(Article).where(Article.id.in_(ids)).options(selectinload(Article.translation)))}
    articles = [loaded[i] for i in ids if i in loaded]
    if not match_all:
        articles = [articles[i] for i in relevant([(a.search_title, a.search_body) for a in articles], terms)]
    if translate:
        articles = in_language(articles, language)
    return [Hit(article, terms) for article in articles[:limit]]


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
