"""Across outlets: stories, claim clusters, comparison, timelines, earlier fact-checks."""

# Here, not only in ``stories``, so the window can show the stories panel's default without
# loading the story finder at start-up (issue 20).
DEFAULT_STORY_THRESHOLD = 0.3  # pair score needed to join two articles into one story
