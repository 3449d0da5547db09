"""Tests of the API app."""
