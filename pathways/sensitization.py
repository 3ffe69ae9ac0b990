"""Placeholder: replaced by the sensitisation model."""
def spread_referrals(atlas, source, base, level):
    return []
