"""rapport.engine: the analysis library.

Text understanding, metric formulas and predictive models, as plain Python with no Django
import, so that scripts, notebooks and other tools can use them without a database. The web
app, the CLI and the API are thin shells over it.
"""

__all__: list[str] = []
