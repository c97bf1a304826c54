"""Mid-year monitoring (运行监控) and self-evaluation (自评) of approved target forms (issue 8)."""
