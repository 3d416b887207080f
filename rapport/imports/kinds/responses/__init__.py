"""Survey responses exported from Google Forms, Typeform or SurveyMonkey (CSV, XLSX, JSON):
the ``responses`` import kind and the reading it needs, side by side.

``metadata`` names the metadata columns (the kind's fields); ``reading`` opens an export and
recognises its tool; ``columns`` tells metadata from questions and each question's kind from
its values; ``plan`` finds or creates the survey; ``rows`` reads and writes the rows in the
one batch loop; ``form`` is the mapping page's form; ``kind`` is the kind itself, which
overrides ``ImportKindBase``'s hooks with all of these.
"""
