# The bundled input sets: one entry per set, fields separated by '|':
#   example folder | generator args | verdict (the program's exit code on that set)
# examples/CMakeLists.txt uses this for the regen-example-inputs target, tests/sdk for the tests.
# A verdict of 2 means "must fail cleanly": the set lacks a preimage (offline host).
set(FPP_EXAMPLE_SETS
  "claim|good|1000 3 4 3004|0"
  "claim|wrong|1000 3 4 3005|1"
  "claim|missing|1000 3 4 3004 --drop-b|2"
  "merkle-inclusion|good|4 5|0"
  "merkle-inclusion|wrong|4 5 --wrong-leaf|1"
  "merkle-inclusion|missing|4 5 --drop-level 2|2"
  "sha256-chain|good|8 4000|0"
  "sha256-chain|wrong|8 4000 --claim-links 7|1"
  "sha256-chain|missing|8 4000 --drop-link 3|2")
set(FPP_EXAMPLES claim merkle-inclusion sha256-chain)
