"""The process designer's studio (issue 7): drafts of a scenario's files
edited in the browser, the lint rules run on them, and deploying a draft as
a new process version."""
