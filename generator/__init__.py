"""The bilingual semantic segmentation survey: papers/ → validated corpus → MkDocs site."""
