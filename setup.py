# For `scrapyd-deploy`, which builds an egg with `python setup.py bdist_egg`: everything, including the
# `scrapy` settings entry point, comes from pyproject.toml (without this file scrapyd-deploy writes its own).
from setuptools import setup

setup()
