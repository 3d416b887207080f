def register(subparsers) -> None:
    """Filled in by the feature that owns this package."""
