"""Intake and background work: the job engine (procrastinate), the SSRF-safe fetcher, webhooks."""
