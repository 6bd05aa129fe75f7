"""The simulated coachee: persona, memory, hidden state and rules, and its voices."""
