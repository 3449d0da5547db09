"""Template checks of one feature each: tests/features/test_<feature label>.py."""
