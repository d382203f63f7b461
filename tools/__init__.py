"""The project's own tools: the benchmark, mutation testing, the browser set-up."""
