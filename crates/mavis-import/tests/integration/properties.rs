//! Properties (filled in below).
