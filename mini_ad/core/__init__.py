"""Values and the IR: abstract values, tracing, primitives and Jaxprs."""
