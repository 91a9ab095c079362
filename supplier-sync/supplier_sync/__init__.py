"""The merchant's loop: every supplier into one warehouse, unified models in dbt, results pushed to Yodify."""
