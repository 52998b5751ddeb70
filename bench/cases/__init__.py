"""One module per area; each exposes `run(ctx) -> list[Result]` and raises Skip when its piece is missing."""
