"""PDF reports of an assessment and their charts; the API is in pdf.py and charts.py."""
