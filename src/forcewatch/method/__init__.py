"""The STRA method engine: the versioned method configuration and the demand-coverage model."""
