"""等级保护 (MLPS, GB/T 22239-2019) level 3: the application's clauses of 8.1.4 (安全计算环境),
each proved by tests named after the clause (`tests/test_8_1_4_<n>_*.py`, README "等保 clauses")."""
