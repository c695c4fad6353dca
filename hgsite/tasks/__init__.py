"""The task model (docs/architecture.md): a task is plain data, running it a pure function in any
process; one planner decides what is missing, an executor runs the tasks, the coordinator records."""
