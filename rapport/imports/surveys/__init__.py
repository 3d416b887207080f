"""Survey responses exported from Google Forms, Typeform or SurveyMonkey (CSV, XLSX, JSON).

``reading`` opens an export and recognises its tool; ``columns`` tells metadata from
questions and each question's kind from its values; ``run`` finds or creates the survey
and stores the rows. The ``responses`` import kind (``kinds/responses.py``) hands its runs
to ``run.execute_responses``.
"""
