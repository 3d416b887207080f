def register(subparsers) -> None:
    """The `rapport` subcommands of this app."""
