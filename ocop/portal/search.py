"""Public product search over ``PortalListing`` (SPEC §5.4, issue 6).

Exact pass: every folded query word must occur in the folded search key (product, entity, commune,
district, province — old and new names). Ranking happens in SQL (CASE expressions) so only one page of
rows leaves the database. When the exact pass finds few products, a typo-tolerant pass runs: each query word
unknown to the in-memory vocabulary of listed words is replaced by its close words (trigram candidates,
then edit distance); on PostgreSQL, when still nothing matches, pg_trgm word similarity of the whole
phrase on the indexed key is the last resort. Indexes: FTS5 trigram on SQLite (migration 0004), pg_trgm
GIN on PostgreSQL (migration 0002, also serving the LIKE of the exact pass).
"""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING

from django.db import connection, transaction
from django.db.models import Count, IntegerField, Max, Model, Q, QuerySet, Window
from django.db.models.expressions import RawSQL
from django.utils import timezone

from ocop.core.text import fold, is_ascii_digits
from ocop.geography.choices import Level
from ocop.geography.selectors import province_list

from . import fts
from .choices import Sort
from .models import PortalListing

if TYPE_CHECKING:
    from ocop.geography.models import AdminUnit

PAGE_SIZE = 20
FUZZY_BELOW = 3  # run the typo-tolerant pass when the exact pass finds fewer products than this
_WORD = re.compile(r"[0-9a-z]+")
PROVINCE_WORDS = ("thanh pho ", "tinh ", "tp. ", "tp ")


@dataclass
class SearchQuery:
    q: str = ""
    province: str | int | AdminUnit | None = None
    commune: int | None = None
    stars: int | None = None
    group: str = ""
    sort: str = Sort.RELEVANCE
    include_expired: bool = False
    entity: int | None = None
    page: int = 1
    page_size: int = PAGE_SIZE


@dataclass
class SearchResult:
    count: int
    items: list[PortalListing]
    page: int
    page_size: int
    fuzzy: bool = False
    corrected: str = ""
    provinces: list[AdminUnit] = field(default_factory=list)

    @property
    def pages(self) -> int:
        return max(1, -(-self.count // self.page_size))


def today() -> dt.date:
    return timezone.localdate()


def base_listing(*, include_expired: bool = False, day: dt.date | None = None) -> QuerySet[PortalListing]:
    qs = PortalListing.objects.all()
    if not include_expired:
        day = day or today()
        qs = qs.filter(valid_from__lte=day, valid_to__gte=day)
    return qs


def resolve_provinces(value: str | int | AdminUnit | None) -> list[AdminUnit]:
    """Provinces (both generations) named by ``value``: a primary key, a GSO code or a name (or the
    province itself, when the caller has read it already)."""
    if value in (None, ""):
        return []
    if isinstance(value, Model):  # an AdminUnit
        return [value] if value.level == Level.PROVINCE else []
    provinces = province_list().order_by("generation", "code")
    text = str(value).strip()
    if isinstance(value, int):
        return list(provinces.filter(pk=value))
    key = fold(text)
    for word in PROVINCE_WORDS:
        if key.startswith(word):
            key = key[len(word) :]
    found = list(provinces.filter(search_key__in=[f"tinh {key}", f"thanh pho {key}", key]))
    if not found and is_ascii_digits(text):
        found = list(provinces.filter(code=text.zfill(2)))
    return found


def _filtered(query: SearchQuery) -> tuple[QuerySet[PortalListing], list[AdminUnit]]:
    qs = base_listing(include_expired=query.include_expired)
    provinces: list[AdminUnit] = []
    if query.province not in (None, ""):
        provinces = resolve_provinces(query.province)
        ids = [p.pk for p in provinces]
        qs = qs.filter(Q(province_id__in=ids) | Q(new_province_id__in=ids))
    if query.commune:
        qs = qs.filter(Q(commune_id=query.commune) | Q(new_commune_id=query.commune))
    if query.stars:
        qs = qs.filter(stars=query.stars)
    if query.group:
        qs = qs.filter(group_code=query.group.strip().upper())
    if query.entity:
        qs = qs.filter(entity_id=query.entity)
    return qs, provinces


def _words(text: str) -> list[str]:
    return _WORD.findall(fold(text))[:8]


def _text_filter(qs: QuerySet[PortalListing], groups: list[list[str]]) -> QuerySet[PortalListing]:
    """Rows whose folded key contains, for every group, one of its words (substring match).

    On SQLite the FTS5 trigram index answers words of 3+ letters; shorter ones (and other databases,
    where pg_trgm's GIN index serves LIKE) use LIKE on the folded key.
    """
    fts_terms = []
    for options in groups:
        if fts.available() and all(len(word) >= 3 for word in options):
            fts_terms.append("(" + " OR ".join(f'"{word}"' for word in options) + ")")
            continue
        condition = Q()
        for word in options:
            condition |= Q(search_key__contains=word)
        qs = qs.filter(condition)
    if fts_terms:
        qs = qs.extra(
            where=[
                "portal_portallisting.product_id IN "
                "(SELECT rowid FROM portal_listing_fts WHERE portal_listing_fts MATCH %s)"
            ],
            params=[" AND ".join(fts_terms)],
        )
    return qs


# Points of a match (best match first): the folded product name equal to / starting with / holding the
# phrase, the entity name holding it, then per word the product name and the entity name holding it.
PHRASE_POINTS = {"name_equal": 1000, "name_start": 400, "name_holds": 200, "entity_holds": 60}
WORD_POINTS = {"name_holds": 20, "entity_holds": 6}


def _like(text: str, *, start: bool = False) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"{escaped}%" if start else f"%{escaped}%"


def _rank(phrase: str, words: list[str]) -> RawSQL:
    """The points of a row as one SQL expression (sum of CASEs).

    Written as SQL rather than ORM Case/When: a five-word query made 14 conditional expressions that cost
    ~4 ms of CPU to build and compile on every search, more than the database took to run it."""
    quote = connection.ops.quote_name
    table = quote(PortalListing._meta.db_table)
    name, entity = f"{table}.{quote('name_key')}", f"{table}.{quote('entity_key')}"
    like = "LIKE %s ESCAPE '\\'"
    terms = [
        (f"{name} = %s", phrase, PHRASE_POINTS["name_equal"]),
        (f"{name} {like}", _like(phrase, start=True), PHRASE_POINTS["name_start"]),
        (f"{name} {like}", _like(phrase), PHRASE_POINTS["name_holds"]),
        (f"{entity} {like}", _like(phrase), PHRASE_POINTS["entity_holds"]),
    ]
    for word in words:
        terms.append((f"{name} {like}", _like(word), WORD_POINTS["name_holds"]))
        terms.append((f"{entity} {like}", _like(word), WORD_POINTS["entity_holds"]))
    sql = " + ".join(f"CASE WHEN {condition} THEN {points} ELSE 0 END" for condition, _param, points in terms)
    params = [param for _condition, param, _points in terms]
    return RawSQL(f"({sql})", params, output_field=IntegerField())  # noqa: S611 — values are parameters


def _ordered(qs: QuerySet[PortalListing], sort: str, ranked: bool) -> QuerySet[PortalListing]:
    if sort == Sort.STARS:
        return qs.order_by("-stars", "name_key", "pk")
    if sort == Sort.NAME:
        return qs.order_by("name_key", "pk")
    if sort == Sort.NEWEST:
        return qs.order_by("-valid_from", "name_key", "pk")
    if ranked:
        return qs.order_by("-rank", "-stars", "name_key", "pk")
    return qs.order_by("-stars", "-valid_from", "name_key", "pk")


def _page(qs: QuerySet[PortalListing], query: SearchQuery) -> tuple[int, list[PortalListing]]:
    count = qs.count()
    start = (max(query.page, 1) - 1) * query.page_size
    items = list(qs[start : start + query.page_size]) if start < count else []
    return count, items


def _ranked_page(qs: QuerySet[PortalListing], query: SearchQuery) -> tuple[int, list[PortalListing]]:
    """One page of a text search and the number of matches from one query.

    On PostgreSQL ranking reads every matching row before the LIMIT anyway, so ``COUNT(*) OVER ()`` costs
    little and saves the second query, which repeats the trigram index scan and row recheck (exact pass:
    ~1 ms less per page, measured). Only a page past the last match, which returns no row to carry the
    total, counts apart. Not for the typo pass, whose alternatives match thousands of rows that the window
    must hold in full (+3 ms), nor on SQLite, where FTS5 counts cheaply (the window was +2–4 ms).
    """
    if connection.vendor != "postgresql":
        return _page(qs, query)
    start = (max(query.page, 1) - 1) * query.page_size
    items = list(qs.annotate(matches=Window(Count("pk")))[start : start + query.page_size])
    if items:
        return items[0].matches, items
    return (qs.count() if start else 0), []


def listing_search(query: SearchQuery) -> SearchResult:
    qs, provinces = _filtered(query)
    words = _words(query.q)
    if not words:
        count, items = _page(_ordered(qs, query.sort, ranked=False), query)
        return SearchResult(count, items, query.page, query.page_size, provinces=provinces)
    phrase = " ".join(words)
    exact = _text_filter(qs, [[word] for word in words])
    exact = exact.annotate(rank=_rank(phrase, words))
    count, items = _ranked_page(_ordered(exact, query.sort, ranked=True), query)
    if count >= FUZZY_BELOW:
        return SearchResult(count, items, query.page, query.page_size, provinces=provinces)
    fuzzy = _fuzzy(qs, phrase, words, query, count)
    if fuzzy is None or fuzzy.count <= count:
        return SearchResult(count, items, query.page, query.page_size, provinces=provinces)
    fuzzy.provinces = provinces
    return fuzzy


# -- typo tolerance ----------------------------------------------------------------------------------
@cache
def _has_trigram() -> bool:
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        return cursor.fetchone() is not None


def _fuzzy(qs, phrase: str, words: list[str], query: SearchQuery, exact_count: int) -> SearchResult | None:
    result = _fuzzy_vocabulary(qs, phrase, words, query)
    if result is not None or exact_count or max(len(word) for word in words) < 4:
        return result
    if connection.vendor == "postgresql" and _has_trigram():
        # Last resort, when nothing matched: pg_trgm word similarity of the phrase on the indexed key.
        return _fuzzy_trigram(qs, phrase, query)
    return None


def _fuzzy_trigram(qs, phrase: str, query: SearchQuery) -> SearchResult:
    similarity = RawSQL("word_similarity(%s, portal_portallisting.search_key)", (phrase,))
    matched = qs.extra(where=["%s <%% portal_portallisting.search_key"], params=[phrase])
    matched = matched.annotate(rank=similarity)
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL pg_trgm.word_similarity_threshold = 0.5")
        count, items = _page(_ordered(matched, query.sort, ranked=True), query)
    return SearchResult(count, items, query.page, query.page_size, fuzzy=True)


def _fuzzy_vocabulary(qs, phrase: str, words: list[str], query: SearchQuery) -> SearchResult | None:
    vocabulary = Vocabulary.current()
    alternatives: list[list[str]] = []
    corrected: list[str] = []
    for word in words:
        if word in vocabulary.words:
            alternatives.append([word])
            corrected.append(word)
            continue
        close = vocabulary.close(word)
        if not close and len(word) >= 4:
            return None  # every word must find itself or a close word: no loosening by dropping
        alternatives.append(close or [word])
        corrected.append(close[0] if close else word)
    if not alternatives or corrected == words:
        return None
    matched = _text_filter(qs, alternatives)
    phrase2 = " ".join(corrected)
    matched = matched.annotate(rank=_rank(phrase2, corrected))
    count, items = _page(_ordered(matched, query.sort, ranked=True), query)
    return SearchResult(count, items, query.page, query.page_size, fuzzy=True, corrected=phrase2)


def _trigrams(word: str) -> set[str]:
    padded = f"  {word} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def edit_distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance with transpositions counted as one edit; stops early past ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


class Vocabulary:
    """Distinct words of the listed products' search keys, with a trigram index; rebuilt on change."""

    _lock = threading.Lock()
    _current: Vocabulary | None = None

    def __init__(self, fingerprint, keys: list[str]):
        self.fingerprint = fingerprint
        self.words: set[str] = set()
        for key in keys:
            self.words.update(w for w in key.split() if len(w) > 1)
        self.index: dict[str, list[str]] = defaultdict(list)
        for word in self.words:
            for gram in _trigrams(word):
                self.index[gram].append(word)

    @classmethod
    def current(cls) -> Vocabulary:
        # Last refresh, highest key and row count (an insert, a refresh or a delete changes one of them),
        # each in its own query: alone, each is answered from an index in microseconds; together in one
        # query both databases scan the whole table (SQLite 4 ms, PostgreSQL 9 ms, measured).
        fingerprint = (
            PortalListing.objects.aggregate(at=Max("refreshed_at"))["at"],
            PortalListing.objects.aggregate(top=Max("pk"))["top"],
            PortalListing.objects.count(),
        )
        with cls._lock:
            if cls._current is None or cls._current.fingerprint != fingerprint:
                keys = list(PortalListing.objects.values_list("search_key", flat=True))
                cls._current = Vocabulary(fingerprint, keys)
            return cls._current

    def close(self, word: str, limit: int = 6) -> list[str]:
        if len(word) < 4:
            return []
        allowed = 1 if len(word) <= 5 else 2
        shared: dict[str, int] = defaultdict(int)
        for gram in _trigrams(word):
            for candidate in self.index.get(gram, ()):
                shared[candidate] += 1
        best = sorted(shared.items(), key=lambda item: -item[1])[:200]
        scored = []
        for candidate, _n in best:
            distance = edit_distance(word, candidate, allowed)
            if distance <= allowed:
                scored.append((distance, -shared[candidate], candidate))
        return [candidate for *_rest, candidate in sorted(scored)[:limit]]


__all__ = ["SearchQuery", "SearchResult", "listing_search", "base_listing", "resolve_provinces"]
