"""Pure rules of the decree: no Flask, no database, plain values in and out."""
