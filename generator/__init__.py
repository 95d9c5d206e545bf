"""A bilingual literature survey generator: survey.yml + papers/ → validated corpus → MkDocs site."""
