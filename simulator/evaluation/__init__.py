"""Evaluating a transcript: documents, rubric, scoring, feedback, report and the model judge."""
