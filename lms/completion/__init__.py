"""Wave completion: the single home of the rule that decides whether a trainee
completed a wave, the trainer's progress grid, and its exports."""
