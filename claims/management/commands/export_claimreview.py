"""Export published verdicts as ClaimReview: a schema.org DataFeed (default) or JSON Lines."""

import sys

from django.core.management.base import BaseCommand

from claims.ingest.claimreview_export import write_export


class Command(BaseCommand):
    help = "Write every published verdict readers can see as ClaimReview (streamed; constant memory)."

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", default="-", help="file to write ('-', the default, is stdout)")
        parser.add_argument("--format", choices=["datafeed", "jsonl"], default="datafeed")
        parser.add_argument(
            "--include-examples",
            action="store_true",
            default=None,
            help="also export demo verdicts (is_example); default: FACTCHECK_EXPORT_EXAMPLE_REVIEWS",
        )

    def handle(self, *args, output, format, include_examples=None, **options):
        if output == "-":
            write_export(sys.stdout, fmt=format, include_examples=include_examples)
            return
        with open(output, "w", encoding="utf-8") as out:
            write_export(out, fmt=format, include_examples=include_examples)
        sys.stderr.write(f"Wrote {output}\n")
