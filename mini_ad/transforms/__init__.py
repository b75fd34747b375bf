"""One file per interpreter of the IR."""
