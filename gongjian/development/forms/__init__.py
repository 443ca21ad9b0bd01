"""forms of 巾帼致富, one module per topic."""
