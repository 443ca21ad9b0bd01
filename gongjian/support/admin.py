"""No Django admin for support: case data is need-to-know (Z-07) and never browsed outside the app."""
