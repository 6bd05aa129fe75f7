"""Reading a coach turn: acts, flags, evidence, hints and the ordinary conversational moves."""
