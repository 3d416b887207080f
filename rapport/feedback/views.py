"""Survey list, builder and distribution pages."""

routes: list = []
