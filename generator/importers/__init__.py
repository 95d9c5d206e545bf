"""Importers of the public record: leaderboards, model-zoo metafiles and tables, bibliographies.

Each reader turns one source file into `records.Row`s (one number set with its source and the paper it
belongs to); `merge` matches rows to papers and to each other and produces paper files in the format.
"""
