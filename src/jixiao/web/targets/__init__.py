"""Target setting in the browser: 部门整体 and 项目支出 绩效目标申报表 (issue 8)."""
