"""The floors: the same rows fetched by one hand-written SQL query and serialised with orjson (or
written out as HTML with f-strings). Nothing here goes through the ORM, DRF or templates."""

import orjson
from django.db import connection

PUBLIC = "('published', 'withdrawn')"


def _json(value):
    """Django's psycopg setup hands json/jsonb columns over as text; parse them once here."""
    return orjson.loads(value) if isinstance(value, str | bytes) else value


BASE = "http://testserver"

_LIST_COLUMNS = """
    c.id, c.slug, c.text, c.status, c.first_seen, c.updated_at,
    s.slug, s.name, s.kind,
    r.slug, r.label, r.ordinal, r.colour, v.summary, v.published_at,
    (SELECT count(*) FROM claims_appearance a WHERE a.claim_id = c.id),
    (SELECT count(*) FROM claims_figure f JOIN claims_appearance a ON a.id = f.appearance_id
      WHERE a.claim_id = c.id),
    (SELECT coalesce(json_agg(json_build_object('slug', t.slug, 'name', t.name) ORDER BY t.name), '[]')
       FROM claims_claim_topics ct JOIN claims_topic t ON t.id = ct.topic_id WHERE ct.claim_id = c.id)
"""
_LIST_JOINS = """
    FROM claims_claim c
    LEFT JOIN claims_source s ON s.id = c.claimant_id
    LEFT JOIN claims_verdict v ON v.id = c.published_verdict_id
    LEFT JOIN claims_ratinglevel r ON r.id = v.rating_id
"""


def _list_item(row) -> dict:
    cid, slug, text, status, first_seen, updated, s_slug, s_name, s_kind = row[:9]
    r_slug, r_label, r_ordinal, r_colour, summary, published_at, appearances, figures, topics = row[9:]
    return {
        "url": f"{BASE}/api/v1/claims/{slug}/",
        "id": cid,
        "slug": slug,
        "text": text,
        "claimant": s_slug and {"url": f"{BASE}/api/v1/sources/{s_slug}/", "slug": s_slug, "name": s_name,
                                "kind": s_kind},
        "status": status,
        "rating": r_slug and {"slug": r_slug, "label": r_label, "ordinal": r_ordinal, "colour": r_colour},
        "verdict_summary": summary,
        "verdict_published_at": published_at,
        "first_seen": first_seen,
        "topics": _json(topics),
        "appearances_count": appearances,
        "figures_count": figures,
        "version": int(updated.timestamp() * 1000),
        "links": {"web": f"{BASE}/claims/{slug}/", "claimreview": f"{BASE}/api/v1/claims/{slug}/claimreview/"},
    }  # fmt: skip


def claim_list(limit: int = 50) -> bytes:
    """The first page of public claims, newest first, as the API list returns it."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {_LIST_COLUMNS} {_LIST_JOINS} WHERE c.status IN {PUBLIC} "
            "ORDER BY c.first_seen DESC, c.id DESC LIMIT %s",
            [limit + 1],
        )
        rows = cursor.fetchall()
    items = [_list_item(row) for row in rows[:limit]]
    return orjson.dumps({"next": f"{BASE}/api/v1/claims/?cursor=x" if len(rows) > limit else None, "results": items})


def search(query: str, limit: int = 50) -> bytes:
    """Full-text search over public claims, best match first (ts_rank), as the API's `q` returns it:
    the query in each language a claim may be stored in (`factcheck_search_query`: here no reader
    language, the text detected as English, English, 'simple'), as claims/querysets.py asks."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {_LIST_COLUMNS} {_LIST_JOINS}, factcheck_search_query(%s, '', 'en', 'en', 'und') q "
            f"WHERE c.status IN {PUBLIC} AND c.search_vector @@ q "
            "ORDER BY ts_rank(c.search_vector, q) DESC, c.id DESC LIMIT %s",
            [query, limit + 1],
        )
        rows = cursor.fetchall()
    return orjson.dumps({"results": [_list_item(row) for row in rows[:limit]]})


_DETAIL_SQL = f"""
SELECT c.id, c.slug, c.text, c.status, c.first_seen, c.updated_at, s.slug, s.name, s.kind,
  (SELECT coalesce(json_agg(json_build_object('slug', t.slug, 'name', t.name)), '[]')
     FROM claims_claim_topics ct JOIN claims_topic t ON t.id = ct.topic_id WHERE ct.claim_id = c.id),
  (SELECT coalesce(json_agg(json_build_object(
      'id', a.id, 'quote', a.quote, 'voice', a.voice,
      'attributed_to', (SELECT json_build_object('slug', x.slug, 'name', x.name, 'kind', x.kind)
                          FROM claims_source x WHERE x.id = a.attributed_to_id),
      'article', json_build_object('id', ar.id, 'url', ar.url, 'title', ar.title, 'kind', ar.kind,
          'published_on', ar.published_on, 'language', ar.language, 'archived_url', ar.archived_url,
          'outlet', json_build_object('slug', o.slug, 'name', o.name, 'kind', o.kind),
          'authors', (SELECT coalesce(json_agg(json_build_object('slug', au.slug, 'name', au.name)), '[]')
                        FROM claims_article_authors aa JOIN claims_source au ON au.id = aa.source_id
                       WHERE aa.article_id = ar.id)),
      'figures', (SELECT coalesce(json_agg(json_build_object(
                      'id', f.id, 'quoted_text', f.quoted_text, 'low', f.low, 'high', f.high,
                      'qualifier', f.qualifier, 'unit', f.unit, 'point_in_time', f.point_in_time, 'rank', f.rank,
                      'measure', json_build_object('slug', m.slug, 'name', m.name, 'unit', m.unit,
                                                   'conflict_state', m.conflict_state))
                      ORDER BY f.measure_id, f.id), '[]')
                    FROM claims_figure f JOIN claims_measure m ON m.id = f.measure_id
                   WHERE f.appearance_id = a.id)
    ) ORDER BY a.id), '[]')
     FROM claims_appearance a JOIN claims_article ar ON ar.id = a.article_id
     LEFT JOIN claims_source o ON o.id = ar.outlet_id
    WHERE a.claim_id = c.id),
  (SELECT coalesce(json_agg(json_build_object(
      'id', v.id, 'status', v.status, 'summary', v.summary, 'rationale', v.rationale,
      'published_at', v.published_at, 'withdrawn_at', v.withdrawn_at, 'correction_note', v.correction_note,
      'withdrawal_reason', v.withdrawal_reason, 'supersedes', v.supersedes_id, 'is_example', v.is_example,
      'rating', json_build_object('slug', r.slug, 'label', r.label, 'ordinal', r.ordinal, 'colour', r.colour),
      'evidence', (SELECT coalesce(json_agg(json_build_object('id', e.id, 'url', e.url, 'title', e.title,
                      'publisher', e.publisher, 'accessed_on', e.accessed_on, 'archived_url', e.archived_url)
                      ORDER BY e.id), '[]') FROM claims_evidence e WHERE e.verdict_id = v.id)
    ) ORDER BY v.published_at DESC, v.id DESC), '[]')
     FROM claims_verdict v JOIN claims_ratinglevel r ON r.id = v.rating_id
    WHERE v.claim_id = c.id AND v.status IN ('published', 'superseded', 'withdrawn'))
FROM claims_claim c LEFT JOIN claims_source s ON s.id = c.claimant_id
WHERE c.slug = %s AND c.status IN {PUBLIC}
"""


def claim_detail_row(slug: str):
    with connection.cursor() as cursor:
        cursor.execute(_DETAIL_SQL, [slug])
        return cursor.fetchone()


def claim_detail(slug: str) -> bytes:
    """A claim with its appearances, articles, figures, verdict history and evidence."""
    cid, slug, text, status, first_seen, updated, s_slug, s_name, s_kind, topics, appearances, verdicts = (
        claim_detail_row(slug)
    )
    topics, appearances, verdicts = _json(topics), _json(appearances), _json(verdicts)
    return orjson.dumps(
        {
            "url": f"{BASE}/api/v1/claims/{slug}/",
            "id": cid,
            "slug": slug,
            "text": text,
            "status": status,
            "first_seen": first_seen,
            "version": int(updated.timestamp() * 1000),
            "claimant": {"slug": s_slug, "name": s_name, "kind": s_kind},
            "topics": topics,
            "appearances": appearances,
            "verdicts": verdicts,
        }
    )


def claim_page(slug: str) -> bytes:
    """The claim page's data by the detail query, written out as HTML with f-strings (no escaping
    subtleties: synthetic text has no markup)."""
    row = claim_detail_row(slug)
    _cid, _slug, text, status, first_seen, _updated, _s_slug, s_name, _s_kind, topics, appearances, verdicts = row
    appearances, verdicts = _json(appearances), _json(verdicts)
    parts = [f"<html><head><title>{text}</title></head><body><h1>{text}</h1><p>{s_name} · {first_seen}</p>"]
    for verdict in verdicts:
        parts.append(f"<section><h2>{verdict['rating']['label']}</h2><p>{verdict['summary']}</p>")
        parts.append(f"<div>{verdict['rationale']}</div><ul>")
        parts.extend(f"<li><a href='{e['url']}'>{e['title']}</a></li>" for e in verdict["evidence"])
        parts.append("</ul></section>")
    for appearance in appearances:
        article = appearance["article"]
        parts.append(f"<li><a href='{article['url']}'>{article['title']}</a> {appearance['quote']}</li>")
        parts.extend(f"<li>{f['measure']['name']}: {f['quoted_text']}</li>" for f in appearance["figures"])
    parts.append("</body></html>")
    return "".join(parts).encode()


def source_page(slug: str) -> bytes:
    """A source scorecard: the cached score, counts per rating and its latest public claims."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, name, kind, country, credibility_score, credibility_low, credibility_high, "
            "rated_claims_count, rating_counts FROM claims_source WHERE slug = %s",
            [slug],
        )
        sid, name, kind, country, score, low, high, rated, counts = cursor.fetchone()
        cursor.execute(
            f"SELECT c.slug, c.text, r.label FROM claims_claim c "
            "LEFT JOIN claims_verdict v ON v.id = c.published_verdict_id "
            "LEFT JOIN claims_ratinglevel r ON r.id = v.rating_id "
            f"WHERE c.claimant_id = %s AND c.status IN {PUBLIC} ORDER BY c.first_seen DESC, c.id DESC LIMIT 20",
            [sid],
        )
        claims = cursor.fetchall()
    parts = [f"<html><body><h1>{name}</h1><p>{kind} {country}</p><p>{score} ({low}–{high}), {rated} rated</p><ul>"]
    parts.extend(f"<li>{label}: {count}</li>" for label, count in (_json(counts) or {}).items())
    parts.append("</ul><ul>")
    parts.extend(f"<li><a href='/claims/{slug}/'>{text}</a> {label}</li>" for slug, text, label in claims)
    parts.append("</ul></body></html>")
    return "".join(parts).encode()


def admin_queue(limit: int = 50) -> bytes:
    """The review queue's first page (newest first) as a bare HTML table."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.id, c.text, c.status, r.label, s.name, u.username, c.first_seen FROM claims_claim c "
            "LEFT JOIN claims_source s ON s.id = c.claimant_id LEFT JOIN auth_user u ON u.id = c.assigned_to_id "
            "LEFT JOIN claims_verdict v ON v.id = c.published_verdict_id "
            "LEFT JOIN claims_ratinglevel r ON r.id = v.rating_id ORDER BY c.id DESC LIMIT %s",
            [limit],
        )
        rows = cursor.fetchall()
    body = "".join(
        f"<tr><td><a href='/admin/claims/claim/{cid}/change/'>{text[:80]}</a></td><td>{status}</td><td>{label}</td>"
        f"<td>{source}</td><td>{user}</td><td>{seen}</td></tr>"
        for cid, text, status, label, source, user, seen in rows
    )
    return f"<html><body><table>{body}</table></body></html>".encode()
