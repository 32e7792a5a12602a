<<<<<<< HEAD
"""The process designer's studio: what its pages need from the engine."""
=======
"""The process designer's studio (issue 7): drafts of a scenario's files
edited in the browser, the lint rules run on them, and deploying a draft as
a new process version."""
>>>>>>> 52fd550
