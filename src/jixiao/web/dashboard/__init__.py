"""The finance bureau's dashboard per year and region, and the batch exports (issue 9)."""
