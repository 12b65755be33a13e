"""Tsunagu (つなぐ): work sharing for home-based workers and the municipal calls database."""
