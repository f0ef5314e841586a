"""Spiders: they discover and parse; archiving and storage happen in crawler/ and archive/."""
