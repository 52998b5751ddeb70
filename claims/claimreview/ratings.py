"""Map fact-checkers' free-text verdict labels onto our six rating slugs.

Publishers rate claims in their own words and languages ("Pants on Fire", "Engañoso",
"Plutôt vrai", "Irreführend"), and their numeric ``ratingValue`` scales differ or are missing.
:func:`normalise_rating` turns whatever a ClaimReview carries into one of :data:`RATING_SLUGS`,
in this order:

1. the label, looked up in :data:`LABEL_RATINGS` after folding case, accents, hyphens and
   trailing punctuation ("FALSE!", "pants-on-fire", "Enganoso." all match);
2. the label read as a sentence ("This claim is false.", "The figure is mostly accurate but
   omits...", "Not true"): known phrases and keywords, with qualified phrases ("mostly
   accurate", "missing context") winning over bare true/false words and "not"/"no"/"nicht"/
   "pas"/"não" before a truth word turning it into ``false``;
3. the numeric value placed on its scale (``worstRating``..``bestRating``, schema.org's default
   1..5) and cut into five equal buckets; a value outside its scale, or a "scale" that is none,
   is not a rating (:func:`rate` says why, and the importer refuses such an item);
4. otherwise ``unverifiable``.

The original label is never discarded here: callers store it next to the slug.
"""

from __future__ import annotations

import re
import unicodedata

RATING_SLUGS = ("true", "mostly-true", "mixed", "mostly-false", "false", "unverifiable")

# ClaimReview ratingValue on our 1..5 scale; unverifiable has no place on it.
RATING_ORDINALS = {"true": 5, "mostly-true": 4, "mixed": 3, "mostly-false": 2, "false": 1}

# Labels as fact-checkers publish them (English, Spanish, French, German, Portuguese).
# Keys are written naturally; lookups fold case, accents and punctuation (see fold_label).
_LABELS_BY_RATING = {
    "true": [
        # en
        "True", "Correct", "Accurate", "Right", "Geppetto Checkmark",
        # es
        "Verdadero", "Cierto", "Correcto", "Verdad",
        # fr
        "Vrai", "Exact", "Correct",
        # de
        "Richtig", "Wahr", "Stimmt",
        # pt
        "Verdadeiro", "Verdade", "Correto",
    ],
    "mostly-true": [
        "Mostly True", "Mostly Correct", "Mostly Accurate", "Largely True", "Largely Accurate",
        "Mainly True", "Broadly True", "Broadly Correct", "Broadly Accurate", "One Pinocchio",
        "Verdadero, pero...", "Verdadero pero", "Mayormente verdadero", "Casi verdadero",
        "Plutôt vrai", "Essentiellement vrai",
        "Größtenteils richtig", "Überwiegend richtig", "Weitgehend richtig",
        "Verdadeiro, mas", "Verdadeiro mas", "Quase verdadeiro",
    ],
    "mixed": [
        "Half True", "Half-truth", "Mixed", "Mixture", "Partly True", "Partly False",
        "Partially True", "Partially False", "Missing Context", "Lacks Context", "Needs Context",
        "Out of Context", "Two Pinocchios",
        "Verdad a medias", "Medio verdadero", "Parcialmente verdadero", "Parcialmente falso",
        "Discutible", "Impreciso", "Falta contexto", "Sin contexto", "Contexto faltante",
        "Apresurado",
        "À moitié vrai", "Partiellement vrai", "Partiellement faux", "Manque de contexte",
        "Contexte manquant", "Hors contexte",
        "Teilweise richtig", "Teilweise falsch", "Halb wahr", "Fehlender Kontext",
        "Meia verdade", "Contraditório", "Sem contexto", "Fora de contexto",
        "Parcialmente verdadeiro",
    ],
    "mostly-false": [
        "Mostly False", "Barely True", "Misleading", "Exaggerated", "Exaggeration",
        "Largely False", "Mainly False", "Distorted", "Three Pinocchios",
        "Engañoso", "Mayormente falso", "Exagerado", "Insostenible", "Distorsionado",
        "Trompeur", "Plutôt faux", "Exagéré",
        "Irreführend", "Größtenteils falsch", "Überwiegend falsch", "Übertrieben",
        "Enganoso", "Distorcido", "Subestimado", "Superestimado",
    ],
    "false": [
        "False", "Pants on Fire", "Fake", "Incorrect", "Wrong", "Inaccurate", "Fabricated",
        "Hoax", "Altered", "Manipulated", "Four Pinocchios", "Not True", "Untrue",
        "Falso", "Bulo", "Incorrecto", "Falsa", "Montaje",
        "Faux", "Inexact", "Infox", "Fausse",
        "Falsch", "Unwahr", "Frei erfunden", "Manipuliert", "Fake News",
        "Falso", "Errado", "Montagem",
    ],
    "unverifiable": [
        "Unproven", "Unsupported", "Unverified", "Unverifiable", "Satire", "No Evidence",
        "Opinion", "Research in progress", "Outdated", "Too early to tell",
        "Inchequeable", "Sin evidencia", "Sátira", "No verificable",
        "Infondé", "Invérifiable", "Non prouvé", "Satirique",
        "Unbelegt", "Nicht belegt", "Unbewiesen", "Satire",
        "Insustentável", "Ainda é cedo para dizer", "Sem provas", "Não verificável",
    ],
}  # fmt: skip


def fold_label(label: str) -> str:
    """Fold a label for lookup: case, accents, hyphens/underscores, trailing punctuation."""
    text = unicodedata.normalize("NFKD", label.casefold())
    text = "".join(char for char in text if not unicodedata.combining(char))
    text = re.sub(r"[-_/]+", " ", text)
    text = re.sub(r"[^\w\s]+", " ", text)  # "Verdadero, pero..." -> "verdadero pero"
    return " ".join(text.split())


# Labels in the other languages fact-checkers publish in, after the per-site label maps of X-Fact
# (Gupta & Srikumar 2021, 25 languages) and ClaimsKG's normalisation; "misleading" and
# "manipulated" are mostly-false here as in the table above.
_MORE_LABELS_BY_RATING = {
    "true": [
        "صحيح", "حقيقي", "صحيحة",  # ar
        "درست",  # fa
        "正確", "正确", "属实", "屬實", "事實",  # zh
        "正しい",  # ja
        "사실",  # ko
        "सच", "सही",  # hi
        "Benar", "Fakta",  # id
        "Doğru", "Vero", "Prawda", "Pravda", "Adevărat", "Igaz", "Waar", "Sant", "Tačno", "Točno", "Istina",
        "Правда", "Верно", "Вірно", "Αληθές", "Αληθής",  # tr it pl cs/sk ro hu nl no sr/hr ru uk el
        "სიმართლე",  # ka
        "Ճիշտ", "Իրականություն",  # hy
        "Düz",  # az
        "נכון",  # he
    ],
    "mostly-true": [
        "صحيح غالبا", "صحيح في الغالب",  # ar
        "大致正確", "基本正確", "大致正确", "基本属实",  # zh
        "ほぼ正確", "おおむね正確",  # ja
        "대체로 사실",  # ko
        "Sebagian besar benar",  # id
        "Çoğunlukla doğru", "C'eri quasi", "Quasi vero", "Prawie prawda", "Většinou pravda", "Zväčša pravda",
        "În mare parte adevărat", "Grotendeels waar", "Stort sett sant", "Uglavnom tačno", "Uglavnom istina",
        "В основном правда", "Почти правда", "Переважно правда", "Κατά βάση αληθές",
        "მეტწილად სიმართლე", "სიმართლესთან ახლოს",  # ka
        "Mostly true",
        "Əsasən doğru",  # az
    ],
    "mixed": [
        "صحيح جزئيا", "صحيح جزئياً", "نصف حقيقة", "ناقص", "زائف جزئيا", "زائف جزئياً", "خارج السياق",  # ar
        "نیمه درست", "نیمهدرست", "نیمه‌درست",  # fa
        "部分錯誤", "部分正確", "部分错误", "部分正确", "半真半假", "缺乏背景", "斷章取義", "断章取义",  # zh
        "一部誤り", "部分的に正確",  # ja
        "절반의 사실", "절반의 진실",  # ko
        "आंशिक रूप से सही", "आधा सच",  # hi
        "Sebagian benar", "Sebagian salah", "Konteks keliru", "Kurang konteks",  # id
        "Kısmen doğru", "Yarı doğru", "Bağlamından koparılmış", "Mezza verità",
        "Częściowa prawda", "Częściowo prawda", "Polopravda", "Čiastočne pravda", "Parțial adevărat",
        "Részben igaz", "Half waar", "Delvis sant", "Poluistina", "Djelimično tačno", "Полуправда",
        "Частично правда", "Напівправда", "Частково правда", "Μισή αλήθεια", "Εκτός πλαισίου",
        "ნახევრად სიმართლე",  # ka
        "Կիսաճշմարտություն", "Մասամբ ճիշտ",  # hy
        "Qismən doğru", "Yarımhəqiqət", "Kontekstdən çıxarılıb",  # az
        "נכון חלקית", "חצי אמת",  # he
    ],
    "mostly-false": [
        "مضلل", "مضللة", "غير دقيق", "انتقائي", "مبالغ فيه", "عنوان مضلل",  # ar
        "گمراه‌کننده", "گمراه کننده", "گمراهکننده", "اغراق‌آمیز",  # fa
        "誤導", "误导", "大致錯誤", "大致错误", "誇大", "夸大",  # zh
        "ミスリード", "不正確", "誇張",  # ja
        "대체로 거짓", "오해의 소지",  # ko
        "भ्रामक",  # hi
        "Menyesatkan", "Konten yang menyesatkan", "Dilebih-lebihkan",  # id
        "Yanıltıcı", "Çoğunlukla yanlış", "Abartılı", "Fuorviante", "Pinocchio andante", "Manipulacja",
        "Zavádějící", "Zavádzajúce", "Înșelător", "Manipulare", "Félrevezető", "Misleidend", "Grotendeels onwaar",
        "Villedende", "Stort sett feil", "Manipulacija", "Obmanjujuće", "Манипуляция", "Маніпуляція",
        "Вводит в заблуждение", "Перебільшення", "Παραπλανητικό", "Παραπλανητικός",
        "მეტწილად მცდარი", "მანიპულაცია", "ფაქტებით მანიპულირება", "რიცხვებით მანიპულირება",  # ka
        "Մանիպուլյացիա", "Ապակողմնորոշիչ",  # hy
        "Manipulyasiya", "Əsasən yalan", "Çaşdırıcı",  # az
        "מטעה",  # he
    ],
    "false": [
        "زائف", "زائفة", "كاذب", "كاذبة", "خطأ", "خاطئ", "مفبرك", "مزيف", "ملفق", "غير صحيح", "محتوى معدل",  # ar
        "نادرست", "جعلی", "شاخدار",  # fa
        "錯誤", "错误", "謠言", "谣言", "假的", "虛假", "虚假", "不實", "不实", "失實", "失实", "詐騙", "诈骗",  # zh
        "誤り", "虚偽", "偽情報", "事実無根",  # ja
        "거짓", "사실 아님", "전혀 사실 아님",  # ko
        "गलत", "फर्जी", "झूठ", "फेक", "नकली",  # hi
        "Salah", "Hoaks", "Keliru", "Konten palsu", "Konten yang dimanipulasi", "Disinformasi",  # id
        "Yanlış", "Uydurma", "Panzana pazzesca", "Fałsz", "Nieprawda", "Nepravda", "Fals", "Hamis", "Onwaar",
        "Niet waar", "Usant", "Feil", "Netačno", "Netočno", "Neistina", "Laž", "Ложь", "Неправда", "Фейк",
        "Брехня", "Ψευδές", "Ψευδής", "Sai", "Tin giả",
        "ტყუილი", "მცდარი",  # ka
        "Սուտ", "Կեղծ", "Կեղծիք",  # hy
        "Yalan", "Saxta",  # az
        "לא נכון", "שקר", "כוזב",  # he
        "মিথ্যা", "ভুয়া",  # bn
    ],
    "unverifiable": [
        "ساخر", "غير مثبت", "مشكوك فيه", "خرافة", "لا دليل",  # ar
        "غیرقابل اثبات", "غیر قابل اثبات",  # fa
        "證據不足", "证据不足", "無法證實", "无法证实", "未經證實", "未经证实", "事實釐清", "諷刺", "讽刺",  # zh
        "根拠不明", "判定留保", "風刺",  # ja
        "판단 유보", "근거 없음",  # ko
        "व्यंग्य", "अप्रमाणित",  # hi
        "Satir", "Belum terbukti", "Tidak terbukti",  # id
        "Doğrulanamaz", "Belirsiz", "Kanıtlanamaz", "Nieweryfikowalne", "Neověřitelné", "Neoveriteľné",
        "Nu se poate verifica", "Nem igazolható", "Onbewezen", "Kan ikke verificeres", "Neprovjerljivo",
        "Не подтверждено", "Не доказано", "Не підтверджено", "Αναπόδεικτο", "Σάτιρα",
        "ვერდიქტის გარეშე",  # ka
        "Yoxlanıla bilməz", "Satira",  # az
        "לא ניתן לאימות",  # he
    ],
}  # fmt: skip

#: Folded label -> slug. Built from the readable tables above; see the module docstring.
LABEL_RATINGS: dict[str, str] = {
    fold_label(label): slug
    for table in (_LABELS_BY_RATING, _MORE_LABELS_BY_RATING)
    for slug, labels in table.items()
    for label in labels
}

# Sentence matching. Qualified phrases first (they decide "mostly accurate but omits..."),
# except words that are verdicts as a whole label but ordinary words inside a sentence.
_LABEL_ONLY = {"opinion", "outdated"}
_QUALIFIED_PHRASES = sorted(
    (
        key
        for key, slug in LABEL_RATINGS.items()
        if key not in _LABEL_ONLY and (" " in key or slug not in ("true", "false"))
    ),
    key=len,
    reverse=True,
)
_TRUE_WORDS = {"true", "correct", "accurate", "verdadero", "cierto", "vrai", "exact", "richtig",
               "wahr", "verdadeiro", "correto", "correcto", "verdad", "verdade"}  # fmt: skip
_FALSE_WORDS = {"false", "fake", "incorrect", "wrong", "inaccurate", "fabricated", "untrue",
                "falso", "falsa", "faux", "fausse", "falsch", "unwahr", "errado", "bulo",
                "incorrecto", "hoax"}  # fmt: skip
_NEGATIONS = {"not", "no", "isn", "isnt", "wasn", "aren", "never", "nicht", "kein", "pas", "nao",
              "ni", "nunca"}  # fmt: skip
_NEGATION_REACH = 3  # "is not entirely true": the negation may sit a few words earlier
_HEDGES = {"entirely", "completely", "wholly", "totally", "fully", "quite", "all", "100"}


def _sentence_rating(folded: str) -> str | None:
    """Read a whole-sentence label by phrases and keywords; None when nothing is recognised."""
    padded = f" {folded} "
    for phrase in _QUALIFIED_PHRASES:
        if f" {phrase} " in padded:
            return LABEL_RATINGS[phrase]
    words = folded.split()
    found_true = found_false = False
    for position, word in enumerate(words):
        before = words[max(0, position - _NEGATION_REACH) : position]
        negated = any(w in _NEGATIONS for w in before)
        if word in _TRUE_WORDS:
            if negated:
                # "not entirely true" is a hedge, "not true" a denial.
                return "mixed" if any(w in _HEDGES for w in before) else "false"
            found_true = True
        elif word in _FALSE_WORDS:
            if negated:
                return "mixed" if any(w in _HEDGES for w in before) else "true"
            found_false = True
    if found_true and found_false:
        return "mixed"
    if found_false:
        return "false"
    if found_true:
        return "true"
    return None


def as_number(value: object) -> float | None:
    """A float from a JSON number or numeric string; None for anything else."""
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = float(str(value).strip())
    except ValueError:
        return None
    return number if number == number and abs(number) != float("inf") else None


# A rating scale is a few steps (1..5, 0..10, 0..100); beyond these it is not a scale at all.
_SCALE_LIMIT = 1e6
_MIN_SPAN = 1.0


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:39] + "…"


def _scale_problem(value: object, best: object, worst: object) -> str | None:
    """Why a numeric rating cannot be placed on its scale, or None when it can."""
    number = as_number(value)
    if number is None:
        return f"ratingValue {_shown(value)} is not a number"
    high, low = as_number(best), as_number(worst)
    for name, given, parsed in (("bestRating", best, high), ("worstRating", worst, low)):
        if given not in (None, "") and parsed is None:
            return f"{name} {_shown(given)} is not a number"
    high = 5.0 if high is None else high  # schema.org defaults: bestRating 5, worstRating 1
    low = 1.0 if low is None else low
    if max(abs(high), abs(low)) > _SCALE_LIMIT or abs(high - low) < _MIN_SPAN:
        return f"worstRating {low:g} to bestRating {high:g} is not a rating scale"
    bottom, top = min(high, low), max(high, low)
    if not bottom - 1e-9 <= number <= top + 1e-9:
        return f"ratingValue {number:g} is outside its scale ({low:g} to {high:g})"
    return None


def _scale_rating(value: object, best: object, worst: object) -> str:
    """Place a numeric rating (checked by _scale_problem) on its scale, cut into five buckets."""
    number = as_number(value)
    high = as_number(best)
    low = as_number(worst)
    high = 5.0 if high is None else high
    low = 1.0 if low is None else low
    position = min(max((number - low) / (high - low), 0.0), 1.0)
    for threshold, slug in ((0.8, "true"), (0.6, "mostly-true"), (0.4, "mixed"), (0.2, "mostly-false")):
        if position >= threshold - 1e-9:
            return slug
    return "false"


def rate(
    label: str | None, *, value: object = None, best: object = None, worst: object = None
) -> tuple[str | None, str | None]:
    """``(slug, note)`` for a published verdict label and/or numeric rating (see module doc).

    * a recognised label gives its slug (a nonsense number beside it is noted and ignored);
    * with no label, a number is placed on its scale; a number that is not one, lies outside its
      scale or sits on no real scale (``1e308`` of ``1e-308``) gives ``(None, reason)``: the
      item is to be refused, not imported as a made-up verdict;
    * a label we do not know gives ``unverifiable`` with a note (its own label is kept and shown);
    * nothing at all gives ``unverifiable``.
    """
    has_label = bool(label and label.strip())
    has_value = value is not None and not (isinstance(value, str) and not value.strip())
    problem = _scale_problem(value, best, worst) if has_value else None
    if has_label:
        folded = fold_label(label)
        slug = LABEL_RATINGS.get(folded) or _sentence_rating(folded)
        if slug:
            return slug, (f"{problem}; the label decides" if problem else None)
    if has_value and problem is None:
        return _scale_rating(value, best, worst), None
    if has_label:
        note = f"rating label {label.strip()[:80]!r} is not one we can place on our scale; kept as Unverifiable"
        return "unverifiable", (f"{note} ({problem})" if problem else note)
    if problem:
        return None, f"{problem}, and there is no rating label: not a usable rating"
    return "unverifiable", None


def normalise_rating(label: str | None, *, value: object = None, best: object = None, worst: object = None) -> str:
    """The rating slug for a published verdict label and/or numeric rating; ``unverifiable``
    when :func:`rate` finds nothing usable (an importer refuses those items, see ``rate``)."""
    return rate(label, value=value, best=best, worst=worst)[0] or "unverifiable"
