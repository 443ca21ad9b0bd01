"""views of 创先争优, one module per topic."""
