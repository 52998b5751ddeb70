"""REST API views: claims, verdicts (with workflow actions), the catalogue, ClaimReview."""
